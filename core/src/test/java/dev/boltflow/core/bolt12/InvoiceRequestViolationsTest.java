package dev.boltflow.core.bolt12;

import dev.boltflow.core.features.Features;
import static dev.boltflow.core.bolt12.Bolt12Field.*;
import static dev.boltflow.core.bolt12.TestStreams.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.tlv.TlvStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BOLT 12 "Requirements for Invoice Requests", reader side, one crafted request per rule. */
class InvoiceRequestViolationsTest {
    /** A request to be paid, as sendinvoice receives it: no offer. */
    private static final TlvStream BASE = stream(hex(INVREQ_METADATA, "0102030405060708"),
            utf8(OFFER_DESCRIPTION, "refund"), tu64(INVREQ_AMOUNT, 5000), point(INVREQ_PAYER_ID, key(7)));
    private static final Set<Bytes32> BITCOIN = Set.of(ChainHashes.BITCOIN);

    private static InvoiceRequest decode(TlvStream s) {
        return InvoiceRequest.decode(lnr(s));
    }

    private static Bolt12ParseException only(List<Bolt12ParseException> v) {
        assertEquals(1, v.size(), v.toString());
        return v.get(0);
    }

    private static Bolt12ParseException decodeFails(TlvStream s) {
        return assertThrows(Bolt12ParseException.class, () -> decode(s));
    }

    @Test
    void base_request_has_no_violation() {
        InvoiceRequest r = InvoiceRequest.parse(lnr(BASE));
        assertEquals(List.of(), r.violations());
        assertEquals(List.of(), r.nonOfferViolations(BITCOIN));
        assertEquals(5000, r.invreqAmount().orElseThrow());
        assertEquals(key(7), r.invreqPayerId().orElseThrow());
        assertTrue(r.signature().isEmpty());
        assertEquals(lnr(BASE), r.encode());
        // The same stream arrives raw in an onion message.
        assertEquals(r, InvoiceRequest.decode(BASE.encode()));
    }

    /** Each decoder takes only its own prefix: the same stream as an lno or lni is not a request. */
    @Test
    void a_string_with_another_prefix_is_not_an_invoice_request() {
        for (String other : new String[] {lno(BASE), lni(BASE)}) {
            Bolt12ParseException e = assertThrows(Bolt12ParseException.class, () -> InvoiceRequest.decode(other));
            assertEquals(Kind.HRP, e.kind(), other);
            assertEquals("expected an invoice_request (lnr), got prefix " + other.substring(0, 3), e.getMessage());
        }
        Bolt12ParseException e = assertThrows(Bolt12ParseException.class, () -> Offer.decode(lnr(BASE)));
        assertEquals(Kind.HRP, e.kind());
        assertEquals(Kind.HRP, assertThrows(Bolt12ParseException.class, () -> Invoice.decode(lnr(BASE))).kind());
    }

    @Test
    void payer_id_is_required() {
        Bolt12ParseException e = only(decode(without(BASE, INVREQ_PAYER_ID)).violations());
        assertEquals(Kind.MISSING_FIELD, e.kind());
        assertEquals("invreq_payer_id (88): missing", e.getMessage());
        assertEquals(new Bolt12ParseException.Field(88, "invreq_payer_id"), e.field().orElseThrow());
        assertThrows(Bolt12ParseException.class, () -> InvoiceRequest.parse(lnr(without(BASE, INVREQ_PAYER_ID))));
    }

    @Test
    void metadata_is_required() {
        Bolt12ParseException e = only(decode(without(BASE, INVREQ_METADATA)).violations());
        assertEquals("invreq_metadata (0): missing", e.getMessage());
    }

    @Test
    void non_signature_type_outside_the_ranges_is_unexpected() {
        for (long t : new long[] {161, 239, 1001, 999_999_999L, 3_000_000_001L}) {
            Bolt12ParseException e = only(decode(with(BASE, hex(t, "ff"))).violations());
            assertEquals(Kind.UNEXPECTED_FIELD, e.kind(), "type " + t);
            assertEquals(t, e.field().orElseThrow().type());
        }
        // Odd types inside the ranges, and the signature range 240..1000, are fine.
        for (long t : new long[] {1, 79, 81, 159, 241, 999, 1_000_000_001L, 2_999_999_999L}) {
            assertEquals(List.of(), decode(with(BASE, hex(t, "ff"))).violations(), "type " + t);
        }
    }

    @Test
    void unknown_even_type_does_not_decode() {
        for (long t : new long[] {24, 92, 158, 160, 176, 242, 1000, 2_000_000_000L}) {
            Bolt12ParseException e = decodeFails(with(BASE, hex(t, "ff")));
            assertEquals(Kind.TLV, e.kind());
            assertEquals(t, e.field().orElseThrow().type());
        }
    }

    @Test
    void unknown_even_invreq_feature_is_invalid() {
        Bolt12ParseException e = only(decode(with(BASE, rec(INVREQ_FEATURES, Features.of(2, 8).bitmap()))).violations());
        assertEquals(Kind.INVALID_FIELD, e.kind());
        assertEquals("invreq_features (84): unknown even feature bits 2, 8", e.getMessage());
        assertEquals(List.of(), decode(with(BASE, rec(INVREQ_FEATURES, Features.of(3).bitmap()))).violations());
    }

    @Test
    void invreq_path_without_hops_is_invalid() {
        Bolt12ParseException e = only(decode(with(BASE, paths(INVREQ_PATHS, path(0)))).violations());
        assertEquals("invreq_paths (90): blinded path 0 has num_hops 0", e.getMessage());
        InvoiceRequest ok = decode(with(BASE, paths(INVREQ_PATHS, path(1), path(2))));
        assertEquals(List.of(), ok.violations());
        assertEquals(List.of(path(1), path(2)), ok.invreqPaths().orElseThrow());
    }

    @Test
    void bip_353_name_allows_only_its_characters() {
        assertEquals(List.of(), decode(with(BASE, bip353("alice_1-x", "example.com"))).violations());
        assertEquals(Bip353Name.of("alice_1-x", "example.com"),
                decode(with(BASE, bip353("alice_1-x", "example.com"))).invreqBip353Name().orElseThrow());
        for (String[] bad : new String[][] {{"al ice", "example.com"}, {"alice", "exa@mple.com"}, {"\u00e9", "x"}}) {
            Bolt12ParseException e = only(decode(with(BASE, bip353(bad[0], bad[1]))).violations());
            assertEquals(Kind.INVALID_FIELD, e.kind());
            assertEquals(INVREQ_BIP_353_NAME, e.field().orElseThrow().type());
        }
        assertThrows(IllegalArgumentException.class, () -> Bip353Name.of("a b", "c"));
    }

    /**
     * The edges of each allowed range are allowed ('0', '9', 'a', 'z', 'A', 'Z', '-', '_', '.') and
     * their ASCII neighbours are not ('/', ':', '`', '{', '@', '[', ',', '^'), in the name and in the
     * domain alike.
     */
    @Test
    void bip_353_name_edge_characters() {
        for (char c : "09azAZ-_.".toCharArray()) {
            String s = "x" + c;
            assertEquals(List.of(), decode(with(BASE, bip353(s, "example.com"))).violations(), s);
            assertEquals(List.of(), decode(with(BASE, bip353("alice", s))).violations(), s);
            assertTrue(new Bip353Name(Bytes.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), Bytes.EMPTY)
                    .validName(), s);
        }
        for (char c : "/:`{@[,^".toCharArray()) {
            String s = "x" + c;
            assertEquals(INVREQ_BIP_353_NAME, only(decode(with(BASE, bip353(s, "example.com"))).violations())
                    .field().orElseThrow().type(), s);
            assertEquals(INVREQ_BIP_353_NAME, only(decode(with(BASE, bip353("alice", s))).violations())
                    .field().orElseThrow().type(), s);
            assertFalse(new Bip353Name(Bytes.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), Bytes.EMPTY)
                    .validName(), s);
        }
    }

    @Test
    void bip_353_name_format_is_exact() {
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(INVREQ_BIP_353_NAME, "0161016200"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(INVREQ_BIP_353_NAME, "016101"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(INVREQ_BIP_353_NAME, "05616263"))).kind());
        assertEquals("@", decode(with(BASE, hex(INVREQ_BIP_353_NAME, "0000"))).invreqBip353Name().orElseThrow().toString());
    }

    @Test
    void fixed_size_fields_have_exact_lengths() {
        assertEquals(Kind.TLV, decodeFails(with(BASE, rec(INVREQ_CHAIN, new byte[31]))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, rec(INVREQ_CHAIN, new byte[33]))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, rec(SIGNATURE, new byte[63]))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, rec(SIGNATURE, new byte[65]))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(INVREQ_AMOUNT, "00"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(INVREQ_QUANTITY, "000001"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(INVREQ_PAYER_NOTE, "80"))).kind());
        assertEquals(Kind.TLV, decodeFails(with(BASE, hex(INVREQ_PAYER_ID, "02" + "00".repeat(32)))).kind());
        InvoiceRequest r = decode(with(with(with(BASE, rec(SIGNATURE, new byte[64])), tu64(INVREQ_QUANTITY, 3)),
                utf8(INVREQ_PAYER_NOTE, "thanks")));
        assertEquals(Bytes.wrap(new byte[64]), r.signature().orElseThrow().bytes());
        assertEquals(3, r.invreqQuantity().orElseThrow());
        assertEquals("thanks", r.invreqPayerNote().orElseThrow());
    }

    @Test
    void non_offer_request_must_not_answer_an_offer() {
        InvoiceRequest withIssuer = decode(with(BASE, point(OFFER_ISSUER_ID, key(3))));
        assertEquals(List.of(), withIssuer.violations());
        Bolt12ParseException e = only(withIssuer.nonOfferViolations(BITCOIN));
        assertEquals(Kind.UNEXPECTED_FIELD, e.kind());
        assertEquals(OFFER_ISSUER_ID, e.field().orElseThrow().type());
        Bolt12ParseException p = only(decode(with(BASE, paths(OFFER_PATHS, path(1)))).nonOfferViolations(BITCOIN));
        assertEquals(OFFER_PATHS, p.field().orElseThrow().type());
    }

    @Test
    void non_offer_request_rejects_offer_chains_features_and_quantity_max() {
        long[][] cases = {{OFFER_CHAINS}, {OFFER_FEATURES}, {OFFER_QUANTITY_MAX}};
        TlvStream[] streams = {
            with(BASE, rec(OFFER_CHAINS, ChainHashes.BITCOIN.bytes())),
            with(BASE, rec(OFFER_FEATURES, Features.of(1).bitmap())),
            with(BASE, tu64(OFFER_QUANTITY_MAX, 2)),
        };
        for (int i = 0; i < streams.length; i++) {
            Bolt12ParseException e = only(decode(streams[i]).nonOfferViolations(BITCOIN));
            assertEquals(Kind.UNEXPECTED_FIELD, e.kind());
            assertEquals(cases[i][0], e.field().orElseThrow().type());
        }
        // offer_amount / offer_currency are informational only.
        assertEquals(List.of(), decode(with(with(BASE, tu64(OFFER_AMOUNT, 3)), utf8(OFFER_CURRENCY, "USD")))
                .nonOfferViolations(BITCOIN));
    }

    @Test
    void non_offer_request_needs_an_amount() {
        Bolt12ParseException e = only(decode(without(BASE, INVREQ_AMOUNT)).nonOfferViolations(BITCOIN));
        assertEquals(Kind.MISSING_FIELD, e.kind());
        assertEquals(INVREQ_AMOUNT, e.field().orElseThrow().type());
    }

    @Test
    void chain_must_be_supported() {
        InvoiceRequest noChain = decode(BASE);
        assertEquals(List.of(), noChain.nonOfferViolations(BITCOIN));
        Bolt12ParseException e = only(noChain.nonOfferViolations(Set.of(ChainHashes.REGTEST)));
        assertEquals(INVREQ_CHAIN, e.field().orElseThrow().type());

        InvoiceRequest testnet = decode(with(BASE, rec(INVREQ_CHAIN, ChainHashes.TESTNET.bytes())));
        assertEquals(ChainHashes.TESTNET, testnet.invreqChain().orElseThrow());
        assertEquals(List.of(), testnet.nonOfferViolations(Set.of(ChainHashes.TESTNET, ChainHashes.BITCOIN)));
        Bolt12ParseException bad = only(testnet.nonOfferViolations(BITCOIN));
        assertEquals(Kind.INVALID_FIELD, bad.kind());
        assertTrue(bad.getMessage().startsWith("invreq_chain (80): chain 43497fd7"), bad.getMessage());
    }

    @Test
    void offer_expiry_is_checked_against_the_given_time() {
        InvoiceRequest r = decode(with(BASE, tu64(OFFER_ABSOLUTE_EXPIRY, 1000)));
        assertFalse(r.isOfferExpired(999));
        assertFalse(r.isOfferExpired(1000));
        assertTrue(r.isOfferExpired(1001));
        assertFalse(decode(BASE).isOfferExpired(Long.MAX_VALUE));
    }

    private static dev.boltflow.core.tlv.TlvRecord bip353(String name, String domain) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] d = domain.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return rec(INVREQ_BIP_353_NAME, new ByteWriter().u8(n.length).bytes(n).u8(d.length).bytes(d).toByteArray());
    }
}
