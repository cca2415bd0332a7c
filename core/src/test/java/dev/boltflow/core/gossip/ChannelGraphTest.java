package dev.boltflow.core.gossip;

import static dev.boltflow.core.gossip.GossipFixtures.CHAIN;
import static dev.boltflow.core.gossip.GossipFixtures.NOW;
import static dev.boltflow.core.gossip.GossipFixtures.channel;
import static dev.boltflow.core.gossip.GossipFixtures.key;
import static dev.boltflow.core.gossip.GossipFixtures.node;
import static dev.boltflow.core.gossip.GossipFixtures.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.EcdsaSignature;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.GossipMessage.NodeAnnouncement;
import dev.boltflow.core.wire.Point;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.core.wire.WireCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Every BOLT 7 rule the graph enforces, one test each, through check → verify → apply. */
class ChannelGraphTest {
    private final ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(CHAIN));

    private GossipOutcome offer(GossipMessage m) {
        return offer(graph, m, NOW);
    }

    static GossipOutcome offer(ChannelGraph g, GossipMessage m, long now) {
        return g.apply(g.check(m, now).verify(), now);
    }

    /** The same message with one bit flipped in its signed part (the decoded result must still decode). */
    private static GossipMessage flip(GossipMessage m, int offsetFromEnd) {
        byte[] e = WireCodec.encode(m);
        e[e.length - offsetFromEnd] ^= 1;
        return (GossipMessage) WireCodec.decode(e);
    }

    @Test
    void announcement_update_and_node_are_stored() {
        ChannelAnnouncement a = channel(0x1000_0001_0001L, 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, offer(a));
        assertEquals(GossipOutcome.ACCEPTED, offer(update(a, 1, NOW - 10)));
        assertEquals(GossipOutcome.ACCEPTED, offer(update(a, 2, NOW - 10)));
        assertEquals(GossipOutcome.ACCEPTED, offer(node(1, NOW - 5, List.of(NodeAddress.dns("example.org", 9735)))));
        assertEquals(1, graph.channelCount());
        assertEquals(2, graph.nodeCount());
        ChannelGraph.NodeInfo n = graph.node(key(1).publicKey()).orElseThrow();
        assertEquals("node-1", n.alias());
        assertEquals(List.of(NodeAddress.dns("example.org", 9735)), n.addresses());
        assertEquals(java.util.Set.of(key(1).publicKey()), graph.links(key(2).publicKey()));
        assertEquals(key(a.nodeId1().equals(Point.of(key(1).publicKey())) ? 1 : 2).publicKey(),
                graph.channelEnd(a.shortChannelId(), 0).orElseThrow());
    }

    @Test
    void stored_messages_come_back_byte_for_byte() {
        ChannelAnnouncement a = GossipSignatures.channelAnnouncement(CHAIN, new ShortChannelId(0x0a0b0c0d0e0f0102L),
                dev.boltflow.core.features.Features.of(1, 9), key(1), key(2), key(3), key(4));
        ChannelUpdate u1 = update(a, 1, NOW - 10, 77);
        ChannelUpdate u2 = update(a, 2, NOW - 11, 88);
        NodeAnnouncement n = node(2, NOW - 5, List.of(NodeAddress.dns("b.example", 1)));
        for (GossipMessage m : List.of(a, u1, u2, n)) {
            assertEquals(GossipOutcome.ACCEPTED, offer(m));
        }
        ChannelGraph.ChannelMessages m = graph.messages(a.shortChannelId()).orElseThrow();
        assertEquals(Bytes.wrap(WireCodec.encode(a)), m.announcement());
        java.util.Set<Bytes> updates = java.util.Set.of(m.update1().orElseThrow(), m.update2().orElseThrow());
        assertEquals(java.util.Set.of(Bytes.wrap(WireCodec.encode(u1)), Bytes.wrap(WireCodec.encode(u2))), updates);
        assertEquals(java.util.Set.of(Bytes.wrap(WireCodec.encode(a)), Bytes.wrap(WireCodec.encode(u1)),
                Bytes.wrap(WireCodec.encode(u2)), Bytes.wrap(WireCodec.encode(n))),
                new java.util.HashSet<>(graph.allMessages()));
        ChannelGraph.Policy p = graph.channel(a.shortChannelId()).orElseThrow().policy(u1.direction()).orElseThrow();
        assertEquals(77, p.feeBaseMsat());
        assertEquals(ChannelGraph.checksum(u1), p.checksum());
        assertEquals(NOW - 10, p.timestamp());
        assertEquals(dev.boltflow.core.features.Features.of(1, 9), graph.channel(a.shortChannelId()).orElseThrow().features());
    }

    @Test
    void each_of_the_four_announcement_signatures_is_checked() {
        ChannelAnnouncement a = channel(7, 1, 2);
        EcdsaSignature bad = a.nodeSignature2(); // a valid signature, of the wrong key
        List<ChannelAnnouncement> broken = List.of(
                new ChannelAnnouncement(bad, a.nodeSignature2(), a.bitcoinSignature1(), a.bitcoinSignature2(),
                        a.features(), a.chainHash(), a.shortChannelId(), a.nodeId1(), a.nodeId2(), a.bitcoinKey1(),
                        a.bitcoinKey2(), a.excess()),
                new ChannelAnnouncement(a.nodeSignature1(), a.nodeSignature1(), a.bitcoinSignature1(),
                        a.bitcoinSignature2(), a.features(), a.chainHash(), a.shortChannelId(), a.nodeId1(), a.nodeId2(),
                        a.bitcoinKey1(), a.bitcoinKey2(), a.excess()),
                new ChannelAnnouncement(a.nodeSignature1(), a.nodeSignature2(), a.bitcoinSignature2(),
                        a.bitcoinSignature2(), a.features(), a.chainHash(), a.shortChannelId(), a.nodeId1(), a.nodeId2(),
                        a.bitcoinKey1(), a.bitcoinKey2(), a.excess()),
                new ChannelAnnouncement(a.nodeSignature1(), a.nodeSignature2(), a.bitcoinSignature1(),
                        a.bitcoinSignature1(), a.features(), a.chainHash(), a.shortChannelId(), a.nodeId1(), a.nodeId2(),
                        a.bitcoinKey1(), a.bitcoinKey2(), a.excess()));
        List<GossipSignatures.Failure> expected = List.of(GossipSignatures.Failure.NODE_SIGNATURE_1,
                GossipSignatures.Failure.NODE_SIGNATURE_2, GossipSignatures.Failure.BITCOIN_SIGNATURE_1,
                GossipSignatures.Failure.BITCOIN_SIGNATURE_2);
        for (int i = 0; i < broken.size(); i++) {
            assertEquals(expected.get(i), GossipSignatures.verify(broken.get(i)));
            assertEquals(GossipOutcome.BAD_SIGNATURE, offer(broken.get(i)));
        }
        assertEquals(0, graph.channelCount());
        assertEquals(0, graph.pendingAnnouncements(), "a failed announcement leaves nothing pending");
        assertEquals(GossipOutcome.ACCEPTED, offer(a));
    }

    @Test
    void a_flipped_bit_anywhere_in_the_signed_part_fails() {
        ChannelAnnouncement a = channel(8, 1, 2);
        assertEquals(GossipOutcome.BAD_SIGNATURE, offer(flip(a, 135))); // short_channel_id, before the four keys
        assertEquals(GossipOutcome.ACCEPTED, offer(a));
        ChannelUpdate u = update(a, 1, NOW - 10);
        assertEquals(GossipOutcome.BAD_SIGNATURE, offer(flip(u, 1))); // htlc_maximum_msat
        NodeAnnouncement n = node(1, NOW, List.of());
        assertEquals(GossipOutcome.BAD_SIGNATURE, offer(flip(n, 3))); // the alias
        // A signature bit flipped: the hash is right, the signature is not.
        byte[] e = WireCodec.encode(u);
        e[10] ^= 1;
        assertEquals(GossipOutcome.BAD_SIGNATURE, offer((GossipMessage) WireCodec.decode(e)));
        assertEquals(GossipOutcome.ACCEPTED, offer(u));
    }

    @Test
    void a_key_that_is_not_a_point_is_malformed_not_a_bad_signature() {
        ChannelAnnouncement a = channel(9, 1, 2);
        Point notAPoint = new Point(Bytes.fromHex("02" + "ff".repeat(32)));
        ChannelAnnouncement bad = new ChannelAnnouncement(a.nodeSignature1(), a.nodeSignature2(),
                a.bitcoinSignature1(), a.bitcoinSignature2(), a.features(), a.chainHash(), a.shortChannelId(),
                a.nodeId1(), a.nodeId2(), notAPoint, a.bitcoinKey2(), a.excess());
        assertEquals(GossipOutcome.MALFORMED, offer(bad));
        assertTrue(GossipOutcome.MALFORMED.peerFault());
    }

    @Test
    void an_update_signed_by_the_other_end_is_refused() {
        ChannelAnnouncement a = channel(10, 1, 2);
        offer(a);
        ChannelUpdate right = update(a, 1, NOW - 10);
        // Node 2 signs an update carrying node 1's direction bit.
        ChannelUpdate wrongSide = GossipSignatures.channelUpdate(key(2), CHAIN, a.shortChannelId(), NOW - 10,
                ChannelUpdate.MUST_BE_ONE, right.direction(), 40, 1000, 0, 100, 1_000_000_000L);
        assertEquals(GossipOutcome.BAD_SIGNATURE, offer(wrongSide));
        assertEquals(GossipOutcome.ACCEPTED, offer(right));
    }

    @Test
    void newest_update_wins_and_older_or_equal_ones_are_ignored() {
        ChannelAnnouncement a = channel(11, 1, 2);
        offer(a);
        assertEquals(GossipOutcome.ACCEPTED, offer(update(a, 1, NOW - 100, 5)));
        assertEquals(GossipOutcome.DUPLICATE, offer(update(a, 1, NOW - 100, 6)));
        assertEquals(GossipOutcome.DUPLICATE, offer(update(a, 1, NOW - 200, 7)));
        assertEquals(GossipOutcome.ACCEPTED, offer(update(a, 1, NOW - 50, 8)));
        int dir = update(a, 1, 0).direction();
        assertEquals(8, graph.channel(a.shortChannelId()).orElseThrow().policy(dir).orElseThrow().feeBaseMsat());
        assertEquals(GossipOutcome.ACCEPTED, offer(node(1, NOW - 10, List.of())));
        assertEquals(GossipOutcome.DUPLICATE, offer(node(1, NOW - 10, List.of())));
        assertEquals(GossipOutcome.DUPLICATE, offer(node(1, NOW - 11, List.of())));
    }

    @Test
    void stale_future_unknown_and_other_chain_gossip_is_ignored() {
        ChannelAnnouncement a = channel(12, 1, 2);
        assertEquals(GossipOutcome.UNKNOWN_CHANNEL, offer(update(a, 1, NOW)));
        assertEquals(GossipOutcome.UNKNOWN_NODE, offer(node(1, NOW, List.of())));
        offer(a);
        assertEquals(GossipOutcome.STALE, offer(update(a, 1, NOW - Duration.ofDays(15).toSeconds())));
        assertEquals(GossipOutcome.FUTURE_TIMESTAMP, offer(update(a, 1, NOW + Duration.ofDays(2).toSeconds())));
        ChannelAnnouncement testnet = GossipSignatures.channelAnnouncement(ChainHashes.TESTNET,
                new ShortChannelId(13), dev.boltflow.core.features.Features.EMPTY, key(1), key(2), key(3), key(4));
        assertEquals(GossipOutcome.WRONG_CHAIN, offer(testnet));
    }

    @Test
    void the_caps_hold_against_a_flood_and_nothing_is_evicted() {
        ChannelGraph small = new ChannelGraph(GraphLimits.defaults(CHAIN).withMaxChannels(3).withMaxNodes(4));
        List<GossipOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            outcomes.add(offer(small, channel(100 + i, 1, 2 + i), NOW));
        }
        assertEquals(List.of(GossipOutcome.ACCEPTED, GossipOutcome.ACCEPTED, GossipOutcome.ACCEPTED,
                GossipOutcome.GRAPH_FULL, GossipOutcome.GRAPH_FULL, GossipOutcome.GRAPH_FULL), outcomes);
        assertEquals(3, small.channelCount());
        assertEquals(4, small.nodeCount());
        assertTrue(small.channel(new ShortChannelId(100)).isPresent());
    }

    @Test
    void updates_per_channel_end_are_rate_limited() {
        ChannelGraph g = new ChannelGraph(GraphLimits.defaults(CHAIN).withUpdateRate(2, Duration.ofMinutes(10)));
        ChannelAnnouncement a = channel(14, 1, 2);
        offer(g, a, NOW);
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, NOW - 30), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, NOW - 20), NOW));
        assertEquals(GossipOutcome.RATE_LIMITED, offer(g, update(a, 1, NOW - 10), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 2, NOW - 10), NOW), "the other end has its own");
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, NOW + 600), NOW + 600), "a token per interval");
    }

    @Test
    void stale_channels_and_their_lonely_nodes_are_pruned() {
        ChannelAnnouncement fresh = channel(15, 1, 2);
        ChannelAnnouncement old = channel(16, 3, 4);
        offer(fresh);
        offer(old);
        offer(update(fresh, 1, NOW - 10));
        offer(update(fresh, 2, NOW - 10));
        offer(update(old, 3, NOW - Duration.ofDays(13).toSeconds()));
        offer(update(old, 4, NOW - 10));
        assertEquals(0, graph.prune(NOW, -1));
        assertEquals(1, graph.prune(NOW + Duration.ofDays(2).toSeconds(), -1));
        assertTrue(graph.channel(new ShortChannelId(15)).isPresent());
        assertTrue(graph.node(key(3).publicKey()).isEmpty());
        assertEquals(2, graph.nodeCount());
    }

    @Test
    void conflicting_announcements_blacklist_both_pairs() {
        offer(channel(17, 1, 2));
        offer(channel(18, 1, 5));
        assertEquals(GossipOutcome.BLACKLISTED, offer(channel(17, 3, 4)));
        assertEquals(0, graph.channelCount(), "channels of the blacklisted nodes are forgotten");
        assertEquals(GossipOutcome.BLACKLISTED, offer(channel(19, 2, 6)));
        assertEquals(GossipOutcome.ACCEPTED, offer(channel(20, 6, 7)));
    }

    @Test
    void funding_refusal_and_spent_outputs() {
        ChannelAnnouncement a = channel(21, 1, 2);
        ChannelGraph.Candidate c = graph.check(a, NOW).verify();
        assertEquals(GossipOutcome.FUNDING_REFUSED, graph.apply(c, FundingOutputs.Check.refused("no such output"), NOW));
        c = graph.check(a, NOW).verify();
        assertEquals(GossipOutcome.ACCEPTED, graph.apply(c, FundingOutputs.Check.accepted(OptionalLong.of(1_000_000)), NOW));
        assertEquals(OptionalLong.of(1_000_000), graph.channel(a.shortChannelId()).orElseThrow().capacitySat());
        graph.fundingSpent(a.shortChannelId(), 800_000);
        assertEquals(GossipOutcome.FUNDING_REFUSED, offer(update(a, 1, NOW - 5)));
        assertEquals(0, graph.prune(NOW, 800_071));
        assertEquals(1, graph.prune(NOW, 800_072));
    }

    @Test
    void an_update_verified_while_its_announcement_is_pending_is_applied_after_it() {
        ChannelAnnouncement a = channel(22, 1, 2);
        ChannelGraph.Candidate ca = graph.check(a, NOW);
        ChannelGraph.Candidate cu = graph.check(update(a, 1, NOW - 1), NOW);
        assertTrue(cu.decided().isEmpty(), "the pending announcement names the signer");
        cu.verify();
        ca.verify();
        assertEquals(GossipOutcome.ACCEPTED, graph.apply(ca, NOW));
        assertEquals(GossipOutcome.ACCEPTED, graph.apply(cu, NOW));
        // With a failing announcement, the update finds no channel.
        ChannelAnnouncement b = channel(23, 1, 3);
        ChannelAnnouncement badB = (ChannelAnnouncement) flip(b, 140);
        ChannelGraph.Candidate cb = graph.check(badB, NOW);
        ChannelGraph.Candidate cbu = graph.check(update(b, 1, NOW - 1), NOW);
        assertEquals(GossipOutcome.BAD_SIGNATURE, graph.apply(cb.verify(), NOW));
        assertEquals(GossipOutcome.UNKNOWN_CHANNEL, graph.apply(cbu.verify(), NOW));
    }

    @Test
    void restore_skips_signatures_but_not_the_other_rules() {
        ChannelAnnouncement a = channel(24, 1, 2);
        ChannelGraph g = new ChannelGraph(GraphLimits.defaults(CHAIN));
        assertEquals(GossipOutcome.ACCEPTED, g.restore(WireCodec.encode(a), NOW));
        assertEquals(GossipOutcome.ACCEPTED, g.restore(WireCodec.encode(update(a, 1, NOW - 1)), NOW));
        assertEquals(GossipOutcome.UNKNOWN_CHANNEL, g.restore(WireCodec.encode(update(channel(25, 1, 2), 1, NOW)), NOW));
        assertEquals(GossipOutcome.MALFORMED, g.restore(new byte[] {0, 16, 0, 0, 0, 0}, NOW));
    }

    @Test
    void unknown_even_channel_features_keep_the_channel_but_no_link() {
        ChannelAnnouncement a = GossipSignatures.channelAnnouncement(CHAIN, new ShortChannelId(26),
                dev.boltflow.core.features.Features.of(100), key(1), key(2), key(3), key(4));
        assertEquals(GossipOutcome.ACCEPTED, offer(a));
        assertTrue(graph.links(key(1).publicKey()).isEmpty());
        ChannelAnnouncement b = channel(27, 1, 2);
        offer(b);
        assertEquals(java.util.Set.of(key(2).publicKey()), graph.links(key(1).publicKey()));
    }

    @Test
    void checksum_leaves_out_signature_and_timestamp() {
        ChannelAnnouncement a = channel(28, 1, 2);
        ChannelUpdate u1 = update(a, 1, NOW - 10, 5);
        ChannelUpdate u2 = update(a, 1, NOW - 20, 5);
        ChannelUpdate u3 = update(a, 1, NOW - 20, 6);
        assertEquals(ChannelGraph.checksum(u1), ChannelGraph.checksum(u2));
        assertTrue(ChannelGraph.checksum(u1) != ChannelGraph.checksum(u3));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        byte[] e = WireCodec.encode(u1);
        byte[] fields = new byte[32 + 8 + 28];
        System.arraycopy(e, 66, fields, 0, 40);
        System.arraycopy(e, 110, fields, 40, 28);
        crc.update(fields);
        assertEquals(crc.getValue(), ChannelGraph.checksum(u1));
    }
}
