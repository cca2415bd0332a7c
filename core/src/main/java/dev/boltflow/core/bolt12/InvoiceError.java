package dev.boltflow.core.bolt12;

import dev.boltflow.core.bolt12.Bolt12ParseException.Field;
import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.tlv.TlvDecodeException;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * BOLT 12 {@code invoice_error} ("Invoice Errors"): the answer to a bad invoice_request or invoice,
 * sent back over the onion {@code reply_path}. It has no text form. Unknown odd records survive a
 * decode/encode round trip.
 */
public final class InvoiceError {
    public static final long ERRONEOUS_FIELD = 1;
    public static final long SUGGESTED_VALUE = 3;
    public static final long ERROR = 5;

    private final TlvStream records;
    private final Long erroneousField;
    private final Bytes suggestedValue;
    private final String error;

    private InvoiceError(TlvStream records, Long erroneousField, Bytes suggestedValue, String error) {
        this.records = records;
        this.erroneousField = erroneousField;
        this.suggestedValue = suggestedValue;
        this.error = error;
    }

    /** An error message about no particular field. */
    public static InvoiceError of(String error) {
        return build(null, null, error);
    }

    /** An error about the field of type {@code erroneousField} (unsigned). */
    public static InvoiceError of(long erroneousField, String error) {
        return build(erroneousField, null, error);
    }

    /** An error about a field, with the value the writer would accept there. */
    public static InvoiceError of(long erroneousField, Bytes suggestedValue, String error) {
        return build(erroneousField, Objects.requireNonNull(suggestedValue, "suggestedValue"), error);
    }

    private static InvoiceError build(Long field, Bytes suggested, String error) {
        // Writer: MUST set error; sets suggested_value only together with erroneous_field.
        Objects.requireNonNull(error, "error");
        List<TlvRecord> rs = new ArrayList<>(3);
        if (field != null) {
            rs.add(new TlvRecord(ERRONEOUS_FIELD, Bytes.wrap(new ByteWriter(8).truncated(field).toByteArray())));
        }
        if (suggested != null) {
            rs.add(new TlvRecord(SUGGESTED_VALUE, suggested));
        }
        rs.add(new TlvRecord(ERROR, Bytes.wrap(error.getBytes(StandardCharsets.UTF_8))));
        return new InvoiceError(TlvStream.of(rs), field, suggested, error);
    }

    /**
     * Decodes the TLV stream: BOLT 1 stream rules, unknown even types rejected, minimal tu64 and
     * strict UTF-8. A missing {@code error} decodes (the spec's reader section is still "FIXME");
     * {@link #violations()} reports it.
     */
    public static InvoiceError decode(byte[] tlv) {
        TlvStream s;
        try {
            s = TlvStream.decode(tlv);
        } catch (TlvDecodeException e) {
            throw new Bolt12ParseException(Kind.TLV, e.type() == -1 ? null : field(e.type()), e.getMessage(), e);
        } catch (DecodeException e) {
            throw new Bolt12ParseException(Kind.TLV, null, e.getMessage(), e);
        }
        Long erroneous = null;
        Bytes suggested = null;
        String error = null;
        for (TlvRecord r : s.records()) {
            long t = r.type();
            try {
                if (t == ERRONEOUS_FIELD) {
                    erroneous = new ByteReader(r.value().toArray()).truncated(8, "tu64");
                } else if (t == SUGGESTED_VALUE) {
                    suggested = r.value();
                } else if (t == ERROR) {
                    error = Utf8.decode(r.value().toArray());
                } else if (!r.isOdd()) {
                    throw new Bolt12ParseException(Kind.TLV, field(t), "unknown even type in the invoice_error namespace");
                }
            } catch (Bolt12ParseException e) {
                throw e;
            } catch (DecodeException e) {
                throw new Bolt12ParseException(Kind.TLV, field(t), e.getMessage(), e);
            }
        }
        return new InvoiceError(s, erroneous, suggested, error);
    }

    /** The writer rules a received error breaks: {@code error} missing, a suggestion without field. */
    public List<Bolt12ParseException> violations() {
        List<Bolt12ParseException> out = new ArrayList<>(0);
        if (error == null) {
            out.add(new Bolt12ParseException(Kind.MISSING_FIELD, field(ERROR), "missing"));
        }
        if (suggestedValue != null && erroneousField == null) {
            out.add(new Bolt12ParseException(Kind.UNEXPECTED_FIELD, field(SUGGESTED_VALUE),
                    "present without erroneous_field"));
        }
        return Collections.unmodifiableList(out);
    }

    static Field field(long type) {
        String name = type == ERRONEOUS_FIELD ? "erroneous_field"
                : type == SUGGESTED_VALUE ? "suggested_value"
                : type == ERROR ? "error" : "";
        return new Field(type, name);
    }

    public byte[] encode() {
        return records.encode();
    }

    public TlvStream records() {
        return records;
    }

    /** The TLV type of the field in error (unsigned). */
    public OptionalLong erroneousField() {
        return erroneousField == null ? OptionalLong.empty() : OptionalLong.of(erroneousField);
    }

    public Optional<Bytes> suggestedValue() {
        return Optional.ofNullable(suggestedValue);
    }

    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InvoiceError e && records.equals(e.records);
    }

    @Override
    public int hashCode() {
        return records.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("InvoiceError[");
        if (erroneousField != null) {
            sb.append("field ").append(Long.toUnsignedString(erroneousField)).append(": ");
        }
        return sb.append(error == null ? "(no message)" : error).append(']').toString();
    }
}
