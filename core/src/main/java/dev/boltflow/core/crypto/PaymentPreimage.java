package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes32;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The 32-byte secret whose SHA-256 is an invoice's {@code payment_hash}. Knowing it proves payment, so
 * it never prints itself: {@link #toString()} is redacted and only {@link #reveal()} hands out the
 * bytes (to settle an HTLC, to persist it, or to answer {@code listinvoices} once the invoice is paid).
 */
public final class PaymentPreimage {
    private final Bytes32 secret;
    private volatile Bytes32 paymentHash;

    private PaymentPreimage(Bytes32 secret) {
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    public static PaymentPreimage of(Bytes32 secret) {
        return new PaymentPreimage(secret);
    }

    /** From 32 bytes (copied). */
    public static PaymentPreimage of(byte[] secret) {
        return new PaymentPreimage(Bytes32.of(secret));
    }

    public static PaymentPreimage random(SecureRandom random) {
        return new PaymentPreimage(Bytes32.random(random));
    }

    /** SHA256(preimage): the invoice's {@code payment_hash} (BOLT 12, invoice_payment_hash). */
    public Bytes32 paymentHash() {
        Bytes32 h = paymentHash;
        if (h == null) {
            h = Hashes.sha256Of(secret.toArray());
            paymentHash = h;
        }
        return h;
    }

    /** The secret itself. Callers must not log it. */
    public Bytes32 reveal() {
        return secret;
    }

    /** Constant-time: comparing secrets must not leak where they first differ. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PaymentPreimage p && secret.bytes().constantTimeEquals(p.secret.bytes());
    }

    @Override
    public int hashCode() {
        return paymentHash().hashCode();
    }

    @Override
    public String toString() {
        return "PaymentPreimage[redacted]";
    }
}
