package dev.boltflow.core.sendinvoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import dev.boltflow.core.testing.SchedulerClock;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Many sends at once (10,000 by default; {@code -Dboltflow.concurrency.sends=N}) on parallel
 * threads, with random outcomes: every Mono signals exactly once, with the outcome its invoice
 * got, and no waiter is left behind. Timeouts run on virtual time.
 */
class SendInvoiceConcurrencyTest {
    private static final Instant EPOCH = Instant.ofEpochSecond(1_800_000_000L);
    private static final int SENDS = Integer.getInteger("boltflow.concurrency.sends", 10_000);
    private static final long AMOUNT = 21_000;
    private static final long BLOCK_HEIGHT = 900_000;

    enum Outcome { PAID, INVOICE_ERROR, TIMEOUT }

    /** Records what the pipeline sends; lets the test play the payer's replies. */
    static final class RecordingMessenger implements OnionMessenger {
        final ConcurrentLinkedQueue<OnionMessagePayload> sent = new ConcurrentLinkedQueue<>();
        final Sinks.Many<InboundOnionMessage> inbound = Sinks.many().multicast().directBestEffort();
        final CountDownLatch firstSends;

        RecordingMessenger(int expected) {
            firstSends = new CountDownLatch(expected);
        }

        @Override
        public Mono<Void> send(OnionMessages.Destination destination, OnionMessagePayload payload) {
            return Mono.fromRunnable(() -> {
                sent.add(payload);
                firstSends.countDown();
            });
        }

        @Override
        public Flux<InboundOnionMessage> inbound() {
            return inbound.asFlux();
        }

        synchronized void deliver(InboundOnionMessage m) {
            inbound.tryEmitNext(m);
        }
    }

    @Test
    void every_send_resolves_exactly_once_with_its_outcome() throws Exception {
        SecureRandom random = new SecureRandom();
        Random choice = new Random(42);
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        PrivateKey payeeKey = PrivateKey.random(random);
        LocalNodeSigner signer = new LocalNodeSigner(payeeKey, random);
        InMemoryInvoiceStore store = new InMemoryInvoiceStore();
        RecordingMessenger messenger = new RecordingMessenger(SENDS);
        CountingMetrics metrics = new CountingMetrics();
        SendInvoice service = new SendInvoice(
                SendInvoiceConfig.defaults(ChainHashes.REGTEST).withResendAtHalfTimeout(false), store, messenger,
                signer, () -> BLOCK_HEIGHT, new SchedulerClock(vts, EPOCH), vts, Schedulers.parallel(), random, metrics);

        List<String> invreqs = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            invreqs.add(invreq(PrivateKey.random(random), random));
        }
        Map<String, Outcome> expected = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> signals = new ConcurrentHashMap<>();
        Map<String, Object> results = new ConcurrentHashMap<>();
        CountDownLatch settled = new CountDownLatch(SENDS);
        for (int i = 0; i < SENDS; i++) {
            String label = "L" + i;
            expected.put(label, Outcome.values()[choice.nextInt(3)]);
            signals.put(label, new AtomicInteger());
            service.send(SendInvoiceRequest.of(invreqs.get(i % invreqs.size()), label)).subscribe(
                    r -> {
                        signals.get(label).incrementAndGet();
                        results.put(label, r);
                        settled.countDown();
                    },
                    e -> {
                        signals.get(label).incrementAndGet();
                        results.put(label, e);
                        settled.countDown();
                    });
        }
        assertTrue(messenger.firstSends.await(5, TimeUnit.MINUTES), "every invoice was sent");
        assertEquals(SENDS, service.waiters());

        // The payers answer, from several threads at once: pay, or reply with an invoice_error.
        Flux.fromIterable(new ArrayList<>(messenger.sent))
                .parallel()
                .runOn(Schedulers.parallel())
                .flatMap(payload -> answer(payload, store, service, signer, messenger, expected))
                .sequential()
                .blockLast(Duration.ofMinutes(5));
        vts.advanceTimeBy(SendInvoiceRequest.DEFAULT_TIMEOUT);
        assertTrue(settled.await(5, TimeUnit.MINUTES), "every send settled");

        for (int i = 0; i < SENDS; i++) {
            String label = "L" + i;
            assertEquals(1, signals.get(label).get(), label + " signalled once");
            Object r = results.get(label);
            StoredInvoice stored = store.findByLabel(label).block();
            switch (expected.get(label)) {
                case PAID:
                    assertEquals(InvoiceStatus.PAID, ((SendInvoiceResult) r).status(), label);
                    assertEquals(InvoiceStatus.PAID, stored.status(), label);
                    break;
                case INVOICE_ERROR:
                    assertEquals(1004, ((SendInvoiceException) r).code(), label);
                    break;
                default:
                    assertEquals(1005, ((SendInvoiceException) r).code(), label);
                    assertEquals(InvoiceStatus.EXPIRED, stored.status(), label);
            }
        }
        assertEquals(0, service.waiters(), "no waiter left behind");
        assertEquals(0, service.pending());
        long paid = expected.values().stream().filter(o -> o == Outcome.PAID).count();
        assertEquals(paid, store.firstPaidAfter(paid - 1).block().payIndex().getAsLong(), "pay indexes 1..paid");

        // The metrics port saw each send start once and end once, with its own outcome; each payment once.
        assertEquals(SENDS, metrics.started.sum());
        Map<String, Long> byOutcome = new java.util.TreeMap<>();
        expected.values().forEach(o -> byOutcome.merge(o == Outcome.PAID ? "paid" : o == Outcome.INVOICE_ERROR ? "1004" : "1005",
                1L, Long::sum));
        Map<String, Long> reported = new java.util.TreeMap<>();
        metrics.outcomes.forEach((k, v) -> reported.put(k, v.sum()));
        assertEquals(byOutcome, reported);
        assertEquals(paid, metrics.paid.sum());
        long received = 0;
        for (Map.Entry<String, Outcome> e : expected.entrySet()) {
            if (e.getValue() == Outcome.PAID) {
                received += store.findByLabel(e.getKey()).block().payment().orElseThrow().amountReceivedMsat();
            }
        }
        assertEquals(received, metrics.receivedMsat.sum());
        // Timeouts end at the invoice's expiry, in the timer scheduler's (virtual) time.
        assertTrue(metrics.slowest1005.get() >= SendInvoiceRequest.DEFAULT_TIMEOUT.toNanos(), "" + metrics.slowest1005);
        service.dispose();
    }

    /** Counts what SendInvoice reports, from any thread. */
    static final class CountingMetrics implements SendInvoiceMetrics {
        final java.util.concurrent.atomic.LongAdder started = new java.util.concurrent.atomic.LongAdder();
        final Map<String, java.util.concurrent.atomic.LongAdder> outcomes = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.LongAdder paid = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder receivedMsat = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.AtomicLong slowest1005 = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public void started() {
            started.increment();
        }

        @Override
        public void outcome(String outcome, long nanos) {
            outcomes.computeIfAbsent(outcome, k -> new java.util.concurrent.atomic.LongAdder()).increment();
            if (outcome.equals("1005")) {
                slowest1005.accumulateAndGet(nanos, Math::max);
            }
        }

        @Override
        public void invoicePaid(long amountReceivedMsat) {
            paid.increment();
            receivedMsat.add(amountReceivedMsat);
        }
    }

    private static Mono<Void> answer(OnionMessagePayload payload, InMemoryInvoiceStore store, SendInvoice service,
            LocalNodeSigner signer, RecordingMessenger messenger, Map<String, Outcome> expected) {
        Invoice invoice = Invoice.decode(payload.invoice().orElseThrow().toArray());
        Bytes32 hash = invoice.invoicePaymentHash().orElseThrow();
        return store.findByPaymentHash(hash).flatMap(stored -> {
            switch (expected.get(stored.label())) {
                case PAID: {
                    BlindedPath path = invoice.invoicePaths().orElseThrow().get(0);
                    return service.acceptPayment(new IncomingPayment(hash, AMOUNT, BLOCK_HEIGHT + 10,
                            path.firstPathKey(), path.hops().get(0).encryptedRecipientData()))
                            .doOnNext(d -> assertTrue(d.settles(), d.toString()))
                            .then();
                }
                case INVOICE_ERROR:
                    // What the payee's messenger hands over when the error arrives on its reply path.
                    messenger.deliver(new InboundOnionMessage(
                            OnionMessagePayload.ofInvoiceError(Bytes.wrap(InvoiceError.of("no").encode())),
                            Optional.of(signer.pathId(SendInvoice.replyContext(hash)).bytes())));
                    return Mono.empty();
                default:
                    return Mono.empty();
            }
        });
    }

    private static String invreq(PrivateKey payer, SecureRandom random) {
        TlvStream unsigned = TlvStream.sorted(List.of(
                new TlvRecord(Bolt12Field.INVREQ_METADATA, Bytes32.random(random).bytes()),
                new TlvRecord(Bolt12Field.OFFER_DESCRIPTION, Bytes.wrap("load".getBytes(StandardCharsets.UTF_8))),
                new TlvRecord(Bolt12Field.INVREQ_CHAIN, ChainHashes.REGTEST.bytes()),
                new TlvRecord(Bolt12Field.INVREQ_AMOUNT, Bytes.wrap(new ByteWriter().truncated(AMOUNT).toByteArray())),
                new TlvRecord(Bolt12Field.INVREQ_PAYER_ID, payer.publicKey().bytes())));
        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, unsigned, payer, random);
        return Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP,
                unsigned.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, sig.bytes()))).encode());
    }
}
