package dev.boltflow.transport.netty;

import dev.boltflow.core.bolt12.ChainHashes;
import static dev.boltflow.transport.netty.TestNodes.WAIT;
import static dev.boltflow.transport.netty.TestNodes.listen;
import static dev.boltflow.transport.netty.TestNodes.seqOf;
import static dev.boltflow.transport.netty.TestNodes.testMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.noise.NoiseHandshake;
import dev.boltflow.core.noise.TransportCipher;
import dev.boltflow.core.wire.WireCodec;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.CloseReason.Kind;
import dev.boltflow.transport.ConnectionClosed;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.testing.LogCapture;
import dev.boltflow.transport.testing.NoLeaks;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * A node (alice) with a well-behaved peer (bob) connected, then a hostile peer on a raw socket.
 * Each misdeed must end the hostile connection with a logged reason while bob's carries on.
 */
@ExtendWith(NoLeaks.class)
class HostilePeerTest {
    private final TestNodes nodes = new TestNodes();
    private final LogCapture log = LogCapture.of(PeerChannels.class);
    private final BlockingQueue<WireMessage> aliceGotFromBob = new LinkedBlockingQueue<>();
    private NettyPeerManager alice;
    private NettyPeerManager bob;
    private PeerConnection bobToAlice;
    private InetSocketAddress address;
    private int seq;

    @AfterEach
    void tearDown() {
        nodes.close();
        log.close();
    }

    /** Alice listens with {@code config}; like a node, she reads every connection; bob connects. */
    private void start(TransportConfig config) {
        alice = nodes.node(config);
        address = listen(alice);
        bob = nodes.node(TransportConfig.defaults());
        alice.inboundConnections().subscribe(c -> {
            if (c.remoteNodeId().equals(bob.nodeId())) {
                c.inbound().subscribe(aliceGotFromBob::add);
            } else {
                c.inbound().subscribe();
            }
        });
        bobToAlice = bob.connect(alice.nodeId(), address).block(WAIT);
        bobToAlice.inbound().subscribe();
        assertBobCarriesOn();
    }

    private void assertBobCarriesOn() {
        int s = seq++;
        bobToAlice.send(testMessage(s, 10)).block(WAIT);
        WireMessage got;
        try {
            got = aliceGotFromBob.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertNotNull(got, "bob's message did not arrive");
        assertEquals(s, seqOf(got));
        assertTrue(bobToAlice.isActive());
    }

    private CompletableFuture<ConnectionClosed> closedWith(Kind kind) {
        return alice.closedConnections().filter(c -> c.reason().kind() == kind).next().toFuture();
    }

    private CloseReason awaitAndCheck(CompletableFuture<ConnectionClosed> closed, Kind kind) {
        ConnectionClosed event = Mono.fromFuture(closed).block(WAIT);
        assertEquals(kind, event.reason().kind());
        assertFalse(event.initiatedLocally());
        assertFalse(log.containing(kind.name()).isEmpty(), "reason logged: " + log.messages());
        assertBobCarriesOn();
        assertEquals(1, alice.connections().size(), "only bob is connected");
        return event.reason();
    }

    private static WireMessage.Init goodInit() {
        return WireMessage.Init.of(TransportConfig.DEFAULT_FEATURES).withNetworks(List.of(ChainHashes.BITCOIN));
    }

    @Test
    void garbageActOne_endsThatConnection() {
        start(TransportConfig.defaults());
        CompletableFuture<ConnectionClosed> closed = closedWith(Kind.HANDSHAKE_FAILED);
        try (RawPeer raw = RawPeer.connect(address)) {
            byte[] garbage = new byte[NoiseHandshake.ACT_ONE_LENGTH];
            TestNodes.RANDOM.nextBytes(garbage);
            garbage[0] = 1;
            raw.write(garbage);
            assertEquals(0, raw.readUntilClosed(), "no act two for garbage");
        }
        CloseReason reason = awaitAndCheck(closed, Kind.HANDSHAKE_FAILED);
        assertTrue(reason.detail().contains("ACT1_"), reason.detail());
    }

    @Test
    void truncatedActThree_endsThatConnection() {
        start(TransportConfig.defaults());
        CompletableFuture<ConnectionClosed> closed = closedWith(Kind.HANDSHAKE_FAILED);
        try (RawPeer raw = RawPeer.connect(address)) {
            raw.write(raw.actOne(alice.nodeId()));
            raw.write(Arrays.copyOf(raw.actThree(), 40));
            raw.shutdownOutput();
            raw.readUntilClosed();
        }
        CloseReason reason = awaitAndCheck(closed, Kind.HANDSHAKE_FAILED);
        assertTrue(reason.detail().contains("ACT3_READ_FAILED"), reason.detail());
    }

    @Test
    void badMacMidStream_endsThatConnection() {
        start(TransportConfig.defaults());
        CompletableFuture<ConnectionClosed> closed = closedWith(Kind.BAD_MAC);
        try (RawPeer raw = RawPeer.connect(address)) {
            raw.handshake(alice.nodeId());
            raw.send(goodInit());
            assertEquals(WireMessage.INIT, raw.receive().type());
            raw.send(testMessage(1, 100));
            byte[] frame = raw.frame(WireCodec.encode(testMessage(2, 100)));
            frame[TransportCipher.HEADER_LENGTH + 50] ^= 0x10;
            raw.write(frame);
            raw.readUntilClosed();
        }
        awaitAndCheck(closed, Kind.BAD_MAC);
    }

    @Test
    void oversizedLength_endsThatConnection() {
        start(TransportConfig.defaults().withMaxMessageLength(1000));
        CompletableFuture<ConnectionClosed> closed = closedWith(Kind.FRAME_TOO_LARGE);
        try (RawPeer raw = RawPeer.connect(address)) {
            raw.handshake(alice.nodeId());
            raw.send(goodInit());
            raw.send(testMessage(1, 1000 - 2 - 4)); // exactly 1000: fine
            raw.send(testMessage(2, 1000 - 2 - 4 + 1));
            raw.readUntilClosed();
        }
        CloseReason reason = awaitAndCheck(closed, Kind.FRAME_TOO_LARGE);
        assertTrue(reason.detail().contains("1001"), reason.detail());
    }

    @Test
    void slowHandshake_timesOut() {
        start(TransportConfig.defaults().withHandshakeTimeout(Duration.ofMillis(1000)));
        CompletableFuture<ConnectionClosed> closed = closedWith(Kind.HANDSHAKE_TIMEOUT);
        try (RawPeer raw = RawPeer.connect(address)) {
            raw.write(Arrays.copyOf(raw.actOne(alice.nodeId()), 10));
            raw.readUntilClosed();
        }
        awaitAndCheck(closed, Kind.HANDSHAKE_TIMEOUT);
    }

    @Test
    void unknownEvenMessage_endsThatConnection() {
        start(TransportConfig.defaults());
        CompletableFuture<ConnectionClosed> closed = closedWith(Kind.UNKNOWN_EVEN_MESSAGE);
        try (RawPeer raw = RawPeer.connect(address)) {
            raw.handshake(alice.nodeId());
            raw.send(goodInit());
            raw.send(new WireMessage.Unknown(100, Bytes.wrap(new byte[] {1, 2})));
            raw.readUntilClosed();
        }
        awaitAndCheck(closed, Kind.UNKNOWN_EVEN_MESSAGE);
    }

    @Test
    void wrongChain_isRefusedWithAWarning() {
        start(TransportConfig.defaults());
        CompletableFuture<ConnectionClosed> closed = closedWith(Kind.INCOMPATIBLE_CHAIN);
        try (RawPeer raw = RawPeer.connect(address)) {
            raw.handshake(alice.nodeId());
            raw.send(WireMessage.Init.of(TransportConfig.DEFAULT_FEATURES)
                    .withNetworks(List.of(Bytes32.fromHex("43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000"))));
            assertEquals(WireMessage.INIT, raw.receive().type());
            assertEquals(WireMessage.WARNING, raw.receive().type());
            raw.readUntilClosed();
        }
        awaitAndCheck(closed, Kind.INCOMPATIBLE_CHAIN);
    }

    @Test
    void peerThatNeverAnswersPings_isClosed_whileAnsweringPeerStays() {
        start(TransportConfig.defaults().withPingInterval(Duration.ofMillis(200)).withPongDeadline(Duration.ofMillis(1000)));
        CompletableFuture<ConnectionClosed> closed = closedWith(Kind.PONG_TIMEOUT);
        try (RawPeer raw = RawPeer.connect(address)) {
            raw.handshake(alice.nodeId());
            raw.send(goodInit());
            assertEquals(WireMessage.INIT, raw.receive().type());
            assertEquals(WireMessage.PING, raw.receive().type());
            raw.readUntilClosed();
        }
        // bob was pinged too (he is quiet between messages) and answered
        awaitAndCheck(closed, Kind.PONG_TIMEOUT);
    }
}
