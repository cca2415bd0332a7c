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
import java.util.concurrent.atomic.AtomicReference;
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
                .verifyComplete();
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
                .verify();
        assertInstanceOf(Payer.Event.Refused.class, w[0].events.get(0));
    }

    @Test
    void an_invoice_for_less_than_we_asked_breaks_a_reader_rule_and_is_refused() {
        World[] w = new World[1];
        StepVerifier.withVirtualTime(() -> {
            w[0] = new World();
            OurInvoiceRequest ours = w[0].payer.createInvoiceRequest(Payer.Params.of(5_000, "x")).block();
            // sendinvoice allows a lower amount; BOLT 12's reader of an invoice rejects it.
            return w[0].payee.send(SendInvoiceRequest.of(ours.bolt12(), "lower").withAmountMsat(4_000));
        })
                .expectErrorSatisfies(e -> {
                    SendInvoiceException s = (SendInvoiceException) e;
                    assertEquals(1004, s.code());
                    assertEquals(Bolt12Field.INVOICE_AMOUNT,
                            ((SendInvoiceException.InvoiceErrorReceived) s.data().orElseThrow()).erroneousField().getAsLong());
                })
                .verify();
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
                .verify();
        assertEquals(InvoiceStatus.PAID, w[0].invoices.findByLabel("first").block().status());
        assertEquals(InvoiceStatus.EXPIRED, w[0].invoices.findByLabel("second").block().status());
        assertEquals(1, w[0].events.size());
    }
    /**
     * Invoices that arrive while the payer is still paying another are queued, not lost: the first
     * payment is held until nine more invoices (for other requests) have arrived; then all ten are
     * paid without any resend (virtual time never advances).
     */
    @Test
    void invoices_arriving_while_a_payment_is_in_flight_are_all_paid() throws Exception {
        reactor.core.publisher.Sinks.Empty<Void> release = reactor.core.publisher.Sinks.empty();
        java.util.concurrent.atomic.AtomicInteger payments = new java.util.concurrent.atomic.AtomicInteger();
        World w = new World(VirtualTimeScheduler.create(), invoice -> Optional.empty(),
                sender -> invoice -> payments.getAndIncrement() == 0 ? release.asMono().then(sender.pay(invoice))
                        : sender.pay(invoice));
        List<java.util.concurrent.CompletableFuture<dev.boltflow.core.sendinvoice.SendInvoiceResult>> sends =
                new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            OurInvoiceRequest ours = w.payer.createInvoiceRequest(Payer.Params.of(1_000 + i, "queued " + i)).block();
            sends.add(w.payee.send(SendInvoiceRequest.of(ours.bolt12(), "queued-" + i)).toFuture());
        }
        assertEquals(1, payments.get(), "the first payment holds the payer");

        release.tryEmitEmpty();

        for (int i = 0; i < 10; i++) {
            assertEquals(InvoiceStatus.PAID, sends.get(i).get(10, java.util.concurrent.TimeUnit.SECONDS).status(), "send " + i);
        }
        assertEquals(10, w.events.size());
    }
}
