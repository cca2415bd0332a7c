package dev.boltflow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.payer.OurInvoiceRequest;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.payer.PaymentSender;
import dev.boltflow.core.payer.memory.DirectPaymentSender;
import dev.boltflow.core.sendinvoice.BlockHeight;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole nodes in one JVM over real BOLT 8: one writes an invoice_request, the other answers
 * it with sendinvoice, the first pays (in process: the payee's HTLC entry point); then the payee
 * restarts and still has its identity and the paid invoice.
 */
class NodeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final SecureRandom random = new SecureRandom();

    /** The payer pays by calling the payee's HTLC entry point directly (same JVM). */
    private static Node.Host payingInto(AtomicReference<SendInvoice> payee) {
        return new Node.Host() {
            @Override
            public PaymentSender paymentSender(Node.NodeParts parts) {
                return new DirectPaymentSender(htlc -> payee.get().acceptPayment(htlc), 10);
            }

            @Override
            public BlockHeight blockHeight() {
                return () -> 0;
            }
        };
    }

    @Test
    void sendinvoice_between_two_nodes_then_a_restart_keeps_identity_and_invoices(@TempDir Path dir) {
        AtomicReference<SendInvoice> payeeService = new AtomicReference<>();
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        NodeConfig payeeConfig = NodeConfig.defaults(Network.REGTEST, dir.resolve("payee")).withListen(loopback);
        NodeConfig payerConfig = NodeConfig.defaults(Network.REGTEST, dir.resolve("payer")).withListen(loopback);
        Node payee = Node.start(payeeConfig, payingInto(payeeService), random).block(WAIT);
        Node payer = Node.start(payerConfig, payingInto(payeeService), random).block(WAIT);
        String payeeId;
        try {
            payeeService.set(payee.sendInvoice());
            payeeId = payee.nodeId().toHex();
            OurInvoiceRequest invreq = payer.payer().createInvoiceRequest(Payer.Params.of(42_000, "node test")).block(WAIT);
            // The payer introduces its own invreq_paths: the payee must know where it listens.
            InetSocketAddress at = payer.listening().orElseThrow();
            payee.connect(payer.nodeId(), at.getHostString(), at.getPort()).block(WAIT);
            SendInvoiceResult paid = payee.sendInvoice().send(SendInvoiceRequest.of(invreq.bolt12(), "nodetest")).block(WAIT);
            assertEquals(InvoiceStatus.PAID, paid.status());
            assertEquals(42_000, paid.amountReceivedMsat().getAsLong());
        } finally {
            payer.close();
            payee.close();
        }
        Node again = Node.start(payeeConfig, payingInto(payeeService), random).block(WAIT);
        try {
            assertEquals(payeeId, again.nodeId().toHex());
            assertEquals(InvoiceStatus.PAID, again.store().findByLabel("nodetest").block(WAIT).status());
        } finally {
            again.close();
        }
    }

    /**
     * A node on the simulated link says so in its init (bit 261); paying a node that does not (as
     * Core Lightning would not) fails at once with a reason naming the missing support, instead of
     * waiting the link's 60 s for an answer that never comes.
     */
    @Test
    void the_simulated_link_is_negotiated_and_a_payee_without_it_fails_the_payment_at_once(@TempDir Path dir) {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        Node payer = Node.start(NodeConfig.defaults(Network.REGTEST, dir.resolve("payer")).withListen(loopback),
                Node.Host.of(true, () -> 800_000, i -> java.util.Optional.empty(), random), random).block(WAIT);
        Node payee = Node.start(NodeConfig.defaults(Network.REGTEST, dir.resolve("payee")).withListen(loopback),
                Node.Host.of(false, () -> 800_000, i -> java.util.Optional.empty(), random), random).block(WAIT);
        try {
            InetSocketAddress at = payer.listening().orElseThrow();
            var connection = payee.connect(payer.nodeId(), at.getHostString(), at.getPort()).block(WAIT);
            assertTrue(connection.remoteInit().combinedFeatures().hasBit(dev.boltflow.node.payments.SimulatedPaymentLink.FEATURE_BIT));
            var failed = payer.payer().events().next().toFuture();
            OurInvoiceRequest invreq = payer.payer().createInvoiceRequest(Payer.Params.of(1_000, "no link")).block(WAIT);
            payee.sendInvoice().send(SendInvoiceRequest.of(invreq.bolt12(), "nolink").withTimeout(Duration.ofSeconds(60)))
                    .subscribe(r -> { }, e -> { });
            Payer.Event e = reactor.core.publisher.Mono.fromFuture(failed).block(WAIT);
            Payer.Event.PaymentFailed f = assertInstanceOf(Payer.Event.PaymentFailed.class, e);
            assertTrue(f.reason().contains("does not run boltflow's simulated payment link"), f.reason());
            assertTrue(payer.peers().connection(payee.nodeId()).orElseThrow().remoteInit().combinedFeatures()
                    .setBits().stream().noneMatch(b -> b == 260 || b == 261), "the payee does not advertise the link");
        } finally {
            payer.close();
            payee.close();
        }
    }

    @Test
    void a_second_node_on_the_same_data_dir_fails_cleanly(@TempDir Path dir) {
        NodeConfig config = NodeConfig.defaults(Network.REGTEST, dir);
        Node first = Node.start(config, payingInto(new AtomicReference<>()), random).block(WAIT);
        try {
            Throwable e = Node.start(config, payingInto(new AtomicReference<>()), random)
                    .map(n -> (Throwable) null).onErrorResume(x -> reactor.core.publisher.Mono.just(x)).block(WAIT);
            assertInstanceOf(Throwable.class, e, "the H2 file is locked by the first node");
        } finally {
            first.close();
        }
    }
}
