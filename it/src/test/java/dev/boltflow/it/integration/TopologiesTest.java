package dev.boltflow.it.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.node.rpc.RpcException;
import dev.boltflow.transport.testing.NettyLeaks;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * Where the invoice goes, between whole nodes over BOLT 8 on loopback: straight to a payer that
 * listens; through an introduction node that relays for a payer that does not (dialled by the payee,
 * or already connected to it); past an unreachable first entry of {@code invreq_paths}; to
 * {@code invreq_payer_id} when there are no paths; and nowhere when the payee may not connect.
 */
@ExtendWith(NettyLeaks.class)
class TopologiesTest {
    private static final long AMOUNT = 77_000;

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

    /** Paid in full, with a preimage that hashes to the payment hash. */
    static void assertPaid(JsonNode answer, long amount) {
        assertEquals("paid", answer.get("status").asText(), answer.toString());
        assertEquals(amount, answer.get("amount_received_msat").asLong());
        assertEquals(Bytes32.fromHex(answer.get("payment_hash").asText()),
                Hashes.sha256Of(Bytes.fromHex(answer.get("payment_preimage").asText()).toArray()));
    }

    @Test
    void direct_payerListens_payeeDialsItAndIsPaid() {
        Cluster.TestNode payee = cluster.listening("payee");
        Cluster.TestNode payer = cluster.listening("payer");
        payee.knows(payer);
        payer.knows(payee);
        String lnr = payer.invoiceRequest(AMOUNT);
        // The payer introduces its own path.
        BlindedPath path = InvoiceRequest.decode(lnr).invreqPaths().orElseThrow().get(0);
        assertEquals(payer.id(), path.firstNodeId().nodeId().orElseThrow());

        assertPaid(payee.call("sendinvoice", "invreq", lnr, "label", "direct", "timeout", 30), AMOUNT);

        assertTrue(payee.node.peers().connection(payer.id()).isPresent(), "the payee dialled the payer");
        assertEquals(0, payee.node.messenger().relayed() + payer.node.messenger().relayed());
    }

    @Test
    void behindIntroductionNode_payeeDialsTheIntroductionNode_whichRelays() {
        Cluster.TestNode payee = cluster.listening("payee");
        Cluster.TestNode intro = cluster.listening("intro");
        Cluster.TestNode payer = cluster.hidden("payer");
        payer.connect(intro);
        payee.knows(intro);
        payer.knows(payee);
        String lnr = payer.invoiceRequest(AMOUNT);
        assertEquals(intro.id(), InvoiceRequest.decode(lnr).invreqPaths().orElseThrow().get(0)
                .firstNodeId().nodeId().orElseThrow());

        assertPaid(payee.call("sendinvoice", "invreq", lnr, "label", "via-intro", "timeout", 30), AMOUNT);

        assertTrue(intro.node.messenger().relayed() >= 1, "the introduction node relayed the invoice");
        assertTrue(payee.node.peers().connection(intro.id()).isPresent());
        assertTrue(payee.node.peers().connection(payer.id()).isPresent(), "the payer dialled the payee to pay");
    }

    @Test
    void behindIntroductionNode_payeeAlreadyConnected_noconnectUsesThatConnection() {
        Cluster.TestNode payee = cluster.start("payee", c -> c.withListen(Cluster.LOOPBACK).withFetchInvoiceNoconnect(true),
                h -> { });
        Cluster.TestNode intro = cluster.listening("intro");
        Cluster.TestNode payer = cluster.hidden("payer");
        payer.connect(intro);
        payee.connect(intro);
        payer.knows(payee);
        String lnr = payer.invoiceRequest(AMOUNT);

        assertPaid(payee.call("sendinvoice", "invreq", lnr, "label", "connected", "timeout", 30), AMOUNT);

        assertTrue(intro.node.messenger().relayed() >= 1);
    }

    @Test
    void noconnect_introductionNodeKnownButNotConnected_1003() {
        Cluster.TestNode payee = cluster.start("payee", c -> c.withListen(Cluster.LOOPBACK).withFetchInvoiceNoconnect(true),
                h -> { });
        Cluster.TestNode intro = cluster.listening("intro");
        Cluster.TestNode payer = cluster.hidden("payer");
        payer.connect(intro);
        payee.knows(intro); // it could dial it, but fetchinvoice-noconnect forbids it
        String lnr = payer.invoiceRequest(AMOUNT);

        RpcException e = payee.fails("sendinvoice", "invreq", lnr, "label", "noconnect", "timeout", 30);

        assertEquals(SendInvoiceException.UNREACHABLE, e.code());
        assertTrue(e.getMessage().contains("noConnect"), e.getMessage());
        assertTrue(payee.node.peers().connection(intro.id()).isEmpty(), "the payee did not dial");
        // Unreachable before anything is written: no invoice is stored and the label stays free.
        assertEquals(0, payee.call("listinvoices", "label", "noconnect").get("invoices").size());
        assertEquals(0, payee.node.sendInvoice().pending());
    }

    @Test
    void severalPaths_firstUnreachable_theNextOneIsUsed() {
        BlindedPath nowhere = Invreqs.unreachablePath(cluster.random);
        Cluster.TestNode payee = cluster.listening("payee");
        Cluster.TestNode intro = cluster.listening("intro");
        Cluster.TestNode payer = cluster.start("payer", c -> c,
                h -> h.requests = () -> new RewritingRequests(lnr -> Invreqs.prependPath(lnr, nowhere)));
        payer.connect(intro);
        payee.knows(intro);
        payer.knows(payee);
        String lnr = payer.invoiceRequest(AMOUNT, "unsigned", true);
        List<BlindedPath> paths = InvoiceRequest.decode(lnr).invreqPaths().orElseThrow();
        assertEquals(2, paths.size());
        assertEquals(nowhere, paths.get(0));

        assertPaid(payee.call("sendinvoice", "invreq", lnr, "label", "second-path", "timeout", 30), AMOUNT);

        assertTrue(intro.node.messenger().relayed() >= 1, "delivered over the second path");
        assertInstanceOf(Payer.Event.Paid.class, payer.nextEvent(0));
    }

    @Test
    void noInvreqPaths_invoiceGoesToInvreqPayerIdAsANode() {
        Cluster.TestNode payee = cluster.listening("payee");
        Cluster.TestNode payer = cluster.listening("payer");
        payee.knows(payer);
        payer.knows(payee);
        // No paths, and the payer id is the payer node's id: the invoice must be sent to that node.
        String lnr = Invreqs.withoutPaths(payer.invoiceRequest(AMOUNT, "unsigned", true), payer.id());
        assertTrue(InvoiceRequest.decode(lnr).invreqPaths().isEmpty());
        // Our payer side only takes invoices on its paths; here the test reads the payer node's onion
        // messages and pays what arrives with the payer node's payment link.
        CompletableFuture<InboundOnionMessage> arrived = payer.node.messenger().inbound()
                .filter(m -> m.payload().invoice().isPresent()).next().toFuture();

        CompletableFuture<JsonNode> answer = payee.start("sendinvoice", "invreq", lnr, "label", "payer-id",
                "timeout", 30);
        InboundOnionMessage m = Mono.fromFuture(arrived).block(Cluster.WAIT);
        assertTrue(m.pathId().isEmpty(), "delivered to the node itself, not into a blinded path");
        Invoice invoice = Invoice.decode(m.payload().invoice().get().toArray());
        assertEquals(payer.id(), invoice.invreqPayerId().orElseThrow());
        Bytes32 preimage = payer.host.link.pay(invoice).block(Cluster.WAIT);

        JsonNode paid = Mono.fromFuture(answer).block(Cluster.WAIT);
        assertPaid(paid, AMOUNT);
        assertEquals(preimage.toHex(), paid.get("payment_preimage").asText());
        assertFalse(payer.node.peers().connections().isEmpty());
    }
}
