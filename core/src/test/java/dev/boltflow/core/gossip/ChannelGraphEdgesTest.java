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
import dev.boltflow.core.crypto.EcdsaSignature;
import dev.boltflow.core.features.Features;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The graph's rules at their edges: each time bound (future skew, staleness, pruning, the spent
 * delay) at its exact value, the caps at their exact size, the token bucket's refill, the blacklist's
 * bound, and what a candidate checked but not yet applied does to the messages behind it.
 */
class ChannelGraphEdgesTest {
    private static final long DAY = 86_400;
    private static final long STALE = 14 * DAY;

    private static GossipOutcome offer(ChannelGraph g, GossipMessage m, long now) {
        return ChannelGraphTest.offer(g, m, now);
    }

    private static ChannelGraph graph() {
        return new ChannelGraph(GraphLimits.defaults(CHAIN));
    }

    private static ChannelGraph graph(int burst, Duration interval) {
        return new ChannelGraph(GraphLimits.defaults(CHAIN).withUpdateRate(burst, interval));
    }

    private static long scid(int n) {
        return ShortChannelId.of(1000 + n, 0, 0).value();
    }

    private static ChannelAnnouncement withBadSignature(ChannelAnnouncement a) {
        byte[] s = a.nodeSignature1().bytes().toArray();
        s[40] ^= 1;
        return new ChannelAnnouncement(new EcdsaSignature(Bytes.wrap(s)), a.nodeSignature2(), a.bitcoinSignature1(),
                a.bitcoinSignature2(), a.features(), a.chainHash(), a.shortChannelId(), a.nodeId1(), a.nodeId2(),
                a.bitcoinKey1(), a.bitcoinKey2(), a.excess());
    }

    @Test
    void an_update_timestamp_may_be_exactly_a_day_ahead_or_exactly_two_weeks_old() {
        ChannelGraph g = graph();
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        ChannelAnnouncement b = channel(scid(2), 1, 2 + 1);
        assertEquals(GossipOutcome.ACCEPTED, offer(g, a, NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, b, NOW));
        assertEquals(GossipOutcome.FUTURE_TIMESTAMP, offer(g, update(a, 1, NOW + DAY + 1), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, NOW + DAY), NOW));
        assertEquals(GossipOutcome.STALE, offer(g, update(b, 1, NOW - STALE - 1), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(b, 1, NOW - STALE), NOW));
        // Node announcements: the same future bound.
        assertEquals(GossipOutcome.FUTURE_TIMESTAMP, offer(g, node(1, NOW + DAY + 1, List.of()), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, node(1, NOW + DAY, List.of()), NOW));
    }

    @Test
    void an_update_or_node_announcement_with_the_same_timestamp_is_a_duplicate_even_if_checked_at_once() {
        ChannelGraph g = graph();
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, offer(g, a, NOW));
        // Both pass check before either is applied: apply decides.
        ChannelGraph.Candidate first = g.check(update(a, 1, NOW - 10, 5), NOW).verify();
        ChannelGraph.Candidate same = g.check(update(a, 1, NOW - 10, 6), NOW).verify();
        assertEquals(GossipOutcome.ACCEPTED, g.apply(first, NOW));
        assertEquals(GossipOutcome.DUPLICATE, g.apply(same, NOW));
        assertEquals(GossipOutcome.DUPLICATE, offer(g, update(a, 1, NOW - 10, 7), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, NOW - 9, 7), NOW));

        ChannelGraph.Candidate n1 = g.check(node(1, NOW - 5, List.of()), NOW).verify();
        ChannelGraph.Candidate n2 = g.check(GossipSignatures.nodeAnnouncement(key(1), NOW - 5, Features.EMPTY,
                Bytes.fromHex("000000"), "other", List.of()), NOW).verify();
        assertEquals(GossipOutcome.ACCEPTED, g.apply(n1, NOW));
        assertEquals(GossipOutcome.DUPLICATE, g.apply(n2, NOW));
        // The stored announcement's timestamp (its features are 5 bytes long) decides the next one.
        assertEquals(GossipOutcome.DUPLICATE, offer(g, node(1, NOW - 6, List.of()), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, node(1, NOW - 4, List.of()), NOW));
        assertEquals(GossipOutcome.UNKNOWN_NODE, offer(g, node(7, NOW - 4, List.of()), NOW));
    }

    @Test
    void the_first_update_and_node_announcement_at_time_zero_are_accepted() {
        // Taking a bucket's only token at time 0 leaves the state 0: that token was there to take.
        ChannelGraph g = graph(1, Duration.ofMinutes(10));
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, offer(g, a, 0));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, 0), 0));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, node(1, 0, List.of()), 0));
    }

    @Test
    void a_bucket_refills_one_token_per_whole_interval_counted_from_the_last_refill() {
        ChannelGraph g = graph(2, Duration.ofSeconds(600));
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        long t0 = NOW;
        assertEquals(GossipOutcome.ACCEPTED, offer(g, a, t0));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, t0), t0));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, t0 + 1), t0 + 1));
        assertEquals(GossipOutcome.RATE_LIMITED, offer(g, update(a, 1, t0 + 2), t0 + 2));
        assertEquals(GossipOutcome.RATE_LIMITED, offer(g, update(a, 1, t0 + 599), t0 + 599));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, t0 + 650), t0 + 650));
        // The refill counted to t0 + 600, so the next token comes at t0 + 1200, not t0 + 1250.
        assertEquals(GossipOutcome.RATE_LIMITED, offer(g, update(a, 1, t0 + 651), t0 + 651));
        assertEquals(GossipOutcome.RATE_LIMITED, offer(g, update(a, 1, t0 + 1199), t0 + 1199));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, t0 + 1200), t0 + 1200));
        // Three intervals later the bucket holds its burst (2), no more.
        long later = t0 + 1200 + 3 * 600;
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, later), later));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, later + 1), later + 1));
        assertEquals(GossipOutcome.RATE_LIMITED, offer(g, update(a, 1, later + 2), later + 2));
        // The other end has a bucket of its own.
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 2, later + 2), later + 2));
    }

    @Test
    void restored_gossip_is_not_rate_limited() {
        ChannelGraph g = graph(1, Duration.ofDays(1));
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, g.restore(WireCodec.encode(a), NOW));
        for (int i = 0; i < 3; i++) {
            assertEquals(GossipOutcome.ACCEPTED, g.restore(WireCodec.encode(update(a, 1, NOW + i)), NOW), "update " + i);
            assertEquals(GossipOutcome.ACCEPTED, g.restore(WireCodec.encode(node(1, NOW + i, List.of())), NOW), "node " + i);
        }
    }

    @Test
    void the_caps_count_channels_and_new_nodes_exactly() {
        ChannelGraph g = new ChannelGraph(GraphLimits.defaults(CHAIN).withMaxChannels(3).withMaxNodes(3));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, channel(scid(1), 1, 2), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, channel(scid(2), 2, 3), NOW), "one new node: 3 of 3");
        assertEquals(GossipOutcome.GRAPH_FULL, offer(g, channel(scid(3), 3, 4), NOW), "a fourth node");
        assertEquals(GossipOutcome.ACCEPTED, offer(g, channel(scid(4), 1, 3), NOW), "no new node: 3 channels");
        assertEquals(GossipOutcome.GRAPH_FULL, offer(g, channel(scid(5), 1, 2), NOW), "a fourth channel");
    }

    @Test
    void the_caps_are_checked_again_when_a_candidate_is_applied() {
        ChannelGraph g = new ChannelGraph(GraphLimits.defaults(CHAIN).withMaxChannels(1));
        ChannelGraph.Candidate a = g.check(channel(scid(1), 1, 2), NOW).verify();
        ChannelGraph.Candidate b = g.check(channel(scid(2), 3, 4), NOW).verify();
        assertEquals(GossipOutcome.ACCEPTED, g.apply(a, NOW));
        assertEquals(GossipOutcome.GRAPH_FULL, g.apply(b, NOW));

        ChannelGraph n = new ChannelGraph(GraphLimits.defaults(CHAIN).withMaxNodes(3));
        ChannelGraph.Candidate c = n.check(channel(scid(1), 1, 2), NOW).verify();
        ChannelGraph.Candidate d = n.check(channel(scid(2), 2, 3), NOW).verify();
        ChannelGraph.Candidate e = n.check(channel(scid(3), 4, 5), NOW).verify();
        assertEquals(GossipOutcome.ACCEPTED, n.apply(c, NOW));
        assertEquals(GossipOutcome.ACCEPTED, n.apply(d, NOW), "a third node of three");
        assertEquals(GossipOutcome.GRAPH_FULL, n.apply(e, NOW));
    }

    @Test
    void an_announcement_being_checked_is_a_duplicate_and_a_failed_one_frees_its_id() {
        ChannelGraph g = graph();
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        ChannelGraph.Candidate bad = g.check(withBadSignature(a), NOW);
        assertEquals(1, g.pendingAnnouncements());
        assertEquals(Optional.of(GossipOutcome.DUPLICATE), g.check(a, NOW).decided());
        // Applied without an explicit verify: apply verifies it.
        assertEquals(GossipOutcome.BAD_SIGNATURE, g.apply(bad, NOW));
        assertEquals(0, g.pendingAnnouncements());
        assertEquals(GossipOutcome.ACCEPTED, offer(g, a, NOW));
    }

    @Test
    void a_node_announcement_may_follow_an_announcement_still_being_checked() {
        ChannelGraph g = graph();
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        ChannelGraph.Candidate ann = g.check(a, NOW);
        ChannelGraph.Candidate n1 = g.check(node(1, NOW - 1, List.of()), NOW);
        ChannelGraph.Candidate n2 = g.check(node(2, NOW - 1, List.of()), NOW);
        assertEquals(Optional.empty(), n1.decided());
        assertEquals(Optional.empty(), n2.decided());
        assertEquals(GossipOutcome.ACCEPTED, g.apply(ann.verify(), NOW));
        assertEquals(GossipOutcome.ACCEPTED, g.apply(n1.verify(), NOW));
        assertEquals(GossipOutcome.ACCEPTED, g.apply(n2.verify(), NOW));
        assertEquals(GossipOutcome.UNKNOWN_NODE, offer(g, node(3, NOW - 1, List.of()), NOW));
    }

    @Test
    void candidates_say_what_they_are() {
        ChannelGraph g = graph();
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        GossipMessage sigs = new GossipMessage.AnnouncementSignatures(CHAIN, a.shortChannelId(), a.nodeSignature1(),
                a.bitcoinSignature1(), dev.boltflow.core.tlv.TlvStream.EMPTY);
        ChannelGraph.Candidate none = g.check(sigs, NOW);
        assertSame(sigs, none.message());
        assertEquals(Optional.of(GossipOutcome.NOT_APPLICABLE), none.decided());
        assertEquals(Optional.empty(), none.announcement());
        ChannelGraph.Candidate c = g.check(a, NOW);
        assertSame(a, c.message());
        assertEquals(Optional.of(a), c.announcement());
        assertEquals(GossipOutcome.ACCEPTED, g.apply(c.verify(), NOW));
        assertEquals(Optional.empty(), g.check(a, NOW).announcement(), "decided: a duplicate");
        assertEquals(Optional.empty(), g.check(update(a, 1, NOW), NOW).announcement());
        // A decided candidate is not verified again: a duplicate with a broken signature stays a duplicate.
        ChannelGraph.Candidate dup = g.check(withBadSignature(a), NOW);
        assertEquals(GossipOutcome.DUPLICATE, g.apply(dup.verify(), NOW));
    }

    @Test
    void listeners_get_each_stored_message_and_the_first_update_brings_its_announcement() {
        ChannelGraph g = graph();
        List<ChannelGraph.Accepted> seen = new ArrayList<>();
        g.onAccepted(seen::add);
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        ChannelUpdate u1 = update(a, 1, NOW - 5);
        ChannelUpdate u2 = update(a, 2, NOW - 4);
        NodeAnnouncement n = node(1, NOW - 3, List.of());
        for (GossipMessage m : List.of(a, u1, u2, n)) {
            assertEquals(GossipOutcome.ACCEPTED, offer(g, m, NOW));
        }
        Bytes ann = Bytes.wrap(WireCodec.encode(a));
        assertEquals(List.of(new ChannelGraph.Accepted(GossipMessage.CHANNEL_ANNOUNCEMENT, ann, 0, Optional.empty()),
                new ChannelGraph.Accepted(GossipMessage.CHANNEL_UPDATE, Bytes.wrap(WireCodec.encode(u1)), NOW - 5,
                        Optional.of(ann)),
                new ChannelGraph.Accepted(GossipMessage.CHANNEL_UPDATE, Bytes.wrap(WireCodec.encode(u2)), NOW - 4,
                        Optional.empty()),
                new ChannelGraph.Accepted(GossipMessage.NODE_ANNOUNCEMENT, Bytes.wrap(WireCodec.encode(n)), NOW - 3,
                        Optional.empty())), seen);
    }

    @Test
    void the_blacklist_keeps_its_newest_ids_up_to_its_bound() {
        GraphLimits four = new GraphLimits(CHAIN, 1000, 1000, Duration.ofDays(14), Duration.ofDays(1), 10,
                Duration.ofMinutes(10), 4);
        ChannelGraph g = new ChannelGraph(four);
        assertEquals(GossipOutcome.ACCEPTED, offer(g, channel(scid(1), 1, 2), NOW));
        assertEquals(GossipOutcome.BLACKLISTED, offer(g, channel(scid(1), 3, 4), NOW));
        // All four ids, the old pair's and the new pair's, are refused now.
        for (int k = 1; k <= 4; k++) {
            assertEquals(GossipOutcome.BLACKLISTED, offer(g, channel(scid(10 + k), k, 20 + k), NOW), "node " + k);
            assertEquals(GossipOutcome.BLACKLISTED, offer(g, channel(scid(30 + k), 40 + k, k), NOW), "node " + k);
        }
        assertEquals(GossipOutcome.BLACKLISTED, offer(g, node(3, NOW, List.of()), NOW));
        // A second conflict blacklists four more ids: the first four are forgotten.
        assertEquals(GossipOutcome.ACCEPTED, offer(g, channel(scid(2), 5, 6), NOW));
        assertEquals(GossipOutcome.BLACKLISTED, offer(g, channel(scid(2), 7, 8), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, channel(scid(50), 1, 2), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, channel(scid(51), 3, 4), NOW));
        assertEquals(GossipOutcome.BLACKLISTED, offer(g, channel(scid(52), 5, 9), NOW));
    }

    @Test
    void pruning_keeps_what_is_exactly_two_weeks_old_and_a_spend_71_blocks_ago() {
        ChannelGraph g = graph();
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        ChannelAnnouncement b = channel(scid(2), 3, 4);
        assertEquals(GossipOutcome.ACCEPTED, offer(g, a, NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, b, NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(b, 3, NOW), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(b, 4, NOW), NOW));
        assertEquals(0, g.prune(NOW + STALE, -1), "received (a) or updated (b) exactly two weeks ago");
        assertEquals(2, g.channelCount());
        g.fundingSpent(b.shortChannelId(), 0);
        g.fundingSpent(b.shortChannelId(), 5); // the first height seen stays
        assertEquals(0, g.prune(NOW + STALE, 71));
        assertEquals(1, g.prune(NOW + STALE, 72));
        assertEquals(Optional.empty(), g.channel(b.shortChannelId()));
        assertEquals(1, g.prune(NOW + STALE + 1, -1));
        assertEquals(0, g.channelCount());
        assertEquals(0, g.nodeCount());
    }

    @Test
    void an_update_on_a_channel_spent_at_height_zero_must_disable_it() {
        ChannelGraph g = graph();
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, offer(g, a, NOW));
        g.fundingSpent(a.shortChannelId(), 0);
        assertEquals(GossipOutcome.FUNDING_REFUSED, offer(g, update(a, 1, NOW), NOW));
    }

    @Test
    void a_hundred_thousand_unapplied_announcements_are_forgotten_at_once() {
        ChannelGraph g = graph();
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        ChannelGraph.Candidate early = g.check(a, NOW);
        EcdsaSignature blank = new EcdsaSignature(Bytes.wrap(new byte[64]));
        Point p1 = Point.of(key(3).publicKey());
        Point p2 = Point.of(key(4).publicKey());
        for (int i = 0; i < 99_999; i++) {
            assertTrue(g.check(new ChannelAnnouncement(blank, blank, blank, blank, Features.EMPTY, CHAIN,
                    new ShortChannelId(i + 1), p1, p2, p1, p2, Bytes.EMPTY), NOW).decided().isEmpty());
        }
        assertEquals(100_000, g.pendingAnnouncements());
        assertEquals(Optional.of(GossipOutcome.DUPLICATE), g.check(a, NOW).decided(), "still being checked");
        // The next one finds the bound reached: everything pending is forgotten, then it is remembered.
        assertTrue(g.check(new ChannelAnnouncement(blank, blank, blank, blank, Features.EMPTY, CHAIN,
                new ShortChannelId(100_000), p1, p2, p1, p2, Bytes.EMPTY), NOW).decided().isEmpty());
        assertEquals(1, g.pendingAnnouncements());
        ChannelGraph.Candidate late = g.check(a, NOW);
        assertTrue(late.decided().isEmpty(), "forgotten, so checked again");
        // Both copies are applied: the first stores the channel, the second is a duplicate.
        assertEquals(GossipOutcome.ACCEPTED, g.apply(early.verify(), NOW));
        assertEquals(GossipOutcome.DUPLICATE, g.apply(late.verify(), NOW));
        assertEquals(1, g.channelCount());
    }

    /** What check decides at once, without waiting for apply (which would decide the same later). */
    @Test
    void check_decides_at_once_what_it_can() {
        ChannelGraph g = new ChannelGraph(GraphLimits.defaults(CHAIN).withMaxChannels(2).withMaxNodes(3));
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, offer(g, a, NOW));
        assertEquals(Optional.empty(), g.check(channel(scid(2), 2, 3), NOW).decided(), "a third node of three");
        assertEquals(Optional.of(GossipOutcome.GRAPH_FULL), g.check(channel(scid(3), 3, 4), NOW).decided());
        assertEquals(GossipOutcome.ACCEPTED, offer(g, channel(scid(4), 1, 2 + 1), NOW));
        assertEquals(Optional.of(GossipOutcome.GRAPH_FULL), g.check(channel(scid(5), 1, 2), NOW).decided());
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 1, NOW - 10), NOW));
        assertEquals(Optional.of(GossipOutcome.DUPLICATE), g.check(update(a, 1, NOW - 10, 9), NOW).decided());
        assertEquals(Optional.empty(), g.check(update(a, 1, NOW - 9), NOW).decided());
        assertEquals(GossipOutcome.ACCEPTED, offer(g, node(1, NOW - 5, List.of()), NOW));
        assertEquals(Optional.of(GossipOutcome.DUPLICATE), g.check(node(1, NOW - 5, List.of()), NOW).decided());
        assertEquals(Optional.empty(), g.check(node(1, NOW - 4, List.of()), NOW).decided());
        assertEquals(Optional.of(GossipOutcome.UNKNOWN_NODE), g.check(node(9, NOW, List.of()), NOW).decided());
        // Both ends the same node: malformed.
        ChannelAnnouncement self = new ChannelAnnouncement(a.nodeSignature1(), a.nodeSignature2(), a.bitcoinSignature1(),
                a.bitcoinSignature2(), a.features(), CHAIN, new ShortChannelId(scid(7)), a.nodeId1(), a.nodeId1(),
                a.bitcoinKey1(), a.bitcoinKey2(), Bytes.EMPTY);
        assertEquals(Optional.of(GossipOutcome.MALFORMED), g.check(self, NOW).decided());
        // Another chain's announcement or update: ignored at once.
        ChannelAnnouncement elsewhere = GossipSignatures.channelAnnouncement(dev.boltflow.core.bolt12.ChainHashes.TESTNET,
                new ShortChannelId(scid(6)), Features.EMPTY, key(1), key(2), key(1001), key(1002));
        assertEquals(Optional.of(GossipOutcome.WRONG_CHAIN), g.check(elsewhere, NOW).decided());
        ChannelUpdate otherChain = GossipSignatures.channelUpdate(key(1), dev.boltflow.core.bolt12.ChainHashes.TESTNET,
                a.shortChannelId(), NOW, 1, a.nodeId1().equals(Point.of(key(1).publicKey())) ? 0 : 1, 40, 1, 1, 1, 1000);
        assertEquals(Optional.of(GossipOutcome.WRONG_CHAIN), g.check(otherChain, NOW).decided());
    }

    @Test
    void an_update_or_node_announcement_whose_announcement_failed_is_refused_at_apply() {
        ChannelGraph g = graph();
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        ChannelGraph.Candidate bad = g.check(withBadSignature(a), NOW);
        ChannelGraph.Candidate u = g.check(update(a, 1, NOW), NOW);
        ChannelGraph.Candidate n = g.check(node(1, NOW, List.of()), NOW);
        assertEquals(Optional.empty(), u.decided());
        assertEquals(Optional.empty(), n.decided());
        assertEquals(GossipOutcome.BAD_SIGNATURE, g.apply(bad.verify(), NOW));
        assertEquals(GossipOutcome.UNKNOWN_CHANNEL, g.apply(u.verify(), NOW));
        assertEquals(GossipOutcome.UNKNOWN_NODE, g.apply(n.verify(), NOW));
    }

    @Test
    void node_announcements_are_rate_limited_per_node() {
        ChannelGraph g = graph(1, Duration.ofDays(1));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, channel(scid(1), 1, 2), NOW));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, node(1, NOW, List.of()), NOW));
        assertEquals(GossipOutcome.RATE_LIMITED, offer(g, node(1, NOW + 1, List.of()), NOW + 1));
        assertEquals(GossipOutcome.ACCEPTED, offer(g, node(2, NOW + 1, List.of()), NOW + 1));
    }

    @Test
    void restoring_bytes_that_are_no_gossip_is_malformed() {
        ChannelGraph g = graph();
        assertEquals(GossipOutcome.MALFORMED, g.restore(WireCodec.encode(new dev.boltflow.core.wire.WireMessage.Ping(1, 0)), NOW));
        assertEquals(GossipOutcome.MALFORMED, g.restore(new byte[] {1}, NOW));
    }

    @Test
    void the_message_count_adds_each_stored_update_and_node_announcement() {
        ChannelGraph g = graph();
        ChannelAnnouncement a = channel(scid(1), 1, 2);
        assertEquals(GossipOutcome.ACCEPTED, offer(g, a, NOW));
        assertEquals(1, g.messageCount());
        ChannelUpdate u = update(a, 1, NOW);
        assertEquals(GossipOutcome.ACCEPTED, offer(g, u, NOW));
        assertEquals(2, g.messageCount());
        assertEquals(GossipOutcome.ACCEPTED, offer(g, update(a, 2, NOW), NOW));
        assertEquals(3, g.messageCount());
        assertEquals(0, g.announcedNodeCount());
        assertEquals(GossipOutcome.ACCEPTED, offer(g, node(2, NOW, List.of()), NOW));
        assertEquals(4, g.messageCount());
        assertEquals(1, g.announcedNodeCount());
    }
}
