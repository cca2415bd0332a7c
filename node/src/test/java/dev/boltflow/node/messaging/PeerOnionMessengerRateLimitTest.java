package dev.boltflow.node.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.sendinvoice.memory.InMemoryNetworkView;
import dev.boltflow.core.wire.WireMessage;
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
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The per-connection onion message limit against a stub transport, timed by a virtual clock: what
 * is over the limit is dropped before it is peeled, and one peer's flood does not hold up another.
 */
class PeerOnionMessengerRateLimitTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey ourKey = PrivateKey.random(RANDOM);
    private final StubPeers peers = new StubPeers(ourKey.publicKey());
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final PeerOnionMessenger messenger = new PeerOnionMessenger(peers, ourKey, new InMemoryNetworkView(), true,
            OnionMessageLimits.defaults(), Schedulers.parallel(), clock, RANDOM);

    @AfterEach
    void dispose() {
        messenger.dispose();
        clock.dispose();
    }

    private static PrivateKey key() {
        return PrivateKey.random(RANDOM);
    }

    /** An onion message from {@code sender} for us: peeling it delivers it. */
    private WireMessage.OnionMessage forUs(PrivateKey sender) {
        OnionMessages.Outgoing out = OnionMessages.build(sender, List.of(),
                new OnionMessages.Destination.Node(ourKey.publicKey(), Optional.empty()),
                OnionMessagePayload.ofInvoiceRequest(Bytes.wrap("flood".getBytes(StandardCharsets.UTF_8))), RANDOM);
        return new WireMessage.OnionMessage(out.pathKey(), out.packet());
    }

    private static void send(StubPeers.Connection c, WireMessage m, int times) {
        for (int i = 0; i < times; i++) {
            c.in.next(m);
        }
    }

    /**
     * Sends a message that is not limited through {@code c} and waits for it to come out: one
     * connection is handled in order, so everything {@code c} sent before has been handled.
     */
    private void handled(StubPeers.Connection c) {
        CompletableFuture<PeerMessage> marker = messenger.peerMessages()
                .filter(m -> m.from().equals(c.remote)).next().toFuture();
        c.in.next(new WireMessage.Unknown(32769, Bytes.fromHex("00")));
        Mono.fromFuture(marker).block(WAIT);
    }

    @Test
    void aFloodingPeer_getsItsBurstThenOnePerInterval_whileAnotherPeerGetsThrough() {
        PrivateKey a = key();
        PrivateKey c = key();
        StubPeers.Connection fromA = peers.add(a.publicKey(), TransportConfig.DEFAULT_FEATURES);
        StubPeers.Connection fromC = peers.add(c.publicKey(), TransportConfig.DEFAULT_FEATURES);
        messenger.attach(fromA);
        messenger.attach(fromC);

        send(fromA, forUs(a), 1000);
        handled(fromA);
        assertEquals(4, messenger.delivered(), "Core Lightning's burst");
        assertEquals(996, messenger.rateLimited());

        send(fromC, forUs(c), 4); // c has a bucket of its own
        handled(fromC);
        assertEquals(8, messenger.delivered());
        assertEquals(996, messenger.rateLimited());

        clock.advanceTimeBy(Duration.ofMillis(500)); // two intervals: two more from a
        send(fromA, forUs(a), 5);
        handled(fromA);
        assertEquals(10, messenger.delivered());
        assertEquals(999, messenger.rateLimited());
        assertEquals(0, messenger.dropped());
        assertEquals(1009, messenger.received(), "every onion message read counts as received, limited or not");
        fromA.in.assertNotCancelled();
    }

    @Test
    void messagesOverTheLimit_areNeverPeeled() {
        StubPeers.Connection from = peers.add(key().publicKey(), TransportConfig.DEFAULT_FEATURES);
        messenger.attach(from);
        // Every one of these fails to peel: only those that were peeled count as dropped.
        WireMessage.OnionMessage unpeelable = new WireMessage.OnionMessage(key().publicKey(), Bytes.wrap(new byte[1366]));

        send(from, unpeelable, 1000);
        handled(from);

        assertEquals(4, messenger.dropped());
        assertEquals(4, messenger.dropped(PeerOnionMessenger.DropReason.BAD_PACKET));
        assertEquals(996, messenger.rateLimited());
        assertEquals(0, messenger.delivered());
        assertEquals(1000, messenger.received());
    }

    @Test
    void otherMessages_areNotLimited() {
        PublicKey peer = key().publicKey();
        StubPeers.Connection from = peers.add(peer, TransportConfig.DEFAULT_FEATURES);
        CompletableFuture<List<PeerMessage>> all = messenger.peerMessages().take(100).collectList().toFuture();
        messenger.attach(from);

        send(from, new WireMessage.Unknown(32769, Bytes.fromHex("01")), 100);

        assertEquals(100, Mono.fromFuture(all).block(WAIT).size());
        assertEquals(0, messenger.rateLimited());
    }

    @Test
    void aNewConnection_startsWithAFullBucket() {
        PrivateKey a = key();
        StubPeers.Connection first = peers.add(a.publicKey(), TransportConfig.DEFAULT_FEATURES);
        messenger.attach(first);
        send(first, forUs(a), 10);
        handled(first);
        StubPeers.Connection second = new StubPeers.Connection(a.publicKey(), TransportConfig.DEFAULT_FEATURES);
        messenger.attach(second);

        send(second, forUs(a), 10);
        handled(second);

        assertEquals(8, messenger.delivered());
        assertEquals(12, messenger.rateLimited());
    }
}
