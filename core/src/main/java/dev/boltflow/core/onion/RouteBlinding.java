package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.ChaCha;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * BOLT 4 "Route Blinding": create a {@code blinded_path} (as its recipient, or a sender blinding
 * its own hops), and unblind one hop of it (as a node on the path).
 */
public final class RouteBlinding {
    private static final Hashes.KeyedHmac BLINDED_NODE_ID = new Hashes.KeyedHmac("blinded_node_id".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] ZERO_NONCE = new byte[12];
    private static final byte[] NO_AD = new byte[0];

    private RouteBlinding() {
    }

    /**
     * Creates a path through {@code nodeIds} (the first is the introduction node, the last the
     * recipient), encrypting {@code data.get(i)} for node i. Every hop's plaintext is padded to
     * the same length with the {@code padding} record (BOLT 4: SHOULD). With {@code dummyHops} > 0,
     * that many extra hops to the recipient itself are added at the end (BOLT 4: MAY): the
     * recipient's real hop and every dummy but the last forward to the recipient
     * ({@code next_node_id} = itself, and for payments a zero-fee {@code payment_relay} with the
     * final hop's {@code payment_constraints}); the last dummy carries the recipient's data.
     * {@link OnionMessages#peel} walks through such hops by itself.
     *
     * @param firstPathKeySecret e_0, from a CSPRNG in production
     */
    public static BlindedPath create(PrivateKey firstPathKeySecret, List<PublicKey> nodeIds, List<EncryptedDataTlv> data,
            int dummyHops) {
        return create(firstPathKeySecret, nodeIds, data, dummyHops, Optional.empty());
    }

    /**
     * As {@link #create(PrivateKey, List, List, int)} for a path whose recipient is us:
     * {@code recipientKey} is the last node's private key, so its hops (the real one and the
     * dummies) cost three fixed-base multiplications each instead of two variable-base ones and a
     * fixed-base one (see {@link #blind(PrivateKey, List, List, Optional)}). Same bytes.
     */
    public static BlindedPath create(PrivateKey firstPathKeySecret, List<PublicKey> nodeIds, List<EncryptedDataTlv> data,
            int dummyHops, Optional<PrivateKey> recipientKey) {
        if (nodeIds.isEmpty() || nodeIds.size() != data.size()) {
            throw new OnionException(OnionException.Reason.INVALID_ROUTE,
                    "need one encrypted_data_tlv per node and at least one node");
        }
        if (dummyHops < 0 || nodeIds.size() + dummyHops > 255) {
            throw new OnionException(OnionException.Reason.INVALID_ROUTE, "a blinded path has 1 to 255 hops");
        }
        List<PublicKey> nodes = new ArrayList<>(nodeIds);
        List<EncryptedDataTlv> tlvs = new ArrayList<>(data);
        if (dummyHops > 0) {
            PublicKey recipient = nodes.get(nodes.size() - 1);
            EncryptedDataTlv last = tlvs.get(tlvs.size() - 1);
            EncryptedDataTlv forward = EncryptedDataTlv.EMPTY.withNextNodeId(recipient);
            if (last.paymentConstraints().isPresent()) {
                forward = forward.withPaymentRelay(new EncryptedDataTlv.PaymentRelay(0, 0, 0))
                        .withPaymentConstraints(last.paymentConstraints().get());
            }
            tlvs.set(tlvs.size() - 1, forward);
            for (int i = 0; i < dummyHops; i++) {
                nodes.add(recipient);
                tlvs.add(i == dummyHops - 1 ? last : forward);
            }
        }
        return blind(firstPathKeySecret, nodes, pad(tlvs), recipientKey);
    }

    /** {@link #create(PrivateKey, List, List, int)} without dummy hops. */
    public static BlindedPath create(PrivateKey firstPathKeySecret, List<PublicKey> nodeIds, List<EncryptedDataTlv> data) {
        return create(firstPathKeySecret, nodeIds, data, 0);
    }

    /**
     * Blinds {@code nodeIds} and encrypts each given plaintext as it is (no padding added): the
     * primitive under {@link #create}. Per hop: one ECDH, one multiplication for the blinded node
     * id and one fixed-base multiplication for the path key (the path key secrets e_i are a chain
     * of scalars, e_{i+1} = e_i·SHA256(E_i ‖ ss_i), so no point is tweaked for them).
     */
    public static BlindedPath blind(PrivateKey firstPathKeySecret, List<PublicKey> nodeIds, List<Bytes> plaintexts) {
        return blind(firstPathKeySecret, nodeIds, plaintexts, Optional.empty());
    }

    /**
     * As {@link #blind(PrivateKey, List, List)}, where {@code ownKey} is the private key of those
     * nodes that are us. For such a hop, ss = SHA256((e_i·k)·G), which is ECDH(e_i, k·G), and
     * B_i = (HMAC256("blinded_node_id", ss)·k)·G, which is the tweak of k·G: fixed-base
     * multiplications of secret scalar products instead of a variable-base ECDH and tweak.
     */
    public static BlindedPath blind(PrivateKey firstPathKeySecret, List<PublicKey> nodeIds, List<Bytes> plaintexts,
            Optional<PrivateKey> ownKey) {
        if (nodeIds.isEmpty() || nodeIds.size() != plaintexts.size()) {
            throw new OnionException(OnionException.Reason.INVALID_ROUTE,
                    "need one plaintext per node and at least one node");
        }
        PublicKey us = ownKey.map(PrivateKey::publicKey).orElse(null);
        List<BlindedPath.Hop> hops = new ArrayList<>(nodeIds.size());
        PrivateKey e = firstPathKeySecret;
        for (int i = 0; i < nodeIds.size(); i++) {
            PublicKey node = nodeIds.get(i);
            HopSecrets s = node.equals(us) ? HopSecrets.ofOwn(e, ownKey.get()) : HopSecrets.of(e, node);
            hops.add(new BlindedPath.Hop(s.blindedNodeId, encrypt(s.rho, plaintexts.get(i))));
            if (i < nodeIds.size() - 1) {
                e = s.nextPathKeySecret(e);
            }
        }
        return new BlindedPath(SciddirOrPubkey.of(nodeIds.get(0)), firstPathKeySecret.publicKey(), hops);
    }

    /** What the path creator derives for one hop; package-private for the vector tests. */
    static final class HopSecrets {
        final PublicKey pathKey;
        final byte[] sharedSecret;
        final byte[] rho;
        final PublicKey blindedNodeId;

        private HopSecrets(PublicKey pathKey, byte[] ss, byte[] rho, PublicKey blindedNodeId) {
            this.pathKey = pathKey;
            this.sharedSecret = ss;
            this.rho = rho;
            this.blindedNodeId = blindedNodeId;
        }

        /** E_i = e_i·G, ss_i = ECDH(e_i, N_i), B_i = HMAC256("blinded_node_id", ss_i)·N_i. */
        static HopSecrets of(PrivateKey e, PublicKey nodeId) {
            PublicKey pathKey = e.publicKey();
            byte[] ss = e.ecdh(nodeId).bytes().toArray();
            PublicKey blinded = nodeId.multiply(blindingTweak(ss));
            return new HopSecrets(pathKey, ss, Sphinx.rho(ss), blinded);
        }

        /** The same values for a node whose key k we hold: ss_i = SHA256((e_i·k)·G), B_i = (tweak·k)·G. */
        static HopSecrets ofOwn(PrivateKey e, PrivateKey nodeKey) {
            PublicKey pathKey = e.publicKey();
            byte[] ss = e.ecdh(nodeKey).bytes().toArray();
            PublicKey blinded = nodeKey.multiply(blindingTweak(ss)).publicKey();
            return new HopSecrets(pathKey, ss, Sphinx.rho(ss), blinded);
        }

        /** e_{i+1} = SHA256(E_i ‖ ss_i)·e_i: a scalar product, no point operation. */
        PrivateKey nextPathKeySecret(PrivateKey e) {
            return e.multiply(nextPathKeyTweak(pathKey, sharedSecret));
        }

        @Override
        public String toString() {
            return "HopSecrets[redacted]";
        }
    }

    /**
     * Pads every plaintext to one length with the {@code padding} record (its value all zeros). A
     * hop already at the target length is left as it is; caller padding counts towards the length.
     */
    static List<Bytes> pad(List<EncryptedDataTlv> tlvs) {
        int n = tlvs.size();
        int[] withoutPadding = new int[n];
        int target = 0;
        for (int i = 0; i < n; i++) {
            EncryptedDataTlv t = tlvs.get(i);
            withoutPadding[i] = t.withoutPadding().encodedLength();
            target = Math.max(target, t.padding().isEmpty() ? withoutPadding[i] : t.encodedLength());
        }
        // A padding record is 1 (type) + BigSize(len) + len bytes: it cannot add 1, 255 or 256
        // bytes, so the target may have to grow until every hop can reach it.
        while (true) {
            boolean ok = true;
            for (int i = 0; i < n && ok; i++) {
                int record = target - withoutPadding[i];
                ok = record == 0 ? tlvs.get(i).padding().isEmpty() : paddingValueLength(record) >= 0;
            }
            if (ok) {
                break;
            }
            target++;
        }
        List<Bytes> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int record = target - withoutPadding[i];
            EncryptedDataTlv t = record == 0 ? tlvs.get(i)
                    : tlvs.get(i).withPadding(Bytes.wrap(new byte[paddingValueLength(record)]));
            out.add(Bytes.wrap(t.encode()));
        }
        return out;
    }

    /** The padding value length whose record is {@code recordLength} bytes, or -1 if none is. */
    static int paddingValueLength(int recordLength) {
        for (int bigSize : new int[] {1, 3, 5}) {
            int v = recordLength - 1 - bigSize;
            if (v >= 0 && ByteWriter.bigSizeLength(v) == bigSize) {
                return v;
            }
        }
        return -1;
    }

    static Bytes encrypt(byte[] rho, Bytes plaintext) {
        // BOLT 4, Route Blinding: ChaCha20-Poly1305, key rho_i, all-zero nonce, empty AD.
        return Bytes.wrap(ChaCha.seal(rho, ZERO_NONCE, NO_AD, plaintext.toArray()));
    }

    /** HMAC256("blinded_node_id", ss): B_i = tweak·N_i, b_i = tweak·k_i. */
    static Bytes32 blindingTweak(byte[] ss) {
        return Bytes32.wrap(BLINDED_NODE_ID.mac(ss));
    }

    /** SHA256(E_i ‖ ss_i): E_{i+1} = tweak·E_i. */
    static Bytes32 nextPathKeyTweak(PublicKey pathKey, byte[] ss) {
        return Bytes32.wrap(Hashes.sha256(pathKey.bytes().toArray(), ss));
    }

    /**
     * A node's view of its hop: one ECDH of its node key with the path key it was handed, from
     * which it gets its blinded private key (to peel the onion), the rho key (to decrypt its
     * {@code encrypted_recipient_data}) and the next path key (computed only when asked for).
     */
    public static Unblinding unblinding(PrivateKey nodeKey, PublicKey pathKey) {
        Objects.requireNonNull(nodeKey, "nodeKey");
        Objects.requireNonNull(pathKey, "pathKey");
        return new Unblinding(nodeKey, pathKey, nodeKey.ecdh(pathKey).bytes().toArray());
    }

    /**
     * Decrypts {@code encryptedRecipientData} for one hop and derives the next path key: the
     * BOLT 4 "reader of the encrypted_recipient_data" in one call.
     */
    public static Unblinded unblind(PrivateKey nodeKey, PublicKey pathKey, Bytes encryptedRecipientData) {
        Unblinding u = unblinding(nodeKey, pathKey);
        EncryptedDataTlv data = u.decrypt(encryptedRecipientData);
        return new Unblinded(data, u.nextPathKey(data), u);
    }

    /** One hop unblinded: its data and the path key to hand the next node. */
    public record Unblinded(EncryptedDataTlv data, PublicKey nextPathKey, Unblinding unblinding) {
        public Unblinded {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(nextPathKey, "nextPathKey");
            Objects.requireNonNull(unblinding, "unblinding");
        }

        /** Our node key tweaked for this hop (to peel an onion encrypted to our blinded node id). */
        public PrivateKey blindedPrivateKey() {
            return unblinding.blindedPrivateKey();
        }
    }

    /** See {@link #unblinding(PrivateKey, PublicKey)}. Holds secrets: prints nothing of them. */
    public static final class Unblinding {
        private final PrivateKey nodeKey;
        private final PublicKey pathKey;
        private final byte[] ss;
        private PrivateKey blindedKey;
        private PublicKey derivedNext;

        private Unblinding(PrivateKey nodeKey, PublicKey pathKey, byte[] ss) {
            this.nodeKey = nodeKey;
            this.pathKey = pathKey;
            this.ss = ss;
        }

        public PublicKey pathKey() {
            return pathKey;
        }

        /** b_i = HMAC256("blinded_node_id", ss_i)·k_i (BOLT 4, Onion Decryption: tweak node_privkey). */
        public synchronized PrivateKey blindedPrivateKey() {
            if (blindedKey == null) {
                blindedKey = nodeKey.multiply(blindingTweak(ss));
            }
            return blindedKey;
        }

        /**
         * Decrypts with rho = HMAC256("rho", blinding ss) and decodes; a bad tag or TLV is a
         * {@link dev.boltflow.core.bytes.DecodeException} ({@link AuthenticationException} for the tag).
         */
        public EncryptedDataTlv decrypt(Bytes encryptedRecipientData) {
            byte[] plain = ChaCha.open(Sphinx.rho(ss), ZERO_NONCE, NO_AD, encryptedRecipientData.toArray());
            return EncryptedDataTlv.decode(plain);
        }

        /** E_{i+1} = SHA256(E_i ‖ ss_i)·E_i, ignoring any override. */
        public synchronized PublicKey derivedNextPathKey() {
            if (derivedNext == null) {
                derivedNext = pathKey.multiply(nextPathKeyTweak(pathKey, ss));
            }
            return derivedNext;
        }

        /** BOLT 4: {@code next_path_key_override} if the data has one, else the derived key. */
        public PublicKey nextPathKey(EncryptedDataTlv data) {
            return data.nextPathKeyOverride().orElseGet(this::derivedNextPathKey);
        }

        /** The blinding shared secret; package-private for the vector tests. */
        byte[] sharedSecret() {
            return ss.clone();
        }

        @Override
        public String toString() {
            return "Unblinding[pathKey=" + pathKey + "]";
        }
    }
}
