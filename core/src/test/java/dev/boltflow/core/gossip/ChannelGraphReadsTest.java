package dev.boltflow.core.gossip;

import static dev.boltflow.core.gossip.GossipFixtures.CHAIN;
import static dev.boltflow.core.gossip.GossipFixtures.NOW;
import static dev.boltflow.core.gossip.GossipFixtures.channel;
import static dev.boltflow.core.gossip.GossipFixtures.key;
import static dev.boltflow.core.gossip.GossipFixtures.node;
import static dev.boltflow.core.gossip.GossipFixtures.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.core.wire.WireCodec;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the graph hands out: counts, sorted lists, policies read back field by field, ranges, filtered messages, links. */
class ChannelGraphReadsTest {
    private final GraphLimits limits = GraphLimits.defaults(CHAIN);
    private final ChannelGraph graph = new ChannelGraph(limits);

    private GossipOutcome offer(GossipMessage m) {
        return ChannelGraphTest.offer(graph, m, NOW);
    }

    private static Bytes wire(GossipMessage m) {
        return Bytes.wrap(WireCodec.encode(m));
    }

    private static ChannelUpdate custom(ChannelAnnouncement a, int from, long ts, int messageFlags, int channelFlags) {
        int direction = a.nodeId1().bytes().equals(key(from).publicKey().bytes()) ? 0 : 1;
        return GossipSignatures.channelUpdate(key(from), CHAIN, a.shortChannelId(), ts, messageFlags,
                channelFlags | direction, 144, 0x1_0000_0002L, 1001, 2002, 0x3_0000_0004L);
    }

    @Test
    void counts_lists_and_snapshots() {
        assertSame(limits, graph.limits());
        ChannelAnnouncement high = channel(ShortChannelId.of(900, 1, 0).value(), 2, 3);
        ChannelAnnouncement low = channel(ShortChannelId.of(800, 1, 0).value(), 1, 2);
        for (GossipMessage m : List.of(high, low, update(high, 2, NOW - 9), update(high, 3, NOW - 8),
                update(low, 1, NOW - 7), node(1, NOW - 5, List.of()), node(2, NOW - 4, List.of()))) {
            assertEquals(GossipOutcome.ACCEPTED, offer(m), m.toString());
        }
        assertEquals(2, graph.channelCount());
        assertEquals(3, graph.nodeCount());
        assertEquals(2 + 3 + 2, graph.messageCount());
        assertEquals(2, graph.announcedNodeCount());
        assertEquals("ChannelGraph[2 channels, 3 nodes]", graph.toString());
        assertEquals(List.of(low.shortChannelId(), high.shortChannelId()),
                graph.channels().stream().map(ChannelGraph.ChannelInfo::shortChannelId).toList());
        List<PublicKey> ids = graph.nodes().stream().map(ChannelGraph.NodeInfo::nodeId).toList();
        assertEquals(ids.stream().sorted().toList(), ids);
        assertEquals(Set.of(key(1).publicKey(), key(2).publicKey(), key(3).publicKey()), Set.copyOf(ids));
        assertEquals(Set.of(low.shortChannelId(), high.shortChannelId()), graph.channelsOf(key(2).publicKey()).stream()
                .map(ChannelGraph.ChannelInfo::shortChannelId).collect(Collectors.toSet()));
        assertEquals(1, graph.channelsOf(key(3).publicKey()).size());
        assertEquals(List.of(), graph.channelsOf(key(9).publicKey()));
        ChannelGraph.NodeInfo three = graph.node(key(3).publicKey()).orElseThrow();
        assertEquals(OptionalLong.empty(), three.timestamp(), "no node_announcement from node 3");
        assertEquals("", three.alias());
        assertEquals(1, three.channels());
        ChannelGraph.NodeInfo two = graph.node(key(2).publicKey()).orElseThrow();
        assertEquals(OptionalLong.of(NOW - 4), two.timestamp());
        assertEquals(2, two.channels());
        assertEquals(Bytes.fromHex("ff8800"), two.color());
        assertEquals(Optional.empty(), graph.node(key(9).publicKey()));
        assertEquals(Optional.empty(), graph.channel(ShortChannelId.of(1, 1, 1)));
        assertEquals(Optional.empty(), graph.messages(ShortChannelId.of(1, 1, 1)));
    }

    @Test
    void a_policy_reads_back_every_field_of_its_update() {
        ChannelAnnouncement a = channel(ShortChannelId.of(700, 2, 1).value(), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, offer(a));
        ChannelUpdate u = custom(a, 1, NOW - 3, 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, offer(u));
        ChannelGraph.ChannelInfo info = graph.channel(a.shortChannelId()).orElseThrow();
        ChannelGraph.Policy p = info.policy(u.direction()).orElseThrow();
        assertEquals(new ChannelGraph.Policy(NOW - 3, 1, u.channelFlags(), 144, 0x1_0000_0002L, 1001, 2002,
                0x3_0000_0004L, ChannelGraph.checksum(u)), p);
        assertTrue(p.disabled());
        assertEquals(Optional.empty(), info.policy(1 - u.direction()));
        assertEquals(OptionalLong.empty(), info.capacitySat());
        assertFalse(new ChannelGraph.Policy(1, 1, 1, 1, 1, 1, 1, 1, 1).disabled());
        assertTrue(new ChannelGraph.Policy(1, 1, 3, 1, 1, 1, 1, 1, 1).disabled());
    }

    @Test
    void a_capacity_of_zero_is_known() {
        ChannelAnnouncement a = channel(ShortChannelId.of(700, 2, 2).value(), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, graph.apply(graph.check(a, NOW).verify(),
                FundingOutputs.Check.accepted(OptionalLong.of(0)), NOW));
        assertEquals(OptionalLong.of(0), graph.channel(a.shortChannelId()).orElseThrow().capacitySat());
    }

    @Test
    void short_channel_ids_of_a_block_range_are_half_open_and_sorted() {
        for (long block : new long[] {12, 10, 11, 9}) {
            assertEquals(GossipOutcome.ACCEPTED, offer(channel(ShortChannelId.of(block, 0, 0).value(), 1, (int) block)));
        }
        assertEquals(List.of(ShortChannelId.of(10, 0, 0), ShortChannelId.of(11, 0, 0)), graph.shortChannelIds(10, 12));
        assertEquals(List.of(ShortChannelId.of(9, 0, 0), ShortChannelId.of(10, 0, 0), ShortChannelId.of(11, 0, 0),
                ShortChannelId.of(12, 0, 0)), graph.shortChannelIds(0, 1L << 32));
        assertEquals(List.of(), graph.shortChannelIds(13, 20));
    }

    @Test
    void messages_by_timestamp_put_each_announcement_before_its_updates_and_nodes_last() {
        ChannelAnnouncement a = channel(ShortChannelId.of(500, 0, 0).value(), 1, 2);
        ChannelAnnouncement quiet = channel(ShortChannelId.of(501, 0, 0).value(), 1, 3);
        ChannelUpdate u1 = update(a, 1, NOW - 100);
        ChannelUpdate u2 = update(a, 2, NOW - 50);
        GossipMessage n1 = node(1, NOW - 10, List.of());
        for (GossipMessage m : List.of(a, quiet, u1, u2, n1)) {
            assertEquals(GossipOutcome.ACCEPTED, offer(m));
        }
        assertEquals(List.of(wire(a), wire(u1), wire(u2), wire(n1)), graph.messages(t -> true, true));
        assertEquals(List.of(wire(a), wire(u1), wire(u2)), graph.messages(t -> true, false));
        assertEquals(List.of(wire(a), wire(u2)), graph.messages(t -> t >= NOW - 60, false));
        assertEquals(List.of(wire(a), wire(u1)), graph.messages(t -> t < NOW - 60, false));
        assertEquals(List.of(wire(n1)), graph.messages(t -> t >= NOW - 20, true));
        assertEquals(List.of(), graph.messages(t -> false, true));
        // The announcement without updates is stored all the same.
        assertTrue(graph.allMessages().contains(wire(quiet)));
        assertEquals(5, graph.allMessages().size());
    }

    @Test
    void links_leave_out_spent_channels_both_ways_disabled_ones_and_nodes_without_onion_messages() {
        ChannelAnnouncement ab = channel(ShortChannelId.of(600, 0, 0).value(), 1, 2);
        ChannelAnnouncement ac = channel(ShortChannelId.of(600, 1, 0).value(), 1, 3);
        ChannelAnnouncement ad = channel(ShortChannelId.of(600, 2, 0).value(), 1, 4);
        ChannelAnnouncement ae = channel(ShortChannelId.of(600, 3, 0).value(), 1, 5);
        for (GossipMessage m : List.of(ab, ac, ad, ae)) {
            assertEquals(GossipOutcome.ACCEPTED, offer(m));
        }
        PublicKey a = key(1).publicKey();
        assertEquals(Set.of(key(2).publicKey(), key(3).publicKey(), key(4).publicKey(), key(5).publicKey()), graph.links(a));
        // ac disabled one way only: still a link; ad disabled both ways: none.
        assertEquals(GossipOutcome.ACCEPTED, offer(custom(ac, 1, NOW - 5, 1, ChannelUpdate.DISABLE)));
        assertEquals(GossipOutcome.ACCEPTED, offer(custom(ad, 1, NOW - 5, 1, ChannelUpdate.DISABLE)));
        assertEquals(GossipOutcome.ACCEPTED, offer(custom(ad, 4, NOW - 5, 1, ChannelUpdate.DISABLE)));
        // ae spent (at height 0, still a height): none.
        graph.fundingSpent(ae.shortChannelId(), 0);
        assertEquals(Set.of(key(2).publicKey(), key(3).publicKey()), graph.links(a));
        // Node 2 announces features without option_onion_messages: no link to or from it.
        assertEquals(GossipOutcome.ACCEPTED, offer(GossipSignatures.nodeAnnouncement(key(2), NOW - 1, Features.of(9),
                Bytes.fromHex("000000"), "plain", List.of())));
        assertEquals(Set.of(key(3).publicKey()), graph.links(a));
        assertEquals(Set.of(), graph.links(key(2).publicKey()));
        // Node 3 requires it (the even bit): still a link.
        assertEquals(GossipOutcome.ACCEPTED, offer(GossipSignatures.nodeAnnouncement(key(3), NOW - 1,
                Features.of(Features.ONION_MESSAGES_REQ), Bytes.fromHex("000000"), "strict", List.of())));
        assertEquals(Set.of(key(3).publicKey()), graph.links(a));
        assertEquals(Set.of(a), graph.links(key(3).publicKey()));
        // Node 1 announces an unknown even feature: it relays nothing.
        assertEquals(GossipOutcome.ACCEPTED, offer(GossipSignatures.nodeAnnouncement(key(1), NOW - 1,
                Features.of(Features.ONION_MESSAGES_OPT, 100), Bytes.fromHex("000000"), "odd one", List.of())));
        assertEquals(Set.of(), graph.links(a));
        assertEquals(Set.of(), graph.links(key(9).publicKey()));
    }

    @Test
    void an_empty_alias_reads_as_empty_text() {
        ChannelAnnouncement a = channel(ShortChannelId.of(400, 0, 0).value(), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, offer(a));
        assertEquals(GossipOutcome.ACCEPTED, offer(GossipSignatures.nodeAnnouncement(key(1), NOW - 1,
                Features.EMPTY, Bytes.fromHex("010203"), "", List.of())));
        assertEquals("", graph.node(key(1).publicKey()).orElseThrow().alias());
        assertEquals("x", ChannelGraph.alias(Bytes.fromHex("78" + "00".repeat(31))));
    }

    @Test
    void nodes_sort_by_id() {
        for (int k = 20; k > 10; k--) {
            assertEquals(GossipOutcome.ACCEPTED, offer(channel(ShortChannelId.of(300, k, 0).value(), k, k + 100)));
        }
        List<PublicKey> ids = graph.nodes().stream().map(ChannelGraph.NodeInfo::nodeId).toList();
        assertEquals(20, ids.size());
        assertEquals(ids.stream().sorted(Comparator.naturalOrder()).toList(), ids);
    }
}
