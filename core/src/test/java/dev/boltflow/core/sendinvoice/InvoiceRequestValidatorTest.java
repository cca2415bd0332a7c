package dev.boltflow.core.sendinvoice;

import static dev.boltflow.core.bolt12.Bolt12Field.*;
import static dev.boltflow.core.bolt12.InvoiceFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bip353Name;
import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bolt12.Bolt12ParseException.Field;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.sendinvoice.SendInvoiceException.InvalidParam;
import dev.boltflow.core.sendinvoice.SendInvoiceException.OfferExpired;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * BOLT 12 "Requirements for Invoice Requests", reader side, as sendinvoice applies them: one crafted
 * request per rule, each refused with the code and field Core Lightning would name.
 */
class InvoiceRequestValidatorTest {
    private static final Bytes32 BITCOIN = ChainHashes.BITCOIN;

    private static InvoiceRequestValidator.Accepted accept(TlvStream s, SendInvoiceRequest p) {
        return InvoiceRequestValidator.validate(decodeRequest(s), p, BITCOIN, NOW);
    }

    private static SendInvoiceRequest params(TlvStream s) {
        return SendInvoiceRequest.of(lnr(s), "label");
    }

    private static SendInvoiceException refused(Executable e) {
        return assertThrows(SendInvoiceException.class, e);
    }

    /** -32602 about parameter invreq, naming TLV {@code type}, quoting {@code rule}. */
    private static SendInvoiceException assertInvalidRequest(TlvStream s, long type, String rule) {
        SendInvoiceException e = refused(() -> accept(s, params(s)));
        assertEquals(SendInvoiceException.INVALID_PARAMS, e.code(), e.getMessage());
        InvalidParam d = (InvalidParam) e.data().orElseThrow();
        assertEquals("invreq", d.param());
        assertEquals(type, d.field().orElseThrow().type(), e.getMessage());
        assertTrue(e.getMessage().startsWith("invreq: "), e.getMessage());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
        // The same refusal when the string is decoded here.
        SendInvoiceException viaString = refused(() -> InvoiceRequestValidator.validate(params(s), BITCOIN, NOW));
        assertEquals(e.getMessage(), viaString.getMessage());
        return e;
    }

    @Test
    void our_writers_request_is_accepted_signed_or_not() {
        TlvStream s = request(21_000);
        InvoiceRequestValidator.Accepted a = accept(s, params(s));
        assertEquals(21_000, a.amountMsat());
        assertEquals(90, a.relativeExpirySeconds());
        assertEquals(decodeRequest(s), a.invoiceRequest());
        TlvStream signed = signRequest(s, PAYER);
        assertEquals(21_000, accept(signed, params(signed)).amountMsat());
        InvoiceRequest decoded = decodeRequest(signed);
        assertSame(decoded, InvoiceRequestValidator.validate(decoded, params(signed), BITCOIN, NOW).invoiceRequest());
    }

    @Test
    void core_lightning_request_is_accepted_on_regtest_signed_and_unsigned() {
        SendInvoiceRequest p = SendInvoiceRequest.of(clnInvreq(), "payme for real!");
        InvoiceRequestValidator.Accepted a = InvoiceRequestValidator.validate(p, ChainHashes.REGTEST, NOW);
        assertEquals(2, a.amountMsat());
        assertEquals(90, a.relativeExpirySeconds());
        assertTrue(a.invoiceRequest().signature().isPresent());
        TlvStream unsigned = without(InvoiceRequest.decode(clnInvreq()).records(), SIGNATURE);
        assertEquals(2, InvoiceRequestValidator.validate(decodeRequest(unsigned), p, ChainHashes.REGTEST, NOW)
                .amountMsat());
        // Its chain is regtest: a bitcoin node refuses it.
        SendInvoiceException e = refused(() -> InvoiceRequestValidator.validate(p, BITCOIN, NOW));
        assertEquals(SendInvoiceException.INVALID_PARAMS, e.code());
        assertEquals(INVREQ_CHAIN, ((InvalidParam) e.data().orElseThrow()).field().orElseThrow().type());
    }

    @Test
    void undecodable_string_is_invalid_params() {
        for (String bad : new String[] {"lnr1", "lno1pqps7sjqpgt", "not bolt12", "lnr1qqqqqqqqqq"}) {
            SendInvoiceException e = refused(() -> InvoiceRequestValidator.validate(SendInvoiceRequest.of(bad, "l"),
                    BITCOIN, NOW));
            assertEquals(SendInvoiceException.INVALID_PARAMS, e.code(), bad);
            assertEquals("invreq", ((InvalidParam) e.data().orElseThrow()).param());
            assertTrue(e.getCause() instanceof Bolt12ParseException, bad);
        }
    }

    @Test
    void payer_id_and_metadata_are_required() {
        String rule = "MUST reject if invreq_payer_id or invreq_metadata are not present";
        assertInvalidRequest(without(request(1000), INVREQ_PAYER_ID), INVREQ_PAYER_ID, rule);
        assertInvalidRequest(without(request(1000), INVREQ_METADATA), INVREQ_METADATA, rule);
    }

    @Test
    void fields_outside_the_invoice_request_ranges_are_refused() {
        for (long t : new long[] {161, 239, 1001, 999_999_999L, 3_000_000_001L}) {
            assertInvalidRequest(request(1000, hex(t, "00")), t, "outside 0 to 159 and 1000000000 to 2999999999");
        }
    }

    @Test
    void unknown_even_invreq_feature_is_refused_and_odd_ignored() {
        assertInvalidRequest(request(1000, rec(INVREQ_FEATURES, Features.of(4).bitmap())), INVREQ_FEATURES,
                "unknown even bits");
        TlvStream odd = request(1000, rec(INVREQ_FEATURES, Features.of(5).bitmap()));
        assertEquals(1000, accept(odd, params(odd)).amountMsat());
    }

    @Test
    void signature_must_be_by_the_payer_when_present() {
        SendInvoiceException e = assertInvalidRequest(signRequest(request(1000), OTHER), SIGNATURE,
                "MUST reject if signature is not correct using invreq_payer_id");
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
        // A signature over other content.
        TlvStream moved = with(signRequest(request(1000), PAYER), tu64(INVREQ_AMOUNT, 1001));
        assertInvalidRequest(moved, SIGNATURE, "signature is not correct");
    }

    @Test
    void requests_answering_an_offer_are_refused() {
        String rule = "offer_issuer_id or offer_paths means a response to an offer";
        TlvStream withIssuer = signRequest(request(1000, rec(OFFER_ISSUER_ID, OTHER.publicKey().bytes())), PAYER);
        assertInvalidRequest(withIssuer, OFFER_ISSUER_ID, rule);
        // Unsigned, it is still an offer's request, refused as such (not for its missing signature).
        assertInvalidRequest(without(withIssuer, SIGNATURE), OFFER_ISSUER_ID, rule);
        TlvStream withPaths = signRequest(request(1000, rec(OFFER_PATHS,
                Bytes.wrap(BlindedPath.encodeAll(List.of(selfPath(0).path()))))), PAYER);
        assertInvalidRequest(withPaths, OFFER_PATHS, rule);
    }

    @Test
    void offer_chains_features_and_quantity_max_are_refused_without_an_offer() {
        String rule = "not a response to an offer: MUST reject if offer_chains, offer_features or offer_quantity_max";
        assertInvalidRequest(request(1000, rec(OFFER_CHAINS, BITCOIN.bytes())), OFFER_CHAINS, rule);
        assertInvalidRequest(request(1000, rec(OFFER_FEATURES, Bytes.EMPTY)), OFFER_FEATURES, rule);
        assertInvalidRequest(request(1000, tu64(OFFER_QUANTITY_MAX, 5)), OFFER_QUANTITY_MAX, rule);
    }

    @Test
    void invreq_amount_is_required() {
        assertInvalidRequest(without(request(1000), INVREQ_AMOUNT), INVREQ_AMOUNT,
                "MUST reject if invreq_amount is not present");
        // offer_amount is only informational; it does not stand in for invreq_amount.
        assertInvalidRequest(with(without(request(1000), INVREQ_AMOUNT), tu64(OFFER_AMOUNT, 1000)), INVREQ_AMOUNT,
                "invreq_amount is not present");
        assertInvalidRequest(request(0), INVREQ_AMOUNT, "nothing to invoice");
    }

    @Test
    void chain_must_be_ours_and_absent_means_bitcoin() {
        TlvStream regtest = request(1000, rec(INVREQ_CHAIN, ChainHashes.REGTEST.bytes()));
        assertInvalidRequest(regtest, INVREQ_CHAIN, "MUST reject if invreq_chain is not a supported chain");
        assertEquals(1000, InvoiceRequestValidator.validate(decodeRequest(regtest), params(regtest),
                ChainHashes.REGTEST, NOW).amountMsat());
        TlvStream explicitBitcoin = request(1000, rec(INVREQ_CHAIN, BITCOIN.bytes()));
        assertEquals(1000, accept(explicitBitcoin, params(explicitBitcoin)).amountMsat());
        TlvStream none = request(1000);
        SendInvoiceException e = refused(() -> InvoiceRequestValidator.validate(decodeRequest(none), params(none),
                ChainHashes.TESTNET, NOW));
        assertEquals(INVREQ_CHAIN, ((InvalidParam) e.data().orElseThrow()).field().orElseThrow().type());
        assertTrue(e.getMessage().contains("bitcoin is not a supported chain"), e.getMessage());
    }

    @Test
    void invreq_paths_need_hops() {
        BlindedPath p = selfPath(0).path();
        BlindedPath hopless = new BlindedPath(p.firstNodeId(), p.firstPathKey(), List.of());
        assertInvalidRequest(request(1000, rec(INVREQ_PATHS, Bytes.wrap(BlindedPath.encodeAll(List.of(p, hopless))))),
                INVREQ_PATHS, "MUST reject if num_hops is 0");
        TlvStream ok = request(1000, rec(INVREQ_PATHS, Bytes.wrap(BlindedPath.encodeAll(List.of(p)))));
        assertEquals(List.of(p), accept(ok, params(ok)).invoiceRequest().invreqPaths().orElseThrow());
    }

    @Test
    void bip_353_name_allows_only_its_characters() {
        TlvStream ok = request(1000, bip353("alice_1-x", "example.com"));
        assertEquals(1000, accept(ok, params(ok)).amountMsat());
        for (String[] bad : new String[][] {{"al ice", "example.com"}, {"alice", "exa/mple.com"}, {"\u00e9", "x"}}) {
            assertInvalidRequest(request(1000, bip353(bad[0], bad[1])), INVREQ_BIP_353_NAME,
                    "MUST reject if name or domain contain bytes other than");
        }
    }

    private static TlvRecord bip353(String name, String domain) {
        ByteWriter w = new ByteWriter();
        new Bip353Name(Bytes.wrap(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Bytes.wrap(domain.getBytes(java.nio.charset.StandardCharsets.UTF_8))).writeTo(w);
        return rec(INVREQ_BIP_353_NAME, w.toBytes());
    }

    @Test
    void expired_request_is_1002() {
        TlvStream s = request(1000, tu64(OFFER_ABSOLUTE_EXPIRY, NOW - 1));
        SendInvoiceException e = refused(() -> accept(s, params(s)));
        assertEquals(SendInvoiceException.OFFER_EXPIRED, e.code());
        assertEquals(SendInvoiceException.Code.OFFER_EXPIRED, e.kind());
        assertEquals(new OfferExpired(NOW - 1, NOW), e.data().orElseThrow());
        assertTrue(e.getMessage().startsWith("Offer expired"), e.getMessage());
    }

    @Test
    void invoice_expiry_stays_within_offer_absolute_expiry() {
        TlvStream atExpiry = request(1000, tu64(OFFER_ABSOLUTE_EXPIRY, NOW));
        assertEquals(1, accept(atExpiry, params(atExpiry)).relativeExpirySeconds());
        TlvStream soon = request(1000, tu64(OFFER_ABSOLUTE_EXPIRY, NOW + 30));
        assertEquals(30, accept(soon, params(soon)).relativeExpirySeconds());
        TlvStream later = request(1000, tu64(OFFER_ABSOLUTE_EXPIRY, NOW + 3600));
        assertEquals(90, accept(later, params(later)).relativeExpirySeconds());
        assertEquals(600, accept(later, params(later).withTimeout(Duration.ofMinutes(10))).relativeExpirySeconds());
        assertEquals(3600, accept(later, params(later).withTimeout(Duration.ofHours(2))).relativeExpirySeconds());
    }

    /**
     * BOLT 12: invoice_amount is invreq_amount, and every reader rejects any other: amount_msat may
     * only repeat it (a lower one used to be accepted, giving an invoice every payer refuses).
     */
    @Test
    void amount_msat_defaults_to_invreq_amount_and_may_only_repeat_it() {
        TlvStream s = request(50_000);
        assertEquals(50_000, accept(s, params(s)).amountMsat());
        assertEquals(50_000, accept(s, params(s).withAmountMsat(50_000)).amountMsat());
        for (long other : new long[] {49_999, 50_001, 1}) {
            SendInvoiceException e = refused(() -> accept(s, params(s).withAmountMsat(other)));
            assertEquals(SendInvoiceException.INVALID_PARAMS, e.code());
            assertEquals(new InvalidParam("amount_msat", Optional.empty()), e.data().orElseThrow());
            assertTrue(e.getMessage().contains("MUST reject the invoice if invoice_amount is not equal to invreq_amount"),
                    e.getMessage());
        }
    }

    /** invreq_amount is unsigned, and nothing above 21 million bitcoin can be paid. */
    @Test
    void invreq_amount_above_21_million_bitcoin_is_refused() {
        assertEquals(2_100_000_000_000_000_000L,
                accept(request(2_100_000_000_000_000_000L), params(request(2_100_000_000_000_000_000L))).amountMsat());
        for (long huge : new long[] {2_100_000_000_000_000_001L, Long.MAX_VALUE, -2L}) {
            TlvStream s = request(huge);
            SendInvoiceException e = refused(() -> accept(s, params(s)));
            assertEquals(SendInvoiceException.INVALID_PARAMS, e.code());
            assertEquals(new InvalidParam("invreq", Optional.of(Field.of(INVREQ_AMOUNT))), e.data().orElseThrow());
            assertTrue(e.getMessage().contains(Long.toUnsignedString(huge) + " msat"), e.getMessage());
        }
    }

    @Test
    void quantity_must_repeat_invreq_quantity() {
        TlvStream with3 = request(1000, tu64(INVREQ_QUANTITY, 3));
        assertEquals(1000, accept(with3, params(with3).withQuantity(3)).amountMsat());
        assertEquals(1000, accept(with3, params(with3)).amountMsat());
        SendInvoiceException e = refused(() -> accept(with3, params(with3).withQuantity(4)));
        assertEquals(SendInvoiceException.INVALID_PARAMS, e.code());
        assertEquals("quantity", ((InvalidParam) e.data().orElseThrow()).param());
        assertTrue(e.getMessage().contains("differs from invreq_quantity 3"), e.getMessage());
        TlvStream without = request(1000);
        SendInvoiceException none = refused(() -> accept(without, params(without).withQuantity(1)));
        assertEquals("quantity", ((InvalidParam) none.data().orElseThrow()).param());
        assertTrue(none.getMessage().contains("no invreq_quantity"), none.getMessage());
    }

    @Test
    void rejects_name_the_invreq_string_prefix() {
        // The decode helper refuses other bolt12 objects by prefix.
        String offer = Bolt12String.encode(Bolt12String.OFFER_HRP, request(1000).filter(t -> t == OFFER_DESCRIPTION)
                .encode());
        SendInvoiceException e = refused(() -> InvoiceRequestValidator.decode(offer));
        assertEquals(SendInvoiceException.INVALID_PARAMS, e.code());
        assertTrue(e.getMessage().contains("invoice_request"), e.getMessage());
    }
}
