package dev.boltflow.core.gossip;

import dev.boltflow.core.bytes.Bytes32;
import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of a {@link ChannelGraph}, all explicit. No peer can push the graph past them: a
 * channel or node beyond the caps is refused (never evicting what is there, so flooding cannot
 * churn real channels out), and each channel end and each node accepts a burst of updates, then one
 * per interval.
 *
 * @param chainHash           the chain whose gossip we keep (BOLT 7: other chains' messages are ignored)
 * @param maxChannels         channels kept (mainnet today: about 50,000)
 * @param maxNodes            nodes kept (mainnet today: about 15,000)
 * @param staleAfter          BOLT 7, Recommendation on Pruning Stale Entries: two weeks
 * @param maxFutureSkew       a timestamp further ahead than this is "unreasonably far in the future"
 * @param updateBurst         updates accepted at once for one channel end or one node
 * @param updateInterval      after the burst, one more per this interval
 * @param maxBlacklisted      node ids remembered as blacklisted (BOLT 7, conflicting announcements)
 */
public record GraphLimits(Bytes32 chainHash, int maxChannels, int maxNodes, Duration staleAfter,
        Duration maxFutureSkew, int updateBurst, Duration updateInterval, int maxBlacklisted) {

    public GraphLimits {
        Objects.requireNonNull(chainHash, "chainHash");
        if (maxChannels < 1 || maxNodes < 2 || updateBurst < 1 || maxBlacklisted < 0) {
            throw new IllegalArgumentException("graph limits must be positive");
        }
        requirePositive(staleAfter, "staleAfter");
        requirePositive(maxFutureSkew, "maxFutureSkew");
        requirePositive(updateInterval, "updateInterval");
    }

    /** Channels the graph keeps by default: about four times mainnet's. */
    public static final int DEFAULT_MAX_CHANNELS = 200_000;
    /** Nodes the graph keeps by default: about six times mainnet's. */
    public static final int DEFAULT_MAX_NODES = 100_000;

    /**
     * 200,000 channels and 100,000 nodes (four and six times mainnet), stale after two weeks,
     * timestamps at most a day ahead, 10 updates at once per channel end or node then one per 10
     * minutes, 10,000 blacklisted node ids.
     */
    public static GraphLimits defaults(Bytes32 chainHash) {
        return new GraphLimits(chainHash, DEFAULT_MAX_CHANNELS, DEFAULT_MAX_NODES, Duration.ofDays(14), Duration.ofDays(1), 10,
                Duration.ofMinutes(10), 10_000);
    }

    public GraphLimits withMaxChannels(int n) {
        return new GraphLimits(chainHash, n, maxNodes, staleAfter, maxFutureSkew, updateBurst, updateInterval,
                maxBlacklisted);
    }

    public GraphLimits withMaxNodes(int n) {
        return new GraphLimits(chainHash, maxChannels, n, staleAfter, maxFutureSkew, updateBurst, updateInterval,
                maxBlacklisted);
    }

    public GraphLimits withUpdateRate(int burst, Duration interval) {
        return new GraphLimits(chainHash, maxChannels, maxNodes, staleAfter, maxFutureSkew, burst, interval,
                maxBlacklisted);
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }
}
