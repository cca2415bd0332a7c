package dev.boltflow.it.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.messaging.OnionMessageLimits;
import dev.boltflow.node.messaging.PeerOnionMessenger;
import dev.boltflow.node.rpc.RpcConnectionException;
import dev.boltflow.node.rpc.RpcException;
import dev.boltflow.node.store.R2dbcInvoiceStore;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import dev.boltflow.transport.testing.NettyLeaks;
import io.r2dbc.h2.H2ConnectionConfiguration;
import io.r2dbc.h2.H2ConnectionFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Faults between whole nodes over BOLT 8 on loopback, each ending in a clear outcome with nothing
 * left pending: the payee restarting between sending and being paid, the relay losing the payer,
 * the payer dropping and restoring its connections, a peer flooding onion messages, and the
 * payee's database going away for a while.
 */
@ExtendWith(NettyLeaks.class)
class FaultsTest {
    private static final long AMOUNT = 64_000;

    @TempDir
    Path dir;
    private Cluster cluster;

    @BeforeEach
    void cluster() {
        cluster = new Cluster(dir);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Payee and introduction node listening, the payer behind the introduction node; each knows where to dial. */
    private Cluster.TestNode[] payeeIntroPayer() {
        Cluster.TestNode payee = cluster.listening("payee");
        Cluster.TestNode intro = cluster.listening("intro");
        Cluster.TestNode payer = cluster.hidden("payer");
        payer.connect(intro);
        payee.knows(intro);
        payer.knows(payee);
        return new Cluster.TestNode[] {payee, intro, payer};
    }

    private static <T> T await(CompletableFuture<T> f) {
        return Mono.fromFuture(f).block(Cluster.WAIT);
    }

    private static void assertPaidWithItsPreimage(JsonNode answer) {
        assertEquals("paid", answer.get("status").asText(), answer.toString());
        assertEquals(answer.get("payment_hash").asText(),
                Hashes.sha256Of(Bytes.fromHex(answer.get("payment_preimage").asText()).toArray()).toHex());
    }

    /**
     * The payee stops after its invoice reached the payer and before the payer pays, and starts
     * again (same key and H2 file, new port). The payment arrives at the new process: the
     * payment path's {@code path_id} is an HMAC under the node key, and acceptPayment reads the
     * stored invoice, so the invoice is marked paid and {@code waitinvoice} returns it paid.
     */
    @Test
    void payeeRestartsBeforeThePayment_paymentStillMarksItPaid_waitinvoiceReturnsIt() {
        Cluster.TestNode[] n = payeeIntroPayer();
        Cluster.TestNode payee = n[0];
        Cluster.TestNode payer = n[2];
        Sinks.Empty<Void> gate = payer.host.holdPayments();
        String lnr = payer.invoiceRequest(AMOUNT);
        CompletableFuture<JsonNode> send = payee.start("sendinvoice", "invreq", lnr, "label", "restart", "timeout", 60);
        Invoice invoice = payer.invoiceToPay(0);

        payee.restart();

        // The caller of sendinvoice saw its node go away.
        ExecutionException gone = assertThrows(ExecutionException.class, () -> send.get());
        assertInstanceOf(RpcConnectionException.class, gone.getCause());
        JsonNode stored = payee.call("listinvoices", "label", "restart").get("invoices").get(0);
        assertEquals("unpaid", stored.get("status").asText());
        assertEquals(invoice.invoicePaymentHash().orElseThrow().toHex(), stored.get("payment_hash").asText());
        CompletableFuture<JsonNode> waiting = payee.start("waitinvoice", "label", "restart");
        payer.knows(payee); // the payee listens on a new port now
        gate.tryEmitEmpty();

        JsonNode paid = await(waiting);
        assertPaidWithItsPreimage(paid);
        assertEquals(AMOUNT, paid.get("amount_received_msat").asLong());
        assertEquals(paid, payee.call("listinvoices", "label", "restart").get("invoices").get(0));
        Payer.Event.Paid event = assertInstanceOf(Payer.Event.Paid.class, payer.nextEvent(0));
        assertEquals(paid.get("payment_preimage").asText(), event.preimage().toHex());
    }

    /**
     * A node stopping with a send in flight (an embedder calling {@code SendInvoice} directly, no
     * RPC connection to cancel it) ends that send at once with -1, well before its timeout, and
     * the invoice stays stored, payable by the node once it is back.
     */
    @Test
    void payeeStopsWithASendInFlight_theSendEndsAtOnceWithMinusOne() {
        Cluster.TestNode[] n = payeeIntroPayer();
        Cluster.TestNode payee = n[0];
        Cluster.TestNode payer = n[2];
        payer.host.holdPayments();
        String lnr = payer.invoiceRequest(AMOUNT);
        CompletableFuture<SendInvoiceResult> send = payee.node.sendInvoice()
                .send(SendInvoiceRequest.of(lnr, "stopping").withTimeout(Duration.ofSeconds(600))).toFuture();
        payer.invoiceToPay(0);

        payee.stop();

        SendInvoiceException e = assertInstanceOf(SendInvoiceException.class,
                assertThrows(ExecutionException.class, () -> send.get(Cluster.WAIT.toSeconds(), TimeUnit.SECONDS))
                        .getCause());
        assertEquals(SendInvoiceException.CATCH_ALL, e.code());
        assertEquals(0, payee.node.sendInvoice().pending());
        payee.restart();
        assertEquals("unpaid", payee.call("listinvoices", "label", "stopping").get("invoices").get(0)
                .get("status").asText());
    }

    /**
     * The introduction node loses its connection to the payer after the invoice_request was
     * written: the invoice reaches the introduction node, which cannot relay it (it does not dial
     * for others) and drops it. The payer comes back; the payee's resend at half the timeout gets
     * through and the invoice is paid.
     */
    @Test
    void relayLosesThePayer_resendAfterItReconnects_paid() {
        Cluster.TestNode[] n = payeeIntroPayer();
        Cluster.TestNode payee = n[0];
        Cluster.TestNode intro = n[1];
        Cluster.TestNode payer = n[2];
        String lnr = payer.invoiceRequest(AMOUNT);
        intro.call("disconnect", "id", payer.id().toHex());
        Await.until("the payer lost the introduction node", Cluster.WAIT,
                () -> payer.node.peers().connection(intro.id()).filter(PeerConnection::isActive).isEmpty());
        long dropped = intro.node.messenger().dropped();

        CompletableFuture<JsonNode> send = payee.start("sendinvoice", "invreq", lnr, "label", "relay-back",
                "timeout", 6);
        Await.until("the introduction node dropped the invoice", Cluster.WAIT,
                () -> intro.node.messenger().dropped() > dropped);
        assertFalse(send.isDone());
        payer.connect(intro);

        assertPaidWithItsPreimage(await(send));
        assertTrue(intro.node.messenger().relayed() >= 1);
        assertEquals(0, payee.node.sendInvoice().pending());
        assertEquals(0, payee.node.sendInvoice().waiters());
    }

    /** The payer never comes back: the send and its resend are dropped at the relay; a clean 1005. */
    @Test
    void relayLosesThePayerForGood_1005_nothingLeftPending() {
        Cluster.TestNode[] n = payeeIntroPayer();
        Cluster.TestNode payee = n[0];
        Cluster.TestNode intro = n[1];
        Cluster.TestNode payer = n[2];
        String lnr = payer.invoiceRequest(AMOUNT);
        long dropped = intro.node.messenger().dropped();
        intro.call("disconnect", "id", payer.id().toHex());
        Await.until("the payer lost the introduction node", Cluster.WAIT,
                () -> payer.node.peers().connection(intro.id()).filter(PeerConnection::isActive).isEmpty());

        RpcException e = payee.fails("sendinvoice", "invreq", lnr, "label", "relay-gone", "timeout", 2);

        assertEquals(SendInvoiceException.TIMEOUT, e.code());
        Await.until("the first send and the resend were dropped at the relay", Cluster.WAIT,
                () -> intro.node.messenger().dropped() >= dropped + 2);
        assertEquals("expired", payee.call("listinvoices", "label", "relay-gone").get("invoices").get(0)
                .get("status").asText());
        assertEquals(0, payee.node.sendInvoice().pending());
        assertEquals(0, payee.node.sendInvoice().waiters());
    }

    /**
     * The payer drops its connection and dials again, once before the invoice comes and once
     * while it is about to pay: the relay uses the new connection, the payer dials the payee to
     * pay, and sendinvoice resolves paid.
     */
    @Test
    void payerDisconnectsAndReconnects_sendinvoiceStillPaid() {
        Cluster.TestNode[] n = payeeIntroPayer();
        Cluster.TestNode payee = n[0];
        Cluster.TestNode intro = n[1];
        Cluster.TestNode payer = n[2];
        String lnr = payer.invoiceRequest(AMOUNT);
        reconnect(payer, intro);
        Sinks.Empty<Void> gate = payer.host.holdPayments();

        CompletableFuture<JsonNode> send = payee.start("sendinvoice", "invreq", lnr, "label", "reconnect",
                "timeout", 30);
        payer.invoiceToPay(0);
        reconnect(payer, intro);
        gate.tryEmitEmpty();

        assertPaidWithItsPreimage(await(send));
        assertInstanceOf(Payer.Event.Paid.class, payer.nextEvent(0));
        assertEquals(0, payee.node.sendInvoice().pending());
    }

    private static void reconnect(Cluster.TestNode payer, Cluster.TestNode intro) {
        payer.call("disconnect", "id", intro.id().toHex());
        Await.until("the introduction node lost the payer", Cluster.WAIT,
                () -> intro.node.peers().connection(payer.id()).filter(PeerConnection::isActive).isEmpty());
        payer.connect(intro);
    }

    /**
     * A peer sends the introduction node hundreds of onion messages back to back while a payer
     * behind it is sent an invoice. Every flood message is either processed or dropped by the rate
     * limit (they add up), at most the bucket's burst plus its refills over the elapsed time are
     * processed, and the other peers' sendinvoice is paid.
     */
    @Test
    void peerFloodsOnionMessages_rateLimitHolds_otherPeersSendinvoicePaid() {
        Cluster.TestNode[] n = payeeIntroPayer();
        Cluster.TestNode payee = n[0];
        Cluster.TestNode intro = n[1];
        Cluster.TestNode payer = n[2];
        PeerOnionMessenger messenger = intro.node.messenger();
        OnionMessageLimits limits = messenger.limits();
        PrivateKey floodKey = PrivateKey.random(cluster.random);
        NettyPeerManager flooder = NettyPeerManager.create(floodKey,
                TransportConfig.defaults().withChainHash(Network.REGTEST.chainHash()));
        cluster.onClose(() -> flooder.close().block(Cluster.WAIT));
        cluster.onReleased(() -> Await.until("the flooder's threads end", Cluster.WAIT,
                () -> Cluster.threadsOf(floodKey.publicKey()) == 0));
        PeerConnection flood = flooder.connect(intro.id(), intro.address()).block(Cluster.WAIT);
        OnionMessages.Outgoing out = OnionMessages.build(floodKey, List.of(),
                new OnionMessages.Destination.Node(intro.id(), Optional.empty()), OnionMessagePayload.EMPTY,
                cluster.random);
        WireMessage message = new WireMessage.OnionMessage(out.pathKey(), out.packet());
        String lnr = payer.invoiceRequest(AMOUNT);
        int total = 400;
        long delivered = messenger.delivered();
        long limited = messenger.rateLimited();

        long start = System.nanoTime();
        CompletableFuture<JsonNode> send = payee.start("sendinvoice", "invreq", lnr, "label", "flooded",
                "timeout", 30);
        Flux.range(0, total).flatMap(i -> flood.send(message), 16).then().block(Cluster.WAIT);
        Await.until("every flood message processed or dropped", Cluster.WAIT,
                () -> messenger.delivered() - delivered + messenger.rateLimited() - limited == total);
        long elapsed = System.nanoTime() - start;

        long processed = messenger.delivered() - delivered;
        long dropped = messenger.rateLimited() - limited;
        long allowed = limits.burst() + elapsed / limits.refillInterval().toNanos() + 1;
        assertTrue(processed >= 1 && processed <= allowed, "processed " + processed + " of " + total
                + ", the limit allows " + allowed + " in " + elapsed / 1_000_000 + " ms");
        assertEquals(total - processed, dropped);
        assertPaidWithItsPreimage(await(send));
        assertTrue(flood.isActive(), "a flooding peer is throttled, not disconnected");
    }

    /**
     * The payee's database goes away for a while (a real H2 file behind a connection factory that
     * fails while switched off). Sends and lists during the outage fail with -1 naming the
     * database; a payment arriving meanwhile is refused (the payer hears it failed); a send or a
     * payment whose commit fails is rolled back; once the database is back the same label succeeds
     * and the payment is recorded on the next attempt, and
     * listinvoices holds every invoice once, with gap-free created_index.
     */
    @Test
    void databaseBrieflyUnavailable_clearErrors_noLostOrDuplicatedInvoice() {
        Path file = dir.resolve("payee-db").resolve("invoices");
        FaultyConnectionFactory db = new FaultyConnectionFactory(new H2ConnectionFactory(
                H2ConnectionConfiguration.builder().file(file.toAbsolutePath().toString()).username("sa")
                        .property("LOCK_TIMEOUT", "10000").property("WRITE_DELAY", "0").build()));
        Cluster.TestNode payee = cluster.start("payee", c -> c.withListen(Cluster.LOOPBACK),
                h -> h.store = config -> R2dbcInvoiceStore.open(db, 1, true)); // one connection: each operation reuses it
        cluster.onReleased(() -> assertEquals(0, db.openConnections(), "the store closed every connection"));
        cluster.onReleased(() -> assertTrue(Cluster.unlocked(file.resolveSibling("invoices.mv.db")), "H2 file released"));
        Cluster.TestNode payer = cluster.listening("payer");
        payee.knows(payer);
        payer.knows(payee);
        for (String label : List.of("a1", "a2")) {
            assertPaidWithItsPreimage(payee.call("sendinvoice", "invreq", payer.invoiceRequest(AMOUNT), "label", label,
                    "timeout", 30));
        }
        JsonNode before = payee.call("listinvoices").get("invoices");
        // An invoice whose payment will arrive during the outage.
        Sinks.Empty<Void> gate = payer.host.holdPayments();
        CompletableFuture<JsonNode> during = payee.start("sendinvoice", "invreq", payer.invoiceRequest(AMOUNT),
                "label", "a3", "timeout", 4);
        payer.invoiceToPay(2);

        db.outage(true);
        String lnr = payer.invoiceRequest(AMOUNT);
        RpcException send = payee.fails("sendinvoice", "invreq", lnr, "label", "b1", "timeout", 30);
        assertEquals(-1, send.code());
        assertTrue(send.getMessage().contains("database"), send.getMessage());
        RpcException list = payee.fails("listinvoices");
        assertEquals(-1, list.code());
        // The store's own message, the same one sendinvoice gives (not a generic "internal error").
        assertTrue(list.getMessage().startsWith("invoice database: "), list.getMessage());
        // Payments from now on wait (the payee resends at half the timeout and the payer would pay
        // that copy): a3's outcome is then its timeout, whatever the timing.
        Sinks.Empty<Void> later = payer.host.holdPayments();
        gate.tryEmitEmpty();
        Payer.Event.PaymentFailed failed = assertInstanceOf(Payer.Event.PaymentFailed.class, payer.nextEvent(2));
        assertTrue(failed.reason().contains("refused"), failed.reason());
        assertTrue(db.refused() > 0);
        db.outage(false);

        // The payment was refused, so a3 was not paid: its send ends at its timeout.
        ExecutionException a3 = assertThrows(ExecutionException.class, () -> during.get());
        assertEquals(SendInvoiceException.TIMEOUT, assertInstanceOf(RpcException.class, a3.getCause()).code());
        later.tryEmitEmpty();
        // The database goes away between the writes of a sendinvoice and their commit: rolled back, -1.
        db.failCommits(true);
        RpcException uncommitted = payee.fails("sendinvoice", "invreq", lnr, "label", "b1", "timeout", 30);
        assertEquals(-1, uncommitted.code());
        db.failCommits(false);
        // Nothing of b1 was kept: the same label (and the same invoice_request) succeeds now.
        assertPaidWithItsPreimage(payee.call("sendinvoice", "invreq", lnr, "label", "b1", "timeout", 30));
        // The database goes away while a payment is being recorded: the HTLC is refused and the paid
        // mark rolled back; the payer's next attempt is recorded, with the next pay_index.
        Sinks.Empty<Void> b2gate = payer.host.holdPayments();
        String b2lnr = payer.invoiceRequest(AMOUNT);
        CompletableFuture<JsonNode> b2 = payee.start("sendinvoice", "invreq", b2lnr, "label", "b2", "timeout", 30);
        Invoice b2invoice = payer.invoiceToPay(b2lnr);
        db.failCommits(true);
        b2gate.tryEmitEmpty();
        Payer.Event b2failed = payer.event(e -> e instanceof Payer.Event.PaymentFailed f
                && f.paymentHash().equals(b2invoice.invoicePaymentHash().orElseThrow()));
        assertTrue(((Payer.Event.PaymentFailed) b2failed).reason().contains("refused"), b2failed.toString());
        db.failCommits(false);
        assertFalse(b2.isDone());
        assertEquals("unpaid", payee.call("listinvoices", "label", "b2").get("invoices").get(0).get("status").asText());
        payer.host.link.pay(b2invoice).block(Cluster.WAIT);
        JsonNode b2paid = await(b2);
        assertPaidWithItsPreimage(b2paid);
        assertEquals(4, b2paid.get("pay_index").asLong(), "a1, a2, b1, then b2: no pay_index lost to the failed commit");

        JsonNode after = payee.call("listinvoices").get("invoices");
        List<String> labels = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            labels.add(after.get(i).get("label").asText());
            statuses.add(after.get(i).get("status").asText());
            assertEquals(i + 1, after.get(i).get("created_index").asLong(), "created_index has no gap");
        }
        assertEquals(List.of("a1", "a2", "a3", "b1", "b2"), labels);
        assertEquals(List.of("paid", "paid", "expired", "paid", "paid"), statuses);
        assertEquals(before.get(0), after.get(0));
        assertEquals(before.get(1), after.get(1));
        assertEquals(0, payee.node.sendInvoice().pending());
    }
}
