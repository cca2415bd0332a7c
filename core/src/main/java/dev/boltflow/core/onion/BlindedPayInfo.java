package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.features.Features;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * BOLT 12 {@code blinded_payinfo}: the aggregate fees and CLTV delta of one blinded payment path,
 * its HTLC limits and the features the path allows. u32 fields are held in {@code long}s; the u64
 * HTLC limits are unsigned values in {@code long}s.
 */
public record BlindedPayInfo(long feeBaseMsat, long feeProportionalMillionths, int cltvExpiryDelta,
        long htlcMinimumMsat, long htlcMaximumMsat, Features features) {

    public BlindedPayInfo {
        if ((feeBaseMsat & ~0xffffffffL) != 0) {
            throw new IllegalArgumentException("fee_base_msat is a u32: " + feeBaseMsat);
        }
        if ((feeProportionalMillionths & ~0xffffffffL) != 0) {
            throw new IllegalArgumentException("fee_proportional_millionths is a u32: " + feeProportionalMillionths);
        }
        if ((cltvExpiryDelta & ~0xffff) != 0) {
            throw new IllegalArgumentException("cltv_expiry_delta is a u16: " + cltvExpiryDelta);
        }
        Objects.requireNonNull(features, "features");
        if (features.bitmap().length() > 0xffff) {
            throw new IllegalArgumentException("features longer than 65535 bytes");
        }
    }

    public static BlindedPayInfo read(ByteReader r) {
        long base = r.u32("fee_base_msat");
        long prop = r.u32("fee_proportional_millionths");
        int cltv = r.u16("cltv_expiry_delta");
        long min = r.u64("htlc_minimum_msat");
        long max = r.u64("htlc_maximum_msat");
        int flen = r.u16("flen");
        return new BlindedPayInfo(base, prop, cltv, min, max, new Features(r.read(flen, "features")));
    }

    /** {@code ...*blinded_payinfo}: entries until the reader is empty. */
    public static List<BlindedPayInfo> readAll(ByteReader r) {
        List<BlindedPayInfo> out = new ArrayList<>();
        while (!r.isEmpty()) {
            out.add(read(r));
        }
        return out;
    }

    public void writeTo(ByteWriter w) {
        w.u32(feeBaseMsat).u32(feeProportionalMillionths).u16(cltvExpiryDelta)
                .u64(htlcMinimumMsat).u64(htlcMaximumMsat)
                .u16(features.bitmap().length()).bytes(features.bitmap());
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(28 + features.bitmap().length());
        writeTo(w);
        return w.toByteArray();
    }

    public static byte[] encodeAll(List<BlindedPayInfo> infos) {
        ByteWriter w = new ByteWriter(infos.size() * 28);
        for (BlindedPayInfo i : infos) {
            i.writeTo(w);
        }
        return w.toByteArray();
    }
}
