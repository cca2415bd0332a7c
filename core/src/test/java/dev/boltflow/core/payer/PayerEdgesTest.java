package dev.boltflow.core.payer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceBuilder;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayments;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.ReplyPaths;
import dev.boltflow.core.payer.memory.InMemoryInvoiceRequestStore;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.memory.InMemoryOnionNetwork;
import dev.boltflow.core.testing.CapturedLog;
import dev.boltflow.core.testing.SchedulerClock;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The payer's edges, each seen from outside: messages it ignores, invoices it cannot decode, refusals
 * answered each time, its bounds on payments, failures of the payment, the store or the reply, its
 * metrics, log lines and timestamps, and disposal.
 */
class PayerEdgesTest {
    private static final Instant EPOCH = Instant.ofEpochSecond(1_800_000_000L);
    private static final long BLOCK_HEIGHT = 900_000;
    private final SecureRandom random = new SecureRandom();
    private final CapturedLog log = new CapturedLog(Payer.class);

    @AfterEach
    void closeLog() {
        log.close();
    }

    static final class Counts implements PayerMetrics {
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger paid = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        @Override
        public void invoiceReceived() {
            received.incrementAndGet();
        }

        @Override
        public void invoiceRefused() {
            refused.incrementAndGet();
        }

        @Override
        public void invoicePaid() {
            paid.incrementAndGet();
        }

        @Override
        public void paymentFailed() {
            failed.incrementAndGet();
        }
    }

    /** A payer behind an introduction node, and a payee node that writes invoices by hand. */
    final class World {
        final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        final InMemoryOnionNetwork net = new InMemoryOnionNetwork(Schedulers.immediate(), random);
        final PrivateKey payeeKey = PrivateKey.random(random);
        final PrivateKey payerKey = PrivateKey.random(random);
        final PrivateKey introKey = PrivateKey.random(random);
        final InMemoryOnionNetwork.Node payeeNode = net.addNode(payeeKey, true, false);
        final InMemoryOnionNetwork.Node payerNode = net.addNode(payerKey, false, true);
        final InMemoryOnionNetwork.Node introNode = net.addNode(introKey, true, false);
        final InMemoryInvoiceRequestStore requests = new InMemoryInvoiceRequestStore();
        final Counts metrics = new Counts();
        final Payer payer;
        final List<Payer.Event> events = new CopyOnWriteArrayList<>();
        final List<InboundOnionMessage> replies = new CopyOnWriteArrayList<>();
        final LocalNodeSigner payeeSigner = new LocalNodeSigner(payeeKey, random);
        final Bytes replyContext = Bytes.fromHex("feed");

        World(PaymentSender payments, Payer.Limits limits, UnaryOperator<InvoiceRequestStore> wrapStore) {
            net.connect(introNode.nodeId(), payerNode.nodeId());
            net.connect(payeeNode.nodeId(), introNode.nodeId());
            payer = new Payer(ChainHashes.REGTEST, () -> List.of(introNode.nodeId()), new LocalNodeSigner(payerKey, random),
                    wrapStore.apply(requests), payerNode, payments, invoice -> Optional.empty(),
                    new SchedulerClock(vts, EPOCH), Schedulers.immediate(), random, limits, metrics);
            payer.events().subscribe(events::add);
            payeeNode.inbound().filter(m -> m.pathId().isPresent() && payeeSigner.recognise(m.pathId().get(), replyContext))
                    .subscribe(replies::add);
        }

        World(PaymentSender payments) {
            this(payments, Payer.Limits.defaults(), s -> s);
        }

        OurInvoiceRequest request(Payer.Params params) {
            return payer.createInvoiceRequest(params).block();
        }

        /** A correct invoice for {@code ours} (for {@code amount}), signed by the payee. */
        Invoice invoice(OurInvoiceRequest ours, long amount) {
            return invoice(ours, amount, List.of());
        }

        /** As above, paid over {@code hops} before the payee. */
        Invoice invoice(OurInvoiceRequest ours, long amount, List<BlindedPayments.IntermediateHop> hops) {
            InvoiceRequest invreq = InvoiceRequest.decode(ours.bolt12());
            BlindedPayments.PaymentPath path = BlindedPayments.create(hops, new BlindedPayments.Recipient(
                    payeeKey.publicKey(), Bytes.fromHex("01"), 1, 2 * amount, 18, BLOCK_HEIGHT + 2016), random);
            return payeeSigner.sign(InvoiceBuilder.forRequest(invreq)
                    .createdAt(EPOCH.getEpochSecond())
                    .relativeExpiry(90)
                    .paymentHash(PaymentPreimage.random(random).paymentHash())
                    .amountMsat(amount)
                    .features(Features.EMPTY)
                    .nodeId(payeeKey.publicKey())
                    .paths(List.of(path))
                    .build());
        }

        /** Sends {@code payload} into the first invreq_path of {@code ours}, with our reply path. */
        void sendInto(OurInvoiceRequest ours, OnionMessagePayload payload) {
            BlindedPath path = InvoiceRequest.decode(ours.bolt12()).invreqPaths().orElseThrow().get(0);
            payeeNode.send(new OnionMessages.Destination.Path(path),
                    payload.withReplyPath(payeeSigner.replyPath(List.of(), replyContext))).block();
        }

        void deliver(OurInvoiceRequest ours, Invoice invoice) {
            sendInto(ours, OnionMessagePayload.ofInvoice(invoice.tlvBytes()));
        }

        OurInvoiceRequest stored(OurInvoiceRequest ours) {
            return requests.find(ours.invreqId()).block();
        }
    }

    private static PaymentSender paysAt(Sinks.Empty<Void> release, AtomicInteger started) {
        return invoice -> {
            started.incrementAndGet();
            return release.asMono().then(Mono.fromSupplier(() -> Bytes32.ZERO));
        };
    }

    private List<String> warnings() {
        return log.lines(Level.WARNING);
    }

    private boolean logged(String start) {
        return log.lines(Level.INFO).stream().anyMatch(l -> l.startsWith(start));
    }

    @Test
    void what_is_not_an_invoice_for_us_is_ignored_and_the_log_says_why() {
        AtomicInteger payments = new AtomicInteger();
        World w = new World(invoice -> {
            payments.incrementAndGet();
            return Mono.just(Bytes32.ZERO);
        });
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        OurInvoiceRequest b = w.request(Payer.Params.of(5_000, "b"));
        // Not an invoice at all, on our path.
        w.sendInto(a, OnionMessagePayload.ofInvoiceError(Bytes.wrap(InvoiceError.of("hello").encode())));
        // An invoice sent to our node id, on no path of ours.
        w.payeeNode.send(new OnionMessages.Destination.Node(w.payerNode.nodeId(), Optional.empty()),
                OnionMessagePayload.ofInvoice(w.invoice(a, 5_000).tlvBytes())).block();
        assertTrue(logged("ignored an invoice that came on no path of ours"), log.lines(Level.INFO).toString());
        // a's invoice on b's path: the path_id does not authenticate a's metadata.
        w.deliver(b, w.invoice(a, 5_000));
        assertTrue(logged("ignored an invoice for no invoice_request of ours"), log.lines(Level.INFO).toString());
        // An invoice for a request we disabled.
        w.payer.disable(a.invreqId()).block();
        w.deliver(a, w.invoice(a, 5_000));

        assertEquals(List.of(), w.events);
        assertEquals(List.of(), w.replies);
        assertEquals(0, payments.get());
        assertEquals(0, w.metrics.received.get());
        assertEquals(List.of(), warnings());
    }

    @Test
    void an_invoice_that_cannot_be_decoded_is_answered_with_an_invoice_error() {
        World w = new World(invoice -> Mono.just(Bytes32.ZERO));
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        w.sendInto(a, OnionMessagePayload.ofInvoice(Bytes.fromHex("00")));
        assertEquals(1, w.replies.size());
        InvoiceError e = InvoiceError.decode(w.replies.get(0).payload().invoiceError().orElseThrow().toArray());
        assertTrue(e.error().orElseThrow().startsWith("invoice cannot be decoded: "), e.error().toString());
        assertTrue(logged("refused an invoice that cannot be decoded: "));
        assertEquals(List.of(), warnings());
    }

    /** A refused invoice sent again (the payee retries) is checked and answered again, each counted. */
    @Test
    void a_refused_invoice_sent_again_is_answered_again() {
        World w = new World(invoice -> Mono.just(Bytes32.ZERO));
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        Invoice tooLittle = w.invoice(a, 4_000);
        w.deliver(a, tooLittle);
        w.deliver(a, tooLittle);
        assertEquals(2, w.replies.size());
        assertEquals(2, w.metrics.received.get());
        assertEquals(2, w.metrics.refused.get());
        PayerOutcome last = w.stored(a).lastOutcome().orElseThrow();
        assertEquals(PayerOutcome.Status.REFUSED, last.status());
        assertEquals(EPOCH.getEpochSecond(), last.at());
    }

    /**
     * Payments held back: per request one runs and at most {@code maxQueuedPerRequest} wait; over
     * all requests at most {@code maxPayments} are queued or running. What is over a bound is dropped
     * and logged; once the held payments end, the bounds are free again.
     */
    @Test
    void payments_beyond_the_bounds_are_dropped_until_the_earlier_ones_end() {
        Sinks.Empty<Void> release = Sinks.empty();
        AtomicInteger started = new AtomicInteger();
        World w = new World(paysAt(release, started), new Payer.Limits(16, 4, 3, 1), s -> s);
        OurInvoiceRequest multi = w.request(Payer.Params.of(5_000, "multi").multiUse());
        w.deliver(multi, w.invoice(multi, 5_000)); // runs
        w.deliver(multi, w.invoice(multi, 5_000)); // waits behind it (1 may wait)
        w.deliver(multi, w.invoice(multi, 5_000)); // dropped: one waits already (two in its lane)
        w.deliver(multi, w.invoice(multi, 5_000)); // dropped too: the drop left the lane as it was
        assertEquals(1, started.get());
        assertEquals(2, log.lines(Level.WARNING).stream().filter(l -> l.startsWith("dropped invoice")
                && l.endsWith("2 payments for its invoice_request wait already")).count(), warnings().toString());
        OurInvoiceRequest other = w.request(Payer.Params.of(6_000, "other"));
        OurInvoiceRequest third = w.request(Payer.Params.of(7_000, "third"));
        w.deliver(other, w.invoice(other, 6_000)); // the third payment queued or running
        w.deliver(third, w.invoice(third, 7_000)); // dropped: 3 already
        assertEquals(2, started.get());
        assertTrue(log.lines(Level.WARNING).stream().anyMatch(l -> l.endsWith("3 payments are in flight or waiting")),
                warnings().toString());

        release.tryEmitEmpty();
        assertEquals(3, started.get(), "the one waiting ran after the first");
        assertEquals(3, w.metrics.paid.get());
        assertEquals(3, w.events.stream().filter(e -> e instanceof Payer.Event.Paid).count());

        // Every bound is free again: two for one request and one for another are taken.
        w.deliver(multi, w.invoice(multi, 5_000));
        w.deliver(multi, w.invoice(multi, 5_000));
        w.deliver(third, w.invoice(third, 7_000));
        assertEquals(6, started.get());
        assertEquals(6, w.metrics.paid.get());
    }

    /** The second invoice for a single-use request waits behind the first, then finds it used: logged, not paid. */
    @Test
    void an_invoice_for_a_request_used_meanwhile_is_not_paid() {
        Sinks.Empty<Void> release = Sinks.empty();
        AtomicInteger started = new AtomicInteger();
        World w = new World(paysAt(release, started));
        OurInvoiceRequest once = w.request(Payer.Params.of(5_000, "once"));
        w.deliver(once, w.invoice(once, 5_000));
        w.deliver(once, w.invoice(once, 5_000));
        release.tryEmitEmpty();
        assertEquals(1, started.get());
        assertTrue(logged("not paying invoice"), log.lines(Level.INFO).toString());
        assertEquals(List.of(), warnings());
        PayerOutcome last = w.stored(once).lastOutcome().orElseThrow();
        assertEquals(PayerOutcome.Status.PAID, last.status());
        assertEquals(EPOCH.getEpochSecond(), last.at());
    }

    @Test
    void a_failed_payment_is_reported_recorded_and_counted() {
        World w = new World(invoice -> Mono.error(new IllegalStateException("no route to the payee")));
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        Invoice invoice = w.invoice(a, 5_000);
        w.deliver(a, invoice);
        assertEquals(List.of(new Payer.Event.PaymentFailed(a.invreqId(), invoice.invoicePaymentHash().orElseThrow(),
                "no route to the payee")), w.events);
        PayerOutcome last = w.stored(a).lastOutcome().orElseThrow();
        assertEquals(PayerOutcome.Status.PAYMENT_FAILED, last.status());
        assertEquals("no route to the payee", last.detail());
        assertEquals(1, w.metrics.failed.get());
        assertEquals(0, w.metrics.paid.get());
        assertTrue(logged("payment of invoice"), log.lines(Level.INFO).toString());
        assertTrue(w.stored(a).active(), "a failed payment does not use the request");
        assertEquals(List.of(), warnings());
    }

    /** A store that fails as told, else answers as the in-memory one. */
    private static UnaryOperator<InvoiceRequestStore> failing(String method, Function<Object[], Boolean> when) {
        return real -> (InvoiceRequestStore) Proxy.newProxyInstance(InvoiceRequestStore.class.getClassLoader(),
                new Class<?>[] {InvoiceRequestStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals(method) && when.apply(args)) {
                        return Mono.error(new IllegalStateException("disk full"));
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void an_outcome_that_cannot_be_recorded_is_logged_and_the_invoice_is_paid_all_the_same() {
        World w = new World(invoice -> Mono.just(Bytes32.ZERO), Payer.Limits.defaults(), failing("recordOutcome", a -> true));
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        w.deliver(a, w.invoice(a, 5_000));
        assertEquals(1, w.metrics.paid.get());
        assertTrue(w.stored(a).used());
        assertTrue(warnings().stream().anyMatch(l -> l.startsWith("could not record the outcome of invoice_request")
                && l.contains("disk full")), warnings().toString());
    }

    @Test
    void a_payment_whose_request_cannot_be_read_is_logged_and_later_ones_are_paid() {
        AtomicInteger finds = new AtomicInteger();
        World w = new World(invoice -> Mono.just(Bytes32.ZERO), Payer.Limits.defaults(),
                failing("find", a -> finds.getAndIncrement() == 0));
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        w.deliver(a, w.invoice(a, 5_000));
        assertEquals(0, w.metrics.paid.get());
        assertTrue(warnings().stream().anyMatch(l -> l.startsWith("paying invoice") && l.contains("failed unexpectedly")
                && l.contains("disk full")), warnings().toString());
        OurInvoiceRequest b = w.request(Payer.Params.of(6_000, "b"));
        w.deliver(b, w.invoice(b, 6_000));
        assertEquals(1, w.metrics.paid.get());
        w.deliver(a, w.invoice(a, 5_000));
        assertEquals(2, w.metrics.paid.get(), "the same request, once readable, is paid");
    }

    @Test
    void an_invoice_error_that_cannot_be_sent_is_logged() {
        World w = new World(invoice -> Mono.just(Bytes32.ZERO));
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        BlindedPath path = InvoiceRequest.decode(a.bolt12()).invreqPaths().orElseThrow().get(0);
        // The reply path starts at a node nobody can reach.
        BlindedPath nowhere = new ReplyPaths(PrivateKey.random(random)).create(List.of(), Bytes.fromHex("01"), random);
        w.payeeNode.send(new OnionMessages.Destination.Path(path),
                OnionMessagePayload.ofInvoice(w.invoice(a, 4_000).tlvBytes()).withReplyPath(nowhere)).block();
        assertEquals(1, w.metrics.refused.get());
        assertTrue(logged("could not send an invoice_error: "), log.lines(Level.INFO).toString());
        assertEquals(List.of(), warnings());
    }

    @Test
    void after_dispose_no_invoice_is_handled() {
        AtomicInteger payments = new AtomicInteger();
        World w = new World(invoice -> {
            payments.incrementAndGet();
            return Mono.just(Bytes32.ZERO);
        });
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        assertFalse(w.payer.isDisposed());
        w.payer.dispose();
        assertTrue(w.payer.isDisposed());
        w.deliver(a, w.invoice(a, 5_000));
        assertEquals(0, payments.get());
        assertEquals(0, w.metrics.received.get());
    }

    /** Core Lightning's invreq_id hashes the records below type 160 (so not the signature, 240). */
    @Test
    void the_invreq_id_hashes_the_records_below_160_only() {
        TlvStream records = TlvStream.sorted(List.of(new TlvRecord(0, Bytes.fromHex("01")),
                new TlvRecord(159, Bytes.fromHex("02")), new TlvRecord(160, Bytes.fromHex("03")),
                new TlvRecord(240, Bytes.fromHex("04"))));
        TlvStream below = TlvStream.sorted(List.of(new TlvRecord(0, Bytes.fromHex("01")),
                new TlvRecord(159, Bytes.fromHex("02"))));
        assertEquals(Hashes.sha256Of(below.encode()), Payer.invreqId(records));
    }

    @Test
    void a_paid_event_never_prints_the_preimage() {
        Bytes32 preimage = Bytes32.random(random);
        String printed = new Payer.Event.Paid(Bytes32.ZERO, Bytes32.ZERO, preimage, 5_000).toString();
        assertFalse(printed.contains(preimage.toHex()));
        assertTrue(printed.contains("preimage=<redacted>, amountMsat=5000"), printed);
    }

    /** The optional fields a request may carry are written when given: offer_issuer and offer_absolute_expiry. */
    @Test
    void the_issuer_and_the_absolute_expiry_are_written_when_given() {
        World w = new World(invoice -> Mono.just(Bytes32.ZERO));
        OurInvoiceRequest plain = w.request(Payer.Params.of(5_000, "plain"));
        InvoiceRequest none = InvoiceRequest.decode(plain.bolt12());
        assertEquals(Optional.empty(), none.offerIssuer());
        assertTrue(none.offerAbsoluteExpiry().isEmpty());
        Payer.Params p = new Payer.Params(5_000, "full", Optional.of("ACME"), Optional.empty(),
                java.util.OptionalLong.empty(), true, true).withAbsoluteExpiry(EPOCH.getEpochSecond() + 600);
        InvoiceRequest full = InvoiceRequest.decode(w.request(p).bolt12());
        assertEquals(Optional.of("ACME"), full.offerIssuer());
        assertEquals(EPOCH.getEpochSecond() + 600, full.offerAbsoluteExpiry().getAsLong());
    }

    /** The in-process payment sender turns a refused HTLC into an error naming the payee's reason. */
    @Test
    void a_direct_payment_refused_by_the_payee_fails_with_its_reason() {
        World w = new World(invoice -> Mono.just(Bytes32.ZERO));
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        dev.boltflow.core.sendinvoice.PaymentDecision.Reject no = new dev.boltflow.core.sendinvoice.PaymentDecision.Reject(
                dev.boltflow.core.sendinvoice.PaymentDecision.Reason.EXPIRED, "expired at 1");
        reactor.test.StepVerifier.create(new dev.boltflow.core.payer.memory.DirectPaymentSender(htlc -> Mono.just(no),
                        BLOCK_HEIGHT).pay(w.invoice(a, 5_000)))
                .expectErrorSatisfies(e -> assertEquals("payment refused: " + no, e.getMessage()))
                .verify(java.time.Duration.ofSeconds(10));
    }

    /** The in-process sender can only pay a path that ends at its first node; a longer one is refused before any HTLC. */
    @Test
    void a_direct_payment_over_a_longer_path_is_refused() {
        World w = new World(invoice -> Mono.just(Bytes32.ZERO));
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        Invoice twoHops = w.invoice(a, 5_000, List.of(new BlindedPayments.IntermediateHop(w.introKey.publicKey(),
                0x0000010000020003L, new dev.boltflow.core.onion.EncryptedDataTlv.PaymentRelay(40, 1_000, 1_000), 1,
                Long.MAX_VALUE)));
        AtomicInteger htlcs = new AtomicInteger();
        reactor.test.StepVerifier.create(new dev.boltflow.core.payer.memory.DirectPaymentSender(htlc -> {
                    htlcs.incrementAndGet();
                    return Mono.empty();
                }, BLOCK_HEIGHT).pay(twoHops))
                .expectErrorSatisfies(e -> assertEquals("a direct payment needs a one-hop path, this one has 2", e.getMessage()))
                .verify(java.time.Duration.ofSeconds(10));
        assertEquals(0, htlcs.get());
    }

    /** An invoice without a reply_path that must be refused is refused all the same, with nowhere to answer. */
    @Test
    void a_refused_invoice_without_a_reply_path_gets_no_answer() {
        World w = new World(invoice -> Mono.just(Bytes32.ZERO));
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a"));
        BlindedPath path = InvoiceRequest.decode(a.bolt12()).invreqPaths().orElseThrow().get(0);
        w.payeeNode.send(new OnionMessages.Destination.Path(path),
                OnionMessagePayload.ofInvoice(w.invoice(a, 4_000).tlvBytes())).block();
        assertEquals(1, w.metrics.refused.get());
        assertEquals(PayerOutcome.Status.REFUSED, w.stored(a).lastOutcome().orElseThrow().status());
        assertEquals(List.of(), warnings());
    }

    /**
     * One request, payments released one by one: the third invoice arrives while the second is being
     * paid (the first done) and still waits behind it: a request's lane lasts while it holds a payment.
     */
    @Test
    void a_request_keeps_paying_one_at_a_time_while_its_lane_drains() {
        List<Sinks.Empty<Void>> held = new CopyOnWriteArrayList<>();
        World w = new World(invoice -> {
            Sinks.Empty<Void> release = Sinks.empty();
            held.add(release);
            return release.asMono().then(Mono.fromSupplier(() -> Bytes32.ZERO));
        });
        OurInvoiceRequest a = w.request(Payer.Params.of(5_000, "a").multiUse());
        w.deliver(a, w.invoice(a, 5_000));
        w.deliver(a, w.invoice(a, 5_000));
        assertEquals(1, held.size(), "the second waits behind the first");
        held.get(0).tryEmitEmpty();
        assertEquals(2, held.size(), "the second runs once the first is paid");
        w.deliver(a, w.invoice(a, 5_000));
        assertEquals(2, held.size(), "the third waits behind the second");
        held.get(1).tryEmitEmpty();
        assertEquals(3, held.size());
        held.get(2).tryEmitEmpty();
        assertEquals(3, w.metrics.paid.get());
    }
}
