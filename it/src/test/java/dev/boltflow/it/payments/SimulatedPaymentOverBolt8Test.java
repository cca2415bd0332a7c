package dev.boltflow.it.payments;

import dev.boltflow.transport.testing.NettyLeaks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.payer.OurInvoiceRequest;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.payer.PaymentSender;
import dev.boltflow.core.payer.memory.InMemoryInvoiceRequestStore;
import dev.boltflow.core.sendinvoice.IncomingPayment;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.sendinvoice.PaymentDecision;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import dev.boltflow.core.sendinvoice.memory.InMemoryNetworkView;
import dev.boltflow.core.testing.SchedulerClock;
import dev.boltflow.node.messaging.PeerOnionMessenger;
import dev.boltflow.node.payments.SimulatedPaymentLink;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * sendinvoice paid end to end over the simulated payment link, between three real nodes over BOLT 8
 * on loopback: the payer's {@link Payer} writes an invoice_request whose {@code invreq_paths} start
 * at an introduction node; the payee's {@link SendInvoice} answers with an invoice (relayed by the
 * introduction node); the payer checks it and pays it over {@link SimulatedPaymentLink}: a real
 * blinded payment onion to the payee (who introduces its own payment path), whom the payer dials
 * from what its network view knows. Timers run on a virtual-time scheduler that is never advanced,
 * so nothing here waits for a timeout; {@link #WAIT} only bounds a broken run.
 */
@ExtendWith(NettyLeaks.class)
class SimulatedPaymentOverBolt8Test {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant EPOCH = Instant.ofEpochSecond(1_800_000_000L);
    private static final long AMOUNT = 50_000;
    private static final long BLOCK_HEIGHT = 900_000;

    private final SecureRandom random = new SecureRandom();
    private final VirtualTimeScheduler timers = VirtualTimeScheduler.create();
    private final SchedulerClock clock = new SchedulerClock(timers, EPOCH);
    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
        timers.dispose();
    }

    /** A node on loopback: transport, network view, messenger, and (once started) its payment link. */
    final class Node {
        final PrivateKey key = PrivateKey.random(random);
        final NettyPeerManager peers = NettyPeerManager.create(key, TransportConfig.defaults()
                .withFeatures(SimulatedPaymentLink.advertise(TransportConfig.DEFAULT_FEATURES)));
        final InMemoryNetworkView view = new InMemoryNetworkView();
        final InetSocketAddress address;
        final PeerOnionMessenger messenger;
        SimulatedPaymentLink link;

        Node() {
            cleanup.add(() -> peers.close().block(WAIT));
            address = peers.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).block(WAIT);
            messenger = new PeerOnionMessenger(peers, key, view, false, Schedulers.parallel(), random);
            cleanup.add(messenger::dispose);
        }

        PublicKey id() {
            return key.publicKey();
        }

        NetworkView.Address networkAddress() {
            return new NetworkView.Address(address.getAddress().getHostAddress(), address.getPort());
        }

        /** Dials {@code to} and waits until {@code to} has registered the connection too. */
        void connectTo(Node to) {
            CompletableFuture<?> accepted = to.peers.inboundConnections()
                    .filter(c -> c.remoteNodeId().equals(id())).next().toFuture();
            messenger.connect(to.id(), to.address).block(WAIT);
            Mono.fromFuture(accepted).block(WAIT);
        }

        SimulatedPaymentLink startLink(Function<IncomingPayment, Mono<PaymentDecision>> payee) {
            link = new SimulatedPaymentLink(peers, messenger, key, view, payee, () -> BLOCK_HEIGHT,
                    new SimulatedPaymentLink.Config(Duration.ofSeconds(60), 18), timers, Schedulers.parallel(), random);
            cleanup.add(link::dispose);
            return link;
        }
    }

    /** Payee (SendInvoice), introduction node of the payer's invreq_paths, payer (Payer); each with a link. */
    final class World {
        final Node payee = new Node();
        final Node intro = new Node();
        final Node payer = new Node();
        final InMemoryInvoiceStore store = new InMemoryInvoiceStore();
        final SendInvoice service;
        final Payer payerService;
        final Sinks.Many<Payer.Event> events = Sinks.many().replay().all();

        /** @param payments the payer's PaymentSender, given the payer's link */
        World(Function<SimulatedPaymentLink, PaymentSender> payments) {
            service = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.REGTEST), store, payee.messenger,
                    new LocalNodeSigner(payee.key, random), () -> BLOCK_HEIGHT, clock, timers, Schedulers.parallel(),
                    random);
            cleanup.add(service::dispose);
            payee.startLink(service::acceptPayment);
            // The payer receives no payments: it refuses any HTLC that ends at it.
            SimulatedPaymentLink payerLink = payer.startLink(p -> Mono.just(
                    new PaymentDecision.Reject(PaymentDecision.Reason.UNKNOWN_INVOICE, "the payer takes no payments")));
            payerService = new Payer(ChainHashes.REGTEST, () -> List.of(intro.id()), new LocalNodeSigner(payer.key, random),
                    new InMemoryInvoiceRequestStore(), payer.messenger, payments.apply(payerLink),
                    invoice -> Optional.empty(), clock, Schedulers.parallel(), random);
            cleanup.add(payerService::dispose);
            payerService.events().subscribe(e -> events.tryEmitNext(e));

            payer.connectTo(intro);
            // The payee dials the introduction node to send the invoice; the payer dials the payee to pay.
            payee.view.addNode(intro.id(), List.of(intro.networkAddress()), Optional.empty());
            payer.view.addNode(payee.id(), List.of(payee.networkAddress()), Optional.empty());
        }

        OurInvoiceRequest invoiceRequest() {
            return payerService.createInvoiceRequest(Payer.Params.of(AMOUNT, "refund #7")).block(WAIT);
        }

        Payer.Event nextEvent() {
            return events.asFlux().next().block(WAIT);
        }
    }

    @Test
    void invoicePaidOverTheLink_payeeResolvesPaid_payerEmitsPaidWithThePreimage() {
        World w = new World(link -> link);
        OurInvoiceRequest ours = w.invoiceRequest();

        SendInvoiceResult result = w.service.send(SendInvoiceRequest.of(ours.bolt12(), "paid")).block(WAIT);

        assertEquals(InvoiceStatus.PAID, result.status());
        assertEquals(AMOUNT, result.amountReceivedMsat().getAsLong());
        Payer.Event.Paid paid = assertInstanceOf(Payer.Event.Paid.class, w.nextEvent());
        assertEquals(ours.invreqId(), paid.invreqId());
        assertEquals(result.paymentHash(), paid.paymentHash());
        assertEquals(paid.paymentHash(), Hashes.sha256Of(paid.preimage().toArray()));
        assertEquals(AMOUNT, paid.amountMsat());
        assertEquals(InvoiceStatus.PAID, w.store.findByLabel("paid").block(WAIT).status());
        // The payment went straight to the payee, who introduces its own payment path.
        assertTrue(w.payer.peers.connection(w.payee.id()).isPresent(), "the payer dialled the payee to pay");
        assertEquals(0, w.payer.link.pendingPayments());
        assertTrue(w.payerService.list(false).blockFirst(WAIT).used());
    }

    /**
     * The payer's payment is held back until the test has paid the same invoice over the same link:
     * then the payee refuses it (already paid) and the payer reports PaymentFailed with the payee's
     * reason; the payee's sendinvoice resolved on the first payment.
     */
    @Test
    void invoiceAlreadyPaid_payeeFailsTheHtlc_payerEmitsPaymentFailedWithTheReason() {
        Sinks.One<Invoice> arrived = Sinks.one();
        Sinks.Empty<Void> release = Sinks.empty();
        World w = new World(link -> invoice -> {
            arrived.tryEmitValue(invoice);
            return release.asMono().then(link.pay(invoice));
        });
        OurInvoiceRequest ours = w.invoiceRequest();
        CompletableFuture<SendInvoiceResult> outcome = w.service.send(SendInvoiceRequest.of(ours.bolt12(), "twice"))
                .toFuture();

        Invoice invoice = arrived.asMono().block(WAIT);
        Bytes32 preimage = w.payer.link.pay(invoice).block(WAIT);
        assertEquals(invoice.invoicePaymentHash().orElseThrow(), Hashes.sha256Of(preimage.toArray()));
        assertEquals(InvoiceStatus.PAID, Mono.fromFuture(outcome).block(WAIT).status());
        release.tryEmitEmpty();

        Payer.Event.PaymentFailed failed = assertInstanceOf(Payer.Event.PaymentFailed.class, w.nextEvent());
        assertEquals(ours.invreqId(), failed.invreqId());
        assertEquals(invoice.invoicePaymentHash().orElseThrow(), failed.paymentHash());
        assertTrue(failed.reason().contains("ALREADY_PAID"), failed.reason());
        assertTrue(w.payerService.list(false).blockFirst(WAIT).active(), "a failed payment leaves the request unused");
        assertEquals(0, w.payer.link.pendingPayments());
    }
}
