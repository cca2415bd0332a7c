package dev.boltflow.core.gossip;

/**
 * What became of one gossip message. {@link #peerFault()} marks what BOLT 7 blames on the sender (a
 * malformed message, a bad signature): those are counted against the peer; the rest are ordinary
 * (an old update, a channel we do not know, a limit).
 */
public enum GossipOutcome {
    /** Stored: new, or newer than what we had. */
    ACCEPTED(false),
    /** The same announcement again, or an update or node announcement no newer than ours. */
    DUPLICATE(false),
    /** A {@code chain_hash} other than ours ("MUST ignore"). */
    WRONG_CHAIN(false),
    /** A {@code channel_update} for a channel with no announcement ("MUST ignore"). */
    UNKNOWN_CHANNEL(false),
    /** A {@code node_announcement} of a node in no known channel ("SHOULD ignore"). */
    UNKNOWN_NODE(false),
    /** A timestamp more than {@link GraphLimits#maxFutureSkew()} ahead ("MAY discard"). */
    FUTURE_TIMESTAMP(false),
    /** A {@code channel_update} older than {@link GraphLimits#staleAfter()} ("MAY ignore the channel"). */
    STALE(false),
    /** Over the per-channel-end or per-node update rate. */
    RATE_LIMITED(false),
    /** The graph holds {@link GraphLimits#maxChannels()} channels or {@link GraphLimits#maxNodes()} nodes. */
    GRAPH_FULL(false),
    /** A node blacklisted for conflicting announcements ("SHOULD ignore"). */
    BLACKLISTED(false),
    /** The funding output check (a host's chain source) refused the channel ("MUST ignore"). */
    FUNDING_REFUSED(false),
    /** Not meant for the graph ({@code announcement_signatures} from a peer we have no channel with). */
    NOT_APPLICABLE(false),
    /** Does not decode past its framing: a bad point, address list, alias or field combination. */
    MALFORMED(true),
    /** A signature that does not verify. */
    BAD_SIGNATURE(true);

    private final boolean peerFault;

    GossipOutcome(boolean peerFault) {
        this.peerFault = peerFault;
    }

    public boolean peerFault() {
        return peerFault;
    }
}
