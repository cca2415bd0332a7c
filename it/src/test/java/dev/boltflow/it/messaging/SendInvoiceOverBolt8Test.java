package dev.boltflow.it.messaging;

import dev.boltflow.transport.testing.NettyLeaks;
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
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.ReplyPaths;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.IncomingPayment;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.InvoiceStore;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.sendinvoice.PaymentDecision;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import dev.boltflow.core.sendinvoice.memory.InMemoryNetworkView;
import dev.boltflow.core.testing.SchedulerClock;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.node.messaging.PeerOnionMessenger;
import dev.boltflow.node.store.R2dbcInvoiceStore;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * sendinvoice between three real nodes over BOLT 8 on loopback: the payee (our pipeline with its
 * {@link PeerOnionMessenger}), an introduction node that relays, and a payer whose
 * {@code invreq_paths} start at the introduction node. The payer's side is test code with its own
 * messenger. The payee's timers run on a virtual-time scheduler that is never advanced, so no
 * outcome here waits for a timeout; {@link #WAIT} only bounds a broken run.
 */
@ExtendWith(NettyLeaks.class)
class SendInvoiceOverBolt8Test {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant EPOCH = Instant.ofEpochSecond(1_800_000_000L);
    private static final long AMOUNT = 50_000;
    private static final long BLOCK_HEIGHT = 900_000;
    private static final Bytes INVREQ_CONTEXT = Bytes.wrap("invreq 1".getBytes(StandardCharsets.US_ASCII));

    private final SecureRandom random = new SecureRandom();
    private final List<Runnable> cleanup = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
    }

    /** A node on loopback: transport, what it knows of the network, and its messenger. */
    final class Peer {
        final PrivateKey key = PrivateKey.random(random);
        final NettyPeerManager peers = NettyPeerManager.create(key, TransportConfig.defaults());
        final InMemoryNetworkView view = new InMemoryNetworkView();
        final InetSocketAddress address;
        final PeerOnionMessenger messenger;

        Peer(boolean noConnect) {
            cleanup.add(() -> peers.close().block(WAIT));
            address = peers.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).block(WAIT);
            messenger = new PeerOnionMessenger(peers, key, view, noConnect, Schedulers.parallel(), random);
            cleanup.add(messenger::dispose);
        }

        PublicKey id() {
            return key.publicKey();
        }

        NetworkView.Address networkAddress() {
            return new NetworkView.Address(address.getAddress().getHostAddress(), address.getPort());
        }

        /** Dials {@code to} and waits until {@code to} has registered the connection too. */
        void connectTo(Peer to) {
            CompletableFuture<PeerConnection> accepted = to.peers.inboundConnections()
                    .filter(c -> c.remoteNodeId().equals(id())).next().toFuture();
            messenger.connect(to.id(), to.address).block(WAIT);
            Mono.fromFuture(accepted).block(WAIT);
        }
    }

    /** Payee, introduction node and payer; the payer is connected to the introduction node. */
    final class World {
        final VirtualTimeScheduler timers = VirtualTimeScheduler.create();
        final Peer payee;
        final Peer intro = new Peer(true);
        final Peer payer = new Peer(true);
        final InvoiceStore store;
        final SendInvoice service;

        World(boolean payeeNoConnect, InvoiceStore store) {
            cleanup.add(timers::dispose);
            payee = new Peer(payeeNoConnect);
            this.store = store;
            service = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.REGTEST), store, payee.messenger,
                    new LocalNodeSigner(payee.key, random), () -> BLOCK_HEIGHT, new SchedulerClock(timers, EPOCH),
                    timers, Schedulers.parallel(), random);
            cleanup.add(service::dispose);
            payer.connectTo(intro);
            // The payee may dial the introduction node; the payer knows the payee sits behind it.
            payee.view.addNode(intro.id(), List.of(intro.networkAddress()), Optional.empty());
            payer.view.addLink(intro.id(), payee.id());
        }

        long now() {
            return EPOCH.getEpochSecond() + timers.now(java.util.concurrent.TimeUnit.SECONDS);
        }

        /** The payer's invreq_paths entry: introduction node, then the payer. */
        BlindedPath payerPath() {
            return new ReplyPaths(payer.key).create(List.of(intro.id()), INVREQ_CONTEXT, random);
        }

        /** The next invoice the payer receives, with the path_id it came on. */
        CompletableFuture<InboundOnionMessage> nextInvoiceAtPayer() {
            return payer.messenger.inbound().filter(m -> m.payload().invoice().isPresent()).next().toFuture();
        }

        /** Checks the invoice as a payer must, and that it came on the payer's own path. */
        Invoice check(InboundOnionMessage m, String invreq) {
            assertTrue(new ReplyPaths(payer.key).recognise(m.pathId().orElseThrow(), INVREQ_CONTEXT),
                    "the invoice came on the payer's invreq path");
            Invoice invoice = Invoice.decode(m.payload().invoice().orElseThrow().toArray());
            assertEquals(List.of(), InvoiceReader.violations(invoice, InvoiceRequest.decode(invreq), now()));
            return invoice;
        }
    }

    /** A signed invoice_request (as Core Lightning signs its lnr1 strings) with these invreq_paths. */
    private String invreq(PrivateKey payerKey, List<BlindedPath> paths) {
        TlvStream unsigned = TlvStream.sorted(List.of(
                new TlvRecord(Bolt12Field.INVREQ_METADATA, Bytes32.random(random).bytes()),
                new TlvRecord(Bolt12Field.OFFER_DESCRIPTION, Bytes.wrap("refund".getBytes(StandardCharsets.UTF_8))),
                new TlvRecord(Bolt12Field.INVREQ_CHAIN, ChainHashes.REGTEST.bytes()),
                new TlvRecord(Bolt12Field.INVREQ_AMOUNT, tu64(AMOUNT)),
                new TlvRecord(Bolt12Field.INVREQ_PAYER_ID, payerKey.publicKey().bytes()),
                new TlvRecord(Bolt12Field.INVREQ_PATHS, Bytes.wrap(BlindedPath.encodeAll(paths)))));
        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, unsigned, payerKey, random);
        return Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP,
                unsigned.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, sig.bytes()))).encode());
    }

    private static Bytes tu64(long v) {
        return Bytes.wrap(new ByteWriter().truncated(v).toByteArray());
    }

    private static <T> T await(CompletableFuture<T> f) {
        return Mono.fromFuture(f).block(WAIT);
    }

    private InvoiceStore h2Store() {
        R2dbcInvoiceStore store = R2dbcInvoiceStore.openH2File(dir.resolve("invoices")).block(WAIT);
        cleanup.add(() -> store.close().block(WAIT));
        return store;
    }

    @Test
    void invoiceRelayedByTheIntroductionNode_paidOverItsBlindedPath_resolvesPaid() {
        World w = new World(false, h2Store());
        String lnr = invreq(w.payer.key, List.of(w.payerPath()));
        CompletableFuture<InboundOnionMessage> atPayer = w.nextInvoiceAtPayer();

        CompletableFuture<SendInvoiceResult> outcome = w.service.send(SendInvoiceRequest.of(lnr, "paid")).toFuture();

        Invoice invoice = w.check(await(atPayer), lnr);
        BlindedPath path = invoice.invoicePaths().orElseThrow().get(0);
        Bytes32 hash = invoice.invoicePaymentHash().orElseThrow();
        // No HTLC layer yet: this is what it hands the payee when the payer's HTLC arrives.
        PaymentDecision decision = w.service.acceptPayment(new IncomingPayment(hash, AMOUNT, BLOCK_HEIGHT + 100,
                path.firstPathKey(), path.hops().get(0).encryptedRecipientData())).block(WAIT);
        assertInstanceOf(PaymentDecision.Settle.class, decision);

        SendInvoiceResult paid = await(outcome);
        assertEquals(InvoiceStatus.PAID, paid.status());
        assertEquals(hash, paid.paymentHash());
        assertEquals(AMOUNT, paid.amountReceivedMsat().getAsLong());
        assertEquals(InvoiceStatus.PAID, w.store.findByLabel("paid").block(WAIT).status());
        // The payee dialled the introduction node only: the introduction node relayed.
        assertTrue(w.payee.peers.connection(w.intro.id()).isPresent());
        assertEquals(Optional.empty(), w.payee.peers.connection(w.payer.id()));
        assertEquals(0, w.intro.messenger.dropped());
    }

    @Test
    void invoiceErrorOverTheReplyPath_is1004WithItsFields() {
        World w = new World(false, new InMemoryInvoiceStore());
        String lnr = invreq(w.payer.key, List.of(w.payerPath()));
        CompletableFuture<InboundOnionMessage> atPayer = w.nextInvoiceAtPayer();

        CompletableFuture<SendInvoiceResult> outcome = w.service.send(SendInvoiceRequest.of(lnr, "refused")).toFuture();

        InboundOnionMessage m = await(atPayer);
        w.check(m, lnr);
        BlindedPath replyPath = m.payload().replyPath().orElseThrow();
        InvoiceError error = InvoiceError.of(Bolt12Field.INVOICE_AMOUNT, tu64(40_000), "amount too high");
        // The payer reaches the payee through the introduction node (a link it knows of).
        w.payer.messenger.send(new OnionMessages.Destination.Path(replyPath),
                OnionMessagePayload.ofInvoiceError(Bytes.wrap(error.encode()))).block(WAIT);

        SendInvoiceException e = assertInstanceOf(SendInvoiceException.class,
                assertThrowsCause(outcome));
        assertEquals(1004, e.code());
        SendInvoiceException.InvoiceErrorReceived d = (SendInvoiceException.InvoiceErrorReceived) e.data().orElseThrow();
        assertEquals(Bolt12Field.INVOICE_AMOUNT, d.erroneousField().getAsLong());
        assertEquals(tu64(40_000), d.suggestedValue().orElseThrow());
        assertEquals("amount too high", d.error());
        // Both ways through the introduction node: payer and payee never met.
        assertEquals(Optional.empty(), w.payer.peers.connection(w.payee.id()));
        assertEquals(Optional.empty(), w.payee.peers.connection(w.payer.id()));
        assertEquals(0, w.intro.messenger.dropped());
    }

    @Test
    void invreqPathsThroughAnUnknownIntroduction_withNoConnect_is1003() {
        World w = new World(true, new InMemoryInvoiceStore());
        PrivateKey stranger = PrivateKey.random(random);
        BlindedPath unreachable = new ReplyPaths(w.payer.key).create(List.of(stranger.publicKey()), INVREQ_CONTEXT,
                random);
        String lnr = invreq(w.payer.key, List.of(unreachable));

        SendInvoiceException e = assertInstanceOf(SendInvoiceException.class,
                assertThrowsCause(w.service.send(SendInvoiceRequest.of(lnr, "nowhere")).toFuture()));

        assertEquals(1003, e.code());
        assertTrue(w.payee.peers.connections().isEmpty(), "noconnect: the payee dialled nobody");
    }

    /** The error a future failed with, or a test failure if it succeeded. */
    private static Throwable assertThrowsCause(CompletableFuture<?> f) {
        try {
            Object value = Mono.fromFuture(f).block(WAIT);
            throw new AssertionError("expected a failure, got " + value);
        } catch (RuntimeException e) {
            return reactor.core.Exceptions.unwrap(e);
        }
    }
}
