package dev.boltflow.core.bolt12;

import dev.boltflow.core.features.Features;
import static dev.boltflow.core.bolt12.Bolt12Field.*;
import static dev.boltflow.core.bolt12.TestStreams.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.tlv.TlvStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BOLT 12 "Requirements For Offers", reader side, one crafted offer per rule. */
class OfferViolationsTest {
    private static final TlvStream BASE = stream(utf8(OFFER_DESCRIPTION, "coffee"), point(OFFER_ISSUER_ID, key(1)));

    private static List<Bolt12ParseException> violations(TlvStream s) {
        return Offer.decode(lno(s)).violations();
    }

    private static Bolt12ParseException only(TlvStream s) {
        List<Bolt12ParseException> v = violations(s);
        assertEquals(1, v.size(), v.toString());
        return v.get(0);
    }

    private static Bolt12ParseException decodeFails(TlvStream s) {
        return assertThrows(Bolt12ParseException.class, () -> Offer.decode(lno(s)));
    }

    @Test
    void base_offer_has_no_violation() {
        assertEquals(List.of(), violations(BASE));
        Offer o = Offer.parse(lno(BASE));
        assertEquals("coffee", o.offerDescription().orElseThrow());
        assertEquals(key(1), o.offerIssuerId().orElseThrow());
    }

    @Test
    void odd_type_outside_the_offer_ranges_is_unexpected() {
        for (long t : new long[] {81, 159, 999_999_999L, 2_000_000_001L, 0xffff_ffff_ffff_ffffL}) {
            Bolt12ParseException e = only(with(BASE, hex(t, "00")));
            assertEquals(Kind.UNEXPECTED_FIELD, e.kind());
            assertEquals(t, e.field().orElseThrow().type());
        }
        for (long t : new long[] {1, 79, 1_000_000_001L, 1_999_999_999L}) {
            assertEquals(List.of(), violations(with(BASE, hex(t, "00"))), "type " + t);
        }
        assertEquals("TLV type 2000000001: outside the offer ranges 1-79 and 1000000000-1999999999",
                only(with(BASE, hex(2_000_000_001L, ""))).getMessage());
    }

    @Test
    void unknown_even_type_does_not_decode() {
        for (long t : new long[] {0, 24, 78, 80, 88, 160, 240, 1_000_000_002L}) {
            Bolt12ParseException e = decodeFails(with(BASE, hex(t, "00")));
            assertEquals(Kind.TLV, e.kind());
            assertEquals(t, e.field().orElseThrow().type());
        }
    }

    @Test
    void unknown_even_offer_feature_is_invalid_and_odd_is_ignored() {
        Bolt12ParseException e = only(with(BASE, rec(OFFER_FEATURES, Features.of(0, 3).bitmap())));
        assertEquals(Kind.INVALID_FIELD, e.kind());
        assertEquals("offer_features (12): unknown even feature bit 0", e.getMessage());
        assertEquals(List.of(), violations(with(BASE, rec(OFFER_FEATURES, Features.of(1, 99).bitmap()))));
    }

    @Test
    void empty_offer_chains_is_invalid() {
        Bolt12ParseException e = only(with(BASE, hex(OFFER_CHAINS, "")));
        assertEquals(Kind.INVALID_FIELD, e.kind());
        assertEquals(OFFER_CHAINS, e.field().orElseThrow().type());
        assertEquals(List.of(), violations(with(BASE, rec(OFFER_CHAINS, ChainHashes.BITCOIN.bytes()))));
    }

    @Test
    void amount_needs_a_description() {
        Bolt12ParseException e = only(with(without(BASE, OFFER_DESCRIPTION), tu64(OFFER_AMOUNT, 1000)));
        assertEquals(Kind.MISSING_FIELD, e.kind());
        assertEquals(OFFER_DESCRIPTION, e.field().orElseThrow().type());
        // Without an amount the description is optional.
        assertEquals(List.of(), violations(without(BASE, OFFER_DESCRIPTION)));
    }

    @Test
    void zero_amount_is_invalid() {
        Bolt12ParseException e = only(with(BASE, tu64(OFFER_AMOUNT, 0)));
        assertEquals(Kind.INVALID_FIELD, e.kind());
        assertEquals(OFFER_AMOUNT, e.field().orElseThrow().type());
    }

    @Test
    void currency_needs_an_amount() {
        Bolt12ParseException e = only(with(BASE, utf8(OFFER_CURRENCY, "USD")));
        assertEquals(Kind.MISSING_FIELD, e.kind());
        assertEquals(OFFER_AMOUNT, e.field().orElseThrow().type());
        assertEquals(List.of(), violations(with(with(BASE, utf8(OFFER_CURRENCY, "USD")), tu64(OFFER_AMOUNT, 100))));
    }

    @Test
    void issuer_id_or_paths_is_required() {
        Bolt12ParseException e = only(without(BASE, OFFER_ISSUER_ID));
        assertEquals(Kind.MISSING_FIELD, e.kind());
        assertEquals("offer_issuer_id (22): missing: required when offer_paths is absent", e.getMessage());
        assertEquals(List.of(), violations(with(without(BASE, OFFER_ISSUER_ID), paths(OFFER_PATHS, path(1)))));
    }

    @Test
    void path_without_hops_is_invalid() {
        Bolt12ParseException e = only(with(BASE, paths(OFFER_PATHS, path(2), path(0))));
        assertEquals(Kind.INVALID_FIELD, e.kind());
        assertEquals("offer_paths (16): blinded path 1 has num_hops 0", e.getMessage());
    }

    @Test
    void parse_throws_the_first_violation_and_lists_them_all() {
        TlvStream s = stream(tu64(OFFER_AMOUNT, 0), hex(81, ""));
        List<Bolt12ParseException> all = violations(s);
        assertEquals(4, all.size(), all.toString());
        Bolt12ParseException thrown = assertThrows(Bolt12ParseException.class, () -> Offer.parse(lno(s)));
        assertEquals(all.get(0).getMessage(), thrown.getMessage());
    }

    @Test
    void field_formats_are_exact() {
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(OFFER_AMOUNT, "0001"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(OFFER_AMOUNT, "010000000000000000"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(OFFER_ABSOLUTE_EXPIRY, "00"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(OFFER_QUANTITY_MAX, "0005"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(OFFER_DESCRIPTION, "c0af"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(OFFER_ISSUER, "eda080"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(OFFER_CURRENCY, "ff"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, rec(OFFER_CHAINS, new byte[33]))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, rec(OFFER_ISSUER_ID, key(1).bytes().slice(0, 32)))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, rec(OFFER_ISSUER_ID, key(1).bytes().concat(Bytes.fromHex("00"))))).kind());
        Bolt12ParseException badPath = decodeFails(with(BASE, rec(OFFER_PATHS, Bytes.wrap(path(1).encode()).slice(0, 70))));
        assertEquals(Kind.TLV, badPath.kind());
        assertEquals(OFFER_PATHS, badPath.field().orElseThrow().type());
        Bolt12ParseException badKey = decodeFails(with(BASE, hex(OFFER_ISSUER_ID, "04" + "11".repeat(32))));
        assertEquals(OFFER_ISSUER_ID, badKey.field().orElseThrow().type());
        assertEquals(dev.boltflow.core.bytes.DecodeException.class, badKey.getCause().getClass());
    }

    @Test
    void typed_values_read_back() {
        TlvStream s = stream(hex(OFFER_METADATA, "abcd"), utf8(OFFER_CURRENCY, "EUR"), tu64(OFFER_AMOUNT, 0xffff_ffff_ffff_ffffL),
                utf8(OFFER_DESCRIPTION, "caf\u00e9 \u2615"), tu64(OFFER_ABSOLUTE_EXPIRY, 1_700_000_000L),
                utf8(OFFER_ISSUER, "bob@example.com"), tu64(OFFER_QUANTITY_MAX, 0), point(OFFER_ISSUER_ID, key(2)),
                paths(OFFER_PATHS, path(1), path(3)));
        Offer o = Offer.parse(lno(s));
        assertEquals(Bytes.fromHex("abcd"), o.offerMetadata().orElseThrow());
        assertEquals("EUR", o.offerCurrency().orElseThrow());
        assertEquals("18446744073709551615", Long.toUnsignedString(o.offerAmount().orElseThrow()));
        assertEquals("caf\u00e9 \u2615", o.offerDescription().orElseThrow());
        assertEquals(1_700_000_000L, o.offerAbsoluteExpiry().orElseThrow());
        assertEquals("bob@example.com", o.offerIssuer().orElseThrow());
        assertEquals(0, o.offerQuantityMax().orElseThrow());
        assertEquals(List.of(path(1), path(3)), o.offerPaths().orElseThrow());
        assertEquals(s, o.records());
        assertEquals(Bytes.wrap(s.encode()), o.tlvBytes());
        assertSame(o.records(), o.records());
    }

    @Test
    void wrong_prefix_is_an_hrp_error() {
        assertEquals(Kind.HRP, assertThrows(Bolt12ParseException.class, () -> Offer.decode(lnr(BASE))).kind());
        assertEquals(Kind.HRP, assertThrows(Bolt12ParseException.class,
                () -> Offer.decode(Bolt12String.encode("lnx", BASE.encode()))).kind());
    }
}
