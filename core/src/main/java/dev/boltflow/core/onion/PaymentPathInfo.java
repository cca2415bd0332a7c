package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import java.util.Objects;

/**
 * What a payer needs to pay through one blinded payment path: the path's aggregate fees and CLTV
 * delta (BOLT 4, Requirements for the creator of {@code encrypted_recipient_data}) and the HTLC
 * bounds, in the shape of BOLT 12's {@code blinded_payinfo}. Amount bounds are in terms of the
 * amount the recipient receives (before the path's fees).
 */
public record PaymentPathInfo(long feeBaseMsat, long feeProportionalMillionths, int cltvExpiryDelta,
        long htlcMinimumMsat, long htlcMaximumMsat, Bytes features) {

    public PaymentPathInfo {
        if (feeBaseMsat < 0 || feeBaseMsat > 0xffffffffL) {
            throw new IllegalArgumentException("fee_base_msat out of u32 range: " + feeBaseMsat);
        }
        if (feeProportionalMillionths < 0 || feeProportionalMillionths > 0xffffffffL) {
            throw new IllegalArgumentException("fee_proportional_millionths out of u32 range: " + feeProportionalMillionths);
        }
        if (cltvExpiryDelta < 0 || cltvExpiryDelta > 0xffff) {
            throw new IllegalArgumentException("cltv_expiry_delta out of u16 range: " + cltvExpiryDelta);
        }
        Objects.requireNonNull(features, "features");
        if (features.length() > 0xffff) {
            throw new IllegalArgumentException("features longer than 65535 bytes");
        }
    }

    /** BOLT 12 {@code blinded_payinfo}: u32, u32, u16, u64, u64, u16 flen, features. */
    public void writeTo(ByteWriter w) {
        w.u32(feeBaseMsat).u32(feeProportionalMillionths).u16(cltvExpiryDelta)
                .u64(htlcMinimumMsat).u64(htlcMaximumMsat).u16(features.length()).bytes(features);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(28 + features.length());
        writeTo(w);
        return w.toByteArray();
    }

    public static PaymentPathInfo read(ByteReader r) {
        long base = r.u32("fee_base_msat");
        long prop = r.u32("fee_proportional_millionths");
        int delta = r.u16("cltv_expiry_delta");
        long min = r.u64("htlc_minimum_msat");
        long max = r.u64("htlc_maximum_msat");
        int flen = r.u16("flen");
        return new PaymentPathInfo(base, prop, delta, min, max, r.read(flen, "features"));
    }
}
