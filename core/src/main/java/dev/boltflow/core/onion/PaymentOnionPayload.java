package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.tlv.TlvDecodeException;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.ShortChannelId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * BOLT 4 {@code payload} ("{@code payload} format"): one hop's TLV stream in a payment onion.
 * Amounts are msat in {@code long}s (a {@code tu64} above {@link Long#MAX_VALUE} cannot be a real
 * amount and fails the decode). Unknown odd records are kept so decode/encode is byte-exact; an
 * unknown even record fails the decode (BOLT 1: "MUST fail to parse the tlv_stream"). Every decode
 * failure is a {@link TlvDecodeException} naming the record.
 *
 * <p>Which fields a hop may carry depends on where it is (BOLT 4, Requirements, writer and reader
 * of the TLV {@code payload}); this record only holds them: {@link BlindedPaymentOnion} applies the
 * rules. {@code toString()} prints sizes, never the encrypted data, secret or metadata.
 */
public record PaymentOnionPayload(
        OptionalLong amtToForward,
        OptionalLong outgoingCltvValue,
        OptionalLong shortChannelId,
        Optional<PaymentData> paymentData,
        Optional<Bytes> encryptedRecipientData,
        Optional<PublicKey> currentPathKey,
        Optional<Bytes> paymentMetadata,
        OptionalLong totalAmountMsat,
        List<TlvRecord> unknownOdd) {

    public static final long AMT_TO_FORWARD = 2;
    public static final long OUTGOING_CLTV_VALUE = 4;
    public static final long SHORT_CHANNEL_ID = 6;
    public static final long PAYMENT_DATA = 8;
    public static final long ENCRYPTED_RECIPIENT_DATA = 10;
    public static final long CURRENT_PATH_KEY = 12;
    public static final long PAYMENT_METADATA = 16;
    public static final long TOTAL_AMOUNT_MSAT = 18;

    private static final long U32_MAX = 0xffffffffL;

    public static final PaymentOnionPayload EMPTY = new PaymentOnionPayload(OptionalLong.empty(), OptionalLong.empty(),
            OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            OptionalLong.empty(), List.of());

    /** {@code payment_data}: the BOLT 11 payment secret and the total of a multi-part payment. */
    public record PaymentData(Bytes32 paymentSecret, long totalMsat) {
        public PaymentData {
            Objects.requireNonNull(paymentSecret, "paymentSecret");
            requireAmount(totalMsat, "total_msat");
        }

        @Override
        public String toString() {
            return "PaymentData[secret=<redacted>, totalMsat=" + totalMsat + "]";
        }
    }

    public PaymentOnionPayload {
        Objects.requireNonNull(amtToForward, "amtToForward");
        Objects.requireNonNull(outgoingCltvValue, "outgoingCltvValue");
        Objects.requireNonNull(shortChannelId, "shortChannelId");
        Objects.requireNonNull(paymentData, "paymentData");
        Objects.requireNonNull(encryptedRecipientData, "encryptedRecipientData");
        Objects.requireNonNull(currentPathKey, "currentPathKey");
        Objects.requireNonNull(paymentMetadata, "paymentMetadata");
        Objects.requireNonNull(totalAmountMsat, "totalAmountMsat");
        amtToForward.ifPresent(v -> requireAmount(v, "amt_to_forward"));
        outgoingCltvValue.ifPresent(v -> {
            if (v < 0 || v > U32_MAX) {
                throw new IllegalArgumentException("outgoing_cltv_value is a tu32: " + v);
            }
        });
        totalAmountMsat.ifPresent(v -> requireAmount(v, "total_amount_msat"));
        List<TlvRecord> sorted = new ArrayList<>(unknownOdd);
        sorted.sort((a, b) -> Long.compareUnsigned(a.type(), b.type()));
        for (int i = 0; i < sorted.size(); i++) {
            long t = sorted.get(i).type();
            if ((t & 1) == 0) {
                throw new IllegalArgumentException("not an unknown odd payload type: " + Long.toUnsignedString(t));
            }
            if (i > 0 && sorted.get(i - 1).type() == t) {
                throw new IllegalArgumentException("duplicate TLV type " + Long.toUnsignedString(t));
            }
        }
        unknownOdd = List.copyOf(sorted);
    }

    public static boolean isKnown(long type) {
        return type == AMT_TO_FORWARD || type == OUTGOING_CLTV_VALUE || type == SHORT_CHANNEL_ID
                || type == PAYMENT_DATA || type == ENCRYPTED_RECIPIENT_DATA || type == CURRENT_PATH_KEY
                || type == PAYMENT_METADATA || type == TOTAL_AMOUNT_MSAT;
    }

    // ---- the payloads a sender writes (BOLT 4, writer of the TLV payload)

    /** A hop outside a blinded route that forwards over {@code shortChannelId}. */
    public static PaymentOnionPayload forwarding(long shortChannelId, long amtToForward, long outgoingCltvValue) {
        return EMPTY.withShortChannelId(shortChannelId).withAmtToForward(amtToForward)
                .withOutgoingCltvValue(outgoingCltvValue);
    }

    /** A non-final hop inside a blinded route: only its {@code encrypted_recipient_data}. */
    public static PaymentOnionPayload blindedRelay(Bytes encryptedRecipientData) {
        return EMPTY.withEncryptedRecipientData(encryptedRecipientData);
    }

    /**
     * The final hop of a blinded route: {@code amt_to_forward}, {@code outgoing_cltv_value},
     * {@code total_amount_msat} and its {@code encrypted_recipient_data}.
     */
    public static PaymentOnionPayload blindedFinal(Bytes encryptedRecipientData, long amtToForward,
            long outgoingCltvValue, long totalAmountMsat) {
        return EMPTY.withEncryptedRecipientData(encryptedRecipientData).withAmtToForward(amtToForward)
                .withOutgoingCltvValue(outgoingCltvValue).withTotalAmountMsat(totalAmountMsat);
    }

    public PaymentOnionPayload withAmtToForward(long v) {
        return new PaymentOnionPayload(OptionalLong.of(v), outgoingCltvValue, shortChannelId, paymentData,
                encryptedRecipientData, currentPathKey, paymentMetadata, totalAmountMsat, unknownOdd);
    }

    public PaymentOnionPayload withOutgoingCltvValue(long v) {
        return new PaymentOnionPayload(amtToForward, OptionalLong.of(v), shortChannelId, paymentData,
                encryptedRecipientData, currentPathKey, paymentMetadata, totalAmountMsat, unknownOdd);
    }

    public PaymentOnionPayload withShortChannelId(long scid) {
        return new PaymentOnionPayload(amtToForward, outgoingCltvValue, OptionalLong.of(scid), paymentData,
                encryptedRecipientData, currentPathKey, paymentMetadata, totalAmountMsat, unknownOdd);
    }

    public PaymentOnionPayload withPaymentData(PaymentData data) {
        return new PaymentOnionPayload(amtToForward, outgoingCltvValue, shortChannelId, Optional.of(data),
                encryptedRecipientData, currentPathKey, paymentMetadata, totalAmountMsat, unknownOdd);
    }

    public PaymentOnionPayload withEncryptedRecipientData(Bytes data) {
        return new PaymentOnionPayload(amtToForward, outgoingCltvValue, shortChannelId, paymentData,
                Optional.of(data), currentPathKey, paymentMetadata, totalAmountMsat, unknownOdd);
    }

    public PaymentOnionPayload withCurrentPathKey(PublicKey key) {
        return new PaymentOnionPayload(amtToForward, outgoingCltvValue, shortChannelId, paymentData,
                encryptedRecipientData, Optional.of(key), paymentMetadata, totalAmountMsat, unknownOdd);
    }

    public PaymentOnionPayload withPaymentMetadata(Bytes metadata) {
        return new PaymentOnionPayload(amtToForward, outgoingCltvValue, shortChannelId, paymentData,
                encryptedRecipientData, currentPathKey, Optional.of(metadata), totalAmountMsat, unknownOdd);
    }

    public PaymentOnionPayload withTotalAmountMsat(long v) {
        return new PaymentOnionPayload(amtToForward, outgoingCltvValue, shortChannelId, paymentData,
                encryptedRecipientData, currentPathKey, paymentMetadata, OptionalLong.of(v), unknownOdd);
    }

    public PaymentOnionPayload withUnknownOdd(List<TlvRecord> records) {
        return new PaymentOnionPayload(amtToForward, outgoingCltvValue, shortChannelId, paymentData,
                encryptedRecipientData, currentPathKey, paymentMetadata, totalAmountMsat, records);
    }

    /** The types present, ascending (for the readers' "MUST return an error if the payload contains other tlv fields"). */
    public List<Long> types() {
        List<Long> out = new ArrayList<>();
        for (TlvRecord r : toTlvStream().records()) {
            out.add(r.type());
        }
        return out;
    }

    // ---- codec

    public TlvStream toTlvStream() {
        List<TlvRecord> out = new ArrayList<>(8 + unknownOdd.size());
        amtToForward.ifPresent(v -> out.add(new TlvRecord(AMT_TO_FORWARD, tu(v))));
        outgoingCltvValue.ifPresent(v -> out.add(new TlvRecord(OUTGOING_CLTV_VALUE, tu(v))));
        shortChannelId.ifPresent(v -> out.add(new TlvRecord(SHORT_CHANNEL_ID, new ByteWriter(8).u64(v).toBytes())));
        paymentData.ifPresent(d -> out.add(new TlvRecord(PAYMENT_DATA,
                new ByteWriter(40).bytes(d.paymentSecret().bytes()).truncated(d.totalMsat()).toBytes())));
        encryptedRecipientData.ifPresent(d -> out.add(new TlvRecord(ENCRYPTED_RECIPIENT_DATA, d)));
        currentPathKey.ifPresent(k -> out.add(new TlvRecord(CURRENT_PATH_KEY, k.bytes())));
        paymentMetadata.ifPresent(m -> out.add(new TlvRecord(PAYMENT_METADATA, m)));
        totalAmountMsat.ifPresent(v -> out.add(new TlvRecord(TOTAL_AMOUNT_MSAT, tu(v))));
        if (unknownOdd.isEmpty()) {
            return TlvStream.of(out);
        }
        out.addAll(unknownOdd);
        return TlvStream.sorted(out);
    }

    /** The TLV stream (what {@link Sphinx} takes as a hop payload; it adds the length itself). */
    public Bytes encode() {
        return Bytes.wrap(toTlvStream().encode());
    }

    /** Decodes one hop's {@code payload} TLV stream (without its BigSize length). */
    public static PaymentOnionPayload decode(Bytes data) {
        return decode(data.toArray());
    }

    public static PaymentOnionPayload decode(byte[] data) {
        TlvStream s = TlvStream.decode(data, PaymentOnionPayload::isKnown);
        OptionalLong amt = OptionalLong.empty();
        OptionalLong cltv = OptionalLong.empty();
        OptionalLong scid = OptionalLong.empty();
        Optional<PaymentData> paymentData = Optional.empty();
        Optional<Bytes> enc = Optional.empty();
        Optional<PublicKey> pathKey = Optional.empty();
        Optional<Bytes> metadata = Optional.empty();
        OptionalLong total = OptionalLong.empty();
        List<TlvRecord> unknown = new ArrayList<>();
        for (TlvRecord r : s.records()) {
            long t = r.type();
            try {
                if (t == AMT_TO_FORWARD) {
                    amt = OptionalLong.of(amount(new ByteReader(r.value().toArray()).truncated(8, "amt_to_forward")));
                } else if (t == OUTGOING_CLTV_VALUE) {
                    cltv = OptionalLong.of(new ByteReader(r.value().toArray()).truncated(4, "outgoing_cltv_value"));
                } else if (t == SHORT_CHANNEL_ID) {
                    scid = OptionalLong.of(exact(r, 8).u64("short_channel_id"));
                } else if (t == PAYMENT_DATA) {
                    ByteReader in = new ByteReader(r.value().toArray());
                    Bytes32 secret = Bytes32.wrap(in.bytes(32, "payment_secret"));
                    long totalMsat = amount(in.truncated(8, "total_msat"));
                    paymentData = Optional.of(new PaymentData(secret, totalMsat));
                } else if (t == ENCRYPTED_RECIPIENT_DATA) {
                    enc = Optional.of(r.value());
                } else if (t == CURRENT_PATH_KEY) {
                    exact(r, PublicKey.LENGTH);
                    pathKey = Optional.of(PublicKey.fromBytes(r.value()));
                } else if (t == PAYMENT_METADATA) {
                    metadata = Optional.of(r.value());
                } else if (t == TOTAL_AMOUNT_MSAT) {
                    total = OptionalLong.of(amount(new ByteReader(r.value().toArray()).truncated(8, "total_amount_msat")));
                } else {
                    unknown.add(r);
                }
            } catch (TlvDecodeException e) {
                throw e;
            } catch (DecodeException e) {
                throw new TlvDecodeException(t, "payload type " + t + ": " + e.getMessage(), e);
            }
        }
        return new PaymentOnionPayload(amt, cltv, scid, paymentData, enc, pathKey, metadata, total, unknown);
    }

    private static ByteReader exact(TlvRecord r, int n) {
        if (r.value().length() != n) {
            throw new TlvDecodeException(r.type(), "payload type " + r.type() + " must be " + n + " bytes, got "
                    + r.value().length());
        }
        return new ByteReader(r.value().toArray());
    }

    private static long amount(long v) {
        if (v < 0) {
            throw new DecodeException("amount above " + Long.MAX_VALUE + " msat");
        }
        return v;
    }

    private static Bytes tu(long v) {
        return new ByteWriter(8).truncated(v).toBytes();
    }

    private static void requireAmount(long v, String what) {
        if (v < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + v);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PaymentOnionPayload[");
        amtToForward.ifPresent(v -> sb.append("amt_to_forward=").append(v).append(' '));
        outgoingCltvValue.ifPresent(v -> sb.append("outgoing_cltv_value=").append(v).append(' '));
        shortChannelId.ifPresent(v -> sb.append("short_channel_id=").append(ShortChannelId.format(v)).append(' '));
        paymentData.ifPresent(d -> sb.append("payment_data(total=").append(d.totalMsat()).append(") "));
        encryptedRecipientData.ifPresent(d -> sb.append("encrypted_recipient_data=").append(d.length()).append("B "));
        currentPathKey.ifPresent(k -> sb.append("current_path_key=").append(k).append(' '));
        paymentMetadata.ifPresent(m -> sb.append("payment_metadata=").append(m.length()).append("B "));
        totalAmountMsat.ifPresent(v -> sb.append("total_amount_msat=").append(v).append(' '));
        for (TlvRecord r : unknownOdd) {
            sb.append(Long.toUnsignedString(r.type())).append(':').append(r.value().length()).append("B ");
        }
        return sb.append(']').toString();
    }
}
