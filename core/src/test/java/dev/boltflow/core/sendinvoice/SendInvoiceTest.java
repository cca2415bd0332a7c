package dev.boltflow.core.sendinvoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bolt12.InvoiceReader;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.ReplyPaths;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import dev.boltflow.core.sendinvoice.memory.InMemoryOnionNetwork;
import dev.boltflow.core.testing.CapturedLog;
import dev.boltflow.core.testing.SchedulerClock;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import dev.boltflow.core.crypto.PaymentPreimage;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The pipeline end to end over real onion messages between in-process nodes, with virtual time:
 * paid, invoice_error (1004), timeout (1005 at exactly the timeout), expired (1002), unreachable
 * (1003), races between payment and timer, cancellation, and what payments are refused.
 */
class SendInvoiceTest {
    private static final Instant EPOCH = Instant.ofEpochSecond(1_800_000_000L);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final long AMOUNT = 50_000;
    private static final long BLOCK_HEIGHT = 900_000;

    private final SecureRandom random = new SecureRandom();

    /** Counts every send and reach attempt, by destination, before handing it to the real messenger. */
    static final class CountingMessenger implements OnionMessenger {
        final OnionMessenger delegate;
        final List<OnionMessages.Destination> attempts = new CopyOnWriteArrayList<>();
        final List<OnionMessages.Destination> reached = new CopyOnWriteArrayList<>();
        /** Subscriptions to {@link #inbound()} open now. */
        final AtomicInteger inboundSubscribers = new AtomicInteger();

        CountingMessenger(OnionMessenger delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<Void> send(OnionMessages.Destination destination, OnionMessagePayload payload) {
            return Mono.defer(() -> {
                attempts.add(destination);
                return delegate.send(destination, payload);
            });
        }

        @Override
        public Mono<Void> reach(OnionMessages.Destination destination) {
            return Mono.defer(() -> {
                reached.add(destination);
                return delegate.reach(destination);
            });
        }

        @Override
        public Flux<InboundOnionMessage> inbound() {
            return delegate.inbound()
                    .doOnSubscribe(x -> inboundSubscribers.incrementAndGet())
                    .doFinally(x -> inboundSubscribers.decrementAndGet());
        }
    }

    /** Every outcome a send reports, with its duration. */
    static final class RecordingMetrics implements SendInvoiceMetrics {
        final List<String> outcomes = new CopyOnWriteArrayList<>();
        final AtomicInteger started = new AtomicInteger();
        final List<Long> paid = new CopyOnWriteArrayList<>();

        @Override
        public void started() {
            started.incrementAndGet();
        }

        @Override
        public void outcome(String outcome, long nanos) {
            outcomes.add(outcome + " after " + Duration.ofNanos(nanos));
        }

        @Override
        public void invoicePaid(long amountReceivedMsat) {
            paid.add(amountReceivedMsat);
        }
    }

    /** The scheduler's time, set back or forward by {@code skew} (as NTP may step a system clock). */
    static final class SkewedClock extends java.time.Clock {
        final SchedulerClock base;
        final java.util.concurrent.atomic.AtomicLong skewMillis = new java.util.concurrent.atomic.AtomicLong();

        SkewedClock(SchedulerClock base) {
            this.base = base;
        }

        @Override
        public java.time.ZoneId getZone() {
            return base.getZone();
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }

        @Override
        public long millis() {
            return base.millis() + skewMillis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }

    /** A payee (us), a payer behind an introduction node, and what the payer receives. */
    final class World {
        final VirtualTimeScheduler vts = VirtualTimeScheduler.get();
        final InMemoryOnionNetwork net = new InMemoryOnionNetwork(Schedulers.immediate(), random);
        final PrivateKey payeeKey = PrivateKey.random(random);
        final PrivateKey payerKey = PrivateKey.random(random);
        final PrivateKey introKey = PrivateKey.random(random);
        final InMemoryOnionNetwork.Node payee;
        final InMemoryOnionNetwork.Node payer;
        final InMemoryOnionNetwork.Node intro;
        final CountingMessenger messenger;
        final InMemoryInvoiceStore store = new InMemoryInvoiceStore();
        final RecordingMetrics metrics = new RecordingMetrics();
        final SkewedClock clock = new SkewedClock(new SchedulerClock(vts, EPOCH));
        final SendInvoice service;
        final List<InboundOnionMessage> payerInbox = new CopyOnWriteArrayList<>();
        final Disposable inbox;

        World(boolean payeeNoConnect, boolean introReachable) {
            this(payeeNoConnect, introReachable, m -> m, s -> s);
        }

        /** @param wrapMessenger, wrapSigner stand between the service and the payee's real ones */
        World(boolean payeeNoConnect, boolean introReachable, UnaryOperator<OnionMessenger> wrapMessenger,
                UnaryOperator<NodeSigner> wrapSigner) {
            this(payeeNoConnect, introReachable, wrapMessenger, wrapSigner, s -> s);
        }

        /** @param wrapStore stands between the service and the real in-memory store */
        World(boolean payeeNoConnect, boolean introReachable, UnaryOperator<OnionMessenger> wrapMessenger,
                UnaryOperator<NodeSigner> wrapSigner, UnaryOperator<InvoiceStore> wrapStore) {
            payee = net.addNode(payeeKey, true, payeeNoConnect);
            payer = net.addNode(payerKey, false, true);
            intro = net.addNode(introKey, introReachable, false);
            net.connect(intro.nodeId(), payer.nodeId());
            messenger = new CountingMessenger(wrapMessenger.apply(payee));
            service = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.REGTEST), wrapStore.apply(store), messenger,
                    wrapSigner.apply(new LocalNodeSigner(payeeKey, random)), () -> BLOCK_HEIGHT,
                    clock, vts, Schedulers.immediate(), random, metrics);
            inbox = payer.inbound().subscribe(payerInbox::add);
        }

        World() {
            this(false, true);
        }

        long now() {
            return EPOCH.getEpochSecond() + vts.now(java.util.concurrent.TimeUnit.SECONDS);
        }

        /** A signed invoice_request whose invreq_paths lead to the payer through the introduction node. */
        String invreq(TlvRecord... extra) {
            BlindedPath path = new ReplyPaths(payerKey).create(List.of(intro.nodeId()),
                    Bytes.wrap("invreq".getBytes(StandardCharsets.US_ASCII)), random);
            return invreq(List.of(path), extra);
        }

        String invreq(List<BlindedPath> paths, TlvRecord... extra) {
            List<TlvRecord> records = new ArrayList<>(List.of(
                    new TlvRecord(Bolt12Field.INVREQ_METADATA, Bytes32.random(random).bytes()),
                    new TlvRecord(Bolt12Field.OFFER_DESCRIPTION, Bytes.wrap("refund".getBytes(StandardCharsets.UTF_8))),
                    new TlvRecord(Bolt12Field.INVREQ_CHAIN, ChainHashes.REGTEST.bytes()),
                    new TlvRecord(Bolt12Field.INVREQ_AMOUNT, tu64(AMOUNT)),
                    new TlvRecord(Bolt12Field.INVREQ_PAYER_ID, payerKey.publicKey().bytes())));
            if (!paths.isEmpty()) {
                records.add(new TlvRecord(Bolt12Field.INVREQ_PATHS, Bytes.wrap(BlindedPath.encodeAll(paths))));
            }
            records.addAll(List.of(extra));
            TlvStream unsigned = TlvStream.sorted(records);
            Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, unsigned, payerKey, random);
            return Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP,
                    unsigned.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, sig.bytes()))).encode());
        }

        /** The invoice the payer received last, checked with every rule a payer applies. */
        Invoice receivedInvoice(String invreq) {
            assertTrue(!payerInbox.isEmpty(), "the payer received nothing");
            Invoice invoice = Invoice.decode(payerInbox.get(payerInbox.size() - 1).payload().invoice().orElseThrow().toArray());
            assertEquals(List.of(), InvoiceReader.violations(invoice, InvoiceRequest.decode(invreq), now()));
            return invoice;
        }

        BlindedPath replyPath() {
            return payerInbox.get(payerInbox.size() - 1).payload().replyPath().orElseThrow();
        }

        /** What the payer's HTLC looks like when it reaches us over the invoice's blinded path. */
        IncomingPayment htlc(Invoice invoice, long amount) {
            BlindedPath path = invoice.invoicePaths().orElseThrow().get(0);
            return new IncomingPayment(invoice.invoicePaymentHash().orElseThrow(), amount, BLOCK_HEIGHT + 100,
                    path.firstPathKey(), path.hops().get(0).encryptedRecipientData());
        }

        PaymentDecision pay(Invoice invoice, long amount) {
            return service.acceptPayment(htlc(invoice, amount)).block();
        }

        void replyWithError(InvoiceError error) {
            payer.send(new OnionMessages.Destination.Path(replyPath()), OnionMessagePayload.ofInvoiceError(
                    Bytes.wrap(error.encode()))).block();
        }

        InvoiceStatus stored(String label) {
            return store.findByLabel(label).block().status();
        }
    }

    private static Bytes tu64(long v) {
        return Bytes.wrap(new ByteWriter().truncated(v).toByteArray());
    }

    private World[] holder() {
        return new World[1];
    }

    @Test
    void paid_before_timeout_resolves_with_the_payment() {
        World[] w = holder();
        String[] invreq = new String[1];
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            invreq[0] = w[0].invreq();
            return w[0].service.send(SendInvoiceRequest.of(invreq[0], "paid"));
        })
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(10))
                .then(() -> {
                    Invoice invoice = w[0].receivedInvoice(invreq[0]);
                    // The path takes what acceptPayment takes: up to twice the amount, not 2^63-1.
                    assertEquals(2 * AMOUNT, invoice.invoiceBlindedpay().orElseThrow().get(0).htlcMaximumMsat());
                    assertInstanceOf(PaymentDecision.Settle.class, w[0].pay(invoice, AMOUNT));
                })
                .assertNext(r -> {
                    assertEquals(InvoiceStatus.PAID, r.status());
                    assertEquals(1, r.payIndex().getAsLong());
                    assertEquals(AMOUNT, r.amountReceivedMsat().getAsLong());
                    assertEquals(EPOCH.getEpochSecond() + 10, r.paidAt().getAsLong());
                    assertEquals(r.paymentHash(), dev.boltflow.core.crypto.Hashes.sha256Of(r.paymentPreimage().orElseThrow().toArray()));
                    assertEquals("refund", r.description());
                    assertEquals(EPOCH.getEpochSecond() + 90, r.expiresAt());
                })
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertEquals(0, w[0].service.waiters());
        assertEquals(0, w[0].service.pending());
        assertEquals(InvoiceStatus.PAID, w[0].stored("paid"));
    }

    @Test
    void invoice_error_on_our_reply_path_is_1004_with_its_fields() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "refused"));
        })
                .expectSubscription()
                .then(() -> w[0].replyWithError(InvoiceError.of(Bolt12Field.INVOICE_AMOUNT, tu64(40_000), "amount too high")))
                .expectErrorSatisfies(e -> {
                    SendInvoiceException s = (SendInvoiceException) e;
                    assertEquals(1004, s.code());
                    SendInvoiceException.InvoiceErrorReceived d = (SendInvoiceException.InvoiceErrorReceived) s.data().orElseThrow();
                    assertEquals(Bolt12Field.INVOICE_AMOUNT, d.erroneousField().getAsLong());
                    assertEquals(tu64(40_000), d.suggestedValue().orElseThrow());
                    assertEquals("amount too high", d.error());
                })
                .verify(Duration.ofSeconds(10));
        assertEquals(0, w[0].service.waiters());
    }

    @Test
    void no_answer_is_1005_at_exactly_the_timeout_and_not_a_tick_before() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "silence"));
        })
                .expectSubscription()
                .expectNoEvent(TIMEOUT.minusNanos(1))
                .thenAwait(Duration.ofNanos(1))
                .expectErrorSatisfies(e -> {
                    SendInvoiceException s = (SendInvoiceException) e;
                    assertEquals(1005, s.code());
                    String invoice = ((SendInvoiceException.Timeout) s.data().orElseThrow()).invoice();
                    assertEquals(w[0].store.findByLabel("silence").block().bolt12(), invoice);
                })
                .verify(Duration.ofSeconds(10));
        // Sent once, and once more at half the timeout (BOLT 4: SHOULD retry via another path).
        assertEquals(2, w[0].payerInbox.size());
        assertEquals(InvoiceStatus.EXPIRED, w[0].stored("silence"));
    }

    @Test
    void expired_invoice_request_is_1002() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            return w[0].service.send(SendInvoiceRequest.of(
                    w[0].invreq(new TlvRecord(Bolt12Field.OFFER_ABSOLUTE_EXPIRY, tu64(EPOCH.getEpochSecond() - 1))), "old"));
        })
                .expectErrorSatisfies(e -> assertEquals(1002, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
        assertEquals(null, w[0].store.findByLabel("old").block());
        assertTrue(w[0].messenger.attempts.isEmpty());
    }

    @Test
    void unreachable_tries_every_path_then_is_1003() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World(false, false); // the introduction node has no address and no route leads there
            BlindedPath p1 = new ReplyPaths(w[0].payerKey).create(List.of(w[0].intro.nodeId()), Bytes.fromHex("01"), random);
            BlindedPath p2 = new ReplyPaths(w[0].payerKey).create(List.of(w[0].intro.nodeId()), Bytes.fromHex("02"), random);
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(List.of(p1, p2)), "nowhere"));
        })
                .expectErrorSatisfies(e -> {
                    assertEquals(1003, ((SendInvoiceException) e).code());
                    assertTrue(e.getMessage().startsWith("Failed: could not route, could not connect: no reachable"
                            + " destination among 2: "), e.getMessage());
                    assertInstanceOf(OnionMessengerException.class, e.getCause());
                })
                .verify(Duration.ofSeconds(10));
        assertEquals(2, w[0].messenger.reached.size(), "both paths tried");
        assertEquals(0, w[0].messenger.attempts.size(), "nothing sent");
        assertEquals(null, w[0].store.findByLabel("nowhere").block(), "nothing stored: the label stays free");
    }

    @Test
    void noconnect_without_a_route_is_1003_and_a_route_is_used_when_there_is_one() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World(true, true); // fetchinvoice-noconnect
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "noconnect"));
        })
                .expectErrorSatisfies(e -> assertEquals(1003, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
        assertTrue(!w[0].net.connected(w[0].payee.nodeId(), w[0].intro.nodeId()));

        World[] v = holder();
        StepVerifier.withVirtualTime(() -> {
            v[0] = new World(true, true);
            PrivateKey relayKey = PrivateKey.random(random);
            InMemoryOnionNetwork.Node relay = v[0].net.addNode(relayKey, false, false);
            v[0].net.connect(v[0].payee.nodeId(), relay.nodeId());
            v[0].net.connect(relay.nodeId(), v[0].intro.nodeId());
            return v[0].service.send(SendInvoiceRequest.of(v[0].invreq(), "routed"));
        })
                .expectSubscription()
                .then(() -> assertEquals(1, v[0].payerInbox.size()))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void no_invreq_paths_sends_to_the_payer_id() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            w[0].net.connect(w[0].payee.nodeId(), w[0].intro.nodeId());
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(List.of()), "direct"));
        })
                .expectSubscription()
                .then(() -> {
                    assertEquals(1, w[0].payerInbox.size());
                    assertInstanceOf(OnionMessages.Destination.Node.class, w[0].messenger.attempts.get(0));
                })
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void payment_just_before_the_timer_wins_and_one_at_the_timer_is_refused() {
        World[] w = holder();
        String[] invreq = new String[1];
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            invreq[0] = w[0].invreq();
            return w[0].service.send(SendInvoiceRequest.of(invreq[0], "race"));
        })
                .expectSubscription()
                .thenAwait(TIMEOUT.minusNanos(1))
                .then(() -> assertInstanceOf(PaymentDecision.Settle.class, w[0].pay(w[0].receivedInvoice(invreq[0]), AMOUNT)))
                .assertNext(r -> assertEquals(InvoiceStatus.PAID, r.status()))
                .expectComplete()
                .verify(Duration.ofSeconds(10));

        World[] v = holder();
        StepVerifier.withVirtualTime(() -> {
            v[0] = new World();
            invreq[0] = v[0].invreq();
            return v[0].service.send(SendInvoiceRequest.of(invreq[0], "late"));
        })
                .expectSubscription()
                .thenAwait(TIMEOUT)
                .expectErrorSatisfies(e -> assertEquals(1005, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
        PaymentDecision late = v[0].pay(v[0].receivedInvoice(invreq[0]), AMOUNT);
        assertEquals(PaymentDecision.Reason.EXPIRED, ((PaymentDecision.Reject) late).reason());
        assertEquals(InvoiceStatus.EXPIRED, v[0].stored("late"));
    }

    @Test
    void payment_after_an_invoice_error_still_marks_the_invoice_paid() {
        World[] w = holder();
        String[] invreq = new String[1];
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            invreq[0] = w[0].invreq();
            return w[0].service.send(SendInvoiceRequest.of(invreq[0], "changed-mind"));
        })
                .expectSubscription()
                .then(() -> w[0].replyWithError(InvoiceError.of("no thanks")))
                .expectErrorSatisfies(e -> assertEquals(1004, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
        PaymentDecision d = w[0].pay(w[0].receivedInvoice(invreq[0]), AMOUNT);
        assertInstanceOf(PaymentDecision.Settle.class, d);
        assertEquals(InvoiceStatus.PAID, w[0].stored("changed-mind"));
    }

    @Test
    void duplicate_label_is_900_and_the_first_invoice_is_untouched() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "same"))
                    .take(Duration.ofSeconds(1), w[0].vts)
                    .then(w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "same")));
        })
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> {
                    SendInvoiceException s = (SendInvoiceException) e;
                    assertEquals(900, s.code());
                    // Core Lightning answers with the invoice that holds the label.
                    SendInvoiceException.DuplicateLabel d = (SendInvoiceException.DuplicateLabel) s.data().orElseThrow();
                    assertEquals(w[0].store.findByLabel("same").block(), d.existing().orElseThrow());
                    assertEquals("same", d.toMap().get("label"));
                    assertEquals(1L, d.toMap().get("created_index"));
                })
                .verify(Duration.ofSeconds(10));
        StoredInvoice first = w[0].store.findByLabel("same").block();
        assertEquals(1, first.createdIndex());
        assertEquals(InvoiceStatus.UNPAID, first.status());
    }

    @Test
    void cancelling_removes_the_waiter_and_the_invoice_stays_payable() {
        World[] w = holder();
        String[] invreq = new String[1];
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            invreq[0] = w[0].invreq();
            return w[0].service.send(SendInvoiceRequest.of(invreq[0], "cancelled"));
        })
                .expectSubscription()
                .then(() -> {
                    assertEquals(1, w[0].service.waiters());
                    assertEquals(1, w[0].service.pending());
                })
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertEquals(0, w[0].service.waiters());
        assertEquals(0, w[0].service.pending());
        assertInstanceOf(PaymentDecision.Settle.class, w[0].pay(w[0].receivedInvoice(invreq[0]), AMOUNT));
    }

    @Test
    void wrong_amounts_and_wrong_path_ids_are_refused() {
        World[] w = holder();
        String[] invreqs = new String[2];
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            invreqs[0] = w[0].invreq();
            invreqs[1] = w[0].invreq();
            return Flux.merge(w[0].service.send(SendInvoiceRequest.of(invreqs[0], "a")),
                    w[0].service.send(SendInvoiceRequest.of(invreqs[1], "b")));
        })
                .expectSubscription()
                .then(() -> {
                    Invoice a = Invoice.decode(w[0].payerInbox.get(0).payload().invoice().orElseThrow().toArray());
                    Invoice b = Invoice.decode(w[0].payerInbox.get(1).payload().invoice().orElseThrow().toArray());
                    assertEquals(PaymentDecision.Reason.WRONG_AMOUNT, reason(w[0].pay(a, AMOUNT - 1)));
                    assertEquals(PaymentDecision.Reason.WRONG_AMOUNT, reason(w[0].pay(a, 2 * AMOUNT + 1)));
                    // a's payment hash over b's blinded path: b's path_id does not authenticate a's hash.
                    IncomingPayment crossed = new IncomingPayment(a.invoicePaymentHash().orElseThrow(), AMOUNT,
                            BLOCK_HEIGHT + 100, w[0].htlc(b, AMOUNT).pathKey(), w[0].htlc(b, AMOUNT).encryptedRecipientData());
                    assertEquals(PaymentDecision.Reason.WRONG_PATH_ID, reason(w[0].service.acceptPayment(crossed).block()));
                    // Garbage blinded data is not ours.
                    IncomingPayment garbage = new IncomingPayment(a.invoicePaymentHash().orElseThrow(), AMOUNT,
                            BLOCK_HEIGHT + 100, w[0].htlc(a, AMOUNT).pathKey(), Bytes.fromHex("00".repeat(40)));
                    assertEquals(PaymentDecision.Reason.NOT_FOR_US, reason(w[0].service.acceptPayment(garbage).block()));
                    // Past the path's max_cltv_expiry.
                    IncomingPayment tooLate = new IncomingPayment(a.invoicePaymentHash().orElseThrow(), AMOUNT,
                            BLOCK_HEIGHT + 100_000, w[0].htlc(a, AMOUNT).pathKey(), w[0].htlc(a, AMOUNT).encryptedRecipientData());
                    assertEquals(PaymentDecision.Reason.CONSTRAINTS, reason(w[0].service.acceptPayment(tooLate).block()));
                    assertInstanceOf(PaymentDecision.Settle.class, w[0].pay(a, 2 * AMOUNT));
                    assertEquals(PaymentDecision.Reason.ALREADY_PAID, reason(w[0].pay(a, AMOUNT)));
                })
                .assertNext(r -> assertEquals("a", r.label()))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertEquals(InvoiceStatus.UNPAID, w[0].stored("b"));
    }

    @Test
    void invoice_error_on_a_path_we_never_made_is_ignored() {
        World[] w = holder();
        CapturedLog log = new CapturedLog(SendInvoice.class);
        try {
            spoofedInvoiceErrors(w);
        } finally {
            log.close();
        }
        assertEquals(List.of("ignored an invoice_error that came on no path of ours",
                "ignored an invoice_error on a reply path we are not waiting on"), log.lines(java.util.logging.Level.INFO));
    }

    private void spoofedInvoiceErrors(World[] w) {
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "spoofed"));
        })
                .expectSubscription()
                .then(() -> {
                    OnionMessagePayload spoof = OnionMessagePayload.ofInvoiceError(Bytes.wrap(InvoiceError.of("spoof").encode()));
                    // No path_id at all, then a path_id the payee never made: both are ignored.
                    w[0].payer.send(new OnionMessages.Destination.Node(w[0].payee.nodeId(), Optional.empty()), spoof).block();
                    w[0].payer.send(new OnionMessages.Destination.Node(w[0].payee.nodeId(),
                            Optional.of(Bytes32.random(random).bytes())), spoof).block();
                    assertEquals(3, w[0].net.delivered()); // the invoice, and both spoofs reached the payee
                })
                .expectNoEvent(Duration.ofSeconds(10))
                .thenAwait(TIMEOUT)
                .expectErrorSatisfies(e -> assertEquals(1005, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void too_many_pending_is_refused_with_catch_all() {
        AtomicInteger refused = new AtomicInteger();
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            SendInvoice small = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.REGTEST).withMaxPending(1),
                    w[0].store, w[0].messenger, new LocalNodeSigner(w[0].payeeKey, random), () -> BLOCK_HEIGHT,
                    new SchedulerClock(w[0].vts, EPOCH), w[0].vts, Schedulers.immediate(), random);
            return Flux.merge(small.send(SendInvoiceRequest.of(w[0].invreq(), "one")),
                    small.send(SendInvoiceRequest.of(w[0].invreq(), "two"))
                            .onErrorResume(SendInvoiceException.class, e -> {
                                assertEquals(-1, e.code());
                                refused.incrementAndGet();
                                return Mono.empty();
                            }));
        })
                .expectSubscription()
                .then(() -> assertEquals(1, refused.get()))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void dispose_fails_waiting_sends_with_catch_all_refuses_new_ones_and_payments_still_settle() {
        World[] w = holder();
        String[] invreq = new String[1];
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            invreq[0] = w[0].invreq();
            return w[0].service.send(SendInvoiceRequest.of(invreq[0], "stopping"));
        })
                .expectSubscription()
                .then(() -> {
                    assertEquals(1, w[0].service.waiters());
                    assertTrue(!w[0].service.isDisposed());
                    assertEquals(1, w[0].messenger.inboundSubscribers.get(), "listening for invoice_errors");
                })
                .then(() -> w[0].service.dispose())
                .expectErrorSatisfies(e -> {
                    assertEquals(-1, ((SendInvoiceException) e).code());
                    assertEquals("sendinvoice stopped: the node is shutting down", e.getMessage());
                })
                .verify(Duration.ofSeconds(5));
        assertTrue(w[0].service.isDisposed());
        assertEquals(0, w[0].messenger.inboundSubscribers.get(), "no longer listening to the messenger");
        assertEquals(0, w[0].service.waiters());
        assertEquals(0, w[0].service.pending());
        assertEquals(InvoiceStatus.UNPAID, w[0].stored("stopping"));
        StepVerifier.create(w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "after")))
                .expectErrorSatisfies(e -> assertEquals(-1, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(5));
        assertEquals(null, w[0].store.findByLabel("after").block());
        // Money is never refused for being late: the stored invoice is still payable.
        assertInstanceOf(PaymentDecision.Settle.class, w[0].pay(w[0].receivedInvoice(invreq[0]), AMOUNT));
    }

    /** A signed invoice_request whose invreq_paths are two distinct paths to the payer, both reachable. */
    private static List<BlindedPath> twoPaths(World w, SecureRandom random) {
        BlindedPath p1 = new ReplyPaths(w.payerKey).create(List.of(w.intro.nodeId()), Bytes.fromHex("01"), random);
        BlindedPath p2 = new ReplyPaths(w.payerKey).create(List.of(w.intro.nodeId()), Bytes.fromHex("02"), random);
        return List.of(p1, p2);
    }

    /**
     * BOLT 4: SHOULD retry via another path. With two reachable invreq_paths the first copy goes to
     * the first path and the resend at half the timeout to the second. (The resend used to read the
     * last path used when the wait was assembled, before the first send set it: both went to the first.)
     */
    @Test
    void the_resend_goes_to_the_next_path() {
        World[] w = holder();
        List<List<BlindedPath>> paths = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            paths.add(twoPaths(w[0], random));
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(paths.get(0)), "two-paths"));
        })
                .expectSubscription()
                .then(() -> assertEquals(List.of(new OnionMessages.Destination.Path(paths.get(0).get(0))),
                        w[0].messenger.attempts))
                .thenAwait(TIMEOUT.dividedBy(2))
                .then(() -> assertEquals(List.of(new OnionMessages.Destination.Path(paths.get(0).get(0)),
                        new OnionMessages.Destination.Path(paths.get(0).get(1))), w[0].messenger.attempts))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertEquals(2, w[0].payerInbox.size(), "both copies arrived");
    }

    /** A messenger whose first hop takes {@code dial} of virtual time to connect to, once. */
    private static UnaryOperator<OnionMessenger> slowDial(Duration dial, VirtualTimeScheduler vts) {
        return real -> new OnionMessenger() {
            volatile boolean connected;

            private Mono<Void> connect() {
                return connected ? Mono.empty() : Mono.delay(dial, vts).doOnNext(x -> connected = true).then();
            }

            @Override
            public Mono<Void> reach(OnionMessages.Destination d) {
                return connect().then(real.reach(d));
            }

            @Override
            public Mono<Void> send(OnionMessages.Destination d, OnionMessagePayload payload) {
                return connect().then(real.send(d, payload));
            }

            @Override
            public Flux<InboundOnionMessage> inbound() {
                return real.inbound();
            }
        };
    }

    /**
     * A 20 s dial eats into neither the wait nor the invoice's life: the invoice is dated after the
     * dial, and the send ends when it expires, 20 s + the timeout after the call.
     */
    @Test
    void the_wait_starts_once_the_invoice_is_sent_and_ends_when_it_expires() {
        Duration dial = Duration.ofSeconds(20);
        World[] w = holder();
        String[] invreq = new String[1];
        StepVerifier.withVirtualTime(() -> {
            VirtualTimeScheduler vts = VirtualTimeScheduler.get();
            w[0] = new World(false, true, slowDial(dial, vts), s -> s);
            invreq[0] = w[0].invreq();
            return w[0].service.send(SendInvoiceRequest.of(invreq[0], "dialled"));
        })
                .expectSubscription()
                .expectNoEvent(dial.plus(TIMEOUT).minusNanos(1))
                .then(() -> {
                    Invoice invoice = w[0].receivedInvoice(invreq[0]);
                    assertEquals(EPOCH.getEpochSecond() + dial.getSeconds(), invoice.invoiceCreatedAt().getAsLong());
                    assertEquals(TIMEOUT.getSeconds(), invoice.invoiceRelativeExpiry().getAsLong());
                })
                .thenAwait(Duration.ofNanos(1))
                .expectErrorSatisfies(e -> assertEquals(1005, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
        assertEquals(InvoiceStatus.EXPIRED, w[0].stored("dialled"));
    }

    /** offer_absolute_expiry 30 s away shortens the invoice's life, and the send ends with it: 1005 at 30 s. */
    @Test
    void an_invoice_shortened_by_offer_absolute_expiry_ends_the_send_when_it_expires() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(
                    new TlvRecord(Bolt12Field.OFFER_ABSOLUTE_EXPIRY, tu64(EPOCH.getEpochSecond() + 30))), "short"));
        })
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(30).minusNanos(1))
                .thenAwait(Duration.ofNanos(1))
                .expectErrorSatisfies(e -> assertEquals(1005, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
        assertEquals(EPOCH.getEpochSecond() + 30, w[0].store.findByLabel("short").block().expiresAt());
    }

    /** The timeout expires its own invoice only: another unpaid invoice that is due stays as it is. */
    @Test
    void a_timeout_expires_only_its_own_invoice() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            w[0].store.create(new NewInvoice("other", Optional.empty(), PaymentPreimage.random(random),
                    EPOCH.getEpochSecond() - 1, 1_000, "lni1other", Optional.empty(), Optional.empty())).block();
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "mine"));
        })
                .expectSubscription()
                .thenAwait(TIMEOUT)
                .expectErrorSatisfies(e -> assertEquals(1005, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
        assertEquals(InvoiceStatus.EXPIRED, w[0].stored("mine"));
        assertEquals(InvoiceStatus.UNPAID, w[0].stored("other"), "left to the sweeper");
    }

    /** Bytes on our reply path that are no invoice_error still end the send: 1004 with invoice_error_hex. */
    @Test
    void an_unparseable_invoice_error_is_1004_with_its_hex() {
        World[] w = holder();
        Bytes garbage = Bytes.fromHex("05ff00");
        CapturedLog log = new CapturedLog(SendInvoice.class);
        try {
            unparseableInvoiceError(w, garbage);
        } finally {
            log.close();
        }
        List<String> lines = log.lines(java.util.logging.Level.INFO);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("an invoice_error on our reply path does not decode: "), lines.toString());
    }

    private void unparseableInvoiceError(World[] w, Bytes garbage) {
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "garbled"));
        })
                .expectSubscription()
                .then(() -> w[0].payer.send(new OnionMessages.Destination.Path(w[0].replyPath()),
                        OnionMessagePayload.ofInvoiceError(garbage)).block())
                .expectErrorSatisfies(e -> {
                    SendInvoiceException s = (SendInvoiceException) e;
                    assertEquals(1004, s.code());
                    assertEquals(java.util.Map.of("invoice_error_hex", garbage.toHex()), s.data().orElseThrow().toMap());
                })
                .verify(Duration.ofSeconds(10));
    }

    /**
     * A handler that throws on one inbound message does not end the stream: the signer throws for the
     * first invoice_error, and a later one for another send still resolves it (1004).
     */
    @Test
    void a_message_whose_handling_throws_does_not_stop_later_replies() {
        AtomicInteger throwsLeft = new AtomicInteger(1);
        UnaryOperator<NodeSigner> flaky = real -> new NodeSigner() {
            @Override
            public dev.boltflow.core.crypto.PublicKey nodeId() {
                return real.nodeId();
            }

            @Override
            public Invoice sign(dev.boltflow.core.bolt12.UnsignedInvoice invoice) {
                return real.sign(invoice);
            }

            @Override
            public Bytes32 pathId(Bytes context) {
                return real.pathId(context);
            }

            @Override
            public boolean recognise(Bytes pathId, Bytes context) {
                if (throwsLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("signer hiccup");
                }
                return real.recognise(pathId, context);
            }

            @Override
            public BlindedPath replyPath(List<dev.boltflow.core.crypto.PublicKey> intermediates, Bytes context) {
                return real.replyPath(intermediates, context);
            }

            @Override
            public dev.boltflow.core.crypto.PublicKey payerId(Bytes invreqMetadata) {
                return real.payerId(invreqMetadata);
            }

            @Override
            public Signature signInvoiceRequest(TlvStream unsigned, Bytes invreqMetadata) {
                return real.signInvoiceRequest(unsigned, invreqMetadata);
            }

            @Override
            public dev.boltflow.core.onion.BlindedPayments.PaymentPath paymentPath(
                    List<dev.boltflow.core.onion.BlindedPayments.IntermediateHop> hops,
                    dev.boltflow.core.onion.BlindedPayments.Recipient recipient) {
                return real.paymentPath(hops, recipient);
            }

            @Override
            public dev.boltflow.core.onion.BlindedPayments.ReceivedPayment decryptPaymentData(
                    dev.boltflow.core.crypto.PublicKey pathKey, Bytes data) {
                return real.decryptPaymentData(pathKey, data);
            }
        };
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World(false, true, m -> m, flaky);
            return Flux.merge(w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "first"))
                            .onErrorResume(e -> Mono.empty()),
                    w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "second")));
        })
                .expectSubscription()
                .then(() -> {
                    BlindedPath first = w[0].payerInbox.get(0).payload().replyPath().orElseThrow();
                    BlindedPath second = w[0].payerInbox.get(1).payload().replyPath().orElseThrow();
                    OnionMessagePayload no = OnionMessagePayload.ofInvoiceError(Bytes.wrap(InvoiceError.of("no").encode()));
                    w[0].payer.send(new OnionMessages.Destination.Path(first), no).block(); // its handling throws
                    w[0].payer.send(new OnionMessages.Destination.Path(second), no).block();
                })
                .expectErrorSatisfies(e -> assertEquals(1004, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
        assertEquals(0, throwsLeft.get() + 1, "the signer threw once");
    }

    /**
     * A store whose answers come on its own thread (as PostgreSQL's driver answers on its event loop):
     * the reply path and its HMACs, and the payment's checks, run on the work scheduler all the same.
     */
    @Test
    void work_after_a_store_answer_runs_on_the_work_scheduler() throws Exception {
        reactor.core.scheduler.Scheduler storeThread = Schedulers.newSingle("test-store");
        reactor.core.scheduler.Scheduler work = Schedulers.newSingle("test-work");
        InvoiceStore real = new InMemoryInvoiceStore();
        InvoiceStore answeringOnItsThread = (InvoiceStore) java.lang.reflect.Proxy.newProxyInstance(
                InvoiceStore.class.getClassLoader(), new Class<?>[] {InvoiceStore.class}, (proxy, m, args) -> {
                    Object r = m.invoke(real, args);
                    return r instanceof Mono<?> mono ? mono.publishOn(storeThread)
                            : r instanceof Flux<?> flux ? flux.publishOn(storeThread) : r;
                });
        List<String> replyPathThreads = new CopyOnWriteArrayList<>();
        VirtualTimeScheduler.getOrSet(); // the world's own service wants one; this test's service runs on real threads
        World w;
        try {
            w = new World();
        } finally {
            VirtualTimeScheduler.reset();
        }
        LocalNodeSigner signer = new LocalNodeSigner(w.payeeKey, random);
        NodeSigner recording = (NodeSigner) java.lang.reflect.Proxy.newProxyInstance(NodeSigner.class.getClassLoader(),
                new Class<?>[] {NodeSigner.class}, (proxy, m, args) -> {
                    if (m.getName().equals("replyPath") || m.getName().equals("decryptPaymentData")) {
                        replyPathThreads.add(m.getName() + " on " + Thread.currentThread().getName());
                    }
                    try {
                        return m.invoke(signer, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SendInvoice service = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.REGTEST), answeringOnItsThread,
                w.payee, recording, () -> BLOCK_HEIGHT, java.time.Clock.systemUTC(), Schedulers.parallel(), work, random);
        try {
            String invreq = w.invreq();
            var sent = service.send(SendInvoiceRequest.of(invreq, "threads")).toFuture();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (w.payerInbox.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5); // readiness of another thread, not a timing check
            }
            Invoice invoice = Invoice.decode(w.payerInbox.get(0).payload().invoice().orElseThrow().toArray());
            assertInstanceOf(PaymentDecision.Settle.class, service.acceptPayment(w.htlc(invoice, AMOUNT))
                    .block(Duration.ofSeconds(20)));
            assertEquals(InvoiceStatus.PAID, sent.get(20, java.util.concurrent.TimeUnit.SECONDS).status());
            assertEquals(2, replyPathThreads.size(), replyPathThreads.toString());
            assertTrue(replyPathThreads.get(0).startsWith("replyPath on test-work"), replyPathThreads.toString());
        } finally {
            service.dispose();
            storeThread.dispose();
            work.dispose();
        }
    }

    /** The invoice stored under {@code label}, as the payer received it. */
    private static Invoice storedInvoice(World w, String label) {
        return Invoice.decode(w.store.findByLabel(label).block().bolt12());
    }

    /**
     * Metrics see one outcome per send, timed on the timer scheduler from the moment that send was
     * subscribed to: sends started 5 s in, paid at 15 s, given up at 20 s, timed out at 95 s.
     */
    @Test
    void metrics_report_each_outcome_with_its_duration_from_the_send() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            Duration late = Duration.ofSeconds(5);
            return Flux.merge(
                    Mono.delay(late, w[0].vts).then(w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "paid"))),
                    Mono.delay(late, w[0].vts).then(w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "silence")))
                            .onErrorResume(SendInvoiceException.class, e -> Mono.empty()),
                    Mono.delay(late, w[0].vts).then(w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "given-up")))
                            .take(Duration.ofSeconds(20), w[0].vts));
        })
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(15))
                .then(() -> assertInstanceOf(PaymentDecision.Settle.class, w[0].pay(storedInvoice(w[0], "paid"), AMOUNT + 7)))
                .assertNext(r -> assertEquals("paid", r.label()))
                .thenAwait(TIMEOUT)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertEquals(3, w[0].metrics.started.get());
        assertEquals(List.of("paid after PT10S", "cancelled after PT15S", "1005 after PT1M30S"), w[0].metrics.outcomes);
        assertEquals(List.of(AMOUNT + 7), w[0].metrics.paid);
    }

    /**
     * The system clock is stepped back 10 s while the invoice is out: when the 90 s timer fires the
     * invoice has 10 s left by the clock it is dated by, so the send waits for its real expiry (no
     * 1005 while a payment can still be accepted), then ends with 1005 and the invoice expired.
     */
    @Test
    void a_timer_that_fires_before_the_invoice_expires_by_the_clock_waits_for_the_expiry() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "set-back"));
        })
                .expectSubscription()
                .then(() -> w[0].clock.skewMillis.set(-10_000))
                .expectNoEvent(TIMEOUT.plusSeconds(10).minusNanos(1))
                .then(() -> assertEquals(InvoiceStatus.UNPAID, w[0].stored("set-back")))
                .thenAwait(Duration.ofNanos(1))
                .expectErrorSatisfies(e -> assertEquals(1005, ((SendInvoiceException) e).code()))
                .verify(Duration.ofSeconds(10));
        assertEquals(InvoiceStatus.EXPIRED, w[0].stored("set-back"));
    }

    /** As above, and a payment in those last 10 s is accepted and ends the send paid. */
    @Test
    void a_payment_between_the_timer_and_the_expiry_by_the_clock_is_accepted() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "set-back"));
        })
                .expectSubscription()
                .then(() -> w[0].clock.skewMillis.set(-10_000))
                .thenAwait(TIMEOUT.plusSeconds(5))
                .then(() -> assertInstanceOf(PaymentDecision.Settle.class, w[0].pay(storedInvoice(w[0], "set-back"), AMOUNT)))
                .assertNext(r -> assertEquals(InvoiceStatus.PAID, r.status()))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    /** A messenger that reaches and sends through {@code real}, except to the destinations named. */
    private static UnaryOperator<OnionMessenger> failing(java.util.function.Function<OnionMessages.Destination,
            Optional<OnionMessengerException>> reachFails, java.util.function.Function<OnionMessages.Destination,
            Optional<OnionMessengerException>> sendFails) {
        return real -> new OnionMessenger() {
            @Override
            public Mono<Void> reach(OnionMessages.Destination d) {
                return reachFails.apply(d).<Mono<Void>>map(Mono::error).orElseGet(() -> real.reach(d));
            }

            @Override
            public Mono<Void> send(OnionMessages.Destination d, OnionMessagePayload payload) {
                return sendFails.apply(d).<Mono<Void>>map(Mono::error).orElseGet(() -> real.send(d, payload));
            }

            @Override
            public Flux<InboundOnionMessage> inbound() {
                return real.inbound();
            }
        };
    }

    private static java.util.function.Function<OnionMessages.Destination, Optional<OnionMessengerException>> failsFor(
            java.util.Map<OnionMessages.Destination, OnionMessengerException> failures) {
        return d -> Optional.ofNullable(failures.get(d));
    }

    /** 1003 names every destination's failure in order, and its cause is the last one. */
    @Test
    void unreachable_is_1003_naming_each_failure_with_the_last_as_cause() {
        java.util.Map<OnionMessages.Destination, OnionMessengerException> failures = new java.util.HashMap<>();
        OnionMessengerException busy = new OnionMessengerException(OnionMessengerException.Reason.BUSY, "first hop busy");
        OnionMessengerException noRoute = new OnionMessengerException(OnionMessengerException.Reason.NO_ROUTE, "no route");
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World(false, true, failing(failsFor(failures), d -> Optional.empty()), s -> s);
            List<BlindedPath> paths = twoPaths(w[0], random);
            failures.put(new OnionMessages.Destination.Path(paths.get(0)), busy);
            failures.put(new OnionMessages.Destination.Path(paths.get(1)), noRoute);
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(paths), "nowhere"));
        })
                .expectErrorSatisfies(e -> {
                    assertEquals(1003, ((SendInvoiceException) e).code());
                    assertEquals("Failed: could not route, could not connect: no reachable destination among 2:"
                            + " first hop busy; no route", e.getMessage());
                    assertTrue(e.getCause() == noRoute, "the last failure is the cause");
                })
                .verify(Duration.ofSeconds(10));
        assertEquals(null, w[0].store.findByLabel("nowhere").block());
    }

    /**
     * The first path cannot be reached; the second can, but handing the invoice to it fails: 1003
     * over the one destination tried from there, and the invoice, already stored, stays payable.
     */
    @Test
    void a_send_that_fails_after_the_reach_is_1003_and_the_invoice_stays_payable() {
        java.util.Map<OnionMessages.Destination, OnionMessengerException> reachFailures = new java.util.HashMap<>();
        java.util.Map<OnionMessages.Destination, OnionMessengerException> sendFailures = new java.util.HashMap<>();
        OnionMessengerException dropped = new OnionMessengerException(OnionMessengerException.Reason.BUSY,
                "connection lost");
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World(false, true, failing(failsFor(reachFailures), failsFor(sendFailures)), s -> s);
            List<BlindedPath> paths = twoPaths(w[0], random);
            reachFailures.put(new OnionMessages.Destination.Path(paths.get(0)),
                    new OnionMessengerException(OnionMessengerException.Reason.NO_ROUTE, "no route"));
            sendFailures.put(new OnionMessages.Destination.Path(paths.get(1)), dropped);
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(paths), "lost"));
        })
                .expectErrorSatisfies(e -> {
                    assertEquals(1003, ((SendInvoiceException) e).code());
                    assertEquals("Failed: could not route, could not connect: no reachable destination among 1:"
                            + " connection lost", e.getMessage());
                    assertTrue(e.getCause() == dropped);
                })
                .verify(Duration.ofSeconds(10));
        assertEquals(InvoiceStatus.UNPAID, w[0].stored("lost"));
        assertInstanceOf(PaymentDecision.Settle.class, w[0].pay(storedInvoice(w[0], "lost"), AMOUNT));
    }

    /**
     * Three paths; the resend at half the timeout cannot be handed to the second (the next after the
     * one used), so it goes to the third, not back to the first.
     */
    @Test
    void the_resend_skips_a_path_that_fails_to_the_one_after_it() {
        java.util.Map<OnionMessages.Destination, OnionMessengerException> sendFailures = new java.util.HashMap<>();
        World[] w = holder();
        List<OnionMessages.Destination> dests = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World(false, true, failing(d -> Optional.empty(), failsFor(sendFailures)), s -> s);
            List<BlindedPath> paths = new ArrayList<>(twoPaths(w[0], random));
            paths.add(new ReplyPaths(w[0].payerKey).create(List.of(w[0].intro.nodeId()), Bytes.fromHex("03"), random));
            paths.forEach(p -> dests.add(new OnionMessages.Destination.Path(p)));
            sendFailures.put(dests.get(1), new OnionMessengerException(OnionMessengerException.Reason.BUSY, "busy"));
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(paths), "three-paths"));
        })
                .expectSubscription()
                .thenAwait(TIMEOUT.dividedBy(2))
                .then(() -> assertEquals(List.of(dests.get(0), dests.get(1), dests.get(2)), w[0].messenger.attempts))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertEquals(2, w[0].payerInbox.size(), "the first copy and the resend arrived");
    }

    /** A store failure while storing is the catch-all -1, with the store's message and cause; nothing is sent. */
    @Test
    void a_store_failure_is_catch_all_with_its_message() {
        InvoiceStoreException down = new InvoiceStoreException("database unavailable", null);
        UnaryOperator<InvoiceStore> failingCreate = real -> (InvoiceStore) java.lang.reflect.Proxy.newProxyInstance(
                InvoiceStore.class.getClassLoader(), new Class<?>[] {InvoiceStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("create")) {
                        return Mono.error(down);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World(false, true, m -> m, s -> s, failingCreate);
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "unstored"));
        })
                .expectErrorSatisfies(e -> {
                    assertEquals(-1, ((SendInvoiceException) e).code());
                    assertEquals("database unavailable", e.getMessage());
                    assertTrue(e.getCause() == down);
                })
                .verify(Duration.ofSeconds(10));
        assertTrue(w[0].messenger.attempts.isEmpty(), "nothing sent");
        assertEquals(0, w[0].service.pending());
    }

    /**
     * An HTLC whose blinded data, decrypted by us, names a next hop (we are a relay on that path,
     * not its recipient) is not for this use case.
     */
    @Test
    void a_payment_over_a_path_where_we_relay_is_not_for_us() {
        World[] w = holder();
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            return Mono.just(1);
        }).expectNext(1).expectComplete().verify(Duration.ofSeconds(10));
        dev.boltflow.core.onion.BlindedPayments.PaymentPath through = dev.boltflow.core.onion.BlindedPayments.create(
                List.of(new dev.boltflow.core.onion.BlindedPayments.IntermediateHop(w[0].payee.nodeId(), 0x0000010000020003L,
                        new dev.boltflow.core.onion.EncryptedDataTlv.PaymentRelay(40, 1_000, 1_000), 1, Long.MAX_VALUE)),
                new dev.boltflow.core.onion.BlindedPayments.Recipient(w[0].payer.nodeId(), Bytes.fromHex("01"), 1,
                        Long.MAX_VALUE, 18, BLOCK_HEIGHT + 1_000), random);
        IncomingPayment relayed = new IncomingPayment(Bytes32.random(random), AMOUNT, BLOCK_HEIGHT + 100,
                through.path().firstPathKey(), through.path().hops().get(0).encryptedRecipientData());
        PaymentDecision.Reject r = (PaymentDecision.Reject) w[0].service.acceptPayment(relayed).block(Duration.ofSeconds(10));
        assertEquals(PaymentDecision.Reason.NOT_FOR_US, r.reason());
        assertEquals("the blinded data names a next hop", r.detail());
    }

    /**
     * A store whose lookup by payment hash answers with the invoice as it was, then lets
     * {@code meanwhile} change it before the payment is recorded: what a concurrent payment, the
     * expiry or a delinvoice does between acceptPayment's checks and its markPaid.
     */
    private static UnaryOperator<InvoiceStore> changedAfterLookup(java.util.function.Consumer<StoredInvoice> meanwhile) {
        return real -> (InvoiceStore) java.lang.reflect.Proxy.newProxyInstance(InvoiceStore.class.getClassLoader(),
                new Class<?>[] {InvoiceStore.class}, (proxy, m, args) -> {
                    try {
                        Object r = m.invoke(real, args);
                        if (m.getName().equals("findByPaymentHash")) {
                            return ((Mono<?>) r).doOnNext(i -> meanwhile.accept((StoredInvoice) i));
                        }
                        return r;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** What acceptPayment answers, and the send sees, when the invoice changed after it was looked up. */
    private PaymentDecision.Reject payAfterAChange(java.util.function.BiConsumer<InvoiceStore, StoredInvoice> change) {
        World[] w = holder();
        PaymentDecision[] decision = new PaymentDecision[1];
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World(false, true, m -> m, s -> s, changedAfterLookup(i -> change.accept(w[0].store, i)));
            return w[0].service.send(SendInvoiceRequest.of(w[0].invreq(), "raced"));
        })
                .expectSubscription()
                .then(() -> decision[0] = w[0].pay(storedInvoice(w[0], "raced"), AMOUNT))
                .expectNoEvent(Duration.ofSeconds(1)) // the send is not woken by a payment that was refused
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertEquals(List.of(), w[0].metrics.paid, "no payment settled by us");
        return (PaymentDecision.Reject) decision[0];
    }

    @Test
    void a_payment_that_loses_the_race_to_another_is_already_paid() {
        PaymentDecision.Reject r = payAfterAChange((store, i) ->
                store.markPaid(i.paymentHash(), i.amountMsat(), EPOCH.getEpochSecond()).block());
        assertEquals(PaymentDecision.Reason.ALREADY_PAID, r.reason());
        assertEquals("already paid", r.detail());
    }

    @Test
    void a_payment_that_loses_the_race_to_the_expiry_is_expired() {
        PaymentDecision.Reject r = payAfterAChange((store, i) -> store.expire(i.paymentHash(), i.expiresAt()).block());
        assertEquals(PaymentDecision.Reason.EXPIRED, r.reason());
        assertEquals("expired", r.detail());
    }

    @Test
    void a_payment_that_loses_the_race_to_a_delinvoice_is_unknown() {
        PaymentDecision.Reject r = payAfterAChange((store, i) -> store.delete(i.label(), InvoiceStatus.UNPAID).block());
        assertEquals(PaymentDecision.Reason.UNKNOWN_INVOICE, r.reason());
        assertEquals("deleted", r.detail());
    }

    private static PaymentDecision.Reason reason(PaymentDecision d) {
        return ((PaymentDecision.Reject) d).reason();
    }
}
