package dev.boltflow.node.payments;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPaymentOnion;
import dev.boltflow.core.tlv.TlvDecodeException;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The messages of the {@link SimulatedPaymentLink}: an HTLC without a channel. They are
 * <b>boltflow-private, experimental message types, not in the BOLT registry</b>: odd (so a peer
 * that does not know them ignores them, BOLT 1) and in the range BOLT 1 leaves to experiments
 * (32768–65535). Layouts, after the u16 type:
 *
 * <pre>
 * 32769 sim_add_htlc:     u64 id, sha256 payment_hash, u64 amount_msat, u32 cltv_expiry,
 *                         1366*byte onion_routing_packet, tlv_stream sim_add_htlc_tlvs
 *                         (type 0 path_key: point — as update_add_htlc's blinded_path)
 * 32771 sim_fulfill_htlc: u64 id, 32*byte payment_preimage
 * 32773 sim_fail_htlc:    u64 id, u16 failure_code (BOLT 4), u16 len, len*byte reason (UTF-8)
 * </pre>
 *
 * A real channel's {@code update_fail_htlc} carries an onion-encrypted reason only the sender can
 * read; here the reason is plain text, because the link exists for tests and demos.
 */
public sealed interface LinkMessage {
    int ADD_TYPE = 32769;
    int FULFILL_TYPE = 32771;
    int FAIL_TYPE = 32773;

    /** The HTLC id the sender chose; a fulfill or fail answers the add with the same id. */
    long id();

    WireMessage.Unknown toWire();

    /** True for the three types above. */
    static boolean isLinkType(int type) {
        return type == ADD_TYPE || type == FULFILL_TYPE || type == FAIL_TYPE;
    }

    /**
     * Decodes one of ours; empty for any other message. A message of one of our types that does
     * not parse is a {@link DecodeException}.
     */
    static Optional<LinkMessage> fromWire(WireMessage message) {
        if (!(message instanceof WireMessage.Unknown u) || !isLinkType(u.type())) {
            return Optional.empty();
        }
        ByteReader r = new ByteReader(u.payload().toArray());
        LinkMessage m;
        if (u.type() == ADD_TYPE) {
            m = Add.read(r);
        } else if (u.type() == FULFILL_TYPE) {
            m = new Fulfill(r.u64("id"), Bytes32.wrap(r.bytes(32, "payment_preimage")));
        } else {
            long id = r.u64("id");
            int code = r.u16("failure_code");
            int len = r.u16("len");
            m = new Fail(id, code, r.utf8(len, "reason"));
        }
        if (!r.isEmpty()) {
            throw new DecodeException(r.remaining() + " bytes after a message of type " + u.type());
        }
        return Optional.of(m);
    }

    /** {@code sim_add_htlc}. {@code pathKey} is set inside a blinded route after its introduction node. */
    record Add(long id, Bytes32 paymentHash, long amountMsat, long cltvExpiry, Bytes onion, Optional<PublicKey> pathKey)
            implements LinkMessage {
        static final long PATH_KEY = 0;

        public Add {
            Objects.requireNonNull(paymentHash, "paymentHash");
            Objects.requireNonNull(onion, "onion");
            Objects.requireNonNull(pathKey, "pathKey");
            if (onion.length() != BlindedPaymentOnion.PACKET_LENGTH) {
                throw new IllegalArgumentException("onion_routing_packet is " + BlindedPaymentOnion.PACKET_LENGTH
                        + " bytes, got " + onion.length());
            }
            if (cltvExpiry < 0 || cltvExpiry > 0xffffffffL) {
                throw new IllegalArgumentException("cltv_expiry is a u32: " + cltvExpiry);
            }
        }

        static Add read(ByteReader r) {
            long id = r.u64("id");
            Bytes32 hash = Bytes32.wrap(r.bytes(32, "payment_hash"));
            long amount = r.u64("amount_msat");
            long cltv = r.u32("cltv_expiry");
            Bytes onion = r.read(BlindedPaymentOnion.PACKET_LENGTH, "onion_routing_packet");
            TlvStream tlvs = TlvStream.decode(r.rest(), t -> t == PATH_KEY);
            Optional<PublicKey> pathKey = Optional.empty();
            Optional<Bytes> raw = tlvs.value(PATH_KEY);
            if (raw.isPresent()) {
                if (raw.get().length() != PublicKey.LENGTH) {
                    throw new TlvDecodeException(PATH_KEY, "path_key must be 33 bytes, got " + raw.get().length());
                }
                pathKey = Optional.of(PublicKey.fromBytes(raw.get()));
            }
            if (amount <= 0) {
                throw new DecodeException("amount_msat must be positive and below 2^63: " + Long.toUnsignedString(amount));
            }
            return new Add(id, hash, amount, cltv, onion, pathKey);
        }

        @Override
        public WireMessage.Unknown toWire() {
            ByteWriter w = new ByteWriter(8 + 32 + 8 + 4 + onion.length() + 36)
                    .u64(id).bytes(paymentHash.bytes()).u64(amountMsat).u32(cltvExpiry).bytes(onion);
            pathKey.ifPresent(k -> TlvStream.of(List.of(new TlvRecord(PATH_KEY, k.bytes()))).writeTo(w));
            return new WireMessage.Unknown(ADD_TYPE, w.toBytes());
        }

        @Override
        public String toString() {
            return "Add[id=" + id + ", amountMsat=" + amountMsat + ", cltvExpiry=" + cltvExpiry
                    + (pathKey.isPresent() ? ", path_key" : "") + "]";
        }
    }

    /** {@code sim_fulfill_htlc}. */
    record Fulfill(long id, Bytes32 preimage) implements LinkMessage {
        public Fulfill {
            Objects.requireNonNull(preimage, "preimage");
        }

        @Override
        public WireMessage.Unknown toWire() {
            return new WireMessage.Unknown(FULFILL_TYPE, new ByteWriter(40).u64(id).bytes(preimage.bytes()).toBytes());
        }

        @Override
        public String toString() {
            return "Fulfill[id=" + id + ", preimage=<redacted>]";
        }
    }

    /** {@code sim_fail_htlc}. */
    record Fail(long id, int failureCode, String reason) implements LinkMessage {
        /** Reasons are cut to this many bytes of UTF-8 when written. */
        static final int MAX_REASON = 1000;

        public Fail {
            Objects.requireNonNull(reason, "reason");
            if (failureCode < 0 || failureCode > 0xffff) {
                throw new IllegalArgumentException("failure_code is a u16: " + failureCode);
            }
        }

        @Override
        public WireMessage.Unknown toWire() {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            String cut = reason;
            while (text.length > MAX_REASON) { // whole code points only: the reader wants valid UTF-8
                cut = cut.substring(0, cut.offsetByCodePoints(0, cut.codePointCount(0, cut.length()) - 1));
                text = cut.getBytes(StandardCharsets.UTF_8);
            }
            return new WireMessage.Unknown(FAIL_TYPE, new ByteWriter(12 + text.length).u64(id).u16(failureCode)
                    .u16(text.length).bytes(text).toBytes());
        }
    }
}
