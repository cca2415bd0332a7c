package dev.boltflow.core.payer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.payer.memory.DirectPaymentSender;
import dev.boltflow.core.payer.memory.InMemoryInvoiceRequestStore;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.OnionMessenger;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
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
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A replayed invoice is harmless to the payer: every onion message the payer's node delivers comes
 * twice (what a relay replaying the same bytes produces once peeled), and the invoice is still paid
 * exactly once, with one Paid event and no failed second payment.
 */
class PayerReplayTest {
    private static final Instant EPOCH = Instant.ofEpochSecond(1_800_000_000L);
    private static final long BLOCK_HEIGHT = 900_000;
    private final SecureRandom random = new SecureRandom();

    /** The payer's messenger, delivering each inbound message twice. */
    private record Replaying(OnionMessenger node) implements OnionMessenger {
        @Override
        public Mono<Void> send(OnionMessages.Destination destination, OnionMessagePayload payload) {
            return node.send(destination, payload);
        }

        @Override
        public Flux<InboundOnionMessage> inbound() {
            return node.inbound().flatMap(m -> Flux.just(m, m));
        }
    }

    @Test
    void an_invoice_delivered_twice_is_paid_once() {
        AtomicInteger payments = new AtomicInteger();
        List<Payer.Event> events = new CopyOnWriteArrayList<>();
        AtomicReference<InMemoryInvoiceStore> invoices = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
            VirtualTimeScheduler vts = VirtualTimeScheduler.get();
            SchedulerClock clock = new SchedulerClock(vts, EPOCH);
            InMemoryOnionNetwork net = new InMemoryOnionNetwork(Schedulers.immediate(), random);
            PrivateKey payeeKey = PrivateKey.random(random);
            PrivateKey payerKey = PrivateKey.random(random);
            InMemoryOnionNetwork.Node payeeNode = net.addNode(payeeKey, true, false);
            InMemoryOnionNetwork.Node payerNode = net.addNode(payerKey, true, false);
            invoices.set(new InMemoryInvoiceStore());
            SendInvoice payee = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.REGTEST), invoices.get(),
                    payeeNode, new LocalNodeSigner(payeeKey, random), () -> BLOCK_HEIGHT, clock, vts,
                    Schedulers.immediate(), random);
            DirectPaymentSender direct = new DirectPaymentSender(payee::acceptPayment, BLOCK_HEIGHT + 10);
            PaymentSender counting = invoice -> {
                payments.incrementAndGet();
                return direct.pay(invoice);
            };
            Payer payer = new Payer(ChainHashes.REGTEST, List::of, new LocalNodeSigner(payerKey, random),
                    new InMemoryInvoiceRequestStore(), new Replaying(payerNode), counting,
                    invoice -> Optional.empty(), clock, Schedulers.immediate(), random);
            payer.events().subscribe(events::add);
            String lnr = payer.createInvoiceRequest(Payer.Params.of(12_000, "twice")).block().bolt12();
            return payee.send(SendInvoiceRequest.of(lnr, "twice"));
        })
                .assertNext(r -> assertEquals(InvoiceStatus.PAID, r.status()))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertEquals(1, payments.get(), "the second copy was paid again");
        assertEquals(1, events.size(), events.toString());
        Payer.Event.Paid paid = assertInstanceOf(Payer.Event.Paid.class, events.get(0));
        assertEquals(12_000, paid.amountMsat());
        assertEquals(1, invoices.get().findByLabel("twice").block().payment().orElseThrow().payIndex());
        assertFalse(paid.toString().contains(paid.preimage().toHex()), "Paid prints its preimage");
    }
}
