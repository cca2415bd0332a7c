package dev.boltflow.core.sendinvoice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.ReplyPaths;
import dev.boltflow.core.onion.SciddirOrPubkey;
import dev.boltflow.core.sendinvoice.OnionMessengerException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Real onion messages between in-process nodes: routes, blinded paths, path ids, refusals. */
class InMemoryOnionNetworkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final SecureRandom random = new SecureRandom();
    private final InMemoryOnionNetwork net = new InMemoryOnionNetwork(Schedulers.immediate(), random);
    private final PrivateKey aliceKey = PrivateKey.random(random);
    private final PrivateKey bobKey = PrivateKey.random(random);
    private final PrivateKey carolKey = PrivateKey.random(random);
    private final InMemoryOnionNetwork.Node alice = net.addNode(aliceKey, true, false);
    private final InMemoryOnionNetwork.Node bob = net.addNode(bobKey, true, false);
    private final InMemoryOnionNetwork.Node carol = net.addNode(carolKey, false, true);
    private final OnionMessagePayload hello = OnionMessagePayload.ofInvoice(Bytes.fromHex("68656c6c6f"));

    @Test
    void message_into_a_blinded_path_arrives_with_its_path_id() {
        net.connect(alice.nodeId(), bob.nodeId());
        net.connect(bob.nodeId(), carol.nodeId());
        ReplyPaths carolsPaths = new ReplyPaths(carolKey);
        Bytes context = Bytes.fromHex("c0ffee");
        BlindedPath path = carolsPaths.create(List.of(bob.nodeId()), context, random);

        StepVerifier.create(carol.inbound().next())
                .then(() -> alice.send(new OnionMessages.Destination.Path(path), hello).block())
                .assertNext(m -> {
                    assertEquals(hello.invoice(), m.payload().invoice());
                    assertTrue(carolsPaths.recognise(m.pathId().orElseThrow(), context));
                })
                .expectComplete()
                .verify(WAIT);
        assertEquals(1, net.delivered());
    }

    @Test
    void message_to_a_node_id_goes_through_a_route_of_links() {
        net.connect(alice.nodeId(), bob.nodeId());
        net.connect(bob.nodeId(), carol.nodeId());
        StepVerifier.create(carol.inbound().next())
                .then(() -> alice.send(new OnionMessages.Destination.Node(carol.nodeId(), Optional.empty()), hello).block())
                .assertNext(m -> assertEquals(Optional.empty(), m.pathId()))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void without_a_route_the_sender_connects_to_a_reachable_node() {
        assertFalse(net.connected(alice.nodeId(), bob.nodeId()));
        StepVerifier.create(bob.inbound().next())
                .then(() -> alice.send(new OnionMessages.Destination.Node(bob.nodeId(), Optional.empty()), hello).block())
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);
        assertTrue(net.connected(alice.nodeId(), bob.nodeId()));
    }

    @Test
    void no_route_and_no_address_or_noconnect_is_refused() {
        StepVerifier.create(alice.send(new OnionMessages.Destination.Node(carol.nodeId(), Optional.empty()), hello))
                .expectErrorSatisfies(e -> assertEquals(OnionMessengerException.Reason.CONNECT_FAILED,
                        ((OnionMessengerException) e).reason()))
                .verify(WAIT);
        StepVerifier.create(carol.send(new OnionMessages.Destination.Node(alice.nodeId(), Optional.empty()), hello))
                .expectErrorSatisfies(e -> assertEquals(OnionMessengerException.Reason.NO_ROUTE,
                        ((OnionMessengerException) e).reason()))
                .verify(WAIT);
    }

    @Test
    void a_broken_link_drops_the_message() {
        net.connect(alice.nodeId(), bob.nodeId());
        BlindedPath path = new ReplyPaths(carolKey).create(List.of(bob.nodeId()), Bytes.fromHex("01"), random);
        alice.send(new OnionMessages.Destination.Path(path), hello).block();
        assertEquals(0, net.delivered());
        assertEquals(1, net.dropped());
    }

    /** The in-memory network resolves no short channel ids: such an introduction node is refused, both to reach and to send. */
    @Test
    void a_path_introduced_by_a_short_channel_id_is_an_invalid_destination() {
        BlindedPath byKey = new ReplyPaths(carolKey).create(List.of(bob.nodeId()), Bytes.fromHex("01"), random);
        BlindedPath byScid = new BlindedPath(new SciddirOrPubkey.Sciddir(0, 0x0000010000020003L), byKey.firstPathKey(),
                byKey.hops());
        OnionMessages.Destination d = new OnionMessages.Destination.Path(byScid);
        StepVerifier.create(alice.reach(d))
                .expectErrorSatisfies(e -> {
                    assertEquals(OnionMessengerException.Reason.INVALID_DESTINATION, ((OnionMessengerException) e).reason());
                    assertEquals("introduction node given as a short channel id", e.getMessage());
                })
                .verify(WAIT);
        StepVerifier.create(alice.send(d, hello))
                .expectErrorSatisfies(e -> assertEquals(OnionMessengerException.Reason.INVALID_DESTINATION,
                        ((OnionMessengerException) e).reason()))
                .verify(WAIT);
    }
}
