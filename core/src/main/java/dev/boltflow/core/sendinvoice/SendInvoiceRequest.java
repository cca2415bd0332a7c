package dev.boltflow.core.sendinvoice;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The parameters of {@code sendinvoice} (Core Lightning's lightning-sendinvoice(7)): the
 * invoice_request string, a unique label, an optional amount, how long to wait for payment (also the
 * invoice's relative expiry; 90 s by default) and an optional quantity. Checked here for form only; the
 * invoice_request itself is {@link InvoiceRequestValidator}'s. A bad value is a
 * {@link SendInvoiceException} with code -32602.
 *
 * @param invreq the {@code lnr1...} string, not blank
 * @param label the label of the invoice, any string (Core Lightning accepts any)
 * @param amountMsat what to invoice instead of {@code invreq_amount}; greater than zero when present
 * @param timeout positive and at most 2^32-1 seconds (CLN's u32); {@code null} means 90 s
 * @param quantity must equal {@code invreq_quantity} when present (unsigned)
 */
public record SendInvoiceRequest(String invreq, String label, OptionalLong amountMsat, Duration timeout,
        OptionalLong quantity) {
    /** Core Lightning's default wait, also the invoice's relative expiry. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);
    /** {@code timeout} is a u32 of seconds in Core Lightning, and the relative expiry a tu32. */
    public static final long MAX_TIMEOUT_SECONDS = 0xffffffffL;

    public SendInvoiceRequest {
        if (invreq == null || invreq.isBlank()) {
            throw SendInvoiceException.invalidParam("invreq", "required: a bolt12 invoice_request string (lnr1...)");
        }
        if (label == null) {
            throw SendInvoiceException.invalidParam("label", "required: a unique label for the invoice");
        }
        amountMsat = amountMsat == null ? OptionalLong.empty() : amountMsat;
        if (amountMsat.isPresent() && amountMsat.getAsLong() <= 0) {
            throw SendInvoiceException.invalidParam("amount_msat",
                    "must be greater than 0 msat, got " + amountMsat.getAsLong());
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw SendInvoiceException.invalidParam("timeout", "must be positive, got " + timeout);
        }
        if (timeout.compareTo(Duration.ofSeconds(MAX_TIMEOUT_SECONDS)) > 0) {
            throw SendInvoiceException.invalidParam("timeout",
                    "at most " + MAX_TIMEOUT_SECONDS + " seconds (a u32), got " + timeout.getSeconds());
        }
        quantity = quantity == null ? OptionalLong.empty() : quantity;
    }

    /** Only the required parameters; the rest take their defaults. */
    public static SendInvoiceRequest of(String invreq, String label) {
        return new SendInvoiceRequest(invreq, label, OptionalLong.empty(), DEFAULT_TIMEOUT, OptionalLong.empty());
    }

    public SendInvoiceRequest withAmountMsat(long msat) {
        return new SendInvoiceRequest(invreq, label, OptionalLong.of(msat), timeout, quantity);
    }

    public SendInvoiceRequest withTimeout(Duration t) {
        return new SendInvoiceRequest(invreq, label, amountMsat, Objects.requireNonNull(t, "timeout"), quantity);
    }

    public SendInvoiceRequest withQuantity(long q) {
        return new SendInvoiceRequest(invreq, label, amountMsat, timeout, OptionalLong.of(q));
    }

    /** The timeout in whole seconds, rounded up (at least 1): the invoice's relative expiry. */
    public long timeoutSeconds() {
        return ceilSeconds(timeout);
    }

    private static long ceilSeconds(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }
}
