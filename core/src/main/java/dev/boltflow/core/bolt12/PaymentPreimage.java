package dev.boltflow.core.bolt12;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A payment preimage and its {@code invoice_payment_hash} = SHA256(preimage) (BOLT 12 invoice writer).
 * The preimage is the secret that proves payment: {@link #toString()} shows only the hash, and
 * {@link #matches(Bytes32)} compares in constant time.
 */
public record PaymentPreimage(Bytes32 preimage, Bytes32 paymentHash) {

    public PaymentPreimage {
        Objects.requireNonNull(preimage, "preimage");
        Objects.requireNonNull(paymentHash, "paymentHash");
        if (!Hashes.sha256Of(preimage.toArray()).bytes().constantTimeEquals(paymentHash.bytes())) {
            throw new IllegalArgumentException("paymentHash is not SHA256(preimage)");
        }
    }

    /** 32 fresh random bytes and their hash. */
    public static PaymentPreimage random(SecureRandom random) {
        return of(Bytes32.random(Objects.requireNonNull(random, "random")));
    }

    /** A known preimage (e.g. read back from storage) and its hash. */
    public static PaymentPreimage of(Bytes32 preimage) {
        return new PaymentPreimage(preimage, Hashes.sha256Of(preimage.toArray()));
    }

    /** Whether {@code candidate} is this preimage, compared in constant time. */
    public boolean matches(Bytes32 candidate) {
        return candidate != null && preimage.bytes().constantTimeEquals(candidate.bytes());
    }

    /** Constant-time on the preimage. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PaymentPreimage p && matches(p.preimage);
    }

    /** From the (public) payment hash only. */
    @Override
    public int hashCode() {
        return paymentHash.hashCode();
    }

    @Override
    public String toString() {
        return "PaymentPreimage[paymentHash=" + paymentHash.toHex() + ", preimage=redacted]";
    }
}
