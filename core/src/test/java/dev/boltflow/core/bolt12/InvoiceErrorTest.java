package dev.boltflow.core.bolt12;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BOLT 12 "Invoice Errors". */
class InvoiceErrorTest {

    @Test
    void factory_output_decodes_to_the_same_error() {
        InvoiceError e = InvoiceError.of(Bolt12Field.INVREQ_AMOUNT, Bytes.fromHex("03e8"), "amount too low");
        InvoiceError d = InvoiceError.decode(e.encode());
        assertEquals(e, d);
        assertEquals(82, d.erroneousField().orElseThrow());
        assertEquals(Bytes.fromHex("03e8"), d.suggestedValue().orElseThrow());
        assertEquals("amount too low", d.error().orElseThrow());
        assertEquals(List.of(), d.violations());
        assertEquals("010152030203e8050e616d6f756e7420746f6f206c6f77", Bytes.wrap(e.encode()).toHex());
    }

    @Test
    void message_only_error() {
        InvoiceError e = InvoiceError.decode(InvoiceError.of("no").encode());
        assertTrue(e.erroneousField().isEmpty());
        assertTrue(e.suggestedValue().isEmpty());
        assertEquals("no", e.error().orElseThrow());
        assertEquals("InvoiceError[no]", e.toString());
        assertEquals(0, InvoiceError.of(0, "zero field").erroneousField().orElseThrow());
    }

    @Test
    void unknown_odd_records_survive_and_unknown_even_fail() {
        byte[] withOdd = TlvStream.of(List.of(new TlvRecord(5, Bytes.fromHex("6f6b")), new TlvRecord(7, Bytes.fromHex("aa"))))
                .encode();
        assertArrayEquals(withOdd, InvoiceError.decode(withOdd).encode());
        byte[] withEven = TlvStream.of(List.of(new TlvRecord(5, Bytes.fromHex("6f6b")), new TlvRecord(6, Bytes.EMPTY)))
                .encode();
        Bolt12ParseException x = assertThrows(Bolt12ParseException.class, () -> InvoiceError.decode(withEven));
        assertEquals(Kind.TLV, x.kind());
        assertEquals(6, x.field().orElseThrow().type());
    }

    @Test
    void bad_formats_fail_with_the_field_named() {
        Bolt12ParseException tu = assertThrows(Bolt12ParseException.class,
                () -> InvoiceError.decode(Bytes.fromHex("010200520500").toArray()));
        assertTrue(tu.getMessage().startsWith("erroneous_field (1): "), tu.getMessage());
        Bolt12ParseException utf = assertThrows(Bolt12ParseException.class,
                () -> InvoiceError.decode(Bytes.fromHex("0501ff").toArray()));
        assertTrue(utf.getMessage().startsWith("error (5): "), utf.getMessage());
        assertEquals(Kind.TLV, assertThrows(Bolt12ParseException.class,
                () -> InvoiceError.decode(Bytes.fromHex("0505").toArray())).kind());
    }

    @Test
    void writer_rules_are_reported() {
        InvoiceError noMessage = InvoiceError.decode(Bytes.fromHex("010152").toArray());
        assertEquals("error (5): missing", noMessage.violations().get(0).getMessage());
        InvoiceError orphan = InvoiceError.decode(Bytes.fromHex("030100050178").toArray());
        Bolt12ParseException v = orphan.violations().get(0);
        assertEquals(Kind.UNEXPECTED_FIELD, v.kind());
        assertEquals("suggested_value (3): present without erroneous_field", v.getMessage());
    }

    /** A TLV failure inside a record names that record; one before any type is known names none. */
    @Test
    void a_stream_failure_names_the_record_it_is_in() {
        Bolt12ParseException truncated = assertThrows(Bolt12ParseException.class,
                () -> InvoiceError.decode(Bytes.fromHex("05ff00").toArray()));
        assertEquals(5, truncated.field().orElseThrow().type(), truncated.getMessage());
        Bolt12ParseException noType = assertThrows(Bolt12ParseException.class,
                () -> InvoiceError.decode(Bytes.fromHex("fd00").toArray()));
        assertTrue(noType.field().isEmpty(), noType.getMessage());
        assertEquals(noType.getMessage(), noType.detail());
    }

    @Test
    void errors_are_values() {
        InvoiceError a = InvoiceError.of(Bolt12Field.INVOICE_AMOUNT, "too much");
        InvoiceError same = InvoiceError.decode(a.encode());
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, InvoiceError.of(Bolt12Field.INVOICE_AMOUNT, "too little"));
        assertNotEquals(a, InvoiceError.of("too much"));
        assertEquals(TlvStream.decode(a.encode()), a.records());
        assertEquals(3, java.util.stream.Stream.of(a, InvoiceError.of("x"), InvoiceError.of(1, "x"))
                .map(InvoiceError::hashCode).distinct().count());
    }
}
