package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bytes.U64;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * @param label the label of the invoice: any Unicode text without NUL, at most {@value #MAX_LABEL_BYTES}
 *        bytes of UTF-8 (what every store can hold; Core Lightning accepts any string)
 * @param amountMsat must repeat {@code invreq_amount} when present (BOLT 12: {@code invoice_amount} is
 *        {@code invreq_amount}); greater than zero and at most {@link #MAX_AMOUNT_MSAT}
 * @param timeout positive and at most 2^32-1 seconds (CLN's u32); {@code null} means 90 s
 * @param quantity must equal {@code invreq_quantity} when present (unsigned)
 */
public record SendInvoiceRequest(String invreq, String label, OptionalLong amountMsat, Duration timeout,
        OptionalLong quantity) {
    /** Core Lightning's default wait, also the invoice's relative expiry. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);
    /** {@code timeout} is a u32 of seconds in Core Lightning, and the relative expiry a tu32. */
    public static final long MAX_TIMEOUT_SECONDS = 0xffffffffL;
    /** 21 million bitcoin in msat: no amount above it can ever be paid. */
    public static final long MAX_AMOUNT_MSAT = 2_100_000_000_000_000_000L;
    /** The longest label, in bytes of UTF-8 (what the store holds). */
    public static final int MAX_LABEL_BYTES = NewInvoice.MAX_LABEL_BYTES;

    public SendInvoiceRequest {
        if (invreq == null || invreq.isBlank()) {
            throw SendInvoiceException.invalidParam("invreq", "required: a bolt12 invoice_request string (lnr1...)");
        }
        if (label == null) {
            throw SendInvoiceException.invalidParam("label", "required: a unique label for the invoice");
        }
        checkLabel(label);
        amountMsat = amountMsat == null ? OptionalLong.empty() : amountMsat;
        if (amountMsat.isPresent() && amountMsat.getAsLong() <= 0) {
            throw SendInvoiceException.invalidParam("amount_msat",
                    "must be greater than 0 msat, got " + U64.toString(amountMsat.getAsLong()));
        }
        if (amountMsat.isPresent() && amountMsat.getAsLong() > MAX_AMOUNT_MSAT) {
            throw SendInvoiceException.invalidParam("amount_msat", "at most " + MAX_AMOUNT_MSAT
                    + " msat (21 million bitcoin), got " + amountMsat.getAsLong());
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw SendInvoiceException.invalidParam("timeout", "must be positive, got " + timeout.getSeconds() + " s");
        }
        if (timeout.compareTo(Duration.ofSeconds(MAX_TIMEOUT_SECONDS)) > 0) {
            throw SendInvoiceException.invalidParam("timeout",
                    "at most " + MAX_TIMEOUT_SECONDS + " seconds (a u32), got " + timeout.getSeconds());
        }
        quantity = quantity == null ? OptionalLong.empty() : quantity;
    }

    /**
     * Labels are stored and shown as text: valid Unicode (no lone surrogate), no NUL (a C string or a
     * PostgreSQL {@code text} cannot hold it), at most {@value #MAX_LABEL_BYTES} bytes of UTF-8.
     */
    private static void checkLabel(String label) {
        if (label.indexOf('\0') >= 0) {
            throw SendInvoiceException.invalidParam("label", "must not contain NUL (U+0000)");
        }
        java.nio.ByteBuffer utf8;
        try {
            utf8 = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(label));
        } catch (CharacterCodingException e) {
            throw SendInvoiceException.invalidParam("label", "must be valid Unicode (it has a lone surrogate)");
        }
        if (utf8.remaining() > MAX_LABEL_BYTES) {
            throw SendInvoiceException.invalidParam("label", "at most " + MAX_LABEL_BYTES + " bytes of UTF-8, got "
                    + utf8.remaining());
        }
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
