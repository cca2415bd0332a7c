package dev.boltflow.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.payer.PaymentSender;
import dev.boltflow.core.sendinvoice.BlockHeight;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.core.sendinvoice.StoredInvoice;
import dev.boltflow.core.testing.TestSecrets;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.node.Node;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.node.payments.SimulatedPaymentException;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.testing.NettyLeaks;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Three real nodes over BOLT 8 on loopback: a payee with two sendinvoice calls waiting, an honest
 * payer (invoice A) and Mallory (invoice B), who holds her own invoice, its reply path and a
 * payment link to the payee, and tries with them to settle or fail the honest payer's invoice:
 * <ul>
 * <li>an {@code invoice_error} on a {@code path_id} she made up resolves nothing;</li>
 * <li>an {@code invoice_error} on B's reply path resolves B only, and the same onion message bytes
 * sent again change nothing;</li>
 * <li>an HTLC for A's payment hash over B's blinded payment path is refused, A stays unpaid;</li>
 * <li>paying B a second time is refused: B is paid once, with one {@code pay_index}.</li>
 * </ul>
 * Then the honest payer pays A: A resolves paid, exactly once.
 */
@ExtendWith(NettyLeaks.class)
@Timeout(120)
class SpoofAndReplayOverBolt8Test {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long AMOUNT_A = 21_000;
    private static final long AMOUNT_B = 13_000;

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
    }

    /**
     * A host on the simulated link whose payments wait for {@code gate} (so a sendinvoice stays
     * pending while the test acts), and which hands the test the link itself.
     */
    private Node.Host host(Mono<Void> gate, AtomicReference<PaymentSender> link) {
        Node.Host simulated = Node.Host.of(true, () -> 0, i -> Optional.empty(), random);
        return new Node.Host() {
            @Override
            public PaymentSender paymentSender(Node.NodeParts parts) {
                PaymentSender real = simulated.paymentSender(parts);
                link.set(real);
                return new GatedSender(real, gate);
            }

            @Override
            public dev.boltflow.core.features.Features initFeatures(dev.boltflow.core.features.Features defaults) {
                return simulated.initFeatures(defaults);
            }

            @Override
            public BlockHeight blockHeight() {
                return simulated.blockHeight();
            }

            @Override
            public Function<Invoice, Optional<InvoiceError>> invoicePolicy() {
                return simulated.invoicePolicy();
            }
        };
    }

    private record GatedSender(PaymentSender link, Mono<Void> gate) implements PaymentSender, Disposable {
        @Override
        public Mono<Bytes32> pay(Invoice invoice) {
            return gate.then(link.pay(invoice));
        }

        @Override
        public void dispose() {
            if (link instanceof Disposable d) {
                d.dispose();
            }
        }
    }

    private Node start(String name, Node.Host host) {
        Node n = Node.start(NodeConfig.defaults(Network.REGTEST, dir.resolve(name))
                .withListen(new InetSocketAddress("127.0.0.1", 0)).withSimulatedPayments(true), host, random).block(WAIT);
        cleanup.add(n::close);
        return n;
    }

    private static void connect(Node from, Node to) {
        from.connect(to.nodeId(), "127.0.0.1", to.listening().orElseThrow().getPort()).block(WAIT);
    }

    private static <T> T await(CompletableFuture<T> f) {
        return Mono.fromFuture(f).block(WAIT);
    }

    private static void until(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Mono.delay(Duration.ofMillis(20)).block();
        }
    }

    @Test
    void spoofedAndReplayedMessagesAndPayments_neverSettleOrFailSomeoneElsesInvoice() {
        Sinks.Empty<Void> releaseHonest = Sinks.empty();
        AtomicReference<PaymentSender> honestLink = new AtomicReference<>();
        AtomicReference<PaymentSender> malloryLink = new AtomicReference<>();
        Node payee = start("payee", host(Mono.empty(), new AtomicReference<>()));
        Node honest = start("honest", host(releaseHonest.asMono(), honestLink));
        // Mallory's own Payer never pays on its own: she acts through her link directly.
        Node mallory = start("mallory", host(Mono.never(), malloryLink));
        connect(payee, honest);
        connect(honest, payee);
        connect(payee, mallory);
        connect(mallory, payee);

        // Every invoice_error the payee reads, counted after SendInvoice has seen it (it subscribed first).
        AtomicInteger errorsAtPayee = new AtomicInteger();
        Disposable counting = payee.messenger().inbound().filter(m -> m.payload().invoiceError().isPresent())
                .subscribe(m -> errorsAtPayee.incrementAndGet());
        cleanup.add(counting::dispose);
        CompletableFuture<InboundOnionMessage> invoiceAtMallory = mallory.messenger().inbound()
                .filter(m -> m.payload().invoice().isPresent()).next().toFuture();
        List<Payer.Event> honestEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
        Disposable watching = honest.payer().events().subscribe(honestEvents::add);
        cleanup.add(watching::dispose);

        String lnrA = honest.payer().createInvoiceRequest(Payer.Params.of(AMOUNT_A, "honest")).block(WAIT).bolt12();
        String lnrB = mallory.payer().createInvoiceRequest(Payer.Params.of(AMOUNT_B, "mallory")).block(WAIT).bolt12();
        CompletableFuture<SendInvoiceResult> a = payee.sendInvoice().send(SendInvoiceRequest.of(lnrA, "a")).toFuture();
        CompletableFuture<SendInvoiceResult> b = payee.sendInvoice().send(SendInvoiceRequest.of(lnrB, "b")).toFuture();

        InboundOnionMessage mine = await(invoiceAtMallory);
        Invoice invoiceB = Invoice.decode(mine.payload().invoice().orElseThrow().toArray());
        BlindedPath replyB = mine.payload().replyPath().orElseThrow();
        StoredInvoice storedA = payee.store().findByLabel("a").block(WAIT);
        Bytes32 hashA = storedA.paymentHash();
        TestSecrets.register("preimage of A", storedA.preimage().reveal().toArray());
        TestSecrets.register("preimage of B", payee.store().findByLabel("b").block(WAIT).preimage().reveal().toArray());

        // 1. An invoice_error on a path_id Mallory made up, straight to the payee.
        Bytes errorBytes = Bytes.wrap(InvoiceError.of("spoofed").encode());
        mallory.messenger().send(new OnionMessages.Destination.Node(payee.nodeId(),
                Optional.of(Bytes32.random(random).bytes())), OnionMessagePayload.ofInvoiceError(errorBytes)).block(WAIT);
        until(() -> errorsAtPayee.get() == 1, "the payee read the spoofed invoice_error");
        assertFalse(a.isDone(), "a made-up path_id resolved A");
        assertFalse(b.isDone(), "a made-up path_id resolved B");

        // 2. Mallory's invoice_error on B's reply path, the same onion message bytes twice.
        OnionMessages.Outgoing onion = OnionMessages.build(PrivateKey.random(random), List.of(),
                new OnionMessages.Destination.Path(replyB), OnionMessagePayload.ofInvoiceError(errorBytes), random);
        PeerConnection toPayee = mallory.peers().connection(payee.nodeId()).orElseThrow();
        WireMessage.OnionMessage wire = new WireMessage.OnionMessage(onion.pathKey(), onion.packet());
        toPayee.send(wire).block(WAIT);
        SendInvoiceException failed = assertInstanceOf(SendInvoiceException.class,
                reactor.core.Exceptions.unwrap(assertThrows(RuntimeException.class, () -> await(b))));
        assertEquals(1004, failed.code());
        toPayee.send(wire).block(WAIT);
        until(() -> errorsAtPayee.get() == 3, "the payee read the replayed invoice_error");
        assertFalse(a.isDone(), "B's invoice_error (or its replay) resolved A");
        assertTrue(toPayee.isActive(), "the replay cost Mallory nothing: no error escaped to close her connection");

        // 3. A's payment hash and amount over B's blinded payment path: everything about the HTLC fits
        //    A but the path_id, which is B's; so it is refused.
        Bytes amountA = Bytes.wrap(new ByteWriter().truncated(AMOUNT_A).toByteArray());
        TlvStream forged = TlvStream.sorted(invoiceB.records().records().stream()
                .map(r -> r.type() == Bolt12Field.INVOICE_PAYMENT_HASH ? new TlvRecord(r.type(), hashA.bytes())
                        : r.type() == Bolt12Field.INVOICE_AMOUNT ? new TlvRecord(r.type(), amountA) : r)
                .toList());
        Invoice forgedInvoice = Invoice.decode(forged.encode());
        SimulatedPaymentException refused = assertInstanceOf(SimulatedPaymentException.class,
                reactor.core.Exceptions.unwrap(assertThrows(RuntimeException.class,
                        () -> malloryLink.get().pay(forgedInvoice).block(WAIT))));
        assertTrue(refused.getMessage() != null && !refused.getMessage().isEmpty());
        assertEquals(InvoiceStatus.UNPAID, payee.store().findByLabel("a").block(WAIT).status());
        assertFalse(a.isDone(), "a payment on B's path settled A");

        // 4. B paid (after its 1004: money received is never lost), then paid again: refused.
        Bytes32 preimageB = malloryLink.get().pay(invoiceB).block(WAIT);
        assertEquals(invoiceB.invoicePaymentHash().orElseThrow(), Hashes.sha256Of(preimageB.toArray()));
        assertInstanceOf(SimulatedPaymentException.class, reactor.core.Exceptions.unwrap(
                assertThrows(RuntimeException.class, () -> malloryLink.get().pay(invoiceB).block(WAIT))));
        StoredInvoice paidB = payee.store().findByLabel("b").block(WAIT);
        assertEquals(InvoiceStatus.PAID, paidB.status());
        assertEquals(AMOUNT_B, paidB.payment().orElseThrow().amountReceivedMsat());
        assertFalse(a.isDone());

        // The honest payer pays A: it resolves, once, with the next pay_index.
        releaseHonest.tryEmitEmpty();
        SendInvoiceResult paidA = await(a);
        assertEquals(InvoiceStatus.PAID, paidA.status());
        assertEquals(AMOUNT_A, paidA.amountReceivedMsat().getAsLong());
        assertEquals(paidB.payment().orElseThrow().payIndex() + 1, paidA.payIndex().getAsLong());
        until(() -> honestEvents.stream().anyMatch(e -> e instanceof Payer.Event.Paid), "the payer saw it paid");
        assertEquals(1, honestEvents.stream().filter(e -> e instanceof Payer.Event.Paid).count());
        assertEquals(0, honestEvents.stream().filter(e -> !(e instanceof Payer.Event.Paid)).count(), honestEvents.toString());
    }
}
