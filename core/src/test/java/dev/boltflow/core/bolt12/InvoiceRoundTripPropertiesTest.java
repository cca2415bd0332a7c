package dev.boltflow.core.bolt12;

import static dev.boltflow.core.bolt12.Bolt12Field.*;
import static dev.boltflow.core.bolt12.InvoiceFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayments.PaymentPath;
import dev.boltflow.core.sendinvoice.InvoiceRequestValidator;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.testing.EachSecp256k1Provider;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * For random valid requests (amounts from 1 msat to 21 million bitcoin, with the edges, payer notes, unknown odd fields in
 * both ranges, signed or not): validate, build, sign, encode, decode gives the same invoice, which
 * mirrors the request exactly and passes every payer check. For random streams of request records:
 * the validator accepts or throws {@link SendInvoiceException}, nothing else.
 */
@AddLifecycleHook(EachSecp256k1Provider.class)
class InvoiceRoundTripPropertiesTest {

    /** A request our writer could send, and the invoice parameters to answer it with. */
    record Case(TlvStream request, List<TlvRecord> unknown, long createdAt, long relativeExpiry,
            List<PaymentPath> paths, Bytes32 aux) {
    }

    @Property(tries = 150)
    void valid_requests_round_trip_through_build_sign_and_decode(@ForAll("cases") Case c) {
        InvoiceRequest request = InvoiceRequest.decode(lnr(c.request()));
        SendInvoiceRequest params = SendInvoiceRequest.of(request.encode(), "label")
                .withTimeout(Duration.ofSeconds(c.relativeExpiry()));
        InvoiceRequestValidator.Accepted accepted = InvoiceRequestValidator.validate(params, ChainHashes.BITCOIN,
                c.createdAt());
        assertEquals(request.invreqAmount().getAsLong(), accepted.amountMsat());
        assertEquals(c.relativeExpiry(), accepted.relativeExpirySeconds());

        UnsignedInvoice unsigned = InvoiceBuilder.forRequest(accepted.invoiceRequest()).createdAt(c.createdAt())
                .relativeExpiry(accepted.relativeExpirySeconds()).amountMsat(accepted.amountMsat())
                .paymentHash(PAYMENT_HASH).nodeId(NODE.publicKey()).paths(c.paths()).build();
        Invoice invoice = unsigned.sign(NODE, c.aux());
        Invoice again = Invoice.decode(invoice.encode());
        assertEquals(invoice, again);
        assertEquals(unsigned.records(), again.records().filter(t -> t != SIGNATURE));

        assertEquals(List.of(), again.violations());
        assertTrue(Bolt12Check.check(again, c.createdAt()).isValid());
        assertEquals(List.of(), InvoiceReader.violations(again, request, c.createdAt()));
        assertEquals(List.of(), InvoiceReader.violations(again, request, unsigned.expiresAt()));
        assertEquals(request.records().filter(t -> t != SIGNATURE).records(),
                again.records().filter(InvoiceRequest::inInvreqRange).records());
        for (TlvRecord r : c.unknown()) {
            assertEquals(r, again.records().find(r.type()).orElseThrow());
        }
        assertEquals(c.relativeExpiry() != 7200, again.records().contains(INVOICE_RELATIVE_EXPIRY));
        assertEquals(c.paths().stream().map(PaymentPath::path).toList(), again.invoicePaths().orElseThrow());
        Statistics.label("signed request").collect(request.signature().isPresent());
        Statistics.label("unknown fields").collect(c.unknown().size());
    }

    @Property(tries = 300)
    void arbitrary_request_streams_are_accepted_or_refused_with_a_code(@ForAll("requestStreams") TlvStream s) {
        InvoiceRequest request;
        try {
            request = InvoiceRequest.decode(s.encode());
        } catch (Bolt12ParseException e) {
            Statistics.label("outcome").collect("undecodable");
            return;
        }
        SendInvoiceRequest params = SendInvoiceRequest.of(request.encode(), "label");
        InvoiceRequestValidator.Accepted accepted;
        try {
            accepted = InvoiceRequestValidator.validate(request, params, ChainHashes.BITCOIN, NOW);
        } catch (SendInvoiceException e) {
            assertTrue(e.code() == SendInvoiceException.INVALID_PARAMS || e.code() == SendInvoiceException.OFFER_EXPIRED,
                    e.getMessage());
            Statistics.label("outcome").collect(e.code());
            return;
        }
        Statistics.label("outcome").collect("accepted");
        Invoice invoice = builder(accepted.invoiceRequest()).amountMsat(accepted.amountMsat())
                .relativeExpiry(accepted.relativeExpirySeconds()).build().sign(NODE, AUX);
        assertEquals(List.of(), InvoiceReader.violations(Invoice.decode(invoice.encode()), request, NOW));
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Long> amount = Arbitraries.longs().between(1, SendInvoiceRequest.MAX_AMOUNT_MSAT)
                .edgeCases(e -> e.includeOnly(1L, SendInvoiceRequest.MAX_AMOUNT_MSAT));
        Arbitrary<String> note = Arbitraries.strings().ofMaxLength(60).injectNull(0.4);
        Arbitrary<List<TlvRecord>> unknown = unknownOdd().list().ofMaxSize(6).map(InvoiceRoundTripPropertiesTest::byType);
        Arbitrary<Boolean> signed = Arbitraries.of(true, false);
        Arbitrary<Integer> payerFill = Arbitraries.integers().between(1, 0x7f);
        Arbitrary<TlvStream> request = Combinators.combine(amount, note, unknown, signed, payerFill)
                .as((a, n, u, sig, fill) -> {
                    PrivateKey payer = key(fill);
                    List<TlvRecord> extra = new ArrayList<>(u);
                    extra.add(rec(INVREQ_PAYER_ID, payer.publicKey().bytes()));
                    if (n != null) {
                        extra.add(utf8(INVREQ_PAYER_NOTE, n));
                    }
                    TlvStream s = with(request(a), extra.toArray(new TlvRecord[0]));
                    return sig ? signRequest(s, payer) : s;
                });
        Arbitrary<List<PaymentPath>> paths = Arbitraries.integers().between(0, 7).list().ofMinSize(1).ofMaxSize(3)
                .map(seeds -> seeds.stream().map(i -> i % 2 == 0 ? selfPath(i) : relayedPath(i)).toList());
        Arbitrary<Long> createdAt = Arbitraries.longs().between(0, 1L << 40);
        Arbitrary<Long> expiry = Arbitraries.oneOf(Arbitraries.just(7200L), Arbitraries.longs().between(1, 0xffffffffL));
        Arbitrary<Bytes32> aux = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap);
        return Combinators.combine(request, createdAt, expiry, paths, aux)
                .as((r, t, e, p, x) -> new Case(r, unknownIn(r), t, e, p, x));
    }

    /** Odd types of the invoice_request ranges that no field uses, with random values. */
    private static Arbitrary<TlvRecord> unknownOdd() {
        Arbitrary<Long> low = Arbitraries.longs().between(0, 79).map(i -> 2 * i + 1).filter(t -> t != 89 && t != 91);
        Arbitrary<Long> high = Arbitraries.longs().between(500_000_000L, 1_499_999_999L).map(i -> 2 * i + 1);
        Arbitrary<Long> edges = Arbitraries.of(1L, 159L, 1_000_000_001L, 1_999_999_999L, 2_000_000_001L, 2_999_999_999L);
        Arbitrary<Bytes> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Bytes::wrap);
        return Combinators.combine(Arbitraries.oneOf(low, high, edges), value).as(TlvRecord::new);
    }

    private static List<TlvRecord> unknownIn(TlvStream s) {
        return s.filter(t -> (t & 1) == 1 && Bolt12Field.name(t) == null && InvoiceRequest.inInvreqRange(t)).records();
    }

    private static List<TlvRecord> byType(List<TlvRecord> rs) {
        TreeMap<Long, TlvRecord> m = new TreeMap<>(Long::compareUnsigned);
        for (TlvRecord r : rs) {
            m.put(r.type(), r);
        }
        return new ArrayList<>(m.values());
    }

    /** Streams from a pool of request records, valid and invalid ones, so every rule gets hit. */
    @Provide
    Arbitrary<TlvStream> requestStreams() {
        BlindedPath p = selfPath(0).path();
        BlindedPath hopless = new BlindedPath(p.firstNodeId(), p.firstPathKey(), List.of());
        List<TlvRecord> pool = List.of(
                hex(INVREQ_METADATA, "0102030405060708"),
                utf8(OFFER_DESCRIPTION, "refund"),
                tu64(INVREQ_AMOUNT, 1000), tu64(INVREQ_AMOUNT, 0),
                rec(INVREQ_PAYER_ID, PAYER.publicKey().bytes()), rec(INVREQ_PAYER_ID, OTHER.publicKey().bytes()),
                rec(INVREQ_CHAIN, ChainHashes.BITCOIN.bytes()), rec(INVREQ_CHAIN, ChainHashes.REGTEST.bytes()),
                rec(OFFER_CHAINS, ChainHashes.BITCOIN.bytes()), rec(OFFER_FEATURES, Bytes.EMPTY),
                tu64(OFFER_QUANTITY_MAX, 2), rec(OFFER_ISSUER_ID, NODE.publicKey().bytes()),
                rec(OFFER_PATHS, Bytes.wrap(p.encode())), tu64(OFFER_ABSOLUTE_EXPIRY, NOW - 1),
                tu64(OFFER_ABSOLUTE_EXPIRY, NOW + 10), tu64(OFFER_AMOUNT, 5), utf8(OFFER_CURRENCY, "EUR"),
                rec(INVREQ_FEATURES, Bytes.fromHex("10")), rec(INVREQ_FEATURES, Bytes.fromHex("20")),
                tu64(INVREQ_QUANTITY, 4), utf8(INVREQ_PAYER_NOTE, "hi"),
                rec(INVREQ_PATHS, Bytes.wrap(p.encode())), rec(INVREQ_PATHS, Bytes.wrap(hopless.encode())),
                hex(INVREQ_BIP_353_NAME, "03626f62076578616d706c65"), hex(INVREQ_BIP_353_NAME, "03622062017a"),
                hex(7, "00"), hex(161, "00"), hex(1_000_000_001L, "01"), hex(3_000_000_001L, "01"), hex(241, "00"));
        TlvStream base = request(1000);
        Arbitrary<List<TlvRecord>> changes = Arbitraries.of(pool).list().ofMaxSize(4);
        Arbitrary<List<Long>> removals = Arbitraries.of(INVREQ_METADATA, OFFER_DESCRIPTION, INVREQ_AMOUNT,
                INVREQ_PAYER_ID).list().ofMaxSize(2);
        Arbitrary<Integer> signing = Arbitraries.of(0, 1, 2);
        return Combinators.combine(changes, removals, signing).as((add, remove, mode) -> {
            TlvStream s = with(base, byType(add).toArray(new TlvRecord[0]));
            if (remove.size() == 2) { // sometimes drop a required record
                s = without(s, remove.get(0));
            }
            if (s.filter(t -> t != SIGNATURE && t != 241).isEmpty()) {
                return s;
            }
            return mode == 1 ? signRequest(s, PAYER) : mode == 2 ? signRequest(s, OTHER) : s;
        });
    }
}
