package dev.boltflow.core.bolt12;

import static dev.boltflow.core.bolt12.Bolt12Field.*;
import static dev.boltflow.core.bolt12.InvoiceFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayInfo;
import dev.boltflow.core.tlv.TlvStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BOLT 12 "Invoices", reader requirements of a payer checking the answer to its own invoice_request:
 * one crafted invoice per rule, re-signed by invoice_node_id so that only the rule under test fails.
 */
class InvoiceReaderTest {
    private static final InvoiceRequest REQUEST = decodeRequest(request(21_000, utf8(INVREQ_PAYER_NOTE, "thanks"),
            hex(1_000_000_001L, "c0ffee")));
    private static final Invoice GOOD = builder(REQUEST).relativeExpiry(600).build().sign(NODE, AUX);

    private static Bolt12ParseException only(Invoice invoice, InvoiceRequest request, long now) {
        List<Bolt12ParseException> v = InvoiceReader.violations(invoice, request, now);
        assertEquals(1, v.size(), v.toString());
        return v.get(0);
    }

    /** GOOD with {@code r} replacing (or adding) its record, signed again. */
    private static Invoice tampered(long type, Bytes value) {
        return Invoice.decode(signInvoice(with(GOOD.records(), rec(type, value)), NODE).encode());
    }

    private static void assertField(Bolt12ParseException e, Kind kind, long type) {
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(type, e.field().orElseThrow().type(), e.getMessage());
    }

    @Test
    void our_invoice_passes() {
        assertEquals(List.of(), InvoiceReader.violations(GOOD, REQUEST, NOW));
        assertEquals(List.of(), InvoiceReader.violations(GOOD, REQUEST, NOW + 600));
    }

    @Test
    void core_lightning_answer_to_its_request_passes() {
        Invoice cln = Invoice.decode(clnInvoice());
        long created = cln.invoiceCreatedAt().orElseThrow();
        assertEquals(List.of(), InvoiceReader.violations(cln, InvoiceRequest.decode(clnInvreq()), created));
        // ... but not as the answer to another request.
        List<Bolt12ParseException> v = InvoiceReader.violations(cln, REQUEST, created);
        assertTrue(v.stream().anyMatch(e -> e.field().orElseThrow().type() == INVREQ_METADATA), v.toString());
    }

    @Test
    void expired_after_created_at_plus_relative_expiry() {
        assertField(only(GOOD, REQUEST, NOW + 601), Kind.EXPIRED, INVOICE_RELATIVE_EXPIRY);
        Invoice byDefault = builder(REQUEST).build().sign(NODE, AUX);
        assertEquals(List.of(), InvoiceReader.violations(byDefault, REQUEST, NOW + 7200));
        Bolt12ParseException e = only(byDefault, REQUEST, NOW + 7201);
        assertField(e, Kind.EXPIRED, INVOICE_CREATED_AT);
        assertTrue(e.getMessage().contains("7200"), e.getMessage());
    }

    @Test
    void required_fields_must_be_present() {
        for (long type : new long[] {INVOICE_AMOUNT, INVOICE_PAYMENT_HASH, INVOICE_NODE_ID, INVOICE_PATHS,
                INVOICE_BLINDEDPAY}) {
            TlvStream s = without(GOOD.records(), type);
            // Without invoice_node_id there is nothing to verify against; keep the old signature.
            Invoice inv = Invoice.decode((type == INVOICE_NODE_ID ? s : signInvoice(s, NODE)).encode());
            List<Bolt12ParseException> v = InvoiceReader.violations(inv, REQUEST, NOW);
            assertTrue(v.stream().anyMatch(e -> e.kind() == Kind.MISSING_FIELD
                    && e.field().orElseThrow().type() == type), type + ": " + v);
        }
        Invoice noCreatedAt = Invoice.decode(signInvoice(without(GOOD.records(), INVOICE_CREATED_AT), NODE).encode());
        assertField(only(noCreatedAt, REQUEST, NOW), Kind.MISSING_FIELD, INVOICE_CREATED_AT);
    }

    @Test
    void signature_must_be_by_invoice_node_id() {
        Invoice byOther = Invoice.decode(signInvoice(GOOD.records(), OTHER).encode());
        Bolt12ParseException e = only(byOther, REQUEST, NOW);
        assertField(e, Kind.SIGNATURE, SIGNATURE);
        assertTrue(e.getMessage().contains("invoice_node_id"), e.getMessage());
        Invoice unsigned = Invoice.decode(without(GOOD.records(), SIGNATURE).encode());
        assertField(only(unsigned, REQUEST, NOW), Kind.SIGNATURE, SIGNATURE);
        // A record changed after signing.
        Invoice changed = Invoice.decode(with(GOOD.records(), tu64(INVOICE_CREATED_AT, NOW + 1)).encode());
        assertField(only(changed, REQUEST, NOW), Kind.SIGNATURE, SIGNATURE);
    }

    @Test
    void paths_must_be_non_empty_with_hops_and_one_payinfo_each() {
        Invoice noPaths = Invoice.decode(signInvoice(with(GOOD.records(), rec(INVOICE_PATHS, Bytes.EMPTY),
                rec(INVOICE_BLINDEDPAY, Bytes.EMPTY)), NODE).encode());
        assertField(only(noPaths, REQUEST, NOW), Kind.INVALID_FIELD, INVOICE_PATHS);
        BlindedPath path = GOOD.invoicePaths().orElseThrow().get(0);
        BlindedPath hopless = new BlindedPath(path.firstNodeId(), path.firstPathKey(), List.of());
        Invoice zeroHops = tampered(INVOICE_PATHS, Bytes.wrap(BlindedPath.encodeAll(List.of(path, hopless))));
        List<Bolt12ParseException> v = InvoiceReader.violations(zeroHops, REQUEST, NOW);
        assertTrue(v.stream().anyMatch(e -> e.getMessage().equals("invoice_paths (160): blinded path 1 has num_hops 0")),
                v.toString());
        BlindedPayInfo info = GOOD.invoiceBlindedpay().orElseThrow().get(0);
        Invoice twoPayinfos = tampered(INVOICE_BLINDEDPAY, Bytes.wrap(BlindedPayInfo.encodeAll(List.of(info, info))));
        assertField(only(twoPayinfos, REQUEST, NOW), Kind.INVALID_FIELD, INVOICE_BLINDEDPAY);
    }

    @Test
    void unknown_even_invoice_feature_is_rejected_and_odd_ignored() {
        assertField(only(tampered(INVOICE_FEATURES, Features.of(18).bitmap()), REQUEST, NOW),
                Kind.INVALID_FIELD, INVOICE_FEATURES);
        assertEquals(List.of(), InvoiceReader.violations(tampered(INVOICE_FEATURES, Features.of(16, 19).bitmap()),
                REQUEST, NOW));
    }

    @Test
    void invoice_amount_must_equal_invreq_amount() {
        Invoice more = tampered(INVOICE_AMOUNT, tu64(0, 21_001).value());
        Bolt12ParseException e = only(more, REQUEST, NOW);
        assertField(e, Kind.INVALID_FIELD, INVOICE_AMOUNT);
        assertTrue(e.getMessage().contains("21001") && e.getMessage().contains("21000"), e.getMessage());
    }

    @Test
    void every_request_field_must_be_mirrored_exactly() {
        // A field of the request changed in the invoice.
        Invoice changedNote = tampered(INVREQ_PAYER_NOTE, utf8(0, "thank you").value());
        assertField(only(changedNote, REQUEST, NOW), Kind.INVALID_FIELD, INVREQ_PAYER_NOTE);
        Invoice changedUnknown = tampered(1_000_000_001L, Bytes.fromHex("c0ffef"));
        assertField(only(changedUnknown, REQUEST, NOW), Kind.INVALID_FIELD, 1_000_000_001L);
        // A field of the request missing from the invoice.
        Invoice noNote = Invoice.decode(signInvoice(without(GOOD.records(), INVREQ_PAYER_NOTE), NODE).encode());
        assertField(only(noNote, REQUEST, NOW), Kind.MISSING_FIELD, INVREQ_PAYER_NOTE);
        Invoice noUnknown = Invoice.decode(signInvoice(without(GOOD.records(), 1_000_000_001L), NODE).encode());
        assertField(only(noUnknown, REQUEST, NOW), Kind.MISSING_FIELD, 1_000_000_001L);
        // A field in the ranges that the request did not have.
        for (long t : new long[] {3, 159, 2_999_999_999L}) {
            assertField(only(tampered(t, Bytes.fromHex("01")), REQUEST, NOW), Kind.UNEXPECTED_FIELD, t);
        }
        // The request's signature is not mirrored; types 240..1000 are nobody's business here.
        TlvStream signedRequest = signRequest(REQUEST.records(), PAYER);
        assertEquals(List.of(), InvoiceReader.violations(GOOD, decodeRequest(signedRequest), NOW));
    }

    @Test
    void answer_to_an_offer_must_come_from_offer_issuer_id() {
        InvoiceRequest forOffer = decodeRequest(signRequest(request(1000, rec(OFFER_ISSUER_ID,
                OTHER.publicKey().bytes())), PAYER));
        Invoice byNode = builder(forOffer).build().sign(NODE, AUX);
        assertField(only(byNode, forOffer, NOW), Kind.INVALID_FIELD, INVOICE_NODE_ID);
        Invoice byIssuer = builder(forOffer).nodeId(OTHER.publicKey()).build().sign(OTHER, AUX);
        assertEquals(List.of(), InvoiceReader.violations(byIssuer, forOffer, NOW));
    }
}
