package dev.boltflow.node.addressbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.payer.PaymentSender;
import dev.boltflow.core.sendinvoice.BlockHeight;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.NetworkView.Address;
import dev.boltflow.node.Node;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.node.messaging.OnionMessageLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** A whole node keeps the addresses it dialled across a restart, and dials them to send. */
class NodeAddressBookTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private static final Node.Host HOST = new Node.Host() {
        @Override
        public PaymentSender paymentSender(Node.NodeParts parts) {
            return invoice -> Mono.error(new IllegalStateException("no payments in this test"));
        }

        @Override
        public BlockHeight blockHeight() {
            return () -> 0;
        }
    };

    private static Node start(NodeConfig config) {
        return Node.start(config, HOST, RANDOM).block(WAIT);
    }

    @Test
    void connect_then_restart_keeps_the_address_and_the_restarted_node_dials_it_to_send(@TempDir Path dir) {
        Node b = start(NodeConfig.defaults(Network.REGTEST, dir.resolve("b")).withListen(LOOPBACK));
        NodeConfig aConfig = NodeConfig.defaults(Network.REGTEST, dir.resolve("a"));
        try {
            InetSocketAddress bAt = b.listening().orElseThrow();
            Address expected = new Address(bAt.getHostString(), bAt.getPort());
            Node a = start(aConfig);
            try {
                a.connect(b.nodeId(), bAt.getHostString(), bAt.getPort()).block(WAIT);
                assertEquals(List.of(expected), a.network().node(b.nodeId()).orElseThrow().addresses());
                assertTrue(b.network().node(a.nodeId()).isEmpty(),
                        "a peer's remote address is not where it listens: not recorded");
            } finally {
                a.close();
            }

            Node again = start(aConfig);
            try {
                assertEquals(List.of(expected), again.network().node(b.nodeId()).orElseThrow().addresses());
                assertTrue(again.peers().connection(b.nodeId()).isEmpty());
                CompletableFuture<InboundOnionMessage> got = b.messenger().inbound().next().toFuture();

                again.messenger().send(new OnionMessages.Destination.Node(b.nodeId(), Optional.empty()),
                        OnionMessagePayload.ofInvoiceRequest(Bytes.wrap("after restart".getBytes(
                                StandardCharsets.UTF_8)))).block(WAIT);

                assertEquals(Bytes.wrap("after restart".getBytes(StandardCharsets.UTF_8)),
                        Mono.fromFuture(got).block(WAIT).payload().invoiceRequest().orElseThrow());
                assertTrue(again.peers().connection(b.nodeId()).isPresent(), "dialled from the address book");
            } finally {
                again.close();
            }
        } finally {
            b.close();
        }
    }

    @Test
    void a_failed_connect_records_nothing(@TempDir Path dir) throws IOException {
        Node a = start(NodeConfig.defaults(Network.REGTEST, dir));
        try {
            PrivateKey nobody = PrivateKey.random(RANDOM);
            int port = closedPort();
            Throwable e = a.connect(nobody.publicKey(), "127.0.0.1", port).map(c -> (Throwable) null)
                    .onErrorResume(Mono::just).block(WAIT);
            assertTrue(e != null, "nothing listens there");
            assertTrue(a.network().node(nobody.publicKey()).isEmpty());
        } finally {
            a.close();
        }
        Node again = start(NodeConfig.defaults(Network.REGTEST, dir));
        try {
            assertTrue(again.network().nodes().isEmpty());
        } finally {
            again.close();
        }
    }

    @Test
    void the_configured_onion_message_limits_reach_the_messenger(@TempDir Path dir) {
        OnionMessageLimits eclair = OnionMessageLimits.perSecond(10);
        Node a = start(NodeConfig.defaults(Network.REGTEST, dir).withOnionMessageLimits(eclair));
        try {
            assertEquals(eclair, a.messenger().limits());
        } finally {
            a.close();
        }
        assertEquals(OnionMessageLimits.defaults(), NodeConfig.defaults(Network.REGTEST, dir).onionMessageLimits());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
