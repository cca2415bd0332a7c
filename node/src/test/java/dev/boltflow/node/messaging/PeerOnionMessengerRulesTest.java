package dev.boltflow.node.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.EncryptedDataTlv;
import dev.boltflow.core.onion.NextHop;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.PeelResult;
import dev.boltflow.core.onion.RouteBlinding;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.OnionMessengerException;
import dev.boltflow.core.sendinvoice.memory.InMemoryNetworkView;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.PeerClosedException;
import dev.boltflow.transport.PeerQueueFullException;
import dev.boltflow.transport.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The messenger's rules against a stub transport: error mapping, route choice, and that nothing
 * that goes wrong with one message stops the reading of a connection.
 */
class PeerOnionMessengerRulesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Features ONION = TransportConfig.DEFAULT_FEATURES;
    private static final Features NO_ONION = TransportConfig.DEFAULT_FEATURES.without(Features.ONION_MESSAGES_OPT);

    private final PrivateKey ourKey = PrivateKey.random(RANDOM);
    private final StubPeers peers = new StubPeers(ourKey.publicKey());
    private final InMemoryNetworkView view = new InMemoryNetworkView();
    private PeerOnionMessenger messenger;

    private PeerOnionMessenger messenger(boolean noConnect) {
        // These rules are not about the rate limit (PeerOnionMessengerRateLimitTest is): a wide one.
        messenger = new PeerOnionMessenger(peers, ourKey, view, noConnect, new OnionMessageLimits(1000, Duration.ofMillis(1)),
                Schedulers.parallel(), Schedulers.parallel(), RANDOM);
        return messenger;
    }

    @AfterEach
    void dispose() {
        if (messenger != null) {
            messenger.dispose();
        }
    }

    private static PrivateKey key() {
        return PrivateKey.random(RANDOM);
    }

    private static OnionMessagePayload payload(String text) {
        return OnionMessagePayload.ofInvoiceRequest(Bytes.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static OnionMessages.Destination to(PublicKey node) {
        return new OnionMessages.Destination.Node(node, Optional.empty());
    }

    private static void expectFailure(Mono<Void> send, OnionMessengerException.Reason reason) {
        StepVerifier.create(send)
                .expectErrorSatisfies(e -> {
                    OnionMessengerException o = assertInstanceOf(OnionMessengerException.class, e);
                    assertEquals(reason, o.reason(), o.getMessage());
                })
                .verify(WAIT);
    }

    private static WireMessage.OnionMessage wire(OnionMessages.Outgoing out) {
        return new WireMessage.OnionMessage(out.pathKey(), out.packet());
    }

    @Test
    void send_whenThePeersQueueIsFull_isBusy() {
        PrivateKey b = key();
        peers.add(b.publicKey(), ONION).onSend = m -> Mono.error(new PeerQueueFullException(4000, 1434, 4096));
        expectFailure(messenger(false).send(to(b.publicKey()), payload("x")), OnionMessengerException.Reason.BUSY);
    }

    @Test
    void send_whenTheConnectionClosedMeanwhile_isConnectFailed() {
        PrivateKey b = key();
        peers.add(b.publicKey(), ONION).onSend = m -> Mono.error(new PeerClosedException(
                CloseReason.of(CloseReason.Kind.REMOTE_CLOSED, "gone")));
        expectFailure(messenger(false).send(to(b.publicKey()), payload("x")),
                OnionMessengerException.Reason.CONNECT_FAILED);
    }

    @Test
    void send_toAConnectedPeerWithoutOnionMessages_findsNoRoute() {
        PrivateKey b = key();
        StubPeers.Connection c = peers.add(b.publicKey(), NO_ONION);
        expectFailure(messenger(true).send(to(b.publicKey()), payload("x")), OnionMessengerException.Reason.NO_ROUTE);
        assertTrue(c.sent.isEmpty());
    }

    @Test
    void send_takesTheShortestRoute_avoidingNodesKnownNotToRelay() {
        PrivateKey b = key();
        PrivateKey x = key();
        PrivateKey y = key();
        PrivateKey z = key();
        PrivateKey target = key();
        StubPeers.Connection toB = peers.add(b.publicKey(), ONION);
        // b-x-target is shorter, but x is known not to handle onion messages: b-y-z-target.
        view.addLink(b.publicKey(), x.publicKey()).addLink(x.publicKey(), target.publicKey())
                .addLink(b.publicKey(), y.publicKey()).addLink(y.publicKey(), z.publicKey())
                .addLink(z.publicKey(), target.publicKey())
                .addNode(x.publicKey(), List.of(), NO_ONION);

        messenger(true).send(to(target.publicKey()), payload("far")).block(WAIT);

        WireMessage.OnionMessage m = (WireMessage.OnionMessage) toB.sent.get(0);
        PublicKey pathKey = m.pathKey();
        Bytes packet = m.onionMessagePacket();
        for (PrivateKey hop : List.of(b, y, z)) {
            PeelResult.Forward f = assertInstanceOf(PeelResult.Forward.class, OnionMessages.peel(hop, pathKey, packet));
            pathKey = f.nextPathKey();
            packet = f.nextPacket();
        }
        PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class, OnionMessages.peel(target, pathKey, packet));
        assertEquals(payload("far").invoiceRequest(), d.payload().invoiceRequest());
    }

    @Test
    void send_whenWeIntroduceAPathThatGoesOnByChannel_isInvalidDestination() {
        PrivateKey t = key();
        BlindedPath path = RouteBlinding.create(key(), List.of(ourKey.publicKey(), t.publicKey()),
                List.of(EncryptedDataTlv.EMPTY.withShortChannelId(42L << 40), EncryptedDataTlv.EMPTY));
        expectFailure(messenger(false).send(new OnionMessages.Destination.Path(path), payload("x")),
                OnionMessengerException.Reason.INVALID_DESTINATION);
    }

    @Test
    void badRelaysAndBadPackets_areDropped_andTheConnectionIsStillRead() {
        PrivateKey a = key();
        PrivateKey c = key();
        StubPeers.Connection fromA = peers.add(a.publicKey(), ONION);
        peers.add(c.publicKey(), ONION).onSend = m -> {
            throw new IllegalStateException("a bug in the next hop's send");
        };
        PeerOnionMessenger m = messenger(true);
        CompletableFuture<InboundOnionMessage> got = m.inbound().next().toFuture();
        PublicKey us = ourKey.publicKey();

        // to c (its send throws), to d (not connected), by channel, garbage, then one for us
        fromA.in.next(wire(OnionMessages.build(a, List.of(us), to(c.publicKey()), payload("1"), RANDOM)));
        fromA.in.next(wire(OnionMessages.build(a, List.of(us), to(key().publicKey()), payload("2"), RANDOM)));
        BlindedPath byChannel = RouteBlinding.create(key(), List.of(us, key().publicKey()),
                List.of(EncryptedDataTlv.EMPTY.withShortChannelId(7L << 40), EncryptedDataTlv.EMPTY));
        OnionMessages.Outgoing viaChannel = OnionMessages.build(a, List.of(), new OnionMessages.Destination.Path(byChannel),
                payload("3"), RANDOM);
        assertEquals(new NextHop.Node(us), viaChannel.firstHop());
        fromA.in.next(wire(viaChannel));
        fromA.in.next(new WireMessage.OnionMessage(key().publicKey(), Bytes.wrap(new byte[1366])));
        fromA.in.next(wire(OnionMessages.build(a, List.of(), to(us), payload("for us"), RANDOM)));

        InboundOnionMessage delivered = Mono.fromFuture(got).block(WAIT);
        assertEquals(payload("for us").invoiceRequest(), delivered.payload().invoiceRequest());
        assertEquals(4, m.dropped());
        assertEquals(0, m.relayed());
        // by reason, one each; they add up to dropped()
        assertEquals(1, m.dropped(PeerOnionMessenger.DropReason.RELAY_FAILED));
        assertEquals(1, m.dropped(PeerOnionMessenger.DropReason.NEXT_HOP_NOT_CONNECTED));
        assertEquals(1, m.dropped(PeerOnionMessenger.DropReason.NEXT_HOP_SCID));
        assertEquals(1, m.dropped(PeerOnionMessenger.DropReason.BAD_PACKET));
        assertEquals(5, m.received());
        fromA.in.assertNotCancelled();
    }

    @Test
    void relay_writesToTheConnectedNextHop() {
        PrivateKey a = key();
        PrivateKey c = key();
        StubPeers.Connection fromA = peers.add(a.publicKey(), ONION);
        StubPeers.Connection toC = peers.add(c.publicKey(), ONION);
        PeerOnionMessenger m = messenger(true);
        OnionMessages.Outgoing out = OnionMessages.build(a, List.of(ourKey.publicKey()), to(c.publicKey()),
                payload("relay me"), RANDOM);

        fromA.in.next(wire(out));
        // Then a message for us: handled after the relay on this connection (the stub's write is immediate).
        CompletableFuture<InboundOnionMessage> got = m.inbound().next().toFuture();
        fromA.in.next(wire(OnionMessages.build(a, List.of(), to(ourKey.publicKey()), payload("mark"), RANDOM)));
        Mono.fromFuture(got).block(WAIT);

        assertEquals(1, m.relayed());
        WireMessage.OnionMessage forwarded = (WireMessage.OnionMessage) toC.sent.get(0);
        PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class,
                OnionMessages.peel(c, forwarded.pathKey(), forwarded.onionMessagePacket()));
        assertEquals(payload("relay me").invoiceRequest(), d.payload().invoiceRequest());
    }

    @Test
    void acceptedConnections_areRead_andOtherMessagesPassedOn() {
        PeerOnionMessenger m = messenger(true);
        StubPeers.Connection later = new StubPeers.Connection(key().publicKey(), ONION);
        CompletableFuture<PeerMessage> other = m.peerMessages().next().toFuture();

        peers.accepted.tryEmitNext(later);
        later.in.next(new WireMessage.Unknown(32769, Bytes.fromHex("00")));

        assertEquals(later.remote, Mono.fromFuture(other).block(WAIT).from());
        assertEquals(1, m.attachedConnections());
        m.attach(later); // idempotent
        assertEquals(1, m.attachedConnections());
    }

    @Test
    void dispose_stopsReading_andCompletesInbound() {
        StubPeers.Connection c = peers.add(key().publicKey(), ONION);
        PeerOnionMessenger m = messenger(true);
        c.in.assertSubscribers(1);

        StepVerifier.create(m.inbound())
                .then(m::dispose)
                .expectComplete()
                .verify(WAIT);

        c.in.assertCancelled();
        assertEquals(0, m.attachedConnections());
        StepVerifier.create(m.send(to(c.remote), payload("x"))).expectError(IllegalStateException.class).verify(WAIT);
    }
}
