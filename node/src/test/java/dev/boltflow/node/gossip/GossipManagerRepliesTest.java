package dev.boltflow.node.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.EcdsaSignature;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.gossip.ChannelGraph;
import dev.boltflow.core.gossip.FundingOutputs;
import dev.boltflow.core.gossip.GossipIngest;
import dev.boltflow.core.gossip.GossipOutcome;
import dev.boltflow.core.gossip.GraphLimits;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.QueryChannelRange;
import dev.boltflow.core.wire.GossipMessage.ReplyChannelRange;
import dev.boltflow.core.wire.Point;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.core.wire.WireCodec;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** BOLT 7's shape of {@code reply_channel_range} answers, on a graph larger than one reply holds. */
class GossipManagerRepliesTest {
    private static final int CHANNELS = 4_500;
    private final ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(ChainHashes.BITCOIN));
    private final GossipManager manager = new GossipManager(graph,
            new GossipIngest(graph, FundingOutputs.unchecked(), Clock.systemUTC(), Schedulers.immediate(), 1),
            Optional.empty(), GossipConfig.defaults(), Clock.systemUTC(), Schedulers.single(), Schedulers.immediate());

    @AfterEach
    void stop() {
        manager.dispose();
    }

    private void fill() {
        SecureRandom random = new SecureRandom();
        Point[] nodes = new Point[8];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = Point.of(PrivateKey.random(random).publicKey());
        }
        EcdsaSignature sig = new EcdsaSignature(Bytes.wrap(new byte[64]));
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < CHANNELS; i++) {
            // 3 channels per block: a block is sometimes split across two replies
            ChannelAnnouncement a = new ChannelAnnouncement(sig, sig, sig, sig, Features.EMPTY, ChainHashes.BITCOIN,
                    ShortChannelId.of(700_000 + i / 3, i % 3, 0), nodes[i % 8], nodes[(i + 1) % 8], nodes[2], nodes[3],
                    Bytes.EMPTY);
            // Our own store's path: signatures are not checked (these have none), everything else is.
            assertEquals(GossipOutcome.ACCEPTED, graph.restore(WireCodec.encode(a), now));
        }
    }

    @Test
    void replies_cover_the_range_in_order_and_only_the_last_is_complete() {
        fill();
        QueryChannelRange q = new QueryChannelRange(ChainHashes.BITCOIN, 699_000, 10_000, OptionalLong.empty(),
                TlvStream.EMPTY);
        List<ReplyChannelRange> replies = new ArrayList<>();
        for (Bytes b : manager.replies(q)) {
            replies.add((ReplyChannelRange) WireCodec.decode(b.toArray()));
        }
        assertEquals(3, replies.size(), "4,500 ids at most 2,000 per reply");
        List<ShortChannelId> all = new ArrayList<>();
        long previousFirst = -1;
        for (int i = 0; i < replies.size(); i++) {
            ReplyChannelRange r = replies.get(i);
            assertEquals(i == replies.size() - 1 ? 1 : 0, r.syncComplete());
            assertTrue(r.firstBlocknum() >= previousFirst, "first_blocknum never goes back");
            previousFirst = r.firstBlocknum();
            for (ShortChannelId id : r.shortIds().ids()) {
                assertTrue(id.blockHeight() >= r.firstBlocknum()
                        && id.blockHeight() < r.firstBlocknum() + r.numberOfBlocks(), id + " within its reply");
            }
            all.addAll(r.shortIds().ids());
        }
        assertTrue(replies.get(0).firstBlocknum() <= q.firstBlocknum());
        ReplyChannelRange last = replies.get(replies.size() - 1);
        assertTrue(last.firstBlocknum() + last.numberOfBlocks() >= q.endBlock());
        assertEquals(graph.shortChannelIds(0, Long.MAX_VALUE), all, "every id once, ascending");
    }

    @Test
    void an_empty_range_gets_one_complete_reply_and_a_bad_query_no_answer() {
        fill();
        List<Bytes> r = manager.replies(new QueryChannelRange(ChainHashes.BITCOIN, 1, 10, OptionalLong.empty(),
                TlvStream.EMPTY));
        assertEquals(1, r.size());
        ReplyChannelRange only = (ReplyChannelRange) WireCodec.decode(r.get(0).toArray());
        assertEquals(1, only.syncComplete());
        assertEquals(List.of(), only.shortIds().ids());
        // flags that do not match the ids: "MAY close"; we answer nothing and count it
        GossipMessage.QueryShortChannelIds bad = new GossipMessage.QueryShortChannelIds(ChainHashes.BITCOIN,
                GossipMessage.EncodedShortIds.of(List.of(ShortChannelId.of(700_000, 0, 0))),
                Optional.of(GossipMessage.EncodedQueryFlags.of(List.of(1L, 2L))), TlvStream.EMPTY);
        assertNull(manager.answer(bad));
    }
}
