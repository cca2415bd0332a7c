package dev.boltflow.core.bolt12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signatures, offer ids and expiry warnings over real strings and crafted variants of them. */
class Bolt12CheckTest extends OnEachSecp256k1Provider {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static JsonNode clnExample() {
        return Vectors.readJson(Vectors.clnSchemasDir().resolve("sendinvoice.json")).get("json_example").get(0);
    }

    private static InvoiceRequest clnRequest() {
        return InvoiceRequest.decode(clnExample().get("request").get("params").get("invreq").asText());
    }

    private static Invoice clnInvoice() {
        return Invoice.decode(clnExample().get("response").get("bolt12").asText());
    }

    private static long paidAt() {
        return clnExample().get("response").get("paid_at").asLong();
    }

    @Test
    void cln_signed_invoice_request_and_invoice_verify() {
        assertTrue(Bolt12Check.check(clnRequest(), paidAt()).isValid());
        Bolt12Check.Result r = Bolt12Check.check(clnInvoice(), paidAt());
        assertTrue(r.isValid(), r.violations().toString());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void signature_test_invoice_request_verifies() {
        JsonNode cases = Vectors.json("bolt12/signature-test.json");
        JsonNode withString = Vectors.elements(cases).stream().filter(n -> n.has("bolt12")).findFirst().orElseThrow();
        InvoiceRequest invreq = InvoiceRequest.decode(withString.get("bolt12").asText());
        assertEquals(withString.get("signature").asText(), invreq.signature().orElseThrow().toString());
        assertTrue(Bolt12Check.checkInvoiceRequestSignature(invreq).isEmpty());
    }

    @Test
    void a_changed_field_breaks_the_invoice_signature() {
        Invoice invoice = clnInvoice();
        List<TlvRecord> records = invoice.records().records().stream()
                .map(r -> r.type() == Bolt12Field.INVOICE_CREATED_AT ? new TlvRecord(r.type(), Bytes.fromHex("65d8a000")) : r)
                .toList();
        Invoice changed = Invoice.decode(TlvStream.of(records).encode());
        Bolt12Check.Result r = Bolt12Check.check(changed, paidAt());
        assertFalse(r.isValid());
        assertEquals(Kind.SIGNATURE, r.violations().get(0).kind());
    }

    @Test
    void unsigned_request_that_answers_no_offer_is_accepted() {
        TlvStream unsigned = clnRequest().records().filter(t -> !Bolt12Field.isSignatureType(t));
        InvoiceRequest invreq = InvoiceRequest.decode(unsigned.encode());
        assertTrue(invreq.signature().isEmpty());
        assertTrue(Bolt12Check.check(invreq, paidAt()).isValid());
    }

    @Test
    void unsigned_request_for_an_offer_is_refused_and_a_signed_one_accepted() {
        PrivateKey payer = PrivateKey.random(RANDOM);
        PrivateKey issuer = PrivateKey.random(RANDOM);
        TlvStream unsigned = TlvStream.sorted(List.of(
                new TlvRecord(Bolt12Field.INVREQ_METADATA, Bytes.fromHex("0102030405060708")),
                new TlvRecord(Bolt12Field.OFFER_DESCRIPTION, Bytes.wrap("coffee".getBytes())),
                new TlvRecord(Bolt12Field.OFFER_AMOUNT, Bytes.fromHex("64")),
                new TlvRecord(Bolt12Field.OFFER_ISSUER_ID, issuer.publicKey().bytes()),
                new TlvRecord(Bolt12Field.INVREQ_PAYER_ID, payer.publicKey().bytes())));
        InvoiceRequest bare = InvoiceRequest.decode(unsigned.encode());
        Bolt12Check.Result refused = Bolt12Check.check(bare, 0);
        assertTrue(refused.violations().stream().anyMatch(v -> v.kind() == Kind.SIGNATURE), refused.toString());

        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, unsigned, payer, RANDOM);
        InvoiceRequest signed = InvoiceRequest.decode(unsigned.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, sig.bytes()))).encode());
        assertTrue(Bolt12Check.checkInvoiceRequestSignature(signed).isEmpty());
        assertTrue(Bolt12Check.offerId(signed.records()).isPresent());

        Signature byIssuer = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, unsigned, issuer, RANDOM);
        InvoiceRequest wrongSigner = InvoiceRequest.decode(unsigned.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, byIssuer.bytes()))).encode());
        assertEquals(Kind.SIGNATURE, Bolt12Check.checkInvoiceRequestSignature(wrongSigner).orElseThrow().kind());
    }

    @Test
    void offer_id_is_the_merkle_root_of_the_offer_fields_only() {
        Invoice invoice = clnInvoice();
        InvoiceRequest invreq = clnRequest();
        // The invoice mirrors the request's offer fields, so both give the same offer id.
        assertEquals(Bolt12Check.offerId(invreq.records()), Bolt12Check.offerId(invoice.records()));
    }

    @Test
    void expiry_is_a_warning_not_a_violation() {
        Invoice invoice = clnInvoice();
        long expiresAt = clnExample().get("response").get("expires_at").asLong();
        assertEquals(List.of(), Bolt12Check.check(invoice, expiresAt).warnings());
        Bolt12Check.Result late = Bolt12Check.check(invoice, expiresAt + 1);
        assertTrue(late.isValid());
        assertEquals(1, late.warnings().size());
        assertTrue(late.warnings().get(0).startsWith("invoice expired:"), late.warnings().toString());
    }

    /**
     * The offer id covers the offer's own ranges, 1-79 and 1000000000-1999999999, edges included: a
     * record just outside them (0, 80, 999999999, 2000000000) leaves it as it is.
     */
    @Test
    void offer_id_covers_exactly_the_offer_ranges() {
        TlvStream base = TlvStream.of(List.of(new TlvRecord(Bolt12Field.OFFER_DESCRIPTION, Bytes.fromHex("78"))));
        Bytes32 id = Bolt12Check.offerId(base).orElseThrow();
        for (long outside : new long[] {0, 80, 999_999_999L, 2_000_000_000L, -1}) {
            assertEquals(id, Bolt12Check.offerId(TlvStream.sorted(List.of(base.records().get(0),
                    new TlvRecord(outside, Bytes.fromHex("01"))))).orElseThrow(), "type " + outside);
        }
        for (long inside : new long[] {1, 79, 1_000_000_000L, 1_999_999_999L}) {
            assertNotEquals(id, Bolt12Check.offerId(TlvStream.sorted(List.of(base.records().get(0),
                    new TlvRecord(inside, Bytes.fromHex("01"))))).orElseThrow(), "type " + inside);
        }
        assertTrue(Bolt12Check.offerId(TlvStream.of(List.of(new TlvRecord(0, Bytes.fromHex("01")),
                new TlvRecord(80, Bytes.fromHex("01"))))).isEmpty());
    }

    @Test
    void an_invoice_with_a_node_id_and_no_signature_is_refused() {
        Invoice invoice = clnInvoice();
        Invoice unsigned = Invoice.decode(invoice.records().filter(t -> t != Bolt12Field.SIGNATURE).encode());
        Bolt12ParseException e = Bolt12Check.checkInvoiceSignature(unsigned).orElseThrow();
        assertEquals(Kind.SIGNATURE, e.kind());
        assertEquals("signature (240): missing", e.getMessage());
    }
}
