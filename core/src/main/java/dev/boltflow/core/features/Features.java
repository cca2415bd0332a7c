package dev.boltflow.core.features;

import dev.boltflow.core.bytes.Bytes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A feature bitmap (BOLT 9) wherever one stands: {@code init} (BOLT 1), {@code node_announcement} and
 * {@code channel_announcement} (BOLT 7), offers, invoice requests, invoices and blinded payinfo
 * (BOLT 12): a big-endian byte string whose bit 0 is the least significant bit of the last byte.
 * Even bits are compulsory, odd bits optional ("it's OK to be odd"). The bytes are kept as given, so
 * a non-minimal bitmap decoded from the wire re-encodes unchanged; {@link #of}, {@link #with},
 * {@link #without} and {@link #or} return minimal bitmaps. (One type: this replaced the separate
 * {@code init} feature type {@code wire.Features}.)
 */
public record Features(Bytes bitmap) {
    public static final Features EMPTY = new Features(Bytes.EMPTY);

    public static final int DATA_LOSS_PROTECT_REQ = 0;
    public static final int DATA_LOSS_PROTECT_OPT = 1;
    public static final int GOSSIP_QUERIES_REQ = 6;
    public static final int GOSSIP_QUERIES_OPT = 7;
    public static final int VAR_ONION_OPTIN_REQ = 8;
    public static final int VAR_ONION_OPTIN_OPT = 9;
    public static final int GOSSIP_QUERIES_EX_REQ = 10;
    public static final int GOSSIP_QUERIES_EX_OPT = 11;
    public static final int STATIC_REMOTEKEY_REQ = 12;
    public static final int STATIC_REMOTEKEY_OPT = 13;
    public static final int PAYMENT_SECRET_REQ = 14;
    public static final int PAYMENT_SECRET_OPT = 15;
    public static final int BASIC_MPP_REQ = 16;
    public static final int BASIC_MPP_OPT = 17;
    public static final int ROUTE_BLINDING_REQ = 24;
    public static final int ROUTE_BLINDING_OPT = 25;
    public static final int ONION_MESSAGES_REQ = 38;
    public static final int ONION_MESSAGES_OPT = 39;
    public static final int CHANNEL_TYPE_REQ = 44;
    public static final int CHANNEL_TYPE_OPT = 45;

    /** The largest bit a bitmap of 65535 bytes (a u16 length) can hold. */
    private static final int MAX_BIT = 65535 * 8 - 1;

    /**
     * The BOLT 9 features this library knows, by their compulsory (even) bit. {@link #assumed()}
     * marks the ones BOLT 9 lists as ASSUMED: present in every node, safe to ignore, but still
     * known, so a peer that sets their even bit is not refused.
     */
    public enum Feature {
        /** 0/1 {@code option_data_loss_protect}: ASSUMED. */
        DATA_LOSS_PROTECT(DATA_LOSS_PROTECT_REQ, "option_data_loss_protect", true),
        /** 6/7 {@code gossip_queries}: "Peer has useful gossip to share" (BOLT 7, Query Messages). */
        GOSSIP_QUERIES(GOSSIP_QUERIES_REQ, "gossip_queries", false),
        /** 8/9 {@code var_onion_optin}: ASSUMED; every node MUST support it (BOLT 9, Requirements). */
        VAR_ONION_OPTIN(VAR_ONION_OPTIN_REQ, "var_onion_optin", true),
        /** 10/11 {@code gossip_queries_ex}: context IN; query TLVs with timestamps and checksums. */
        GOSSIP_QUERIES_EX(GOSSIP_QUERIES_EX_REQ, "gossip_queries_ex", false),
        /** 12/13 {@code option_static_remotekey}: ASSUMED. */
        STATIC_REMOTEKEY(STATIC_REMOTEKEY_REQ, "option_static_remotekey", true),
        /** 14/15 {@code payment_secret}: ASSUMED. */
        PAYMENT_SECRET(PAYMENT_SECRET_REQ, "payment_secret", true),
        /** 16/17 {@code basic_mpp}: context IN9, depends on {@code payment_secret}. */
        BASIC_MPP(BASIC_MPP_REQ, "basic_mpp", false),
        /** 24/25 {@code option_route_blinding}: context IN9. */
        ROUTE_BLINDING(ROUTE_BLINDING_REQ, "option_route_blinding", false),
        /** 38/39 {@code option_onion_messages}: context IN; only such peers get {@code onion_message}. */
        ONION_MESSAGES(ONION_MESSAGES_REQ, "option_onion_messages", false),
        /** 44/45 {@code option_channel_type}: ASSUMED. */
        CHANNEL_TYPE(CHANNEL_TYPE_REQ, "option_channel_type", true);

        private final int compulsoryBit;
        private final String specName;
        private final boolean assumed;

        Feature(int compulsoryBit, String specName, boolean assumed) {
            this.compulsoryBit = compulsoryBit;
            this.specName = specName;
            this.assumed = assumed;
        }

        public int compulsoryBit() {
            return compulsoryBit;
        }

        public int optionalBit() {
            return compulsoryBit + 1;
        }

        /** The name BOLT 9 gives it, e.g. {@code option_onion_messages}. */
        public String specName() {
            return specName;
        }

        /** BOLT 9 lists it as ASSUMED. */
        public boolean assumed() {
            return assumed;
        }

        /** Direct dependencies from BOLT 9's Dependencies column. */
        public Set<Feature> dependencies() {
            return this == BASIC_MPP ? EnumSet.of(PAYMENT_SECRET) : EnumSet.noneOf(Feature.class);
        }

        /** True if {@code bit} is either bit of a feature listed here. */
        public static boolean isKnownBit(int bit) {
            for (Feature f : values()) {
                if (bit == f.compulsoryBit || bit == f.optionalBit()) {
                    return true;
                }
            }
            return false;
        }
    }

    public Features {
        Objects.requireNonNull(bitmap, "bitmap");
    }

    /** A minimal bitmap with exactly {@code bits} set. */
    public static Features of(int... bits) {
        Features f = EMPTY;
        for (int bit : bits) {
            f = f.with(bit);
        }
        return f;
    }

    public static Features fromHex(String hex) {
        return new Features(Bytes.fromHex(hex));
    }

    /** True if bit {@code bit} (0 = least significant) is set; false for a negative bit. */
    public boolean hasBit(int bit) {
        if (bit < 0) {
            return false;
        }
        int index = bitmap.length() - 1 - bit / 8;
        return index >= 0 && (bitmap.get(index) & (1 << (bit % 8))) != 0;
    }

    /** True when no bit is set (the bitmap may still hold zero bytes). */
    public boolean isEmpty() {
        for (int i = 0; i < bitmap.length(); i++) {
            if (bitmap.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** True when there is no leading zero byte (BOLT 1: features use the minimal length). */
    public boolean isMinimal() {
        return bitmap.isEmpty() || bitmap.get(0) != 0;
    }

    /** This bitmap with {@code bit} set, minimal length. */
    public Features with(int bit) {
        checkBit(bit);
        int length = Math.max(bitmap.length(), bit / 8 + 1);
        byte[] out = toLength(length);
        out[length - 1 - bit / 8] |= (byte) (1 << (bit % 8));
        return minimal(out);
    }

    /** This bitmap with {@code bit} cleared, minimal length. */
    public Features without(int bit) {
        checkBit(bit);
        byte[] out = bitmap.toArray();
        int index = out.length - 1 - bit / 8;
        if (index >= 0) {
            out[index] &= (byte) ~(1 << (bit % 8));
        }
        return minimal(out);
    }

    /** Bitwise OR, as BOLT 1 combines {@code globalfeatures} and {@code features}; minimal length. */
    public Features or(Features other) {
        int length = Math.max(bitmap.length(), other.bitmap.length());
        byte[] a = toLength(length);
        byte[] b = other.toLength(length);
        for (int i = 0; i < length; i++) {
            a[i] |= b[i];
        }
        return minimal(a);
    }

    /** The same bits without leading zero bytes ("SHOULD use the minimum length", BOLT 1). */
    public Features minimal() {
        return isMinimal() ? this : minimal(bitmap.toArray());
    }

    /** Every set bit, ascending. */
    public List<Integer> setBits() {
        List<Integer> out = new ArrayList<>();
        int n = bitmap.length();
        for (int i = n - 1; i >= 0; i--) {
            int b = bitmap.get(i) & 0xff;
            for (int j = 0; j < 8; j++) {
                if ((b & (1 << j)) != 0) {
                    out.add((n - 1 - i) * 8 + j);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The feature is offered: its compulsory or its optional bit is set. */
    public boolean supports(Feature feature) {
        return hasBit(feature.compulsoryBit()) || hasBit(feature.optionalBit());
    }

    /** The compulsory bit is set (BOLT 9: both bits set also means compulsory). */
    public boolean requires(Feature feature) {
        return hasBit(feature.compulsoryBit());
    }

    /**
     * The even bits set here that {@code known} does not accept, ascending. BOLT 1: "upon
     * receiving unknown even feature bits that are non-zero: MUST close the connection"; unknown
     * odd bits are ignored.
     */
    public List<Integer> unknownEvenBits(IntPredicate known) {
        List<Integer> out = new ArrayList<>();
        for (int bit : setBits()) {
            if (bit % 2 == 0 && !known.test(bit)) {
                out.add(bit);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** {@link #unknownEvenBits(IntPredicate)} against the features in {@link Feature}. */
    public List<Integer> unknownEvenBits() {
        return unknownEvenBits(Feature::isKnownBit);
    }

    /**
     * Features offered here whose dependencies are not (BOLT 1: "if the feature vector does not set
     * all known, transitive dependencies: MUST close the connection"). An ASSUMED dependency counts
     * as present.
     */
    public Set<Feature> missingDependencies() {
        Set<Feature> missing = EnumSet.noneOf(Feature.class);
        for (Feature f : Feature.values()) {
            if (supports(f)) {
                for (Feature dep : f.dependencies()) {
                    if (!dep.assumed() && !supports(dep)) {
                        missing.add(f);
                    }
                }
            }
        }
        return missing;
    }

    public String toHex() {
        return bitmap.toHex();
    }

    @Override
    public String toString() {
        return "Features" + setBits();
    }

    private byte[] toLength(int length) {
        byte[] out = new byte[length];
        bitmap.copyTo(out, length - bitmap.length());
        return out;
    }

    private static Features minimal(byte[] b) {
        int first = 0;
        while (first < b.length && b[first] == 0) {
            first++;
        }
        return new Features(Bytes.of(b, first, b.length));
    }

    private static void checkBit(int bit) {
        if (bit < 0 || bit > MAX_BIT) {
            throw new IllegalArgumentException("feature bit out of range: " + bit);
        }
    }
}
