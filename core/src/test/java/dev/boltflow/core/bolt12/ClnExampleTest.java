package dev.boltflow.core.bolt12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Core Lightning's documented {@code sendinvoice} example (cln-schemas/sendinvoice.json
 * json_example[0]: the non-offer invoice_request it was given and the invoice it answered with), and
 * the signed invoice_request of bolt12/signature-test.json.
 */
class ClnExampleTest extends OnEachSecp256k1Provider {

    private static JsonNode example() {
        return Vectors.readJson(Vectors.clnSchemasDir().resolve("sendinvoice.json")).get("json_example").get(0);
    }

    private static String invreqString() {
        return example().get("request").get("params").get("invreq").asText();
    }

    private static String invoiceString() {
        return example().get("response").get("bolt12").asText();
    }

    @Test
    void cln_invoice_request_decodes_and_round_trips() {
        String s = invreqString();
        InvoiceRequest r = InvoiceRequest.parse(s);
        assertEquals(s, r.encode());
        assertEquals(List.of(), r.violations());
        assertEquals(2, r.invreqAmount().orElseThrow());
        assertEquals(example().get("response").get("description").asText(), r.offerDescription().orElseThrow());
        assertEquals("simple test", r.offerDescription().orElseThrow());
        assertEquals(16, r.invreqMetadata().orElseThrow().length());
        assertTrue(r.invreqPayerId().isPresent());
        // CLN signs its non-offer requests although the writer rules say it MUST NOT: kept as is.
        assertTrue(r.signature().isPresent());
        assertTrue(r.offerIssuerId().isEmpty());
        assertTrue(r.offerPaths().isEmpty());
        assertInstanceOf(InvoiceRequest.class, Bolt12Object.decode(s));
    }

    @Test
    void cln_invoice_request_is_a_regtest_request_for_no_offer() {
        InvoiceRequest r = InvoiceRequest.decode(invreqString());
        assertEquals(ChainHashes.REGTEST, r.invreqChain().orElseThrow());
        assertEquals(List.of(), r.nonOfferViolations(Set.of(ChainHashes.REGTEST)));
        List<Bolt12ParseException> onBitcoin = r.nonOfferViolations(Set.of(ChainHashes.BITCOIN));
        assertEquals(1, onBitcoin.size());
        assertEquals(Kind.INVALID_FIELD, onBitcoin.get(0).kind());
        assertEquals(Bolt12Field.INVREQ_CHAIN, onBitcoin.get(0).field().orElseThrow().type());
    }

    @Test
    void cln_invoice_decodes_and_round_trips() {
        JsonNode response = example().get("response");
        String s = invoiceString();
        Invoice inv = Invoice.parse(s);
        assertEquals(s, inv.encode());
        assertEquals(List.of(), inv.violations());
        assertEquals(2, inv.invoiceAmount().orElseThrow());
        assertEquals(response.get("amount_msat").asLong(), inv.invoiceAmount().orElseThrow());
        assertEquals("simple test", inv.offerDescription().orElseThrow());
        assertEquals(Bytes32.fromHex(response.get("payment_hash").asText()), inv.invoicePaymentHash().orElseThrow());
        long created = inv.invoiceCreatedAt().orElseThrow();
        long expiresAt = response.get("expires_at").asLong();
        assertEquals(expiresAt, created + inv.invoiceRelativeExpiry().orElseThrow());
        assertFalse(inv.isExpired(expiresAt));
        assertTrue(inv.isExpired(expiresAt + 1));
        assertEquals(1, inv.invoicePaths().orElseThrow().size());
        assertEquals(1, inv.invoiceBlindedpay().orElseThrow().size());
        assertEquals(List.of(0), inv.usablePaths());
        assertTrue(inv.invoiceNodeId().isPresent());
        assertTrue(inv.signature().isPresent());
        assertInstanceOf(Invoice.class, Bolt12Object.decode(s));
        assertEquals("lni", inv.hrp());
    }

    @Test
    void cln_invoice_mirrors_every_invoice_request_field() {
        InvoiceRequest r = InvoiceRequest.decode(invreqString());
        Invoice inv = Invoice.decode(invoiceString());
        // BOLT 12 invoice writer: MUST copy all non-signature fields from the invoice request.
        assertEquals(r.records().filter(t -> !Bolt12Field.isSignatureType(t)),
                inv.records().filter(InvoiceRequest::inInvreqRange));
        assertEquals(r.invreqPayerId(), inv.invreqPayerId());
        assertEquals(r.invreqAmount(), inv.invreqAmount());
    }

    @Test
    void signature_test_invoice_request_decodes_and_round_trips() {
        JsonNode v = null;
        for (JsonNode c : Vectors.json("bolt12/signature-test.json")) {
            if (c.has("bolt12")) {
                v = c;
            }
        }
        String s = v.get("bolt12").asText();
        InvoiceRequest r = InvoiceRequest.parse(s);
        assertEquals(s, r.encode());
        assertEquals(List.of(), r.violations());
        assertEquals(Signature.fromHex(v.get("signature").asText()), r.signature().orElseThrow());
        assertEquals(v.get("first-tlv").asText(),
                dev.boltflow.core.bytes.Bytes.wrap(r.records().records().get(0).encode()).toHex());
        assertEquals("A Mathematical Treatise", r.offerDescription().orElseThrow());
        assertEquals("USD", r.offerCurrency().orElseThrow());
        assertEquals(100, r.offerAmount().orElseThrow());
        byte[] bob = new byte[32];
        java.util.Arrays.fill(bob, (byte) 0x42);
        byte[] alice = new byte[32];
        java.util.Arrays.fill(alice, (byte) 0x41);
        assertEquals(PrivateKey.fromBytes(bob).publicKey(), r.invreqPayerId().orElseThrow());
        assertEquals(PrivateKey.fromBytes(alice).publicKey(), r.offerIssuerId().orElseThrow());
        // It answers an offer, so the sendinvoice rules refuse it.
        List<Bolt12ParseException> nonOffer = r.nonOfferViolations(Set.of(ChainHashes.BITCOIN));
        assertEquals(Kind.UNEXPECTED_FIELD, nonOffer.get(0).kind());
        assertEquals("offer_issuer_id (22): present: this request answers an offer", nonOffer.get(0).getMessage());
        assertEquals("invreq_amount (82): missing: required without an offer", nonOffer.get(1).getMessage());
    }
}
