package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
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
 * BOLT 4 "Inside {@code encrypted_recipient_data}: {@code encrypted_data_tlv}": what the creator of
 * a blinded path tells each hop. Unknown odd records are kept so a decode/encode round trip is
 * byte-exact; an unknown even record fails the decode.
 *
 * <p>{@code toString()} leaves out {@code path_id}, which is the path creator's secret.
 */
public record EncryptedDataTlv(
        Optional<Bytes> padding,
        OptionalLong shortChannelId,
        Optional<PublicKey> nextNodeId,
        Optional<Bytes> pathId,
        Optional<PublicKey> nextPathKeyOverride,
        Optional<PaymentRelay> paymentRelay,
        Optional<PaymentConstraints> paymentConstraints,
        Optional<Bytes> allowedFeatures,
        List<TlvRecord> unknownOdd) {

    public static final long PADDING = 1;
    public static final long SHORT_CHANNEL_ID = 2;
    public static final long NEXT_NODE_ID = 4;
    public static final long PATH_ID = 6;
    public static final long NEXT_PATH_KEY_OVERRIDE = 8;
    public static final long PAYMENT_RELAY = 10;
    public static final long PAYMENT_CONSTRAINTS = 12;
    public static final long ALLOWED_FEATURES = 14;

    public static final EncryptedDataTlv EMPTY = new EncryptedDataTlv(Optional.empty(), OptionalLong.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), List.of());

    /** {@code payment_relay}: u16 cltv_expiry_delta, u32 fee_proportional_millionths, tu32 fee_base_msat. */
    public record PaymentRelay(int cltvExpiryDelta, long feeProportionalMillionths, long feeBaseMsat) {
        public PaymentRelay {
            requireRange(cltvExpiryDelta, 0xffffL, "cltv_expiry_delta");
            requireRange(feeProportionalMillionths, 0xffffffffL, "fee_proportional_millionths");
            requireRange(feeBaseMsat, 0xffffffffL, "fee_base_msat");
        }
    }

    /** {@code payment_constraints}: u32 max_cltv_expiry, tu64 htlc_minimum_msat (unsigned in a long). */
    public record PaymentConstraints(long maxCltvExpiry, long htlcMinimumMsat) {
        public PaymentConstraints {
            requireRange(maxCltvExpiry, 0xffffffffL, "max_cltv_expiry");
        }

        /** BOLT 4 reader: an HTLC past {@code max_cltv_expiry} or below {@code htlc_minimum_msat} is refused. */
        public boolean allows(long amountMsat, long cltvExpiry) {
            return cltvExpiry <= maxCltvExpiry && Long.compareUnsigned(amountMsat, htlcMinimumMsat) >= 0;
        }
    }

    public EncryptedDataTlv {
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(shortChannelId, "shortChannelId");
        Objects.requireNonNull(nextNodeId, "nextNodeId");
        Objects.requireNonNull(pathId, "pathId");
        Objects.requireNonNull(nextPathKeyOverride, "nextPathKeyOverride");
        Objects.requireNonNull(paymentRelay, "paymentRelay");
        Objects.requireNonNull(paymentConstraints, "paymentConstraints");
        Objects.requireNonNull(allowedFeatures, "allowedFeatures");
        List<TlvRecord> sorted = new ArrayList<>(unknownOdd);
        sorted.sort((a, b) -> Long.compareUnsigned(a.type(), b.type()));
        for (int i = 0; i < sorted.size(); i++) {
            long t = sorted.get(i).type();
            if ((t & 1) == 0 || t == PADDING) {
                throw new IllegalArgumentException("not an unknown odd encrypted_data_tlv type: " + Long.toUnsignedString(t));
            }
            if (i > 0 && sorted.get(i - 1).type() == t) {
                throw new IllegalArgumentException("duplicate TLV type " + Long.toUnsignedString(t));
            }
        }
        unknownOdd = List.copyOf(sorted);
    }

    public static boolean isKnown(long type) {
        return type == PADDING || type == SHORT_CHANNEL_ID || type == NEXT_NODE_ID || type == PATH_ID
                || type == NEXT_PATH_KEY_OVERRIDE || type == PAYMENT_RELAY || type == PAYMENT_CONSTRAINTS
                || type == ALLOWED_FEATURES;
    }

    public EncryptedDataTlv withPadding(Bytes value) {
        return new EncryptedDataTlv(Optional.of(value), shortChannelId, nextNodeId, pathId, nextPathKeyOverride,
                paymentRelay, paymentConstraints, allowedFeatures, unknownOdd);
    }

    public EncryptedDataTlv withoutPadding() {
        return new EncryptedDataTlv(Optional.empty(), shortChannelId, nextNodeId, pathId, nextPathKeyOverride,
                paymentRelay, paymentConstraints, allowedFeatures, unknownOdd);
    }

    public EncryptedDataTlv withShortChannelId(long scid) {
        return new EncryptedDataTlv(padding, OptionalLong.of(scid), nextNodeId, pathId, nextPathKeyOverride,
                paymentRelay, paymentConstraints, allowedFeatures, unknownOdd);
    }

    public EncryptedDataTlv withNextNodeId(PublicKey id) {
        return new EncryptedDataTlv(padding, shortChannelId, Optional.of(id), pathId, nextPathKeyOverride,
                paymentRelay, paymentConstraints, allowedFeatures, unknownOdd);
    }

    public EncryptedDataTlv withPathId(Bytes id) {
        return new EncryptedDataTlv(padding, shortChannelId, nextNodeId, Optional.of(id), nextPathKeyOverride,
                paymentRelay, paymentConstraints, allowedFeatures, unknownOdd);
    }

    public EncryptedDataTlv withNextPathKeyOverride(PublicKey key) {
        return new EncryptedDataTlv(padding, shortChannelId, nextNodeId, pathId, Optional.of(key),
                paymentRelay, paymentConstraints, allowedFeatures, unknownOdd);
    }

    public EncryptedDataTlv withPaymentRelay(PaymentRelay relay) {
        return new EncryptedDataTlv(padding, shortChannelId, nextNodeId, pathId, nextPathKeyOverride,
                Optional.of(relay), paymentConstraints, allowedFeatures, unknownOdd);
    }

    public EncryptedDataTlv withPaymentConstraints(PaymentConstraints constraints) {
        return new EncryptedDataTlv(padding, shortChannelId, nextNodeId, pathId, nextPathKeyOverride,
                paymentRelay, Optional.of(constraints), allowedFeatures, unknownOdd);
    }

    public EncryptedDataTlv withAllowedFeatures(Bytes features) {
        return new EncryptedDataTlv(padding, shortChannelId, nextNodeId, pathId, nextPathKeyOverride,
                paymentRelay, paymentConstraints, Optional.of(features), unknownOdd);
    }

    public EncryptedDataTlv withUnknownOdd(List<TlvRecord> records) {
        return new EncryptedDataTlv(padding, shortChannelId, nextNodeId, pathId, nextPathKeyOverride,
                paymentRelay, paymentConstraints, allowedFeatures, records);
    }

    /** The records in type order, as they are encrypted. */
    public TlvStream toTlvStream() {
        List<TlvRecord> out = new ArrayList<>(8 + unknownOdd.size());
        padding.ifPresent(p -> out.add(new TlvRecord(PADDING, p)));
        if (shortChannelId.isPresent()) {
            out.add(new TlvRecord(SHORT_CHANNEL_ID, new ByteWriter(8).u64(shortChannelId.getAsLong()).toBytes()));
        }
        nextNodeId.ifPresent(k -> out.add(new TlvRecord(NEXT_NODE_ID, k.bytes())));
        pathId.ifPresent(p -> out.add(new TlvRecord(PATH_ID, p)));
        nextPathKeyOverride.ifPresent(k -> out.add(new TlvRecord(NEXT_PATH_KEY_OVERRIDE, k.bytes())));
        paymentRelay.ifPresent(r -> out.add(new TlvRecord(PAYMENT_RELAY, new ByteWriter(10)
                .u16(r.cltvExpiryDelta()).u32(r.feeProportionalMillionths()).truncated(r.feeBaseMsat()).toBytes())));
        paymentConstraints.ifPresent(c -> out.add(new TlvRecord(PAYMENT_CONSTRAINTS, new ByteWriter(12)
                .u32(c.maxCltvExpiry()).truncated(c.htlcMinimumMsat()).toBytes())));
        allowedFeatures.ifPresent(f -> out.add(new TlvRecord(ALLOWED_FEATURES, f)));
        if (unknownOdd.isEmpty()) {
            return TlvStream.of(out);
        }
        out.addAll(unknownOdd);
        return TlvStream.sorted(out);
    }

    public byte[] encode() {
        return toTlvStream().encode();
    }

    public int encodedLength() {
        return toTlvStream().encodedLength();
    }

    /** Decodes the decrypted {@code encrypted_data_tlv}; bad input is a {@link DecodeException}. */
    public static EncryptedDataTlv decode(byte[] data) {
        TlvStream s = TlvStream.decode(data, EncryptedDataTlv::isKnown);
        Optional<Bytes> padding = Optional.empty();
        OptionalLong scid = OptionalLong.empty();
        Optional<PublicKey> nextNodeId = Optional.empty();
        Optional<Bytes> pathId = Optional.empty();
        Optional<PublicKey> override = Optional.empty();
        Optional<PaymentRelay> relay = Optional.empty();
        Optional<PaymentConstraints> constraints = Optional.empty();
        Optional<Bytes> features = Optional.empty();
        List<TlvRecord> unknown = new ArrayList<>();
        for (TlvRecord r : s.records()) {
            long t = r.type();
            try {
                if (t == PADDING) {
                    padding = Optional.of(r.value());
                } else if (t == SHORT_CHANNEL_ID) {
                    ByteReader in = exact(r, 8);
                    scid = OptionalLong.of(in.u64("short_channel_id"));
                } else if (t == NEXT_NODE_ID) {
                    nextNodeId = Optional.of(point(r, "next_node_id"));
                } else if (t == PATH_ID) {
                    pathId = Optional.of(r.value());
                } else if (t == NEXT_PATH_KEY_OVERRIDE) {
                    override = Optional.of(point(r, "next_path_key_override"));
                } else if (t == PAYMENT_RELAY) {
                    ByteReader in = new ByteReader(r.value().toArray());
                    int delta = in.u16("cltv_expiry_delta");
                    long prop = in.u32("fee_proportional_millionths");
                    long base = in.truncated(4, "fee_base_msat");
                    relay = Optional.of(new PaymentRelay(delta, prop, base));
                } else if (t == PAYMENT_CONSTRAINTS) {
                    ByteReader in = new ByteReader(r.value().toArray());
                    long max = in.u32("max_cltv_expiry");
                    long min = in.truncated(8, "htlc_minimum_msat");
                    constraints = Optional.of(new PaymentConstraints(max, min));
                } else if (t == ALLOWED_FEATURES) {
                    features = Optional.of(r.value());
                } else {
                    unknown.add(r);
                }
            } catch (TlvDecodeException e) {
                throw e;
            } catch (DecodeException e) {
                throw new TlvDecodeException(t, "encrypted_data_tlv type " + t + ": " + e.getMessage(), e);
            }
        }
        return new EncryptedDataTlv(padding, scid, nextNodeId, pathId, override, relay, constraints, features, unknown);
    }

    private static ByteReader exact(TlvRecord r, int n) {
        if (r.value().length() != n) {
            throw new TlvDecodeException(r.type(), "encrypted_data_tlv type " + r.type() + " must be " + n
                    + " bytes, got " + r.value().length());
        }
        return new ByteReader(r.value().toArray());
    }

    private static PublicKey point(TlvRecord r, String what) {
        exact(r, PublicKey.LENGTH);
        try {
            return PublicKey.fromBytes(r.value());
        } catch (DecodeException e) {
            throw new TlvDecodeException(r.type(), what + ": " + e.getMessage(), e);
        }
    }

    private static void requireRange(long v, long max, String what) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(what + " out of range: " + v);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("EncryptedDataTlv[");
        padding.ifPresent(p -> sb.append("padding=").append(p.length()).append("B "));
        shortChannelId.ifPresent(s -> sb.append("scid=").append(ShortChannelId.format(s)).append(' '));
        nextNodeId.ifPresent(k -> sb.append("next_node_id=").append(k).append(' '));
        pathId.ifPresent(p -> sb.append("path_id=<").append(p.length()).append("B> "));
        nextPathKeyOverride.ifPresent(k -> sb.append("next_path_key_override=").append(k).append(' '));
        paymentRelay.ifPresent(r -> sb.append(r).append(' '));
        paymentConstraints.ifPresent(c -> sb.append(c).append(' '));
        allowedFeatures.ifPresent(f -> sb.append("allowed_features=").append(f.toHex()).append(' '));
        for (TlvRecord r : unknownOdd) {
            sb.append(Long.toUnsignedString(r.type())).append(':').append(r.value().length()).append("B ");
        }
        return sb.append(']').toString();
    }
}
