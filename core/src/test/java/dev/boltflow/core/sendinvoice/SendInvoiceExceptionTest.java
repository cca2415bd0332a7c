package dev.boltflow.core.sendinvoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bolt12.Bolt12ParseException.Field;
import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.sendinvoice.SendInvoiceException.Code;
import dev.boltflow.core.sendinvoice.SendInvoiceException.InvoiceErrorReceived;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Core Lightning's sendinvoice error codes and the data each carries. */
class SendInvoiceExceptionTest {

    @Test
    void codes_are_core_lightnings() {
        assertEquals(List.of(-32602, -1, 900, 1002, 1003, 1004, 1005),
                Arrays.stream(Code.values()).map(Code::value).toList());
        assertEquals(-32602, SendInvoiceException.invalidParam("label", "x").code());
        assertEquals(-1, SendInvoiceException.other("boom", null).code());
        assertEquals(900, SendInvoiceException.duplicateLabel("l").code());
        assertEquals(1002, SendInvoiceException.offerExpired(1, 2).code());
        assertEquals(1003, SendInvoiceException.unreachable("no route", null).code());
        assertEquals(1004, SendInvoiceException.invoiceErrorReceived(InvoiceError.of("no")).code());
        assertEquals(1005, SendInvoiceException.timeout("lni1xyz").code());
    }

    @Test
    void invoice_error_fields_are_carried() {
        InvoiceError err = InvoiceError.of(Bolt12Field.INVOICE_AMOUNT, Bytes.fromHex("03e8"), "amount too high");
        SendInvoiceException e = SendInvoiceException.invoiceErrorReceived(err);
        assertEquals(Code.INVOICE_ERROR_RECEIVED, e.kind());
        InvoiceErrorReceived d = (InvoiceErrorReceived) e.data().orElseThrow();
        assertEquals(OptionalLong.of(170), d.erroneousField());
        assertEquals(Optional.of(Bytes.fromHex("03e8")), d.suggestedValue());
        assertEquals("amount too high", d.error());
        assertEquals(Map.of("erroneous_field", 170L, "suggested_value", "03e8", "error", "amount too high"), d.toMap());
        assertTrue(e.getMessage().contains("amount too high") && e.getMessage().contains("170"), e.getMessage());
        // An error without text (its reader section is FIXME) is carried as empty, as CLN does.
        InvoiceError bare = InvoiceError.decode(Bytes.fromHex("0101aa").toArray());
        InvoiceErrorReceived b = (InvoiceErrorReceived) SendInvoiceException.invoiceErrorReceived(bare).data().orElseThrow();
        assertEquals(Map.of("erroneous_field", 170L, "error", ""), b.toMap());
    }

    @Test
    void erroneous_field_is_an_unsigned_number_and_unparseable_bytes_come_as_hex() {
        // The largest BigSize type: a u64 above 2^63 must not print as a negative number.
        InvoiceError big = InvoiceError.of(-1L, "x");
        Object field = InvoiceErrorReceived.of(big).toMap().get("erroneous_field");
        assertEquals(new java.math.BigInteger("18446744073709551615"), field);
        SendInvoiceException e = SendInvoiceException.invoiceErrorUnparseable(Bytes.fromHex("05ff"), "truncated");
        assertEquals(1004, e.code());
        assertEquals(Map.of("invoice_error_hex", "05ff"), e.data().orElseThrow().toMap());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void timeout_carries_the_invoice_string() {
        SendInvoiceException e = SendInvoiceException.timeout("lni1qqg");
        assertEquals(new SendInvoiceException.Timeout("lni1qqg"), e.data().orElseThrow());
        assertEquals(Map.of("invstring", "lni1qqg"), e.data().orElseThrow().toMap());
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
    }

    @Test
    void invalid_request_names_the_field_and_keeps_the_violation() {
        Bolt12ParseException v = new Bolt12ParseException(Kind.MISSING_FIELD, Field.of(88), "missing");
        SendInvoiceException e = SendInvoiceException.invalidInvoiceRequest(v, "BOLT 12 rule");
        assertEquals("invreq: invreq_payer_id (88): missing (BOLT 12 rule)", e.getMessage());
        assertSame(v, e.getCause());
        assertEquals(Map.of("param", "invreq", "tlv_type", 88L, "tlv_name", "invreq_payer_id"),
                e.data().orElseThrow().toMap());
        SendInvoiceException unknown = SendInvoiceException.invalidInvoiceRequest(
                new Bolt12ParseException(Kind.UNEXPECTED_FIELD, Field.of(1001), "outside"), "r");
        assertEquals(Map.of("param", "invreq", "tlv_type", 1001L), unknown.data().orElseThrow().toMap());
    }

    @Test
    void other_cases() {
        SendInvoiceException dup = SendInvoiceException.duplicateLabel("rent");
        assertEquals(Map.of("label", "rent"), dup.data().orElseThrow().toMap());
        assertTrue(dup.getMessage().contains("'rent'"), dup.getMessage());
        assertEquals(Map.of("offer_absolute_expiry", 10L, "now", 11L),
                SendInvoiceException.offerExpired(10, 11).data().orElseThrow().toMap());
        RuntimeException cause = new RuntimeException("refused");
        SendInvoiceException unreachable = SendInvoiceException.unreachable("connect to 02ab failed", cause);
        assertSame(cause, unreachable.getCause());
        assertTrue(unreachable.data().isEmpty());
        assertTrue(unreachable.getMessage().contains("connect to 02ab failed"));
        assertTrue(SendInvoiceException.other("x", null).data().isEmpty());
    }
}
