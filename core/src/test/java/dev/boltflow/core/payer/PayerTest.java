package dev.boltflow.core.payer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12Check;
import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.payer.memory.DirectPaymentSender;
import dev.boltflow.core.payer.memory.InMemoryInvoiceRequestStore;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import dev.boltflow.core.sendinvoice.memory.InMemoryOnionNetwork;
import dev.boltflow.core.testing.SchedulerClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceBuilder;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.onion.BlindedPayments;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import java.util.OptionalLong;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Both roles over real onion messages between in-process nodes: our Payer writes the
 * invoice_request, our SendInvoice answers it, the Payer checks the invoice and pays it (or refuses
 * it with an invoice_error).
 */
class PayerTest {
    private static final Instant EPOCH = Instant.ofEpochSecond(1_800_000_000L);
    private static final long BLOCK_HEIGHT = 900_000;
    private final SecureRandom random = new SecureRandom();

    final class World {
        final VirtualTimeScheduler vts;
        final SchedulerClock clock;
        final InMemoryOnionNetwork net = new InMemoryOnionNetwork(Schedulers.immediate(), random);
        final PrivateKey payeeKey = PrivateKey.random(random);
        final PrivateKey payerKey = PrivateKey.random(random);
        final PrivateKey introKey = PrivateKey.random(random);
        final InMemoryOnionNetwork.Node payeeNode = net.addNode(payeeKey, true, false);
        final InMemoryOnionNetwork.Node payerNode = net.addNode(payerKey, false, true);
        final InMemoryOnionNetwork.Node introNode = net.addNode(introKey, true, false);
        final InMemoryInvoiceStore invoices = new InMemoryInvoiceStore();
        final SendInvoice payee;
        final Payer payer;
        final List<Payer.Event> events = new CopyOnWriteArrayList<>();

        World(VirtualTimeScheduler vts, java.util.function.Function<dev.boltflow.core.bolt12.Invoice, Optional<InvoiceError>> policy) {
            this(vts, policy, sender -> sender);
        }

        /** @param payments wraps the payer's payment sender (e.g. to hold payments back) */
        World(VirtualTimeScheduler vts, java.util.function.Function<dev.boltflow.core.bolt12.Invoice, Optional<InvoiceError>> policy,
                java.util.function.UnaryOperator<PaymentSender> payments) {
            this.vts = vts;
            this.clock = new SchedulerClock(vts, EPOCH);
            net.connect(introNode.nodeId(), payerNode.nodeId());
            payee = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.REGTEST), invoices, payeeNode,
                    new LocalNodeSigner(payeeKey, random), () -> BLOCK_HEIGHT, clock, vts, Schedulers.immediate(), random);
            payer = new Payer(ChainHashes.REGTEST, () -> List.of(introNode.nodeId()), new LocalNodeSigner(payerKey, random),
                    new InMemoryInvoiceRequestStore(), payerNode,
                    payments.apply(new DirectPaymentSender(payee::acceptPayment, BLOCK_HEIGHT + 10)), policy, clock,
                    Schedulers.immediate(), random);
            payer.events().subscribe(events::add);
        }

        World(java.util.function.Function<dev.boltflow.core.bolt12.Invoice, Optional<InvoiceError>> policy) {
            this(VirtualTimeScheduler.get(), policy); // inside StepVerifier.withVirtualTime
        }

        World() {
            this(invoice -> Optional.empty());
        }
    }

    @Test
    void our_invoice_request_is_answered_checked_and_paid() {
        World[] w = new World[1];
        AtomicReference<OurInvoiceRequest> ours = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            ours.set(w[0].payer.createInvoiceRequest(Payer.Params.of(75_000, "refund #12").withLabel("r12")).block());
            return w[0].payee.send(SendInvoiceRequest.of(ours.get().bolt12(), "pay-r12"));
        })
                .assertNext(r -> {
                    assertEquals(InvoiceStatus.PAID, r.status());
                    assertEquals(75_000, r.amountReceivedMsat().getAsLong());
                })
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        Payer.Event.Paid paid = (Payer.Event.Paid) w[0].events.get(0);
        assertEquals(paid.paymentHash(), Hashes.sha256Of(paid.preimage().toArray()));
        OurInvoiceRequest after = w[0].payer.list(false).blockFirst();
        assertTrue(after.used());
        assertFalse(after.active(), "single use: inactive once paid");
    }

    @Test
    void the_request_we_write_follows_the_writer_rules() {
        World w = new World(VirtualTimeScheduler.create(), invoice -> Optional.empty());
        OurInvoiceRequest ours = w.payer.createInvoiceRequest(Payer.Params.of(1_000, "coffee")).block();
        InvoiceRequest invreq = InvoiceRequest.decode(ours.bolt12());
        assertEquals(List.of(), invreq.violations());
        assertEquals(List.of(), invreq.nonOfferViolations(java.util.Set.of(ChainHashes.REGTEST)));
        assertTrue(invreq.signature().isPresent());
        assertTrue(Bolt12Check.checkInvoiceRequestSignature(invreq).isEmpty());
        assertEquals(Payer.invreqId(invreq.records()), ours.invreqId());
        // A fresh payer id, not our node id; paths lead to us through the introduction node.
        assertFalse(invreq.invreqPayerId().orElseThrow().equals(w.payerNode.nodeId()));
        assertEquals(w.introNode.nodeId(), invreq.invreqPaths().orElseThrow().get(0).firstNodeId().nodeId().orElseThrow());
        OurInvoiceRequest unsigned = w.payer.createInvoiceRequest(Payer.Params.of(1_000, "coffee").unsigned()).block();
        assertTrue(InvoiceRequest.decode(unsigned.bolt12()).signature().isEmpty());
        assertFalse(ours.metadata().equals(unsigned.metadata()));
        assertEquals(2, w.payer.list(true).count().block());
        assertFalse(w.payer.disable(ours.invreqId()).block().active());
        assertEquals(1, w.payer.list(true).count().block());
    }

    @Test
    void an_invoice_our_policy_refuses_gets_an_invoice_error_back_1004() {
        World[] w = new World[1];
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World(invoice -> Optional.of(InvoiceError.of(Bolt12Field.INVOICE_AMOUNT, "changed my mind")));
            OurInvoiceRequest ours = w[0].payer.createInvoiceRequest(Payer.Params.of(5_000, "x")).block();
            return w[0].payee.send(SendInvoiceRequest.of(ours.bolt12(), "refused"));
        })
                .expectErrorSatisfies(e -> {
                    SendInvoiceException s = (SendInvoiceException) e;
                    assertEquals(1004, s.code());
                    SendInvoiceException.InvoiceErrorReceived d = (SendInvoiceException.InvoiceErrorReceived) s.data().orElseThrow();
                    assertEquals(Bolt12Field.INVOICE_AMOUNT, d.erroneousField().getAsLong());
                    assertEquals("changed my mind", d.error());
                })
                .verify(Duration.ofSeconds(10));
        assertInstanceOf(Payer.Event.Refused.class, w[0].events.get(0));
    }

    /** What a payee receives back when it sends an invoice of its own making (see {@link #deliver}). */
    static final class Delivery {
        final Invoice invoice;
        final List<InboundOnionMessage> replies;

        Delivery(Invoice invoice, List<InboundOnionMessage> replies) {
            this.invoice = invoice;
            this.replies = replies;
        }

        InvoiceError error() {
            assertEquals(1, replies.size(), "one reply");
            return InvoiceError.decode(replies.get(0).payload().invoiceError().orElseThrow().toArray());
        }
    }

    /**
     * Writes an invoice for {@code ours} by hand, as a payee that does not follow the rules might
     * (here: for {@code amount}, whatever the request asked), signs it with the payee's key and sends
     * it from the payee's node into the request's path, with a reply path of its own.
     */
    Delivery deliver(World w, OurInvoiceRequest ours, long amount) {
        InvoiceRequest invreq = InvoiceRequest.decode(ours.bolt12());
        LocalNodeSigner signer = new LocalNodeSigner(w.payeeKey, random);
        PaymentPreimage preimage = PaymentPreimage.random(random);
        BlindedPayments.PaymentPath path = BlindedPayments.create(List.of(), new BlindedPayments.Recipient(
                w.payeeKey.publicKey(), Bytes.fromHex("01"), 1, 2 * amount, 18, BLOCK_HEIGHT + 2016), random);
        Invoice invoice = signer.sign(InvoiceBuilder.forRequest(invreq)
                .createdAt(w.clock.instant().getEpochSecond())
                .relativeExpiry(90)
                .paymentHash(preimage.paymentHash())
                .amountMsat(amount)
                .features(Features.EMPTY)
                .nodeId(w.payeeKey.publicKey())
                .paths(List.of(path))
                .build());
        Bytes replyContext = Bytes.wrap(Bytes32.random(random).toArray());
        List<InboundOnionMessage> replies = new CopyOnWriteArrayList<>();
        w.payeeNode.inbound()
                .filter(m -> m.pathId().isPresent() && signer.recognise(m.pathId().get(), replyContext))
                .subscribe(replies::add);
        OnionMessagePayload payload = OnionMessagePayload.ofInvoice(invoice.tlvBytes())
                .withReplyPath(signer.replyPath(List.of(), replyContext));
        w.payeeNode.send(new OnionMessages.Destination.Path(invreq.invreqPaths().orElseThrow().get(0)), payload).block();
        return new Delivery(invoice, replies);
    }

    @Test
    void an_invoice_for_less_than_we_asked_breaks_a_reader_rule_and_is_refused() {
        World w = new World(VirtualTimeScheduler.create(), invoice -> Optional.empty());
        OurInvoiceRequest ours = w.payer.createInvoiceRequest(Payer.Params.of(5_000, "x")).block();
        // Our sendinvoice refuses to write it; a payee that does must get an invoice_error.
        Delivery d = deliver(w, ours, 4_000);
        assertEquals(OptionalLong.of(Bolt12Field.INVOICE_AMOUNT), d.error().erroneousField());
        OurInvoiceRequest after = w.payer.list(false).blockFirst();
        assertEquals(PayerOutcome.Status.REFUSED, after.lastOutcome().orElseThrow().status());
        assertTrue(after.lastOutcome().get().detail().startsWith("invoice_amount (170)"), after.lastOutcome().get().detail());
        assertTrue(after.active(), "a refused invoice does not use the request");
    }

    /**
     * One payment hangs (its payee never answers the HTLC); an invoice for another request that must
     * be refused is answered at once all the same: no virtual time passes. Before the payer handled
     * invoices one at a time, the refusal waited behind the hanging payment.
     */
    @Test
    void a_refusable_invoice_is_answered_at_once_while_another_payment_hangs() {
        AtomicInteger started = new AtomicInteger();
        World w = new World(VirtualTimeScheduler.create(), invoice -> Optional.empty(),
                sender -> invoice -> Mono.<Bytes32>never().doOnSubscribe(s -> started.incrementAndGet()));
        OurInvoiceRequest hanging = w.payer.createInvoiceRequest(Payer.Params.of(5_000, "hangs")).block();
        w.payee.send(SendInvoiceRequest.of(hanging.bolt12(), "hangs")).subscribe();
        assertEquals(1, started.get(), "the first payment is in flight");

        OurInvoiceRequest other = w.payer.createInvoiceRequest(Payer.Params.of(7_000, "other")).block();
        Delivery d = deliver(w, other, 6_000);
        assertEquals(OptionalLong.of(Bolt12Field.INVOICE_AMOUNT), d.error().erroneousField());
        assertEquals(1, started.get(), "still hanging, and nothing else was paid");
        assertEquals(PayerOutcome.Status.PAYING,
                w.payer.list(false).filter(r -> r.invreqId().equals(hanging.invreqId())).blockFirst()
                        .lastOutcome().orElseThrow().status());
    }

    /**
     * Two invoices for the same single-use request while the first payment is held: the second waits
     * behind it (one request, one payment at a time), then finds the request used and is not paid.
     */
    @Test
    void invoices_for_one_request_are_paid_one_after_another() {
        Sinks.Empty<Void> release = Sinks.empty();
        AtomicInteger started = new AtomicInteger();
        World w = new World(VirtualTimeScheduler.create(), invoice -> Optional.empty(),
                sender -> invoice -> {
                    started.incrementAndGet();
                    return release.asMono().then(sender.pay(invoice));
                });
        OurInvoiceRequest ours = w.payer.createInvoiceRequest(Payer.Params.of(5_000, "once")).block();
        var first = w.payee.send(SendInvoiceRequest.of(ours.bolt12(), "first")).toFuture();
        var second = w.payee.send(SendInvoiceRequest.of(ours.bolt12(), "second")).toFuture();
        assertEquals(1, started.get(), "the second waits behind the first");

        release.tryEmitEmpty();

        assertEquals(InvoiceStatus.PAID, first.getNow(null).status());
        assertFalse(second.isDone(), "the request is used: the second invoice is not paid");
        assertEquals(1, started.get());
        assertEquals(InvoiceStatus.UNPAID, w.invoices.findByLabel("second").block().status());
    }

    /** A policy (host code) that throws costs that invoice only: the next one is paid. */
    @Test
    void an_invoice_whose_handling_throws_does_not_stop_the_payer() {
        AtomicInteger calls = new AtomicInteger();
        World w = new World(VirtualTimeScheduler.create(), invoice -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("policy bug");
            }
            return Optional.empty();
        });
        OurInvoiceRequest a = w.payer.createInvoiceRequest(Payer.Params.of(5_000, "a")).block();
        java.util.concurrent.CompletableFuture<dev.boltflow.core.sendinvoice.SendInvoiceResult> sendA;
        try (dev.boltflow.core.testing.CapturedLog log = new dev.boltflow.core.testing.CapturedLog(Payer.class)) {
            sendA = w.payee.send(SendInvoiceRequest.of(a.bolt12(), "a")).toFuture();
            assertEquals(List.of("handling an invoice failed: java.lang.IllegalStateException: policy bug"),
                    log.lines(java.util.logging.Level.WARNING));
        }
        assertFalse(sendA.isDone(), "the invoice whose check threw got no answer");
        OurInvoiceRequest b = w.payer.createInvoiceRequest(Payer.Params.of(6_000, "b")).block();
        var sendB = w.payee.send(SendInvoiceRequest.of(b.bolt12(), "b")).toFuture();
        assertEquals(InvoiceStatus.PAID, sendB.getNow(null).status());
        assertEquals(2, calls.get());
    }

    /** Every stage of an invoice is logged at INFO, with the request id, and never the preimage. */
    @Test
    void the_payer_logs_each_stage_without_secrets() {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jul = Logger.getLogger(Payer.class.getName());
        jul.addHandler(handler);
        try {
            World w = new World(VirtualTimeScheduler.create(), invoice -> Optional.empty());
            OurInvoiceRequest ours = w.payer.createInvoiceRequest(Payer.Params.of(5_000, "logged")).block();
            w.payee.send(SendInvoiceRequest.of(ours.bolt12(), "logged")).subscribe();
            OurInvoiceRequest refusedOne = w.payer.createInvoiceRequest(Payer.Params.of(5_000, "refused")).block();
            deliver(w, refusedOne, 1);

            List<String> lines = logged.stream().filter(r -> r.getLevel() == java.util.logging.Level.INFO)
                    .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters())).toList();
            String id = ours.invreqId().toHex();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("invoice received for invoice_request " + id)
                    && l.contains(w.payeeKey.publicKey().toHex()) && l.contains("5000 msat")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("paying invoice") && l.contains(id)), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("paid invoice") && l.contains(id)), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("refused invoice")
                    && l.contains(refusedOne.invreqId().toHex()) && l.contains("invoice_amount (170)")), lines.toString());
            String preimage = w.invoices.findByLabel("logged").block().paymentPreimage().orElseThrow().toHex();
            assertTrue(lines.stream().noneMatch(l -> l.contains(preimage)), "no preimage in the log");
            assertEquals(PayerOutcome.Status.PAID,
                    w.payer.list(false).filter(r -> r.invreqId().equals(ours.invreqId())).blockFirst()
                            .lastOutcome().orElseThrow().status());
        } finally {
            jul.removeHandler(handler);
        }
    }

    @Test
    void a_single_use_request_is_paid_once() {
        World[] w = new World[1];
        AtomicReference<OurInvoiceRequest> ours = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            ours.set(w[0].payer.createInvoiceRequest(Payer.Params.of(9_000, "once")).block());
            return w[0].payee.send(SendInvoiceRequest.of(ours.get().bolt12(), "first"))
                    .then(w[0].payee.send(SendInvoiceRequest.of(ours.get().bolt12(), "second")));
        })
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(90))
                .expectErrorSatisfies(e -> assertEquals(1005, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
        assertEquals(InvoiceStatus.PAID, w[0].invoices.findByLabel("first").block().status());
        assertEquals(InvoiceStatus.EXPIRED, w[0].invoices.findByLabel("second").block().status());
        assertEquals(1, w[0].events.size());
    }
    /**
     * Invoices for different requests are paid concurrently: the first payment is held, the nine
     * others (for other requests) are paid meanwhile, and the first once it is released. Nothing is
     * resent (virtual time never advances).
     */
    @Test
    void invoices_for_different_requests_are_paid_while_another_payment_is_in_flight() throws Exception {
        Sinks.Empty<Void> release = Sinks.empty();
        AtomicInteger payments = new AtomicInteger();
        World w = new World(VirtualTimeScheduler.create(), invoice -> Optional.empty(),
                sender -> invoice -> payments.getAndIncrement() == 0 ? release.asMono().then(sender.pay(invoice))
                        : sender.pay(invoice));
        List<java.util.concurrent.CompletableFuture<dev.boltflow.core.sendinvoice.SendInvoiceResult>> sends =
                new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            OurInvoiceRequest ours = w.payer.createInvoiceRequest(Payer.Params.of(1_000 + i, "queued " + i)).block();
            sends.add(w.payee.send(SendInvoiceRequest.of(ours.bolt12(), "queued-" + i)).toFuture());
        }
        assertEquals(10, payments.get(), "every payment started");
        assertFalse(sends.get(0).isDone(), "the first is held");
        for (int i = 1; i < 10; i++) {
            assertEquals(InvoiceStatus.PAID, sends.get(i).getNow(null).status(), "send " + i);
        }

        release.tryEmitEmpty();

        assertEquals(InvoiceStatus.PAID, sends.get(0).get(10, java.util.concurrent.TimeUnit.SECONDS).status());
        assertEquals(10, w.events.size());
    }
}
