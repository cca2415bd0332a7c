package dev.boltflow.core.bolt12;

import dev.boltflow.core.onion.BlindedPayInfo;
import dev.boltflow.core.features.Features;
import static dev.boltflow.core.bolt12.Bolt12Field.*;
import static dev.boltflow.core.bolt12.TestStreams.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.tlv.TlvStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BOLT 12 "Invoices", structural reader rules, one crafted invoice per rule. */
class InvoiceViolationsTest {
    private static final Bytes32 HASH = Bytes32.fromHex("11".repeat(32));
    private static final TlvStream BASE = stream(hex(INVREQ_METADATA, "0102030405060708"),
            utf8(OFFER_DESCRIPTION, "refund"), tu64(INVREQ_AMOUNT, 5000), point(INVREQ_PAYER_ID, key(7)),
            paths(INVOICE_PATHS, path(1)), payinfos(payinfo(Features.EMPTY)), tu64(INVOICE_CREATED_AT, 1_700_000_000L),
            rec(INVOICE_PAYMENT_HASH, HASH.bytes()), tu64(INVOICE_AMOUNT, 5000), point(INVOICE_NODE_ID, key(9)),
            rec(SIGNATURE, new byte[64]));

    private static Invoice decode(TlvStream s) {
        return Invoice.decode(lni(s));
    }

    private static Bolt12ParseException only(TlvStream s) {
        List<Bolt12ParseException> v = decode(s).violations();
        assertEquals(1, v.size(), v.toString());
        return v.get(0);
    }

    @Test
    void base_invoice_has_no_violation() {
        Invoice i = Invoice.parse(lni(BASE));
        assertEquals(List.of(), i.violations());
        assertEquals(5000, i.invoiceAmount().orElseThrow());
        assertEquals(HASH, i.invoicePaymentHash().orElseThrow());
        assertEquals(key(9), i.invoiceNodeId().orElseThrow());
        assertEquals(List.of(path(1)), i.invoicePaths().orElseThrow());
        assertEquals(List.of(payinfo(Features.EMPTY)), i.invoiceBlindedpay().orElseThrow());
        assertEquals(lni(BASE), i.encode());
        assertEquals(i, Invoice.decode(BASE.encode()));
    }

    @Test
    void required_fields_are_missing() {
        long[] required = {INVOICE_AMOUNT, INVOICE_CREATED_AT, INVOICE_PAYMENT_HASH, INVOICE_NODE_ID,
            INVOICE_PATHS, INVOICE_BLINDEDPAY};
        for (long t : required) {
            Bolt12ParseException e = only(without(BASE, t));
            assertEquals(Kind.MISSING_FIELD, e.kind(), "type " + t);
            assertEquals(t, e.field().orElseThrow().type());
            assertEquals(Bolt12Field.name(t) + " (" + t + "): missing", e.getMessage());
        }
    }

    @Test
    void missing_signature_is_a_signature_failure() {
        Bolt12ParseException e = only(without(BASE, SIGNATURE));
        assertEquals(Kind.SIGNATURE, e.kind());
        assertEquals("signature (240): missing", e.getMessage());
    }

    @Test
    void unknown_even_invoice_feature_is_invalid() {
        assertEquals(List.of(), decode(with(BASE, rec(INVOICE_FEATURES, Features.of(16).bitmap()))).violations());
        assertEquals(List.of(), decode(with(BASE, rec(INVOICE_FEATURES, Features.of(17, 19).bitmap()))).violations());
        Bolt12ParseException e = only(with(BASE, rec(INVOICE_FEATURES, Features.of(16, 18).bitmap())));
        assertEquals("invoice_features (174): unknown even feature bit 18", e.getMessage());
    }

    @Test
    void empty_invoice_paths_is_invalid() {
        Bolt12ParseException e = only(with(with(BASE, hex(INVOICE_PATHS, "")), hex(INVOICE_BLINDEDPAY, "")));
        assertEquals(Kind.INVALID_FIELD, e.kind());
        assertEquals("invoice_paths (160): empty", e.getMessage());
    }

    @Test
    void invoice_path_without_hops_is_invalid() {
        Bolt12ParseException e = only(with(with(BASE, paths(INVOICE_PATHS, path(1), path(0))),
                payinfos(payinfo(Features.EMPTY), payinfo(Features.EMPTY))));
        assertEquals("invoice_paths (160): blinded path 1 has num_hops 0", e.getMessage());
    }

    @Test
    void one_payinfo_per_path() {
        Bolt12ParseException e = only(with(BASE, payinfos(payinfo(Features.EMPTY), payinfo(Features.EMPTY))));
        assertEquals(Kind.INVALID_FIELD, e.kind());
        assertEquals("invoice_blindedpay (162): 2 blinded_payinfo for 1 invoice_paths", e.getMessage());
    }

    @Test
    void paths_whose_payinfo_has_unknown_even_features_are_unusable() {
        TlvStream two = with(BASE, paths(INVOICE_PATHS, path(1), path(2)));
        Invoice oneUsable = decode(with(two, payinfos(payinfo(Features.of(4)), payinfo(Features.of(5)))));
        assertEquals(List.of(), oneUsable.violations());
        assertEquals(List.of(1), oneUsable.usablePaths());
        Bolt12ParseException e = only(with(two, payinfos(payinfo(Features.of(4)), payinfo(Features.of(0)))));
        assertEquals(Kind.INVALID_FIELD, e.kind());
        assertEquals(INVOICE_BLINDEDPAY, e.field().orElseThrow().type());
    }

    @Test
    void amount_must_equal_invreq_amount() {
        Bolt12ParseException e = only(with(BASE, tu64(INVOICE_AMOUNT, 5001)));
        assertEquals("invoice_amount (170): 5001 msat differs from invreq_amount 5000 msat", e.getMessage());
        assertEquals(List.of(), decode(with(without(BASE, INVREQ_AMOUNT), tu64(INVOICE_AMOUNT, 5001))).violations());
    }

    @Test
    void field_formats_are_exact() {
        assertThrows(Bolt12ParseException.class, () -> decode(with(BASE, hex(INVOICE_RELATIVE_EXPIRY, "0100000000"))));
        assertThrows(Bolt12ParseException.class, () -> decode(with(BASE, hex(INVOICE_RELATIVE_EXPIRY, "00ff"))));
        assertThrows(Bolt12ParseException.class, () -> decode(with(BASE, hex(INVOICE_CREATED_AT, "00"))));
        assertThrows(Bolt12ParseException.class, () -> decode(with(BASE, rec(INVOICE_PAYMENT_HASH, new byte[31]))));
        assertThrows(Bolt12ParseException.class, () -> decode(with(BASE, hex(INVOICE_BLINDEDPAY, "00"))));
        assertThrows(Bolt12ParseException.class, () -> decode(with(BASE, hex(INVOICE_FALLBACKS, "000014"))));
        Bolt12ParseException even = assertThrows(Bolt12ParseException.class, () -> decode(with(BASE, hex(178, ""))));
        assertEquals(Kind.TLV, even.kind());
        assertEquals("TLV type 178: unknown even type in the invoice namespace", even.getMessage());
        assertEquals(Kind.HRP, assertThrows(Bolt12ParseException.class, () -> Invoice.decode(lnr(BASE))).kind());
    }

    @Test
    void expiry_defaults_to_7200_seconds() {
        Invoice i = decode(BASE);
        assertFalse(i.isExpired(1_700_000_000L + 7200));
        assertTrue(i.isExpired(1_700_000_000L + 7201));
        Invoice short_ = decode(with(BASE, tu64(INVOICE_RELATIVE_EXPIRY, 60)));
        assertEquals(60, short_.invoiceRelativeExpiry().orElseThrow());
        assertTrue(short_.isExpired(1_700_000_061L));
        assertFalse(short_.isExpired(1_700_000_060L));
        assertTrue(decode(without(BASE, INVOICE_CREATED_AT)).isExpired(0));
    }

    @Test
    void fallbacks_and_blinded_payinfo_read_back() {
        Bytes program = Bytes.fromHex("00".repeat(20));
        FallbackAddress v0 = new FallbackAddress(0, program);
        FallbackAddress v17 = new FallbackAddress(17, Bytes.fromHex("0102"));
        Invoice i = decode(with(BASE, rec(INVOICE_FALLBACKS, FallbackAddress.encodeAll(List.of(v0, v17)))));
        assertEquals(List.of(v0, v17), i.invoiceFallbacks().orElseThrow());
        assertTrue(v0.isUsableOnBitcoin());
        assertFalse(v17.isUsableOnBitcoin());
        assertFalse(new FallbackAddress(0, Bytes.fromHex("00".repeat(21))).isUsableOnBitcoin());
        assertFalse(new FallbackAddress(1, Bytes.fromHex("00")).isUsableOnBitcoin());
        assertTrue(new FallbackAddress(1, Bytes.fromHex("00".repeat(32))).isUsableOnBitcoin());
        BlindedPayInfo p = new BlindedPayInfo(0xffff_ffffL, 7, 0xffff, -1L, 5, Features.of(9));
        Invoice j = decode(with(BASE, payinfos(p)));
        assertEquals(p, j.invoiceBlindedpay().orElseThrow().get(0));
    }

    /** Invoice.parse applies the reader rules that decode leaves to the caller. */
    @Test
    void parse_refuses_an_invoice_that_breaks_a_reader_rule() {
        String noAmount = lni(without(BASE, INVOICE_AMOUNT));
        assertEquals(List.of(INVOICE_AMOUNT), Invoice.decode(noAmount).violations().stream()
                .map(e -> e.field().orElseThrow().type()).toList());
        Bolt12ParseException e = assertThrows(Bolt12ParseException.class, () -> Invoice.parse(noAmount));
        assertEquals("invoice_amount (170): missing", e.getMessage());
        assertEquals(Kind.SIGNATURE, assertThrows(Bolt12ParseException.class,
                () -> Invoice.parse(lni(without(BASE, SIGNATURE)))).kind());
    }

    /**
     * The edges of isExpired: a relative expiry of 0 ends at invoice_created_at itself, and one that
     * takes the end past 2^64 seconds never ends.
     */
    @Test
    void expiry_edges() {
        Invoice zero = decode(with(BASE, tu64(INVOICE_RELATIVE_EXPIRY, 0)));
        assertFalse(zero.isExpired(1_700_000_000L));
        assertTrue(zero.isExpired(1_700_000_001L));
        Invoice nearTheEnd = decode(with(BASE, tu64(INVOICE_CREATED_AT, -7202L))); // ends at 2^64 - 2
        assertFalse(nearTheEnd.isExpired(-7202L));
        assertFalse(nearTheEnd.isExpired(-2));
        assertTrue(nearTheEnd.isExpired(-1));
        Invoice beyond = decode(with(with(BASE, tu64(INVOICE_CREATED_AT, -2L)), tu64(INVOICE_RELATIVE_EXPIRY, 10)));
        assertFalse(beyond.isExpired(-1), "created_at + relative is past 2^64: never expires");
        assertFalse(beyond.isExpired(1_700_000_000L));
        assertFalse(beyond.isExpired(0));
    }

    /** A path with no hops is no usable path, whatever its payinfo says. */
    @Test
    void a_path_without_hops_is_not_usable() {
        Invoice i = decode(with(with(BASE, paths(INVOICE_PATHS, path(0), path(1), path(3))),
                payinfos(payinfo(Features.EMPTY), payinfo(Features.EMPTY), payinfo(Features.EMPTY))));
        assertEquals(List.of(1, 2), i.usablePaths());
        assertEquals(List.of(), decode(without(BASE, INVOICE_BLINDEDPAY)).usablePaths());
        assertEquals(List.of(), decode(without(BASE, INVOICE_PATHS)).usablePaths());
        assertEquals(List.of(), decode(with(BASE, payinfos(payinfo(Features.EMPTY), payinfo(Features.EMPTY)))).usablePaths());
        assertEquals(List.of(0), decode(BASE).usablePaths());
    }

    /** BOLT 12 reader: a fallback's version is at most 16, its program 2 to 40 bytes (20 or 32 for version 0). */
    @Test
    void fallback_address_bounds() {
        assertTrue(new FallbackAddress(16, Bytes.fromHex("00".repeat(2))).isUsableOnBitcoin());
        assertFalse(new FallbackAddress(17, Bytes.fromHex("00".repeat(2))).isUsableOnBitcoin());
        assertFalse(new FallbackAddress(1, Bytes.fromHex("00".repeat(1))).isUsableOnBitcoin());
        assertTrue(new FallbackAddress(1, Bytes.fromHex("00".repeat(40))).isUsableOnBitcoin());
        assertFalse(new FallbackAddress(1, Bytes.fromHex("00".repeat(41))).isUsableOnBitcoin());
        assertTrue(new FallbackAddress(0, Bytes.fromHex("00".repeat(32))).isUsableOnBitcoin());
        assertFalse(new FallbackAddress(0, Bytes.fromHex("00".repeat(2))).isUsableOnBitcoin());
    }

    /** A truncated integer too long for its field names its format: tu64 or tu32. */
    @Test
    void an_overlong_truncated_integer_names_its_format() {
        Bolt12ParseException tu64 = assertThrows(Bolt12ParseException.class,
                () -> decode(with(BASE, hex(INVOICE_AMOUNT, "010000000000000000"))));
        assertTrue(tu64.getMessage().contains("tu64"), tu64.getMessage());
        Bolt12ParseException tu32 = assertThrows(Bolt12ParseException.class,
                () -> decode(with(BASE, hex(INVOICE_RELATIVE_EXPIRY, "0100000000"))));
        assertTrue(tu32.getMessage().contains("tu32"), tu32.getMessage());
    }
}
