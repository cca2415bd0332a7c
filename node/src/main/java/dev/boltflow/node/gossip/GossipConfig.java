package dev.boltflow.node.gossip;

import dev.boltflow.core.gossip.GraphLimits;
import java.time.Duration;

/**
 * How the node takes part in gossip (BOLT 7). Every limit is explicit.
 *
 * @param syncPeers         peers we send {@code gossip_timestamp_filter} to, to receive gossip from
 *                          (BOLT 7 suggests a few: "setting first_timestamp to 0xFFFFFFFF after the
 *                          first few peers")
 * @param maxChannels       channels the graph keeps ({@code GraphLimits})
 * @param maxNodes          nodes the graph keeps
 * @param verifyParallelism gossip messages of one peer whose signatures are checked at once
 * @param peerFaultLimit    malformed or badly signed messages one connection may send before we
 *                          close it (BOLT 7: "MAY close the connection")
 * @param flushInterval     how often newly stored gossip goes out to peers that asked for it with
 *                          a filter (BOLT 7: "SHOULD flush outgoing gossip messages once every 60 seconds")
 * @param maxQueued         newly stored messages held for the next flush; beyond, they are left out
 *                          (peers can still query them)
 * @param pruneInterval     how often stale channels are pruned
 */
public record GossipConfig(int syncPeers, int maxChannels, int maxNodes, int verifyParallelism, int peerFaultLimit,
        Duration flushInterval, int maxQueued, Duration pruneInterval) {

    public GossipConfig {
        if (syncPeers < 0 || maxChannels < 1 || maxNodes < 2 || verifyParallelism < 1 || peerFaultLimit < 1
                || maxQueued < 0) {
            throw new IllegalArgumentException("gossip limits must be positive");
        }
        if (flushInterval.isNegative() || flushInterval.isZero() || pruneInterval.isNegative() || pruneInterval.isZero()) {
            throw new IllegalArgumentException("gossip intervals must be positive");
        }
    }

    /** Peers asked for gossip by default (BOLT 7: "the first few peers"). */
    public static final int DEFAULT_SYNC_PEERS = 3;

    /**
     * 3 sync peers, 200,000 channels, 100,000 nodes, 64 messages verified at once per peer, 1,000
     * faults per connection, flush every 60 s holding at most 100,000 messages, prune hourly.
     */
    public static GossipConfig defaults() {
        return new GossipConfig(DEFAULT_SYNC_PEERS, GraphLimits.DEFAULT_MAX_CHANNELS, GraphLimits.DEFAULT_MAX_NODES, 64, 1_000, Duration.ofSeconds(60), 100_000, Duration.ofHours(1));
    }

    public GossipConfig withSyncPeers(int n) {
        return new GossipConfig(n, maxChannels, maxNodes, verifyParallelism, peerFaultLimit, flushInterval, maxQueued,
                pruneInterval);
    }

    public GossipConfig withFlushInterval(Duration d) {
        return new GossipConfig(syncPeers, maxChannels, maxNodes, verifyParallelism, peerFaultLimit, d, maxQueued,
                pruneInterval);
    }

    public GossipConfig withPeerFaultLimit(int n) {
        return new GossipConfig(syncPeers, maxChannels, maxNodes, verifyParallelism, n, flushInterval, maxQueued,
                pruneInterval);
    }

    public GossipConfig withCaps(int channels, int nodes) {
        return new GossipConfig(syncPeers, channels, nodes, verifyParallelism, peerFaultLimit, flushInterval, maxQueued,
                pruneInterval);
    }
}
