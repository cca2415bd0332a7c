package dev.boltflow.core.gossip;

import static dev.boltflow.core.gossip.GossipFixtures.CHAIN;
import static dev.boltflow.core.gossip.GossipFixtures.NOW;
import static dev.boltflow.core.gossip.GossipFixtures.channel;
import static dev.boltflow.core.gossip.GossipFixtures.key;
import static dev.boltflow.core.gossip.GossipFixtures.node;
import static dev.boltflow.core.gossip.GossipFixtures.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.sendinvoice.NetworkView.Address;
import dev.boltflow.core.sendinvoice.memory.InMemoryNetworkView;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.GossipMessage.NodeAnnouncement;
import dev.boltflow.core.wire.Point;
import dev.boltflow.core.wire.ShortChannelId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The gossip package's ports and helpers as their users see them: {@link GossipIngest} over a
 * stream, the {@link FundingOutputs} port, {@link GraphNetworkView} over a fallback view, the
 * signatures of {@link GossipSignatures}, and address descriptors.
 */
class GossipPortsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static long scid(int n) {
        return ShortChannelId.of(2000 + n, 0, 0).value();
    }

    // ---- GossipIngest and FundingOutputs

    private static GossipIngest ingest(ChannelGraph graph, FundingOutputs funding, long nowSeconds) {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(nowSeconds * 1000 + 999), ZoneOffset.UTC);
        return new GossipIngest(graph, funding, clock, Schedulers.parallel(), 4);
    }

    @Test
    void ingest_gives_each_message_its_outcome_in_order() {
        ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(CHAIN));
        GossipIngest in = ingest(graph, FundingOutputs.unchecked(), NOW);
        assertSame(graph, in.graph());
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        StepVerifier.create(in.ingest(Flux.just(a, update(a, 1, NOW), update(a, 2, NOW + 86_401), node(1, NOW, List.of()),
                node(9, NOW, List.of()), a)))
                .expectNext(GossipOutcome.ACCEPTED, GossipOutcome.ACCEPTED, GossipOutcome.FUTURE_TIMESTAMP,
                        GossipOutcome.ACCEPTED, GossipOutcome.UNKNOWN_NODE, GossipOutcome.DUPLICATE)
                .expectComplete()
                .verify(WAIT);
        assertEquals(1, graph.channelCount());
    }

    @Test
    void ingest_asks_the_funding_port_about_announcements_only() {
        ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(CHAIN));
        ChannelAnnouncement refused = channel(scid(1), 1, 2);
        ChannelAnnouncement kept = channel(scid(2), 1, 3);
        FundingOutputs chain = m -> Mono.just(m.shortChannelId().equals(refused.shortChannelId())
                ? FundingOutputs.Check.refused("spent") : FundingOutputs.Check.accepted(OptionalLong.of(50_000)));
        assertFalse(chain.checksNothing());
        StepVerifier.create(ingest(graph, chain, NOW).ingest(Flux.just(refused, kept, update(kept, 1, NOW))))
                .expectNext(GossipOutcome.FUNDING_REFUSED, GossipOutcome.ACCEPTED, GossipOutcome.ACCEPTED)
                .expectComplete()
                .verify(WAIT);
        assertEquals(OptionalLong.of(50_000), graph.channel(kept.shortChannelId()).orElseThrow().capacitySat());
        assertEquals(Optional.empty(), graph.channel(refused.shortChannelId()));
    }

    @Test
    void ingest_judges_timestamps_by_its_clock_in_whole_seconds() {
        ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(CHAIN));
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        long now = 1_000_000_000L;
        // 86,400 s ahead of the clock's second is the limit, 86,401 is past it.
        StepVerifier.create(ingest(graph, FundingOutputs.unchecked(), now).ingest(Flux.just(a,
                update(a, 1, now + 86_401), update(a, 1, now + 86_400))))
                .expectNext(GossipOutcome.ACCEPTED, GossipOutcome.FUTURE_TIMESTAMP, GossipOutcome.ACCEPTED)
                .expectComplete()
                .verify(WAIT);
    }

    /** Signatures are checked on the scheduler given for them; what check decided at once is not sent there. */
    @Test
    void ingest_verifies_on_its_cpu_scheduler_only_what_needs_a_signature_check() {
        java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            reactor.core.scheduler.Scheduler cpu = Schedulers.fromExecutor(r -> {
                tasks.incrementAndGet();
                pool.execute(r);
            });
            ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(CHAIN));
            GossipIngest in = new GossipIngest(graph, FundingOutputs.unchecked(),
                    Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), cpu, 2);
            ChannelAnnouncement a = channel(scid(1), 1, 2);
            StepVerifier.create(in.ingest(Flux.just(a, node(9, NOW, List.of()), node(8, NOW, List.of()),
                    update(a, 1, NOW), a)))
                    .expectNext(GossipOutcome.ACCEPTED, GossipOutcome.UNKNOWN_NODE, GossipOutcome.UNKNOWN_NODE,
                            GossipOutcome.ACCEPTED, GossipOutcome.DUPLICATE)
                    .expectComplete()
                    .verify(WAIT);
            assertEquals(2, tasks.get(), "the announcement and the update");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void only_malformed_messages_and_bad_signatures_are_the_peers_fault() {
        for (GossipOutcome o : GossipOutcome.values()) {
            assertEquals(o == GossipOutcome.MALFORMED || o == GossipOutcome.BAD_SIGNATURE, o.peerFault(), o.name());
        }
    }

    @Test
    void ingest_wants_some_parallelism_and_its_parts() {
        ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(CHAIN));
        Clock clock = Clock.systemUTC();
        assertThrows(IllegalArgumentException.class,
                () -> new GossipIngest(graph, FundingOutputs.unchecked(), clock, Schedulers.parallel(), 0));
        assertThrows(NullPointerException.class,
                () -> new GossipIngest(null, FundingOutputs.unchecked(), clock, Schedulers.parallel(), 1));
        new GossipIngest(graph, FundingOutputs.unchecked(), clock, Schedulers.parallel(), 1);
    }

    @Test
    void the_unchecked_port_accepts_everything_and_says_so() {
        FundingOutputs none = FundingOutputs.unchecked();
        assertTrue(none.checksNothing());
        StepVerifier.create(none.check(channel(scid(1), 1, 2)))
                .expectNext(FundingOutputs.Check.accepted(OptionalLong.empty()))
                .expectComplete()
                .verify(WAIT);
        FundingOutputs.Check no = FundingOutputs.Check.refused("not a P2WSH");
        assertFalse(no.accepted());
        assertEquals("not a P2WSH", no.reason());
        assertEquals(OptionalLong.empty(), no.capacitySat());
        assertTrue(FundingOutputs.Check.accepted(OptionalLong.of(1)).accepted());
    }

    // ---- GraphNetworkView

    @Test
    void a_node_view_puts_announced_addresses_first_without_tor_or_repeats() {
        ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(CHAIN));
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, ChannelGraphTest.offer(graph, a, NOW));
        NodeAddress tor = new NodeAddress(NodeAddress.TOR_V3, Bytes.wrap(new byte[35]), 9735);
        NodeAnnouncement n = GossipSignatures.nodeAnnouncement(key(1), NOW, Features.of(Features.ONION_MESSAGES_OPT),
                Bytes.fromHex("000000"), "one", List.of(NodeAddress.of("10.0.0.1", 9735), tor,
                        NodeAddress.of("10.0.0.1", 9735), NodeAddress.of("10.0.0.2", 0), NodeAddress.dns("one.example", 9736)));
        assertEquals(GossipOutcome.ACCEPTED, ChannelGraphTest.offer(graph, n, NOW));
        PublicKey one = key(1).publicKey();
        InMemoryNetworkView book = new InMemoryNetworkView()
                .addNode(one, List.of(new Address("one.example", 9736), new Address("192.0.2.9", 1)), Features.EMPTY)
                .addNode(key(2).publicKey(), List.of(new Address("two.example", 2)), Features.of(1))
                .addLink(one, key(7).publicKey());
        GraphNetworkView view = new GraphNetworkView(graph, book);
        assertSame(graph, view.graph());
        NetworkView.NodeInfo info = view.node(one).orElseThrow();
        assertEquals(List.of(new Address("10.0.0.1", 9735), new Address("one.example", 9736), new Address("192.0.2.9", 1)),
                info.addresses());
        assertEquals(Optional.of(Features.of(Features.ONION_MESSAGES_OPT)), info.features(), "the announcement's");
        // Node 2 announced nothing: the book's entry as it is.
        assertEquals(book.node(key(2).publicKey()), view.node(key(2).publicKey()));
        assertEquals(Optional.empty(), view.node(key(5).publicKey()));
        // Links: the graph's and the book's.
        assertEquals(Set.of(key(2).publicKey(), key(7).publicKey()), view.links(one));
        assertEquals(Set.of(one), view.links(key(2).publicKey()));
        // A node with an announcement but nothing in the book.
        assertEquals(GossipOutcome.ACCEPTED, ChannelGraphTest.offer(graph, node(2, NOW, List.of()), NOW));
        ChannelGraph.NodeInfo two = graph.node(key(2).publicKey()).orElseThrow();
        assertTrue(two.timestamp().isPresent());
        InMemoryNetworkView empty = new InMemoryNetworkView();
        NetworkView.NodeInfo alone = new GraphNetworkView(graph, empty).node(key(2).publicKey()).orElseThrow();
        assertEquals(List.of(), alone.addresses());
    }

    @Test
    void a_channel_end_comes_from_the_graph_else_from_the_fallback() {
        ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(CHAIN));
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, ChannelGraphTest.offer(graph, a, NOW));
        ShortChannelId other = ShortChannelId.of(5, 5, 5);
        NetworkView fallback = new NetworkView() {
            @Override
            public Optional<NetworkView.NodeInfo> node(PublicKey nodeId) {
                return Optional.empty();
            }

            @Override
            public Set<PublicKey> links(PublicKey nodeId) {
                return Set.of();
            }

            @Override
            public Optional<PublicKey> channelEnd(ShortChannelId scid, int direction) {
                return scid.equals(other) ? Optional.of(key(direction + 30).publicKey()) : Optional.empty();
            }
        };
        GraphNetworkView view = new GraphNetworkView(graph, fallback);
        assertEquals(a.nodeId1(), Point.of(view.channelEnd(a.shortChannelId(), 0).orElseThrow()));
        assertEquals(a.nodeId2(), Point.of(view.channelEnd(a.shortChannelId(), 1).orElseThrow()));
        assertEquals(Optional.of(key(31).publicKey()), view.channelEnd(other, 1));
        assertEquals(Optional.empty(), view.channelEnd(ShortChannelId.of(6, 6, 6), 0));
        assertEquals(graph.links(key(1).publicKey()), view.links(key(1).publicKey()));
    }

    // ---- GossipSignatures

    @Test
    void node_id_1_is_the_lesser_key_whichever_order_the_keys_come_in() {
        ChannelAnnouncement ab = GossipSignatures.channelAnnouncement(CHAIN, ShortChannelId.of(1, 1, 1), Features.EMPTY,
                key(1), key(2), key(1001), key(1002));
        ChannelAnnouncement ba = GossipSignatures.channelAnnouncement(CHAIN, ShortChannelId.of(1, 1, 1), Features.EMPTY,
                key(2), key(1), key(1002), key(1001));
        assertEquals(ab.nodeId1(), ba.nodeId1());
        assertEquals(ab.bitcoinKey1(), ba.bitcoinKey1());
        assertTrue(ab.nodeId1().compareTo(ab.nodeId2()) < 0);
        boolean oneFirst = key(1).publicKey().compareTo(key(2).publicKey()) < 0;
        assertEquals(Point.of(key(oneFirst ? 1001 : 1002).publicKey()), ab.bitcoinKey1(), "each funding key with its node");
        assertNull(GossipSignatures.verify(ab));
        assertNull(GossipSignatures.verify(ba));
    }

    @Test
    void the_verifiers_name_what_failed() {
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        Point notAPoint = Point.fromHex("02" + "ff".repeat(32));
        ChannelAnnouncement badNode = new ChannelAnnouncement(a.nodeSignature1(), a.nodeSignature2(),
                a.bitcoinSignature1(), a.bitcoinSignature2(), a.features(), a.chainHash(), a.shortChannelId(), notAPoint,
                a.nodeId2(), a.bitcoinKey1(), a.bitcoinKey2(), a.excess());
        assertEquals(GossipSignatures.Failure.INVALID_POINT, GossipSignatures.verify(badNode));
        NodeAnnouncement n = node(1, NOW, List.of());
        assertNull(GossipSignatures.verify(n));
        NodeAnnouncement badId = new NodeAnnouncement(n.signature(), n.features(), n.timestamp(), notAPoint, n.rgbColor(),
                n.alias(), n.addresses(), n.excess());
        assertEquals(GossipSignatures.Failure.INVALID_POINT, GossipSignatures.verify(badId));
        NodeAnnouncement later = new NodeAnnouncement(n.signature(), n.features(), n.timestamp() + 1, n.nodeId(),
                n.rgbColor(), n.alias(), n.addresses(), n.excess());
        assertEquals(GossipSignatures.Failure.SIGNATURE, GossipSignatures.verify(later));
        ChannelUpdate u = update(a, 1, NOW);
        Point signer = u.direction() == 0 ? a.nodeId1() : a.nodeId2();
        Point other = u.direction() == 0 ? a.nodeId2() : a.nodeId1();
        assertNull(GossipSignatures.verify(u, signer));
        assertEquals(GossipSignatures.Failure.SIGNATURE, GossipSignatures.verify(u, other));
        assertEquals(GossipSignatures.Failure.INVALID_POINT, GossipSignatures.verify(u, notAPoint));
    }

    @Test
    void an_alias_holds_at_most_32_bytes() {
        String max = "a".repeat(32);
        NodeAnnouncement n = GossipSignatures.nodeAnnouncement(key(1), NOW, Features.EMPTY, Bytes.fromHex("000000"), max,
                List.of());
        assertEquals(Bytes.wrap(max.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), n.alias());
        assertThrows(IllegalArgumentException.class, () -> GossipSignatures.nodeAnnouncement(key(1), NOW, Features.EMPTY,
                Bytes.fromHex("000000"), max + "a", List.of()));
    }

    // ---- NodeAddress

    @Test
    void address_descriptors_print_their_type_and_host() {
        assertEquals("ipv4", NodeAddress.ipv4(new byte[] {10, 0, 0, 1}, 1).typeName());
        assertEquals("ipv6", NodeAddress.of("::2", 1).typeName());
        assertEquals("torv3", new NodeAddress(NodeAddress.TOR_V3, Bytes.wrap(new byte[35]), 1).typeName());
        assertEquals("dns", NodeAddress.dns("x.example", 1).typeName());
        assertEquals("255.254.0.1", NodeAddress.ipv4(new byte[] {(byte) 255, (byte) 254, 0, 1}, 1).host());
        assertEquals("x.example", NodeAddress.dns("x.example", 1).host());
        assertEquals("ipv4:255.254.0.1:65535", NodeAddress.of("255.254.0.1", 65535).toString());
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.of("10.0.0.1", 65536));
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.of("256.0.0.1", 1));
        assertEquals("ffff:1234::", NodeAddress.of("ffff:1234::", 1).host());
        assertEquals("1::2:0:0:3", NodeAddress.of("1:0:0:0:2:0:0:3", 1).host(), "the first of two equal runs");
        assertEquals("1:0:2:3:4:5:6:7", NodeAddress.of("1:0:2:3:4:5:6:7", 1).host(), "a single zero group stays");
        assertEquals("1::2:0:0:3:4", NodeAddress.of("1:0:0:2:0:0:3:4", 1).host(), "of two runs as long, the first");
        assertEquals(Bytes.fromHex("ab00" + "00".repeat(12) + "00cd"), NodeAddress.of("ab00::cd", 1).address());
        assertEquals(Bytes.fromHex("1234" + "00".repeat(12) + "abcd"), NodeAddress.of("1234::abcd", 1).address());
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.of("1::2::3", 1));
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.of("1:2:3:4:5:6:7:8::", 1));
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.of("12345::", 1));
    }

    /** RFC 4648 base32, lower case, unpadded: 35 bytes are 56 characters (values from Python's base64.b32encode). */
    @Test
    void an_onion_host_is_the_base32_of_its_35_bytes() {
        byte[] a = new byte[35];
        System.arraycopy("foobar".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, a, 0, 6);
        a[34] = (byte) 0xff;
        assertEquals("mzxw6ytboiaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaah7.onion",
                new NodeAddress(NodeAddress.TOR_V3, Bytes.wrap(a), 9735).host());
        byte[] counting = new byte[35];
        for (int i = 0; i < 35; i++) {
            counting[i] = (byte) (i + 1);
        }
        assertEquals("aebagbafaydqqcikbmga2dqpcaireeyuculbogazdinryhi6d4qccird.onion",
                new NodeAddress(NodeAddress.TOR_V3, Bytes.wrap(counting), 9735).host());
    }
}
