package dev.boltflow.core.bolt12;

import dev.boltflow.core.features.Features;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.SciddirOrPubkey;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.tlv.TlvRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BOLT 12 offers, read from ../shared/bolts/bolt12/offers-test.json. */
class OffersVectorTest extends OnEachSecp256k1Provider {
    private static final String FILE = "bolt12/offers-test.json";

    static Stream<Arguments> valid() {
        return Vectors.elements(Vectors.json(FILE)).stream().filter(c -> c.get("valid").asBoolean())
                .map(c -> Arguments.of(c.get("description").asText(), c));
    }

    static Stream<Arguments> invalid() {
        return Vectors.elements(Vectors.json(FILE)).stream().filter(c -> !c.get("valid").asBoolean())
                .map(c -> Arguments.of(c.get("description").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void valid_offer_decodes_to_exactly_the_listed_records(String name, JsonNode c) {
        String s = c.get("bolt12").asText();
        Offer offer = Offer.parse(s);
        assertEquals(List.of(), offer.violations(), name);
        List<TlvRecord> records = offer.records().records();
        JsonNode fields = c.get("fields");
        assertEquals(fields.size(), records.size(), name);
        for (int i = 0; i < records.size(); i++) {
            JsonNode f = fields.get(i);
            TlvRecord r = records.get(i);
            assertEquals(f.get("type").bigIntegerValue().longValue(), r.type(), name + " type #" + i);
            assertEquals(f.get("length").asInt(), r.value().length(), name + " length #" + i);
            assertEquals(f.get("hex").asText(), r.value().toHex(), name + " value #" + i);
        }
        assertEquals(s, offer.encode(), name);
        assertEquals(offer, Bolt12Object.decode(s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalid_offer_is_rejected_with_a_reason(String name, JsonNode c) {
        String s = c.get("bolt12").asText();
        Bolt12ParseException e = assertThrows(Bolt12ParseException.class, () -> Offer.parse(s), name);
        assertFalse(e.getMessage().isBlank());
        if (name.startsWith("Malformed:") && !name.equals("Malformed: empty")) {
            // Malformed strings fail before any reader rule is looked at.
            Bolt12ParseException d = assertThrows(Bolt12ParseException.class, () -> Offer.decode(s), name);
            assertTrue(Set.of(Kind.BECH32, Kind.TLV).contains(d.kind()), d.getMessage());
        }
    }

    @Test
    void invalid_reasons_name_the_field() {
        assertEquals("offer_description (10): missing: required when offer_amount is set",
                reason("Missing offer_description, but has offer_amount").getMessage());
        assertEquals("offer_amount (8): missing: required when offer_currency is set",
                reason("Missing offer_amount with offer_currency").getMessage());
        assertEquals("offer_amount (8): must be greater than zero", reason("Invalid: zero offer_amount").getMessage());
        assertEquals("offer_issuer_id (22): missing: required when offer_paths is absent",
                reason("Missing offer_issuer_id and no offer_path").getMessage());
        assertEquals("offer_chains (2): present with no chain", reason("offer_chains with zero entries").getMessage());
        assertEquals("offer_features (12): unknown even feature bit 122",
                reason("Contains unknown feature 122").getMessage());
        assertEquals("offer_paths (16): blinded path 1 has num_hops 0",
                reason("Second offer_path is empty").getMessage());
        Bolt12ParseException even = reason("Malformed: unknown even TLV type 78");
        assertEquals(Kind.TLV, even.kind());
        // The vector's record is type 72 (its description says 78): an unknown even type either way.
        assertFalse(even.field().orElseThrow().isKnown());
        assertEquals(0, even.field().orElseThrow().type() % 2);
        // These two vectors do not reach the rule they name: the big type is not a well-formed
        // BigSize record (it reads as type 15258 / 30517 with a length past the end), so the TLV
        // stream itself fails. OfferViolationsTest covers both rules with well-formed records.
        assertEquals(Kind.TLV, reason("Contains unknown even type (1000000002)").kind());
        assertEquals(Kind.TLV, reason("Contains type > 1999999999").kind());
        assertEquals(Kind.BECH32, reason("Bech32 padding exceeds 4-bit limit").kind());
        assertEquals(Kind.TLV, reason("Malformed: invalid offer_issuer_id").kind());
        assertEquals(22, reason("Malformed: invalid offer_issuer_id").field().orElseThrow().type());
    }

    @Test
    void typed_fields_match_the_field_info() {
        assertEquals("Test vectors", offer("with description (but no amount)").offerDescription().orElseThrow());
        assertEquals(List.of(ChainHashes.TESTNET), offer("for testnet").offerChains().orElseThrow());
        assertEquals(List.of(ChainHashes.BITCOIN), offer("for bitcoin (redundant)").offerChains().orElseThrow());
        assertEquals(ChainHashes.BITCOIN, offer("for bitcoin or liquidv1").offerChains().orElseThrow().get(1));
        assertEquals(Bytes.wrap(new byte[16]), offer("with metadata").offerMetadata().orElseThrow());
        assertEquals(10000, offer("with amount").offerAmount().orElseThrow());
        Offer usd = offer("with currency");
        assertEquals("USD", usd.offerCurrency().orElseThrow());
        assertEquals(10000, usd.offerAmount().orElseThrow());
        Offer expiring = offer("with expiry");
        long expiry = new java.math.BigInteger(fieldHex("with expiry", 14), 16).longValueExact();
        assertEquals(expiry, expiring.offerAbsoluteExpiry().orElseThrow());
        // "expiry is 2035-01-01" (in some time zone)
        assertEquals(2035, java.time.Instant.ofEpochSecond(expiry + 86400 / 2)
                .atZone(java.time.ZoneOffset.UTC).getYear());
        assertTrue(expiring.isOfferExpired(expiry + 1));
        assertFalse(expiring.isOfferExpired(expiry));
        assertEquals("https://bolt12.org BOLT12 industries", offer("with issuer").offerIssuer().orElseThrow());
        assertEquals(5, offer("with quantity").offerQuantityMax().orElseThrow());
        assertEquals(0, offer("with unlimited (or unknown) quantity").offerQuantityMax().orElseThrow());
        assertEquals(1, offer("with single quantity (weird but valid)").offerQuantityMax().orElseThrow());
        Features f = offer("with feature").offerFeatures().orElseThrow();
        assertEquals(List.of(99), f.setBits());

        List<BlindedPath> paths = offer("with blinded path via Bob (0x424242...), path_key 020202...")
                .offerPaths().orElseThrow();
        assertEquals(1, paths.size());
        assertEquals(2, paths.get(0).numHops());
        assertEquals(Bytes.wrap(new byte[16]), paths.get(0).hops().get(0).encryptedRecipientData());
        assertEquals(Bytes.fromHex("1111111111111111"), paths.get(0).hops().get(1).encryptedRecipientData());

        BlindedPath viaScid = offer("same, with blinded path first_node_id using sciddir").offerPaths().orElseThrow().get(0);
        assertEquals(new SciddirOrPubkey.Sciddir(0, 42), viaScid.firstNodeId());

        Offer twoPaths = offer("... and with second blinded path via 1x2x3 (direction 1), path_key 020202...");
        BlindedPath second = twoPaths.offerPaths().orElseThrow().get(1);
        assertEquals(new SciddirOrPubkey.Sciddir(1, (1L << 40) | (2L << 16) | 3), second.firstNodeId());
        assertEquals(Bytes.fromHex("2222222222222222"), second.hops().get(1).encryptedRecipientData());

        assertTrue(offer("with no issuer_id and blinded path via Bob (0x424242...), path_key 020202...")
                .offerIssuerId().isEmpty());
        assertEquals(Bytes.wrap("helloworld".getBytes(StandardCharsets.US_ASCII)),
                offer("unknown odd field").records().value(33).orElseThrow());
        assertEquals(Bytes.wrap("helloworld".getBytes(StandardCharsets.US_ASCII)),
                offer("unknown odd experimental field").records().value(1000000033L).orElseThrow());
    }

    private static JsonNode vector(String description) {
        for (JsonNode c : Vectors.json(FILE)) {
            if (c.get("description").asText().equals(description)) {
                return c;
            }
        }
        throw new AssertionError("no vector " + description);
    }

    private static String fieldHex(String description, long type) {
        for (JsonNode f : vector(description).get("fields")) {
            if (f.get("type").asLong() == type) {
                return f.get("hex").asText();
            }
        }
        throw new AssertionError("no field " + type + " in " + description);
    }

    private static Offer offer(String description) {
        return Offer.parse(vector(description).get("bolt12").asText());
    }

    private static Bolt12ParseException reason(String description) {
        String bolt12 = vector(description).get("bolt12").asText(); // outside assertThrows: a missing file skips
        return assertThrows(Bolt12ParseException.class, () -> Offer.parse(bolt12));
    }
}
