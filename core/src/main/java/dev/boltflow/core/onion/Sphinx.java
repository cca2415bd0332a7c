package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * BOLT 4 Sphinx: build an {@code onion_packet} (version 0 ‖ 33-byte public key ‖ hop payloads ‖
 * 32-byte hmac) and peel one layer off it. The same code serves payment onions (1300-byte hop
 * payloads, associated data = payment hash) and onion messages (1300 or 32768 bytes, no associated
 * data). Hop keys here are whatever the sender encrypts to: node ids, or blinded node ids.
 */
public final class Sphinx {
    /** {@code version} of this specification's packets. */
    public static final int VERSION = 0;
    /** The hop payloads of a payment onion, and of an onion message that fits. */
    public static final int PAYLOADS_LENGTH = 1300;
    /** The larger onion message size (BOLT 4, Onion Messages: {@code len} 32834). */
    public static final int LARGE_PAYLOADS_LENGTH = 32768;
    /** version + public_key + hmac. */
    public static final int OVERHEAD = 1 + PublicKey.LENGTH + 32;

    private static final int HMAC_LENGTH = 32;
    private static final byte[] ZERO_NONCE = new byte[12];
    // BOLT 4, Key Generation: ASCII key types, no terminating zero.
    private static final Hashes.KeyedHmac RHO = new Hashes.KeyedHmac("rho".getBytes(StandardCharsets.US_ASCII));
    private static final Hashes.KeyedHmac MU = new Hashes.KeyedHmac("mu".getBytes(StandardCharsets.US_ASCII));
    private static final Hashes.KeyedHmac PAD = new Hashes.KeyedHmac("pad".getBytes(StandardCharsets.US_ASCII));

    private Sphinx() {
    }

    /** One layer peeled: this hop's payload, and the packet for the next hop unless we are the last. */
    public record Peeled(Bytes payload, Optional<Bytes> nextPacket) {
        public Peeled {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(nextPacket, "nextPacket");
        }

        public boolean isFinal() {
            return nextPacket.isEmpty();
        }

        @Override
        public String toString() {
            return "Peeled[payload=" + payload.length() + "B, " + (isFinal() ? "final" : "forward") + "]";
        }
    }

    /** A payment onion: 1300-byte hop payloads, the payment hash as associated data. */
    public static Bytes createPaymentPacket(PrivateKey sessionKey, List<PublicKey> hopKeys, List<Bytes> payloads,
            Bytes associatedData) {
        int needed = payloadsLength(payloads);
        if (needed > PAYLOADS_LENGTH) {
            throw new OnionException(OnionException.Reason.PACKET_TOO_BIG,
                    "payment hop payloads need " + needed + " bytes, the onion has " + PAYLOADS_LENGTH);
        }
        return Bytes.wrap(create(sessionKey, hopKeys, payloads, associatedData.toArray(), PAYLOADS_LENGTH));
    }

    /**
     * An {@code onion_message_packet}: 1300-byte hop payloads when they fit, else 32768 (BOLT 4,
     * Onion Messages: SHOULD use {@code len} 1366 or 32834), else {@link OnionException} PACKET_TOO_BIG.
     * No associated data.
     */
    public static Bytes createMessagePacket(PrivateKey sessionKey, List<PublicKey> hopKeys, List<Bytes> payloads) {
        int needed = payloadsLength(payloads);
        int size;
        if (needed <= PAYLOADS_LENGTH) {
            size = PAYLOADS_LENGTH;
        } else if (needed <= LARGE_PAYLOADS_LENGTH) {
            size = LARGE_PAYLOADS_LENGTH;
        } else {
            throw new OnionException(OnionException.Reason.PACKET_TOO_BIG,
                    "onion message hop payloads need " + needed + " bytes, at most " + LARGE_PAYLOADS_LENGTH + " fit");
        }
        return Bytes.wrap(create(sessionKey, hopKeys, payloads, new byte[0], size));
    }

    /** Bytes the hop payloads take: Σ (BigSize(len) + len + 32). */
    public static int payloadsLength(List<Bytes> payloads) {
        long n = 0;
        for (Bytes p : payloads) {
            n += shiftSize(p.length());
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    private static int shiftSize(int payloadLength) {
        return ByteWriter.bigSizeLength(payloadLength) + payloadLength + HMAC_LENGTH;
    }

    /**
     * BOLT 4, Packet Construction, with {@code payloadsLength} bytes of hop payloads. The packet is
     * built in place in one array: right-shift, write the hop, XOR the rho stream, HMAC.
     */
    static byte[] create(PrivateKey sessionKey, List<PublicKey> hopKeys, List<Bytes> payloads, byte[] ad,
            int payloadsLength) {
        int n = hopKeys.size();
        if (n == 0 || n != payloads.size()) {
            throw new OnionException(OnionException.Reason.INVALID_ROUTE,
                    "need one payload per hop and at least one hop, got " + n + " hops and " + payloads.size() + " payloads");
        }
        int[] shift = new int[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            shift[i] = shiftSize(payloads.get(i).length());
            total += shift[i];
        }
        if (total > payloadsLength) {
            throw new OnionException(OnionException.Reason.PACKET_TOO_BIG,
                    "hop payloads need " + total + " bytes, the onion has " + payloadsLength);
        }

        // Shared secrets: ss_i = ECDH(ek_i, P_i); ek_{i+1} = ek_i · SHA256(epk_i ‖ ss_i). One ECDH and
        // one fixed-base multiplication per hop (none for the last hop's successor).
        // The hop keys rho_i and mu_i are derived once each, for the filler and the layers alike.
        byte[][] rho = new byte[n][];
        byte[][] mu = new byte[n][];
        PrivateKey ek = sessionKey;
        PublicKey firstKey = sessionKey.publicKey();
        for (int i = 0; i < n; i++) {
            byte[] ss = ek.ecdh(hopKeys.get(i)).bytes().toArray();
            rho[i] = key(RHO, ss);
            mu[i] = key(MU, ss);
            if (i < n - 1) {
                PublicKey epk = i == 0 ? firstKey : ek.publicKey();
                ek = ek.multiply(blindingFactor(epk, ss));
            }
        }

        // BOLT 4, Filler Generation: the bytes hops 0..n-2 append and obfuscate, as hop n-1 sees them.
        int fillerLength = (int) (total - shift[n - 1]);
        byte[] filler = new byte[fillerLength];
        int filled = 0;
        for (int i = 0; i < n - 1; i++) {
            int before = filled;
            filled += shift[i];
            // hop i appends shift_i zeros and XORs its stream over [0, L + shift_i); the filler is
            // the tail [L - before, L + shift_i) of that.
            xorStream(rho[i], payloadsLength - before, filler, 0, filled);
        }

        int headerOffset = 1 + PublicKey.LENGTH;
        byte[] packet = new byte[OVERHEAD + payloadsLength];
        packet[0] = VERSION;
        firstKey.bytes().copyTo(packet, 1);
        // Starting bytes: the ChaCha20 stream of HMAC256("pad", session key).
        xorStream(key(PAD, sessionKey.toBytes()), 0, packet, headerOffset, payloadsLength);

        byte[] hmac = new byte[HMAC_LENGTH];
        for (int i = n - 1; i >= 0; i--) {
            Bytes payload = payloads.get(i);
            System.arraycopy(packet, headerOffset, packet, headerOffset + shift[i], payloadsLength - shift[i]);
            Bytes length = new ByteWriter(3).bigSize(payload.length()).toBytes();
            length.copyTo(packet, headerOffset);
            int at = headerOffset + length.length();
            payload.copyTo(packet, at);
            System.arraycopy(hmac, 0, packet, at + payload.length(), HMAC_LENGTH);
            xorStream(rho[i], 0, packet, headerOffset, payloadsLength);
            if (i == n - 1) {
                System.arraycopy(filler, 0, packet, headerOffset + payloadsLength - fillerLength, fillerLength);
            }
            hmac = mac(mu[i], packet, headerOffset, payloadsLength, ad);
        }
        System.arraycopy(hmac, 0, packet, headerOffset + payloadsLength, HMAC_LENGTH);
        return packet;
    }

    /**
     * BOLT 4, Onion Decryption, for a hop whose (possibly blinded) private key is {@code key}.
     * Every way the packet can be wrong is a {@link DecodeException}: bad version or length,
     * invalid public key, HMAC mismatch ({@link AuthenticationException}, compared in constant
     * time), or a malformed hop payload.
     */
    public static Peeled peel(PrivateKey key, Bytes packet, Bytes associatedData) {
        return peel(key, packet.toArray(), associatedData.toArray());
    }

    static Peeled peel(PrivateKey key, byte[] packet, byte[] ad) {
        if (packet.length <= OVERHEAD) {
            throw new DecodeException("onion packet too short: " + packet.length + " bytes");
        }
        if (packet[0] != VERSION) {
            // BOLT 4, Onion Decryption: version not 0 → abort.
            throw new DecodeException("unknown onion version " + (packet[0] & 0xff));
        }
        byte[] pkBytes = new byte[PublicKey.LENGTH];
        System.arraycopy(packet, 1, pkBytes, 0, PublicKey.LENGTH);
        PublicKey publicKey = PublicKey.fromBytes(pkBytes);
        int headerOffset = 1 + PublicKey.LENGTH;
        int length = packet.length - OVERHEAD;

        byte[] ss = key.ecdh(publicKey).bytes().toArray();
        byte[] expected = mac(key(MU, ss), packet, headerOffset, length, ad);
        // BOLT 4, Onion Decryption: constant-time HMAC comparison.
        if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(packet, headerOffset + length, packet.length))) {
            throw new AuthenticationException("onion hmac mismatch");
        }

        // unwrapped_payloads = (hop_payloads ‖ zeros) XOR stream(rho), twice the length. Only its
        // first length + shift bytes are ever read: the stream past length is made once the payload
        // length is known, and only for a packet to forward.
        byte[] rho = key(RHO, ss);
        byte[] unwrapped = new byte[2 * length];
        System.arraycopy(packet, headerOffset, unwrapped, 0, length);
        xorStream(rho, 0, unwrapped, 0, length);

        ByteReader r = new ByteReader(unwrapped);
        long payloadLength = r.bigSize("hop payload length");
        if (payloadLength < 2) {
            throw new DecodeException("hop payload length " + payloadLength + " is reserved");
        }
        if (payloadLength > r.remaining() - HMAC_LENGTH) {
            throw new DecodeException("hop payload length " + payloadLength + " exceeds the packet");
        }
        int start = r.position();
        int end = start + (int) payloadLength;
        int shift = end + HMAC_LENGTH;
        if (shift > length) {
            // "If unwrapped_payloads is smaller than hop_payloads: MUST abort"
            throw new DecodeException("hop payload overruns the hop payloads");
        }
        Bytes payload = Bytes.of(unwrapped, start, end);
        if (isZero(unwrapped, end, HMAC_LENGTH)) {
            return new Peeled(payload, Optional.empty());
        }
        xorStream(rho, length, unwrapped, length, shift);
        PublicKey nextKey = publicKey.multiply(blindingFactor(publicKey, ss));
        byte[] next = new byte[packet.length];
        next[0] = VERSION;
        nextKey.bytes().copyTo(next, 1);
        System.arraycopy(unwrapped, shift, next, headerOffset, length);
        System.arraycopy(unwrapped, end, next, headerOffset + length, HMAC_LENGTH);
        return new Peeled(payload, Optional.of(Bytes.wrap(next)));
    }

    /** BOLT 4, Blinding Ephemeral Onion Keys: SHA256(epk ‖ ss). */
    private static Bytes32 blindingFactor(PublicKey epk, byte[] ss) {
        return Hashes.sha256Of(epk.bytes().toArray(), ss);
    }

    /** BOLT 4, Key Generation: HMAC256(key type, secret). */
    static byte[] key(Hashes.KeyedHmac type, byte[] secret) {
        return type.mac(secret);
    }

    static byte[] rho(byte[] secret) {
        return key(RHO, secret);
    }

    private static byte[] mac(byte[] key, byte[] data, int offset, int length, byte[] ad) {
        Mac mac = Hashes.newHmac(key);
        mac.update(data, offset, length);
        mac.update(ad);
        return mac.doFinal();
    }

    /** XORs the ChaCha20 stream (zero nonce) starting at {@code streamOffset} into data[off, off+len). */
    private static void xorStream(byte[] key, long streamOffset, byte[] data, int off, int len) {
        ChaCha7539Engine e = new ChaCha7539Engine();
        e.init(true, new ParametersWithIV(new KeyParameter(key), ZERO_NONCE));
        if (streamOffset > 0) {
            e.skip(streamOffset);
        }
        e.processBytes(data, off, len, data, off);
    }

    private static boolean isZero(byte[] b, int off, int len) {
        int acc = 0;
        for (int i = off; i < off + len; i++) {
            acc |= b[i];
        }
        return acc == 0;
    }
}
