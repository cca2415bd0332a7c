package dev.boltflow.transport.netty;

import static dev.boltflow.transport.netty.TestNodes.WAIT;
import static dev.boltflow.transport.netty.TestNodes.listen;
import static dev.boltflow.transport.netty.TestNodes.seqOf;
import static dev.boltflow.transport.netty.TestNodes.testMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.CloseReason.Kind;
import dev.boltflow.transport.ConnectionClosed;
import dev.boltflow.transport.PeerClosedException;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.testing.NoLeaks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Real sockets on loopback, port 0; every manager is closed after each test. */
@ExtendWith(NoLeaks.class)
class NettyPeerManagerTest {
    private final TestNodes nodes = new TestNodes();
    private final TransportConfig config = TransportConfig.defaults();

    @AfterEach
    void closeNodes() {
        nodes.close();
    }

    @Test
    void connect_exchangesInit_andBothSidesKnowEachOther() {
        NettyPeerManager alice = nodes.node(config);
        NettyPeerManager bob = nodes.node(config);
        InetSocketAddress addr = listen(alice);
        CompletableFuture<PeerConnection> accepted = alice.inboundConnections().next().toFuture();

        PeerConnection toAlice = bob.connect(alice.nodeId(), addr).block(WAIT);
        PeerConnection fromBob = Mono.fromFuture(accepted).block(WAIT);

        assertEquals(alice.nodeId(), toAlice.remoteNodeId());
        assertEquals(bob.nodeId(), fromBob.remoteNodeId());
        assertTrue(toAlice.initiatedLocally());
        assertFalse(fromBob.initiatedLocally());
        assertEquals(TransportConfig.DEFAULT_FEATURES, toAlice.remoteInit().combinedFeatures());
        assertEquals(List.of(config.chainHash()), fromBob.remoteInit().networks().orElseThrow());
        assertSame(fromBob, alice.connection(bob.nodeId()).orElseThrow());
        assertSame(toAlice, bob.connection(alice.nodeId()).orElseThrow());
        assertEquals(addr, toAlice.remoteAddress());
        assertEquals(addr, alice.boundAddress().orElseThrow());
    }

    @Test
    void tenThousandMessagesEachWay_arriveWithoutLossOrReordering_acrossKeyRotations() {
        int n = 10_000;
        NettyPeerManager alice = nodes.node(config);
        NettyPeerManager bob = nodes.node(config);
        InetSocketAddress addr = listen(alice);
        CompletableFuture<PeerConnection> accepted = alice.inboundConnections().next().toFuture();
        PeerConnection atBob = bob.connect(alice.nodeId(), addr).block(WAIT);
        PeerConnection atAlice = Mono.fromFuture(accepted).block(WAIT);

        CompletableFuture<List<Integer>> aliceGot = atAlice.inbound().take(n).map(TestNodes::seqOf).collectList().toFuture();
        CompletableFuture<List<Integer>> bobGot = atBob.inbound().take(n).map(TestNodes::seqOf).collectList().toFuture();
        // Several sends in flight at once: order is subscription order.
        Mono<Void> bobSends = Flux.range(0, n).flatMap(i -> atBob.send(testMessage(i, i % 500)), 64).then();
        Mono<Void> aliceSends = Flux.range(0, n).concatMap(i -> atAlice.send(testMessage(i, 200))).then();
        Mono.when(bobSends, aliceSends).block(WAIT);

        List<Integer> expected = IntStream.range(0, n).boxed().collect(Collectors.toList());
        assertEquals(expected, Mono.fromFuture(aliceGot).block(WAIT));
        assertEquals(expected, Mono.fromFuture(bobGot).block(WAIT));
        assertTrue(atAlice.isActive() && atBob.isActive());
    }

    @Test
    void concurrentConnectsToOneNode_shareOneAttempt() {
        NettyPeerManager alice = nodes.node(config);
        NettyPeerManager bob = nodes.node(config);
        InetSocketAddress addr = listen(alice);
        List<PeerConnection> all = Flux.range(0, 8)
                .flatMap(i -> bob.connect(alice.nodeId(), addr))
                .collectList().block(WAIT);
        assertEquals(1, all.stream().distinct().count());
        assertSame(all.get(0), bob.connect(alice.nodeId(), addr).block(WAIT), "a live connection is reused");
        // Bob's side completes when Alice's init arrives; Alice registers hers when Bob's arrives.
        alice.inboundConnections().next().block(WAIT);
        assertEquals(1, alice.connections().size());
        assertEquals(1, bob.connections().size());
    }

    @Test
    void newerConnectionFromTheSameNode_replacesTheOlder() {
        PrivateKey bobKey = PrivateKey.random(TestNodes.RANDOM);
        NettyPeerManager alice = nodes.node(config);
        NettyPeerManager bob = nodes.node(bobKey, config);
        NettyPeerManager bobRestarted = nodes.node(bobKey, config);
        InetSocketAddress addr = listen(alice);

        CompletableFuture<List<PeerConnection>> twoAccepted = alice.inboundConnections().take(2).collectList().toFuture();
        CompletableFuture<PeerConnection> firstAccepted = alice.inboundConnections().next().toFuture();
        PeerConnection first = bob.connect(alice.nodeId(), addr).block(WAIT);
        first.inbound().subscribe(); // reading is what notices the peer hanging up
        PeerConnection firstAtAlice = Mono.fromFuture(firstAccepted).block(WAIT);
        PeerConnection second = bobRestarted.connect(alice.nodeId(), addr).block(WAIT);

        firstAtAlice.onClose().block(WAIT);
        assertEquals(Kind.REPLACED, firstAtAlice.closeReason().orElseThrow().kind());
        first.onClose().block(WAIT);
        assertEquals(Kind.REMOTE_CLOSED, first.closeReason().orElseThrow(() -> new AssertionError("active=" + first.isActive() + " attr=" + PeerChannels.closeReason(((NettyPeerConnection) first).channel()))).kind());
        List<PeerConnection> accepted = Mono.fromFuture(twoAccepted).block(WAIT);
        assertSame(firstAtAlice, accepted.get(0));
        assertSame(accepted.get(1), alice.connection(bobKey.publicKey()).orElseThrow());
        assertEquals(1, alice.connections().size());
        assertTrue(second.isActive());
    }

    @Test
    void connectExpectingAnotherNodeId_failsTheHandshake() {
        NettyPeerManager alice = nodes.node(config);
        NettyPeerManager bob = nodes.node(config);
        InetSocketAddress addr = listen(alice);
        CompletableFuture<ConnectionClosed> atAlice = alice.closedConnections().next().toFuture();

        PrivateKey someoneElse = PrivateKey.random(TestNodes.RANDOM);
        Throwable e = assertThrows(RuntimeException.class,
                () -> bob.connect(someoneElse.publicKey(), addr).block(WAIT));
        assertInstanceOf(PeerClosedException.class, e);
        ConnectionClosed closed = Mono.fromFuture(atAlice).block(WAIT);
        assertEquals(Kind.HANDSHAKE_FAILED, closed.reason().kind());
        assertTrue(closed.reason().detail().contains("ACT1_BAD_TAG"));
        assertTrue(bob.connection(someoneElse.publicKey()).isEmpty());
    }

    @Test
    void disconnect_closesBothEnds_withReasons() {
        NettyPeerManager alice = nodes.node(config);
        NettyPeerManager bob = nodes.node(config);
        InetSocketAddress addr = listen(alice);
        CompletableFuture<PeerConnection> accepted = alice.inboundConnections().next().toFuture();
        PeerConnection atBob = bob.connect(alice.nodeId(), addr).block(WAIT);
        PeerConnection atAlice = Mono.fromFuture(accepted).block(WAIT);
        CompletableFuture<List<WireMessage>> inboundEnds = atAlice.inbound().collectList().toFuture();

        bob.disconnect(alice.nodeId()).block(WAIT);
        atAlice.onClose().block(WAIT);

        assertEquals(Kind.LOCAL_DISCONNECT, atBob.closeReason().orElseThrow().kind());
        assertEquals(Kind.REMOTE_CLOSED, atAlice.closeReason().orElseThrow().kind());
        assertEquals(List.of(), Mono.fromFuture(inboundEnds).block(WAIT), "inbound completes on close");
        assertTrue(bob.connection(alice.nodeId()).isEmpty());
        PeerClosedException e = assertThrows(PeerClosedException.class,
                () -> atBob.send(testMessage(1, 1)).block(WAIT));
        assertEquals(Kind.LOCAL_DISCONNECT, e.reason().kind());
    }

    @Test
    void inboundLimit_refusesConnectionsBeyondIt() {
        NettyPeerManager alice = nodes.node(config.withMaxInboundConnections(1));
        NettyPeerManager bob = nodes.node(config);
        NettyPeerManager carol = nodes.node(config);
        InetSocketAddress addr = listen(alice);
        bob.connect(alice.nodeId(), addr).block(WAIT);
        CompletableFuture<ConnectionClosed> refused = alice.closedConnections().next().toFuture();

        assertThrows(PeerClosedException.class, () -> carol.connect(alice.nodeId(), addr).block(WAIT));
        assertEquals(Kind.TOO_MANY_CONNECTIONS, Mono.fromFuture(refused).block(WAIT).reason().kind());
        assertTrue(alice.connection(bob.nodeId()).orElseThrow().isActive());
    }

    @Test
    void sendingOversizedOrInit_failsThatSendOnly() {
        NettyPeerManager alice = nodes.node(config);
        NettyPeerManager bob = nodes.node(config);
        InetSocketAddress addr = listen(alice);
        CompletableFuture<PeerConnection> accepted = alice.inboundConnections().next().toFuture();
        PeerConnection atBob = bob.connect(alice.nodeId(), addr).block(WAIT);
        PeerConnection atAlice = Mono.fromFuture(accepted).block(WAIT);
        CompletableFuture<WireMessage> got = atAlice.inbound().next().toFuture();

        assertThrows(IllegalArgumentException.class,
                () -> atBob.send(new WireMessage.Unknown(TestNodes.TEST_TYPE, Bytes.wrap(new byte[65534]))).block(WAIT));
        assertThrows(IllegalArgumentException.class, () -> atBob.send(atBob.remoteInit()).block(WAIT));
        atBob.send(testMessage(7, 3)).block(WAIT);
        assertEquals(7, seqOf(Mono.fromFuture(got).block(WAIT)));
    }

    @Test
    void connectToASilentServer_failsWithHandshakeTimeout() throws Exception {
        NettyPeerManager bob = nodes.node(config.withHandshakeTimeout(Duration.ofMillis(300)));
        PrivateKey someone = PrivateKey.random(TestNodes.RANDOM);
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            InetSocketAddress addr = (InetSocketAddress) silent.getLocalSocketAddress();
            StepVerifier.create(bob.connect(someone.publicKey(), addr))
                    .expectErrorSatisfies(e -> assertEquals(Kind.HANDSHAKE_TIMEOUT,
                            ((PeerClosedException) e).reason().kind()))
                    .verify(WAIT);
        }
        assertTrue(bob.connection(someone.publicKey()).isEmpty());
    }

    @Test
    void connectToAClosedPort_failsWithTheSocketError() throws Exception {
        NettyPeerManager bob = nodes.node(config);
        InetSocketAddress addr;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            addr = (InetSocketAddress) s.getLocalSocketAddress();
        }
        StepVerifier.create(bob.connect(PrivateKey.random(TestNodes.RANDOM).publicKey(), addr))
                .expectErrorMatches(e -> e instanceof java.net.ConnectException)
                .verify(WAIT);
    }

    @Test
    void inbound_followsDemand_andDeliversInOrder() {
        NettyPeerManager alice = nodes.node(config);
        NettyPeerManager bob = nodes.node(config);
        InetSocketAddress addr = listen(alice);
        CompletableFuture<PeerConnection> accepted = alice.inboundConnections().next().toFuture();
        PeerConnection atBob = bob.connect(alice.nodeId(), addr).block(WAIT);
        PeerConnection atAlice = Mono.fromFuture(accepted).block(WAIT);

        StepVerifier.create(atAlice.inbound().map(TestNodes::seqOf), 0)
                .then(() -> Flux.range(0, 5).concatMap(i -> atBob.send(testMessage(i, 1))).blockLast(WAIT))
                .thenRequest(2)
                .expectNext(0, 1)
                .thenRequest(3)
                .expectNext(2, 3, 4)
                .then(atBob::dispose)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void close_endsEveryConnection_andCompletesTheStreams() {
        NettyPeerManager alice = nodes.node(config);
        NettyPeerManager bob = nodes.node(config);
        InetSocketAddress addr = listen(alice);
        CompletableFuture<List<PeerConnection>> inbound = alice.inboundConnections().collectList().toFuture();
        CompletableFuture<PeerConnection> accepted = alice.inboundConnections().next().toFuture();
        PeerConnection atBob = bob.connect(alice.nodeId(), addr).block(WAIT);
        Mono.fromFuture(accepted).block(WAIT);
        atBob.inbound().subscribe(); // reading is what notices the peer hanging up

        alice.close().block(WAIT);
        alice.close().block(WAIT); // idempotent

        assertEquals(1, Mono.fromFuture(inbound).block(WAIT).size());
        atBob.onClose().block(WAIT);
        assertEquals(Kind.REMOTE_CLOSED, atBob.closeReason().orElseThrow().kind());
        assertThrows(IllegalStateException.class, () -> alice.connect(bob.nodeId(), addr).block(WAIT));
        Throwable refused = assertThrows(RuntimeException.class, () -> bob.connect(alice.nodeId(), addr).block(WAIT));
        assertFalse(refused instanceof IllegalStateException, "nobody listens any more: " + refused);

        String aliceThreads = "boltflow-" + alice.nodeId().toHex().substring(0, 8);
        assertTrue(threadsNamed(aliceThreads).isEmpty(), "alice's event loops are gone: " + threadsNamed(aliceThreads));
        assertFalse(threadsNamed("boltflow-" + bob.nodeId().toHex().substring(0, 8)).isEmpty());
        assertTrue(threadsNamed("reactor-tcp").isEmpty(), "no global TcpResources: " + threadsNamed("reactor-tcp"));
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .collect(Collectors.toList());
    }
}
