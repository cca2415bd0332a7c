package dev.boltflow.core.onion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.EachSecp256k1Provider;
import dev.boltflow.core.tlv.TlvRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Onion messages built to arbitrary 1–8 hop paths (plain, into a blinded path, with us as the
 * introduction node) peel hop by hop to exactly the payload sent; tampering is dropped at once.
 */
@AddLifecycleHook(EachSecp256k1Provider.class)
class OnionMessagesPropertiesTest {

    enum Shape { TO_NODE, INTO_BLINDED_PATH, WE_INTRODUCE }

    /**
     * A sender, {@code prefix} plain hops it routes through, and a recipient reached either
     * directly or through a blinded path with {@code blindedIntermediates} hops before it.
     */
    record Scenario(Shape shape, int prefix, int blindedIntermediates, int dummyHops, long keySeed,
            OnionMessagePayload payload, byte[] context) {
        @Override
        public String toString() {
            return shape + " prefix=" + prefix + " blinded=" + blindedIntermediates + " dummies=" + dummyHops
                    + " seed=" + keySeed + " " + payload;
        }
    }

    /** The nodes of a scenario and the message the sender built. */
    static final class Network {
        final Map<PublicKey, PrivateKey> keys = new HashMap<>();
        final PrivateKey sender;
        final PrivateKey recipient;
        final List<PublicKey> expectedHops = new ArrayList<>();
        final OnionMessages.Outgoing out;
        final ReplyPaths recipientPaths;

        Network(Scenario s) {
            List<PrivateKey> nodes = new ArrayList<>();
            for (int i = 0; i < 2 + s.prefix() + s.blindedIntermediates(); i++) {
                nodes.add(key(s.keySeed(), i));
                keys.put(nodes.get(i).publicKey(), nodes.get(i));
            }
            sender = nodes.get(0);
            recipient = nodes.get(1);
            recipientPaths = new ReplyPaths(recipient);
            List<PublicKey> prefix = ids(nodes.subList(2, 2 + s.prefix()));
            List<PublicKey> blinded = ids(nodes.subList(2 + s.prefix(), nodes.size()));
            PrivateKey session = key(s.keySeed(), 1000);
            PrivateKey pathKey = key(s.keySeed(), 1001);
            Bytes context = Bytes.of(s.context());
            if (s.shape() == Shape.TO_NODE) {
                expectedHops.addAll(prefix);
                expectedHops.add(recipient.publicKey());
                out = OnionMessages.build(sender, prefix, OnionMessages.Destination.node(recipient.publicKey()),
                        s.payload(), session, pathKey);
            } else if (s.shape() == Shape.INTO_BLINDED_PATH) {
                BlindedPath path = recipientPaths.create(blinded, context, s.dummyHops(), key(s.keySeed(), 1002));
                expectedHops.addAll(prefix);
                expectedHops.addAll(blinded);
                expectedHops.add(recipient.publicKey());
                out = OnionMessages.build(sender, prefix, OnionMessages.Destination.path(path), s.payload(), session,
                        pathKey);
            } else {
                List<PublicKey> viaSender = new ArrayList<>();
                viaSender.add(sender.publicKey());
                viaSender.addAll(blinded);
                BlindedPath path = recipientPaths.create(viaSender, context, s.dummyHops(), key(s.keySeed(), 1002));
                expectedHops.addAll(blinded);
                expectedHops.add(recipient.publicKey());
                out = OnionMessages.build(sender, List.of(), OnionMessages.Destination.path(path), s.payload(), session,
                        pathKey);
            }
        }

        PrivateKey keyOf(NextHop hop) {
            PrivateKey k = keys.get(((NextHop.Node) hop).nodeId());
            assertNotNull(k, "forwarded to a node outside the path: " + hop);
            return k;
        }
    }

    static PrivateKey key(long seed, int index) {
        return PrivateKey.fromBytes(Hashes.sha256(ByteBuffer.allocate(12).putLong(seed).putInt(index).array()));
    }

    static List<PublicKey> ids(List<PrivateKey> keys) {
        List<PublicKey> out = new ArrayList<>();
        keys.forEach(k -> out.add(k.publicKey()));
        return out;
    }

    @Property(tries = 150)
    void message_peelsHopByHop_toExactlyThePayloadSent(@ForAll("scenarios") Scenario s) {
        Network net = new Network(s);
        Statistics.label("shape").collect(s.shape());
        Statistics.label("packet").collect(net.out.packet().length());
        Statistics.label("hops").collect(net.expectedHops.size());
        NextHop at = net.out.firstHop();
        PublicKey pathKey = net.out.pathKey();
        Bytes packet = net.out.packet();
        List<PublicKey> visited = new ArrayList<>();
        while (true) {
            visited.add(((NextHop.Node) at).nodeId());
            assertTrue(visited.size() <= net.expectedHops.size(), "too many hops: " + visited);
            PeelResult r = OnionMessages.peel(net.keyOf(at), pathKey, packet);
            if (r instanceof PeelResult.Forward f) {
                assertEquals(packet.length(), f.nextPacket().length(), "packet size is constant");
                at = f.next();
                pathKey = f.nextPathKey();
                packet = f.nextPacket();
                continue;
            }
            PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class, r, r.toString());
            assertEquals(net.expectedHops, visited);
            assertEquals(s.payload(), d.payload().withoutEncryptedRecipientData());
            if (s.shape() == Shape.TO_NODE) {
                assertEquals(Optional.empty(), d.pathId());
            } else {
                assertTrue(net.recipientPaths.recognise(d.pathId().orElseThrow(), Bytes.of(s.context())));
            }
            return;
        }
    }

    @Property(tries = 150)
    void oneFlippedBit_isDroppedAtTheFirstHop(@ForAll("scenarios") Scenario s, @ForAll @IntRange(min = 0) int where) {
        Network net = new Network(s);
        byte[] packet = net.out.packet().toArray();
        int bit = where % (packet.length * 8);
        packet[bit / 8] ^= (byte) (1 << (bit % 8));
        PeelResult r = OnionMessages.peel(net.keyOf(net.out.firstHop()), net.out.pathKey(), Bytes.wrap(packet));
        assertInstanceOf(PeelResult.Drop.class, r, r.toString());
    }

    @Property(tries = 100)
    void wrongPathKey_isDroppedAtTheFirstHop(@ForAll("scenarios") Scenario s) {
        Network net = new Network(s);
        PeelResult r = OnionMessages.peel(net.keyOf(net.out.firstHop()), key(s.keySeed(), 4242).publicKey(),
                net.out.packet());
        assertEquals(PeelResult.Reason.BAD_HMAC, ((PeelResult.Drop) r).reason());
    }

    /** Arbitrary bytes from the network never make {@code peel} throw. */
    @Property(tries = 300)
    void peel_ofArbitraryBytes_neverThrows(@ForAll @Size(max = 1500) byte[] packet, @ForAll boolean validVersion,
            @ForAll long seed) {
        if (validVersion && packet.length > 0) {
            packet[0] = 0;
            if (packet.length > 34) {
                key(seed, 7).publicKey().bytes().copyTo(packet, 1);
            }
        }
        PeelResult r = OnionMessages.peel(key(seed, 1), key(seed, 2).publicKey(), Bytes.wrap(packet));
        assertInstanceOf(PeelResult.Drop.class, r);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Shape> shape = Arbitraries.of(Shape.class);
        Arbitrary<Integer> prefix = Arbitraries.integers().between(0, 7);
        Arbitrary<Integer> blinded = Arbitraries.integers().between(0, 6);
        Arbitrary<Integer> dummies = Arbitraries.integers().between(0, 2);
        return Combinators.combine(shape, prefix, blinded, dummies, Arbitraries.longs(), payloads(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as((sh, p, b, d, seed, payload, ctx) -> {
                    // 1–8 hops in all (plus dummies at the end of blinded paths).
                    int pre = sh == Shape.WE_INTRODUCE ? 0 : p;
                    int bl = sh == Shape.TO_NODE ? 0 : Math.min(b, 7 - pre);
                    int pr = Math.min(pre, 7 - bl);
                    return new Scenario(sh, pr, bl,
                            sh == Shape.TO_NODE ? 0 : d, seed, payload, ctx);
                });
    }

    static Arbitrary<OnionMessagePayload> payloads() {
        Arbitrary<Optional<Bytes>> blob = Arbitraries.bytes().array(byte[].class).ofMaxSize(1400)
                .map(b -> Bytes.wrap(b)).optional(0.5);
        Arbitrary<List<TlvRecord>> unknown = Arbitraries.longs().between(0, 40).map(t -> 2 * t + 1)
                .flatMap(t -> Arbitraries.bytes().array(byte[].class).ofMaxSize(50)
                        .map(v -> new TlvRecord(t, Bytes.wrap(v))))
                .list().ofMaxSize(3).uniqueElements(TlvRecord::type);
        Arbitrary<Optional<BlindedPath>> replyPath = Arbitraries.longs()
                .map(seed -> new ReplyPaths(key(seed, 99)).create(List.of(key(seed, 98).publicKey()),
                        Bytes.fromHex("01"), 0, key(seed, 97)))
                .optional(0.3);
        return Builders.withBuilder(() -> OnionMessagePayload.EMPTY)
                .use(blob).in((p, b) -> b.map(p::withInvoice).orElse(p))
                .use(replyPath).in((p, r) -> r.map(p::withReplyPath).orElse(p))
                .use(unknown).in(OnionMessagePayload::withUnknownOdd)
                .build();
    }
}
