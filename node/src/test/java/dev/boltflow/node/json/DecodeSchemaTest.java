package dev.boltflow.node.json;

import static dev.boltflow.core.bolt12.Bolt12Field.*;
import static dev.boltflow.core.bolt12.InvoiceFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.node.testing.ClnSchemas;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every answer of {@code decode}, for every input, is one Core Lightning's {@code decode.json}
 * allows, or a -32602 error where Core Lightning's decoder refuses the string: expired offers,
 * requests and invoices (no {@code warning_*_expired}: the schema has none), unsigned and tampered
 * requests, invoices missing fields, u64 values above 2^63, every official offer vector, and random
 * TLV streams in all three string kinds.
 */
class DecodeSchemaTest {
    private static final long LATER = NOW + 365L * 24 * 3600;

    /** Decodes {@code s} at {@code now}: an answer that validates, or an error; returns the answer or null. */
    private static ObjectNode checked(String s, long now) {
        Bolt12Decoding.Outcome o = Bolt12Decoding.decode(s, now);
        if (o.json().isEmpty()) {
            assertTrue(o.error().orElseThrow().startsWith("invalid "), o.error().get());
            assertTrue(o.verdict() != Bolt12Decoding.Verdict.VALID);
            return null;
        }
        ObjectNode j = o.json().get();
        assertEquals(List.of(), ClnSchemas.validateResponse("decode", j), j.toString());
        assertEquals(o.verdict() == Bolt12Decoding.Verdict.VALID, j.get("valid").asBoolean(), j.toString());
        j.fieldNames().forEachRemaining(f -> assertFalse(f.endsWith("_expired"), f));
        return j;
    }

    private static String lno(TlvStream s) {
        return Bolt12String.encode(Bolt12String.OFFER_HRP, s.encode());
    }

    private static String lni(TlvStream s) {
        return Bolt12String.encode(Bolt12String.INVOICE_HRP, s.encode());
    }

    private static TlvStream offer(TlvRecord... extra) {
        return with(TlvStream.sorted(List.of(utf8(OFFER_DESCRIPTION, "coffee"),
                rec(OFFER_ISSUER_ID, NODE.publicKey().bytes()))), extra);
    }

    private static TlvStream signedInvoice(TlvStream request) {
        InvoiceRequest r = decodeRequest(request);
        return signInvoice(builder(r).amountMsat(r.invreqAmount().getAsLong()).build().records(), NODE);
    }

    @Test
    void expired_offers_requests_and_invoices_are_valid_and_within_the_schema() {
        String offer = lno(offer(tu64(OFFER_ABSOLUTE_EXPIRY, NOW)));
        TlvStream request = signRequest(request(5_000, tu64(OFFER_ABSOLUTE_EXPIRY, NOW)), PAYER);
        String invoice = lni(signedInvoice(request));
        for (String s : List.of(offer, lnr(request), invoice)) {
            JsonNode j = checked(s, LATER);
            assertTrue(j.get("valid").asBoolean(), j.toString());
            assertTrue(Bolt12Decoding.decode(s, LATER).notes().stream().anyMatch(n -> n.contains("expired")));
            assertEquals(List.of(), Bolt12Decoding.decode(s, NOW - 1).notes());
        }
        // Core Lightning's own invoice, a day after it was paid.
        String cln = clnInvoice();
        long paidAt = clnExample().get("response").get("paid_at").asLong();
        assertTrue(checked(cln, paidAt + 86_400).get("valid").asBoolean());
    }

    @Test
    void an_unsigned_request_is_valid_false_with_core_lightnings_warning() {
        ObjectNode j = checked(lnr(request(5_000)), NOW);
        assertFalse(j.get("valid").asBoolean());
        // What the schema refuses: the old reasons array, a signature or an expiry warning here.
        for (String extra : List.of("reasons", "signature", "warning_invoice_expired")) {
            assertFalse(ClnSchemas.validateResponse("decode", j.deepCopy().put(extra, "x")).isEmpty(), extra);
        }
        assertTrue(j.has("warning_missing_invoice_request_signature"), j.toString());
        assertTrue(j.has("invreq_amount_msat") && !j.has("signature"), j.toString());
        assertEquals(Bolt12Decoding.Verdict.BREAKS_A_RULE, Bolt12Decoding.decode(lnr(request(5_000)), NOW).verdict());
    }

    @Test
    void tampered_signatures_and_missing_fields_use_core_lightnings_warnings() {
        TlvStream request = signRequest(request(5_000), PAYER);
        TlvStream otherSigner = signRequest(request(5_000), NODE);
        assertTrue(checked(lnr(otherSigner), NOW).has("warning_invalid_invoice_request_signature"));
        TlvStream invoice = signedInvoice(request);
        TlvStream wrongSigner = signInvoice(invoice, PAYER);
        JsonNode bad = checked(lni(wrongSigner), NOW);
        assertTrue(bad.has("warning_invalid_invoice_signature"), bad.toString());
        assertFalse(bad.has("invoice_amount_msat"), "the invalid branch lists no invoice field");
        JsonNode noPaths = checked(lni(signInvoice(without(without(invoice, INVOICE_PATHS), INVOICE_BLINDEDPAY), NODE)), NOW);
        assertTrue(noPaths.has("warning_missing_invoice_paths"), noPaths.toString());
        JsonNode noMetadata = checked(lnr(signRequest(without(request(5_000), INVREQ_METADATA), PAYER)), NOW);
        assertTrue(noMetadata.has("warning_missing_invreq_metadata"), noMetadata.toString());
        // A rule Core Lightning has no warning for (a field out of range): refused outright.
        assertEquals(null, checked(lnr(signRequest(request(5_000, tu64(161, 1)), PAYER)), NOW));
    }

    /** u64 values at and above 2^63 print as unsigned numbers, never negative. */
    @Test
    void u64_fields_print_unsigned() {
        TlvStream request = signRequest(request(-2L, tu64(OFFER_ABSOLUTE_EXPIRY, -1L), tu64(OFFER_AMOUNT, -3L),
                utf8(OFFER_CURRENCY, "USD")), PAYER);
        JsonNode j = checked(lnr(request), NOW);
        assertTrue(j.get("valid").asBoolean(), j.toString());
        assertEquals(new BigInteger("18446744073709551614"), j.get("invreq_amount_msat").bigIntegerValue());
        assertEquals(new BigInteger("18446744073709551615"), j.get("offer_absolute_expiry").bigIntegerValue());
        assertEquals(new BigInteger("18446744073709551613"), j.get("offer_amount").bigIntegerValue());
        JsonNode invoice = checked(lni(signedInvoice(request)), NOW);
        assertEquals(new BigInteger("18446744073709551614"), invoice.get("invoice_amount_msat").bigIntegerValue());
    }

    static Stream<Arguments> offers() {
        return Vectors.elements(Vectors.json("bolt12/offers-test.json")).stream()
                .map(n -> Arguments.of(n.get("description").asText(), n.get("bolt12").asText(), n.get("valid").asBoolean()));
    }

    /** Every official offer vector: valid ones validate; invalid ones are valid: false within the schema, or refused. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("offers")
    void official_offer_vectors(String description, String bolt12, boolean valid) {
        JsonNode j = checked(bolt12, NOW);
        if (valid) {
            assertTrue(j != null && j.get("valid").asBoolean(), description);
        } else {
            assertTrue(j == null || !j.get("valid").asBoolean(), description);
        }
    }

    @Provide
    Arbitrary<String> strings() {
        Arbitrary<Long> types = Arbitraries.oneOf(Arbitraries.of(0L, 2L, 8L, 10L, 14L, 22L, 80L, 82L, 86L, 88L, 89L, 90L,
                160L, 162L, 164L, 166L, 168L, 170L, 174L, 176L, 240L), Arbitraries.longs().between(0, 300));
        Arbitrary<TlvRecord> record = types.flatMap(t -> Arbitraries.bytes().array(byte[].class).ofMaxSize(40)
                .map(v -> new TlvRecord(t, Bytes.wrap(v))));
        Arbitrary<TlvStream> stream = record.list().ofMaxSize(12).map(rs -> {
            List<TlvRecord> unique = new ArrayList<>();
            rs.stream().filter(r -> unique.stream().noneMatch(u -> u.type() == r.type())).forEach(unique::add);
            return TlvStream.sorted(unique);
        });
        return Arbitraries.oneOf(stream.map(DecodeSchemaTest::lno), stream.map(s -> lnr(s)), stream.map(DecodeSchemaTest::lni),
                Arbitraries.strings().ofMaxLength(60));
    }

    /** For any string at all: an answer within the schema, or an error. */
    @Property(tries = 500)
    void every_answer_is_within_the_schema_or_an_error(@ForAll("strings") String s) {
        checked(s, NOW);
    }
}
