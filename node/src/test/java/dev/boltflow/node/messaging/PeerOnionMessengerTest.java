package dev.boltflow.node.messaging;

import dev.boltflow.transport.testing.NettyLeaks;
import static dev.boltflow.node.messaging.TestNetwork.RANDOM;
import static dev.boltflow.node.messaging.TestNetwork.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.ReplyPaths;
import dev.boltflow.core.onion.SciddirOrPubkey;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.sendinvoice.OnionMessengerException;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.node.messaging.TestNetwork.Node;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** {@link PeerOnionMessenger} between real nodes on loopback; every node is closed after each test. */
@ExtendWith(NettyLeaks.class)
class PeerOnionMessengerTest {
    private static final Bytes CONTEXT = utf8("a reply to invoice 42");
    private final TestNetwork net = new TestNetwork();

    @AfterEach
    void closeNodes() {
        net.close();
    }

    private static Bytes utf8(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static OnionMessagePayload payload(String text) {
        return OnionMessagePayload.ofInvoiceRequest(utf8(text));
    }

    private static CompletableFuture<InboundOnionMessage> nextInbound(Node n) {
        return n.messenger.inbound().next().toFuture();
    }

    private static InboundOnionMessage await(CompletableFuture<InboundOnionMessage> f) {
        return Mono.fromFuture(f).block(WAIT);
    }

    private static void expectFailure(Mono<Void> send, OnionMessengerException.Reason reason) {
        StepVerifier.create(send)
                .expectErrorSatisfies(e -> {
                    OnionMessengerException o = assertInstanceOf(OnionMessengerException.class, e);
                    assertEquals(reason, o.reason(), o.getMessage());
                })
                .verify(WAIT);
    }

    @Test
    void send_toAConnectedPeersBlindedPath_deliversWithThePathIdReplyPathsRecognises() {
        Node a = net.node(false);
        Node b = net.node(true);
        a.connectTo(b);
        ReplyPaths bPaths = new ReplyPaths(b.key);
        BlindedPath path = bPaths.create(List.of(), CONTEXT, RANDOM);
        CompletableFuture<InboundOnionMessage> got = nextInbound(b);

        a.messenger.send(new OnionMessages.Destination.Path(path), payload("hello")).block(WAIT);

        InboundOnionMessage m = await(got);
        assertEquals(utf8("hello"), m.payload().invoiceRequest().orElseThrow());
        assertTrue(bPaths.recognise(m.pathId().orElseThrow(), CONTEXT));
        assertFalse(bPaths.recognise(m.pathId().orElseThrow(), utf8("another context")));
        assertEquals(1, b.messenger.delivered());
        assertEquals(0, b.messenger.dropped());
    }

    @Test
    void peelingAndSending_runOnTheCpuScheduler_notOnEventLoops() {
        Node a = net.node(false);
        Node b = net.node(true);
        a.view.addNode(b.id(), List.of(b.networkAddress()), Optional.empty()); // a dials: a connect completes on a loop
        CompletableFuture<String> deliveredOn = b.messenger.inbound().next()
                .map(m -> Thread.currentThread().getName()).toFuture();

        String sendCompletedOn = a.messenger.send(new OnionMessages.Destination.Node(b.id(), Optional.empty()),
                payload("x")).then(Mono.fromCallable(() -> Thread.currentThread().getName())).block(WAIT);

        assertTrue(sendCompletedOn.startsWith("parallel-"), sendCompletedOn);
        String peeledOn = Mono.fromFuture(deliveredOn).block(WAIT);
        assertTrue(peeledOn.startsWith("parallel-"), peeledOn);
    }

    @Test
    void a_node_with_relaying_off_drops_what_it_would_forward() {
        Node a = net.node(true);
        Node b = net.node(true);
        Node c = net.node(true);
        b.messenger.relaying(false);
        a.connectTo(b);
        c.connectTo(b);
        a.view.addLink(b.id(), c.id());
        CompletableFuture<InboundOnionMessage> got = nextInbound(c);

        a.messenger.send(new OnionMessages.Destination.Node(c.id(), Optional.empty()), payload("via b")).block(WAIT);

        // b peels it (that is how it learns it is not the final hop) and drops it instead of relaying.
        Flux.interval(Duration.ofMillis(20)).map(t -> b.messenger.dropped()).filter(n -> n > 0).next().block(WAIT);
        assertEquals(1, b.messenger.dropped());
        assertTrue(!got.isDone(), "c got nothing");
    }

    @Test
    void send_toANodeBehindAConnectedPeer_isRelayedByThatPeer() {
        Node a = net.node(true);
        Node b = net.node(true);
        Node c = net.node(true);
        a.connectTo(b);
        c.connectTo(b);
        a.view.addLink(b.id(), c.id());
        CompletableFuture<InboundOnionMessage> got = nextInbound(c);

        a.messenger.send(new OnionMessages.Destination.Node(c.id(), Optional.of(utf8("id"))), payload("via b"))
                .block(WAIT);

        InboundOnionMessage m = await(got);
        assertEquals(utf8("via b"), m.payload().invoiceRequest().orElseThrow());
        assertEquals(Optional.of(utf8("id")), m.pathId());
        assertEquals(Optional.empty(), a.peers.connection(c.id()), "a never connected to c: b relayed");
        assertEquals(0, b.messenger.dropped());
    }

    @Test
    void send_whenWeIntroduceThePath_goesToTheNextNodeOfThePath() {
        Node b = net.node(true);
        Node c = net.node(true);
        c.connectTo(b);
        // c's path starts at b: b sends into it from its own hop.
        BlindedPath path = new ReplyPaths(c.key).create(List.of(b.id()), CONTEXT, RANDOM);
        CompletableFuture<InboundOnionMessage> got = nextInbound(c);

        b.messenger.send(new OnionMessages.Destination.Path(path), payload("from the intro")).block(WAIT);

        InboundOnionMessage m = await(got);
        assertEquals(utf8("from the intro"), m.payload().invoiceRequest().orElseThrow());
        assertTrue(new ReplyPaths(c.key).recognise(m.pathId().orElseThrow(), CONTEXT));
    }

    @Test
    void send_withNoConnectAndNoRoute_isNoRoute_andDialsNothing() {
        Node a = net.node(true);
        Node b = net.node(true);
        a.view.addNode(b.id(), List.of(b.networkAddress()), Optional.empty());

        expectFailure(a.messenger.send(new OnionMessages.Destination.Node(b.id(), Optional.empty()), payload("x")),
                OnionMessengerException.Reason.NO_ROUTE);
        assertTrue(a.peers.connections().isEmpty());
    }

    @Test
    void send_withNoConnectButARoute_usesTheRoute() {
        Node a = net.node(true);
        Node b = net.node(true);
        Node c = net.node(true);
        a.connectTo(b);
        b.connectTo(c);
        a.view.addLink(b.id(), c.id());
        CompletableFuture<InboundOnionMessage> got = nextInbound(c);

        a.messenger.send(new OnionMessages.Destination.Node(c.id(), Optional.empty()), payload("routed")).block(WAIT);

        assertEquals(utf8("routed"), await(got).payload().invoiceRequest().orElseThrow());
    }

    @Test
    void send_withoutRoute_connectsToTheAddressTheViewKnows_afterOneThatFails() throws IOException {
        Node a = net.node(false);
        Node b = net.node(true);
        a.view.addNode(b.id(), List.of(new NetworkView.Address("127.0.0.1", closedPort()), b.networkAddress()),
                Optional.empty());
        CompletableFuture<InboundOnionMessage> got = nextInbound(b);

        a.messenger.send(new OnionMessages.Destination.Node(b.id(), Optional.empty()), payload("dialled")).block(WAIT);

        assertEquals(utf8("dialled"), await(got).payload().invoiceRequest().orElseThrow());
        assertTrue(a.peers.connection(b.id()).isPresent());
    }

    @Test
    void send_whoseConnectFails_isConnectFailedWithTheCause() throws IOException {
        Node a = net.node(false);
        PrivateKey nobody = PrivateKey.random(RANDOM);
        a.view.addNode(nobody.publicKey(), List.of(new NetworkView.Address("127.0.0.1", closedPort())), Optional.empty());

        StepVerifier.create(a.messenger.send(new OnionMessages.Destination.Node(nobody.publicKey(), Optional.empty()),
                        payload("x")))
                .expectErrorSatisfies(e -> {
                    OnionMessengerException o = assertInstanceOf(OnionMessengerException.class, e);
                    assertEquals(OnionMessengerException.Reason.CONNECT_FAILED, o.reason());
                    assertNotNull(o.getCause());
                })
                .verify(WAIT);
    }

    @Test
    void send_toANodeWithNoKnownAddress_isConnectFailed() {
        Node a = net.node(false);
        expectFailure(a.messenger.send(new OnionMessages.Destination.Node(PrivateKey.random(RANDOM).publicKey(),
                Optional.empty()), payload("x")), OnionMessengerException.Reason.CONNECT_FAILED);
    }

    @Test
    void send_toOurselves_isInvalidDestination_andThroughAnUnknownSciddir_isNoRoute() {
        Node a = net.node(false);
        expectFailure(a.messenger.send(new OnionMessages.Destination.Node(a.id(), Optional.empty()), payload("x")),
                OnionMessengerException.Reason.INVALID_DESTINATION);
        BlindedPath real = new ReplyPaths(PrivateKey.random(RANDOM)).create(List.of(), CONTEXT, RANDOM);
        BlindedPath viaScid = new BlindedPath(new SciddirOrPubkey.Sciddir(0, 123L << 40), real.firstPathKey(),
                real.hops());
        // The channel is not in the graph: nobody can tell where the path starts.
        expectFailure(a.messenger.send(new OnionMessages.Destination.Path(viaScid), payload("x")),
                OnionMessengerException.Reason.NO_ROUTE);
        BlindedPath endsAtUs = new ReplyPaths(a.key).create(List.of(), CONTEXT, RANDOM);
        expectFailure(a.messenger.send(new OnionMessages.Destination.Path(endsAtUs), payload("x")),
                OnionMessengerException.Reason.INVALID_DESTINATION);
    }

    @Test
    void garbageAndTamperedPackets_areDropped_andTheConnectionCarriesOn() {
        Node raw = net.transportOnly(TransportConfig.defaults());
        Node b = net.node(true);
        PeerConnection toB = raw.peers.connect(b.id(), b.address).block(WAIT);
        toB.inbound().subscribe(); // a raw peer must read too
        CompletableFuture<InboundOnionMessage> got = nextInbound(b);

        byte[] garbage = new byte[1366];
        RANDOM.nextBytes(garbage);
        toB.send(new WireMessage.OnionMessage(PrivateKey.random(RANDOM).publicKey(), Bytes.wrap(garbage))).block(WAIT);
        OnionMessages.Outgoing tampered = OnionMessages.build(raw.key, List.of(),
                new OnionMessages.Destination.Node(b.id(), Optional.empty()), payload("tampered"), RANDOM);
        byte[] flipped = tampered.packet().toArray();
        flipped[100] ^= 1;
        toB.send(new WireMessage.OnionMessage(tampered.pathKey(), Bytes.wrap(flipped))).block(WAIT);
        OnionMessages.Outgoing good = OnionMessages.build(raw.key, List.of(),
                new OnionMessages.Destination.Node(b.id(), Optional.empty()), payload("good"), RANDOM);
        toB.send(new WireMessage.OnionMessage(good.pathKey(), good.packet())).block(WAIT);

        // One connection is handled in order: once the good one is in, both bad ones were seen.
        assertEquals(utf8("good"), await(got).payload().invoiceRequest().orElseThrow());
        assertEquals(2, b.messenger.dropped());
        assertEquals(1, b.messenger.delivered());
        assertTrue(toB.isActive());
        assertTrue(b.peers.connection(raw.id()).orElseThrow().isActive());
    }

    @Test
    void otherMessages_comeOutOfPeerMessages() {
        Node raw = net.transportOnly(TransportConfig.defaults());
        Node b = net.node(true);
        CompletableFuture<PeerMessage> got = b.messenger.peerMessages().next().toFuture();
        PeerConnection toB = raw.peers.connect(b.id(), b.address).block(WAIT);
        toB.inbound().subscribe();
        WireMessage.Unknown odd = new WireMessage.Unknown(32769, utf8("odd"));

        toB.send(odd).block(WAIT);

        PeerMessage m = Mono.fromFuture(got).block(WAIT);
        assertEquals(raw.id(), m.from());
        assertEquals(odd, m.message());
    }

    @Test
    void connectionsDialledThroughThePeerManager_areReadOnceUsedToSend() {
        Node a = net.node(true);
        Node b = net.node(true);
        CompletableFuture<PeerConnection> accepted = b.peers.inboundConnections().next().toFuture();
        a.peers.connect(b.id(), b.address).block(WAIT); // not through the messenger
        Mono.fromFuture(accepted).block(WAIT);
        assertEquals(0, a.messenger.attachedConnections());
        BlindedPath toA = new ReplyPaths(a.key).create(List.of(), CONTEXT, RANDOM);
        CompletableFuture<InboundOnionMessage> got = nextInbound(a);

        a.messenger.send(new OnionMessages.Destination.Node(b.id(), Optional.empty()), payload("ping")).block(WAIT);
        assertEquals(1, a.messenger.attachedConnections());
        b.messenger.send(new OnionMessages.Destination.Path(toA), payload("pong")).block(WAIT);

        assertEquals(utf8("pong"), await(got).payload().invoiceRequest().orElseThrow());
    }

    @Test
    void aPeerFloodingOnionMessages_isHeldToItsLimit_whileAnotherPeerGetsThrough() {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        try {
            Node b = net.node(true, OnionMessageLimits.defaults(), clock);
            Node flooder = net.transportOnly(TransportConfig.defaults());
            Node other = net.transportOnly(TransportConfig.defaults());
            PeerConnection fromFlooder = rawConnection(flooder, b);
            PeerConnection fromOther = rawConnection(other, b);
            OnionMessages.Outgoing flood = OnionMessages.build(flooder.key, List.of(),
                    new OnionMessages.Destination.Node(b.id(), Optional.empty()), payload("flood"), RANDOM);
            OnionMessages.Outgoing polite = OnionMessages.build(other.key, List.of(),
                    new OnionMessages.Destination.Node(b.id(), Optional.empty()), payload("polite"), RANDOM);

            Flux.range(0, 1000)
                    .concatMap(i -> fromFlooder.send(new WireMessage.OnionMessage(flood.pathKey(), flood.packet())), 64)
                    .then(fromOther.send(new WireMessage.OnionMessage(polite.pathKey(), polite.packet())))
                    .block(WAIT);
            handled(b, flooder, fromFlooder);
            handled(b, other, fromOther);

            assertEquals(4 + 1, b.messenger.delivered());
            assertEquals(996, b.messenger.rateLimited());
            assertTrue(fromFlooder.isActive());

            clock.advanceTimeBy(Duration.ofMillis(250));
            Flux.range(0, 3)
                    .concatMap(i -> fromFlooder.send(new WireMessage.OnionMessage(flood.pathKey(), flood.packet())))
                    .blockLast(WAIT);
            handled(b, flooder, fromFlooder);
            assertEquals(4 + 1 + 1, b.messenger.delivered());
            assertEquals(998, b.messenger.rateLimited());
        } finally {
            clock.dispose();
        }
    }

    /** A connection from {@code from} (no messenger) to {@code to}, registered on both sides and read. */
    private static PeerConnection rawConnection(Node from, Node to) {
        CompletableFuture<PeerConnection> accepted = to.peers.inboundConnections()
                .filter(c -> c.remoteNodeId().equals(from.id())).next().toFuture();
        PeerConnection c = from.peers.connect(to.id(), to.address).block(WAIT);
        c.inbound().subscribe(); // a raw peer must read too
        Mono.fromFuture(accepted).block(WAIT);
        return c;
    }

    /**
     * Sends a message {@code to} does not limit over {@code c} and waits for it to come out: one
     * connection is handled in order, so everything sent before has been handled.
     */
    private static void handled(Node to, Node from, PeerConnection c) {
        CompletableFuture<PeerMessage> marker = to.messenger.peerMessages()
                .filter(m -> m.from().equals(from.id())).next().toFuture();
        c.send(new WireMessage.Unknown(32769, utf8("marker"))).block(WAIT);
        Mono.fromFuture(marker).block(WAIT);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
