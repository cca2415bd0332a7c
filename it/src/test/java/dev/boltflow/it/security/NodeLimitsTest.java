package dev.boltflow.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.node.Node;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.ConnectionClosed;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import dev.boltflow.transport.testing.NettyLeaks;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The peer-facing limits as a whole node applies them from its {@link NodeConfig} (the transport's
 * own tests cover each handler in depth): a message over {@code maxMessageLength}, a connection
 * beyond {@code maxInboundConnections} and a handshake that never finishes each end that one
 * connection with its reason, while a well-behaved peer stays connected and served.
 */
@ExtendWith(NettyLeaks.class)
@Timeout(60)
class NodeLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** An odd type nobody handles: BOLT 1 says ignore it, so only its size matters. */
    private static final int ODD_TYPE = 32_001;

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

    private NettyPeerManager peer() {
        NettyPeerManager p = NettyPeerManager.create(PrivateKey.random(random),
                TransportConfig.defaults().withChainHash(ChainHashes.REGTEST));
        cleanup.add(() -> p.close().block(WAIT));
        return p;
    }

    @Test
    void oversizedMessage_extraConnection_andStalledHandshake_eachEndOnlyThatConnection() throws Exception {
        Node node = Node.start(NodeConfig.defaults(Network.REGTEST, dir)
                .withListen(new InetSocketAddress("127.0.0.1", 0))
                .withMaxMessageLength(1_000), Node.Host.of(false, () -> 0, i -> Optional.empty(), random), random)
                .block(WAIT);
        cleanup.add(node::close);
        InetSocketAddress at = node.listening().orElseThrow();
        NettyPeerManager good = peer();
        PeerConnection goodConnection = good.connect(node.nodeId(), at).block(WAIT);

        // A message one byte over the limit closes that peer's connection, with the reason.
        NettyPeerManager big = peer();
        CompletableFuture<ConnectionClosed> closed = node.peers().closedConnections()
                .filter(c -> c.reason().kind() == CloseReason.Kind.FRAME_TOO_LARGE).next().toFuture();
        PeerConnection bigConnection = big.connect(node.nodeId(), at).block(WAIT);
        bigConnection.send(new WireMessage.Unknown(ODD_TYPE, Bytes.wrap(new byte[1_000 - 2 + 1]))).block(WAIT);
        ConnectionClosed c = Mono.fromFuture(closed).block(WAIT);
        assertTrue(c.reason().detail().contains("1001"), c.reason().detail());

        // Just under it is fine, and the good peer was never disturbed.
        goodConnection.send(new WireMessage.Unknown(ODD_TYPE, Bytes.wrap(new byte[1_000 - 2]))).block(WAIT);
        goodConnection.send(new WireMessage.Unknown(ODD_TYPE, Bytes.wrap(new byte[10]))).block(WAIT);
        assertTrue(goodConnection.isActive());
        assertTrue(node.peers().connection(good.nodeId()).orElseThrow().isActive());
    }

    @Test
    void connectionsBeyondTheLimit_andSlowHandshakes_areClosed_whileTheConnectedPeerStays() throws Exception {
        Node node = Node.start(new NodeConfig(Network.REGTEST, dir, Optional.of(new InetSocketAddress("127.0.0.1", 0)),
                Optional.empty(), false, Duration.ofSeconds(90), List.of(), false, 100_000, 2, Duration.ofSeconds(1)),
                Node.Host.of(false, () -> 0, i -> Optional.empty(), random), random).block(WAIT);
        cleanup.add(node::close);
        InetSocketAddress at = node.listening().orElseThrow();
        NettyPeerManager good = peer();
        PeerConnection goodConnection = good.connect(node.nodeId(), at).block(WAIT);

        // A socket that connects and never speaks: closed at the handshake deadline (1 s here).
        CompletableFuture<ConnectionClosed> timedOut = node.peers().closedConnections()
                .filter(c -> c.reason().kind() == CloseReason.Kind.HANDSHAKE_TIMEOUT).next().toFuture();
        try (Socket silent = new Socket(at.getAddress(), at.getPort())) {
            silent.setSoTimeout((int) WAIT.toMillis());
            InputStream in = silent.getInputStream();
            assertEquals(-1, in.read(), "the node closes a silent connection");
        }
        Mono.fromFuture(timedOut).block(WAIT);

        // Two inbound at once is the limit: with the good peer and one more connected, a third is refused.
        NettyPeerManager second = peer();
        second.connect(node.nodeId(), at).block(WAIT);
        CompletableFuture<ConnectionClosed> refused = node.peers().closedConnections()
                .filter(c -> c.reason().kind() == CloseReason.Kind.TOO_MANY_CONNECTIONS).next().toFuture();
        NettyPeerManager third = peer();
        assertThrows(RuntimeException.class, () -> third.connect(node.nodeId(), at).block(WAIT));
        Mono.fromFuture(refused).block(WAIT);

        assertTrue(goodConnection.isActive());
        goodConnection.send(new WireMessage.Unknown(ODD_TYPE, Bytes.wrap(new byte[10]))).block(WAIT);
        assertTrue(node.peers().connection(good.nodeId()).orElseThrow().isActive());
    }
}
