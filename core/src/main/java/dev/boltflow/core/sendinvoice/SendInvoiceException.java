package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.U64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Every way {@code sendinvoice} fails, with Core Lightning's JSON-RPC error code (lightning-sendinvoice(7)
 * and CLN's {@code plugins/fetchinvoice.c}) and, where CLN returns one, the {@code data} object of the
 * error. Build one with the static factory of its case; the message names the rule that failed.
 */
public final class SendInvoiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** JSON-RPC 2.0 "Invalid params": a malformed parameter, or an invoice_request we must reject. */
    public static final int INVALID_PARAMS = -32602;
    /** CLN "Catchall nonspecific error". */
    public static final int CATCH_ALL = -1;
    /** CLN {@code INVOICE_LABEL_ALREADY_EXISTS}: the label names an invoice already. */
    public static final int DUPLICATE_LABEL = 900;
    /** CLN {@code OFFER_EXPIRED}: "Offer has expired". */
    public static final int OFFER_EXPIRED = 1002;
    /** CLN {@code OFFER_ROUTE_NOT_FOUND}: "Cannot find a route to the node making the offer". */
    public static final int UNREACHABLE = 1003;
    /** CLN {@code OFFER_BAD_INVREQ_REPLY}: "The node making the offer returned an error message". */
    public static final int INVOICE_ERROR_RECEIVED = 1004;
    /** CLN {@code OFFER_TIMEOUT}: "We timed out waiting for the invoice to be paid". */
    public static final int TIMEOUT = 1005;

    /** The cases, each with its numeric code. */
    public enum Code {
        INVALID_PARAMS(SendInvoiceException.INVALID_PARAMS),
        CATCH_ALL(SendInvoiceException.CATCH_ALL),
        DUPLICATE_LABEL(SendInvoiceException.DUPLICATE_LABEL),
        OFFER_EXPIRED(SendInvoiceException.OFFER_EXPIRED),
        UNREACHABLE(SendInvoiceException.UNREACHABLE),
        INVOICE_ERROR_RECEIVED(SendInvoiceException.INVOICE_ERROR_RECEIVED),
        TIMEOUT(SendInvoiceException.TIMEOUT);

        private final int value;

        Code(int value) {
            this.value = value;
        }

        /** The JSON-RPC error code. */
        public int value() {
            return value;
        }
    }

    /**
     * The JSON-RPC error's {@code data}: one record per case that has any. {@link #toMap()} gives the
     * fields under the names Core Lightning uses, for a JSON adapter.
     */
    public sealed interface Data permits InvalidParam, DuplicateLabel, OfferExpired, InvoiceErrorReceived, Timeout {
        Map<String, Object> toMap();
    }

    /**
     * Which parameter was refused ({@code invreq}, {@code label}, {@code amount_msat}, {@code timeout},
     * {@code quantity}) and, for an invoice_request, the TLV field that broke a rule.
     */
    public record InvalidParam(String param, Optional<Bolt12ParseException.Field> field) implements Data {
        public InvalidParam {
            Objects.requireNonNull(param, "param");
            Objects.requireNonNull(field, "field");
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("param", param);
            field.ifPresent(f -> {
                m.put("tlv_type", U64.toNumber(f.type()));
                if (f.isKnown()) {
                    m.put("tlv_name", f.name());
                }
            });
            return Collections.unmodifiableMap(m);
        }
    }

    /**
     * The label that is taken and, when known, the invoice that holds it: Core Lightning puts the
     * existing invoice in the error's {@code data}.
     */
    public record DuplicateLabel(String label, Optional<StoredInvoice> existing) implements Data {
        public DuplicateLabel {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(existing, "existing");
        }

        public DuplicateLabel(String label) {
            this(label, Optional.empty());
        }

        @Override
        public Map<String, Object> toMap() {
            return existing.isPresent() ? SendInvoiceResult.of(existing.get()).toMap() : Map.of("label", label);
        }

        @Override
        public String toString() {
            return "DuplicateLabel[label=" + label + (existing.isPresent() ? ", existing invoice" : "") + "]";
        }
    }

    /** {@code offer_absolute_expiry} and the time it was compared with (seconds since the epoch). */
    public record OfferExpired(long absoluteExpiry, long nowEpochSeconds) implements Data {
        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("offer_absolute_expiry", U64.toNumber(absoluteExpiry));
            m.put("now", U64.toNumber(nowEpochSeconds));
            return Collections.unmodifiableMap(m);
        }
    }

    /**
     * The {@code invoice_error} the payer sent back (BOLT 12 "Invoice Errors"), as Core Lightning
     * reports it ({@code plugins/fetchinvoice.c}): {@code erroneous_field} (a TLV type, a JSON number,
     * unsigned), {@code suggested_value} (hex) and {@code error} (empty when the sender left it out);
     * or, when the bytes are not a valid {@code invoice_error}, only {@code invoice_error_hex}.
     *
     * @param unparsed the raw bytes, present exactly when they could not be decoded (then the other
     *                 fields are empty)
     */
    public record InvoiceErrorReceived(OptionalLong erroneousField, Optional<Bytes> suggestedValue, String error,
            Optional<Bytes> unparsed) implements Data {
        public InvoiceErrorReceived {
            Objects.requireNonNull(erroneousField, "erroneousField");
            Objects.requireNonNull(suggestedValue, "suggestedValue");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(unparsed, "unparsed");
            if (unparsed.isPresent() && (erroneousField.isPresent() || suggestedValue.isPresent() || !error.isEmpty())) {
                throw new IllegalArgumentException("an unparsed invoice_error has no decoded fields");
            }
        }

        public static InvoiceErrorReceived of(InvoiceError e) {
            return new InvoiceErrorReceived(e.erroneousField(), e.suggestedValue(), e.error().orElse(""),
                    Optional.empty());
        }

        /** Bytes on our reply path that do not decode as an {@code invoice_error}. */
        public static InvoiceErrorReceived unparseable(Bytes raw) {
            return new InvoiceErrorReceived(OptionalLong.empty(), Optional.empty(), "", Optional.of(raw));
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (unparsed.isPresent()) {
                m.put("invoice_error_hex", unparsed.get().toHex());
                return Collections.unmodifiableMap(m);
            }
            erroneousField.ifPresent(f -> m.put("erroneous_field", U64.toNumber(f)));
            suggestedValue.ifPresent(v -> m.put("suggested_value", v.toHex()));
            m.put("error", error);
            return Collections.unmodifiableMap(m);
        }
    }

    /** The invoice we sent and that was not paid in time, as its bolt12 string. */
    public record Timeout(String invoice) implements Data {
        public Timeout {
            Objects.requireNonNull(invoice, "invoice");
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("invstring", invoice);
        }
    }

    private final Code code;
    private final Data data;

    private SendInvoiceException(Code code, String message, Data data, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.data = data;
    }

    /** The JSON-RPC error code, e.g. -32602 or 1005. */
    public int code() {
        return code.value();
    }

    /** The case. */
    public Code kind() {
        return code;
    }

    /** The JSON-RPC error's {@code data}, when the case has one. */
    public Optional<Data> data() {
        return Optional.ofNullable(data);
    }

    /** -32602: parameter {@code param} is malformed; {@code rule} says why. */
    public static SendInvoiceException invalidParam(String param, String rule) {
        return new SendInvoiceException(Code.INVALID_PARAMS, param + ": " + rule,
                new InvalidParam(param, Optional.empty()), null);
    }

    /**
     * -32602: the invoice_request in parameter {@code invreq} breaks a reader rule ({@code violation}
     * names the field); {@code rule} is the spec rule, quoted in the message.
     */
    public static SendInvoiceException invalidInvoiceRequest(Bolt12ParseException violation, String rule) {
        Objects.requireNonNull(violation, "violation");
        return new SendInvoiceException(Code.INVALID_PARAMS, "invreq: " + violation.getMessage() + " (" + rule + ")",
                new InvalidParam("invreq", violation.field()), violation);
    }

    /** -32602 about the invoice_request as a whole, e.g. the amount it asks for. */
    public static SendInvoiceException invalidInvoiceRequest(Bolt12ParseException.Field field, String rule) {
        return new SendInvoiceException(Code.INVALID_PARAMS, "invreq: " + field + ": " + rule,
                new InvalidParam("invreq", Optional.of(field)), null);
    }

    /** 900: CLN "Duplicate label". */
    public static SendInvoiceException duplicateLabel(String label) {
        return new SendInvoiceException(Code.DUPLICATE_LABEL,
                "Duplicate label '" + label + "': labels name one invoice each", new DuplicateLabel(label), null);
    }

    /** 900 with the invoice that already holds the label in {@code data}. */
    public static SendInvoiceException duplicateLabel(StoredInvoice existing) {
        return new SendInvoiceException(Code.DUPLICATE_LABEL,
                "Duplicate label '" + existing.label() + "': labels name one invoice each",
                new DuplicateLabel(existing.label(), Optional.of(existing)), null);
    }

    /**
     * 1002: CLN "Offer expired". For an invoice_request, {@code offer_absolute_expiry} is the time after
     * which it "should not be attempted" (BOLT 12 "TLV Fields for Offers").
     */
    public static SendInvoiceException offerExpired(long absoluteExpiry, long nowEpochSeconds) {
        return new SendInvoiceException(Code.OFFER_EXPIRED, "Offer expired: offer_absolute_expiry "
                + Long.toUnsignedString(absoluteExpiry) + " is before now (" + Long.toUnsignedString(nowEpochSeconds)
                + "); BOLT 12: no invoice after offer_absolute_expiry",
                new OfferExpired(absoluteExpiry, nowEpochSeconds), null);
    }

    /** 1003: no onion-message route to the payer and no direct connection. */
    public static SendInvoiceException unreachable(String detail, Throwable cause) {
        return new SendInvoiceException(Code.UNREACHABLE, "Failed: could not route, could not connect: " + detail,
                null, cause);
    }

    /** 1004: the payer answered with an {@code invoice_error} (BOLT 12 "Invoice Errors"). */
    public static SendInvoiceException invoiceErrorReceived(InvoiceError error) {
        InvoiceErrorReceived d = InvoiceErrorReceived.of(error);
        StringBuilder sb = new StringBuilder("Remote node sent failure message: ");
        d.erroneousField().ifPresent(f -> sb.append("erroneous_field ").append(U64.toString(f)).append(", "));
        sb.append(d.error().isEmpty() ? "(no error text)" : d.error());
        return new SendInvoiceException(Code.INVOICE_ERROR_RECEIVED, sb.toString(), d, null);
    }

    /**
     * 1004 for bytes on our reply path that are not a valid {@code invoice_error}: the payer answered,
     * and not with a payment, so the send ends now (Core Lightning reports {@code invoice_error_hex}).
     */
    public static SendInvoiceException invoiceErrorUnparseable(Bytes raw, String why) {
        return new SendInvoiceException(Code.INVOICE_ERROR_RECEIVED,
                "Remote node sent failure message that is not a valid invoice_error (" + why + ")",
                InvoiceErrorReceived.unparseable(raw), null);
    }

    /** 1005: neither a payment nor an error came before the timeout; {@code invoice} is what we sent. */
    public static SendInvoiceException timeout(String invoice) {
        return new SendInvoiceException(Code.TIMEOUT,
                "Failed: timeout waiting for response: the invoice was neither paid nor refused in time",
                new Timeout(invoice), null);
    }

    /** -1: anything else (CLN's catch-all). */
    public static SendInvoiceException other(String message, Throwable cause) {
        return new SendInvoiceException(Code.CATCH_ALL, message, null, cause);
    }
}
