package dev.boltflow.core.bolt12;

import dev.boltflow.core.bytes.DecodeException;
import java.util.Objects;
import java.util.Optional;

/**
 * A bolt12 string or TLV stream that cannot be used: either it cannot be decoded at all (syntax:
 * {@link Kind#BECH32}, {@link Kind#CONTINUATION}, {@link Kind#HRP}, {@link Kind#TLV}) or it breaks a
 * reader rule of BOLT 12 (semantic: missing, unexpected or invalid field, signature, expiry). The
 * message reads like {@code "invreq_payer_id (88): missing"}.
 */
public final class Bolt12ParseException extends DecodeException {
    private static final long serialVersionUID = 1L;

    /** What failed. */
    public enum Kind {
        /** Not bech32 data: bad character, mixed case, no separator, bad padding. */
        BECH32,
        /** A {@code +} (or whitespace) that is not a continuation between two characters. */
        CONTINUATION,
        /** A human-readable prefix other than the one expected. */
        HRP,
        /** The TLV stream, or a known field's format, breaks BOLT 1 / BOLT 12 encoding rules. */
        TLV,
        /** A field the reader rules require is absent. */
        MISSING_FIELD,
        /** A field the reader rules forbid is present. */
        UNEXPECTED_FIELD,
        /** A field is well-formed but its value breaks a reader rule. */
        INVALID_FIELD,
        /** The signature is absent, malformed or does not verify. */
        SIGNATURE,
        /** The offer, request or invoice has expired. */
        EXPIRED
    }

    /**
     * The TLV field a failure is about: its type (unsigned) and spec name, {@code ""} for a type the
     * namespace does not define.
     */
    public record Field(long type, String name) {
        public Field {
            Objects.requireNonNull(name, "name");
        }

        /** The field of the offer / invoice_request / invoice namespace with this type. */
        public static Field of(long type) {
            String n = Bolt12Field.name(type);
            return new Field(type, n == null ? "" : n);
        }

        public boolean isKnown() {
            return !name.isEmpty();
        }

        @Override
        public String toString() {
            String t = Long.toUnsignedString(type);
            return isKnown() ? name + " (" + t + ")" : "TLV type " + t;
        }
    }

    private final Kind kind;
    private final Field field;
    private final String detail;

    public Bolt12ParseException(Kind kind, Field field, String detail) {
        this(kind, field, detail, null);
    }

    public Bolt12ParseException(Kind kind, Field field, String detail, Throwable cause) {
        super(field == null ? detail : field + ": " + detail, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = field;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public Bolt12ParseException(Kind kind, String detail) {
        this(kind, null, detail, null);
    }

    static Bolt12ParseException missing(long type) {
        return new Bolt12ParseException(Kind.MISSING_FIELD, Field.of(type), "missing");
    }

    static Bolt12ParseException missing(long type, String why) {
        return new Bolt12ParseException(Kind.MISSING_FIELD, Field.of(type), "missing: " + why);
    }

    static Bolt12ParseException unexpected(long type, String why) {
        return new Bolt12ParseException(Kind.UNEXPECTED_FIELD, Field.of(type), why);
    }

    static Bolt12ParseException invalid(long type, String why) {
        return new Bolt12ParseException(Kind.INVALID_FIELD, Field.of(type), why);
    }

    static Bolt12ParseException tlv(long type, String why, Throwable cause) {
        return new Bolt12ParseException(Kind.TLV, type == -1 ? null : Field.of(type), why, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The field the failure is about, when it is about one. */
    public Optional<Field> field() {
        return Optional.ofNullable(field);
    }

    /** The message without the field prefix. */
    public String detail() {
        return detail;
    }
}
