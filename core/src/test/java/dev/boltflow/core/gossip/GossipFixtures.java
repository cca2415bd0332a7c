package dev.boltflow.core.gossip;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.GossipMessage.NodeAnnouncement;
import dev.boltflow.core.wire.ShortChannelId;
import java.util.List;

/** Keys and signed gossip for tests: deterministic keys, so failures reproduce. */
public final class GossipFixtures {
    public static final Bytes32 CHAIN = ChainHashes.BITCOIN;
    public static final long NOW = 1_800_000_000L;

    private GossipFixtures() {
    }

    public static PrivateKey key(int i) {
        byte[] b = new byte[32];
        b[30] = (byte) (i >>> 8);
        b[31] = (byte) i;
        b[0] = 0x11;
        return PrivateKey.fromBytes(b);
    }

    /** A channel between the node keys {@code a} and {@code b}, funded by keys 1000 + a and 1000 + b. */
    public static ChannelAnnouncement channel(long scid, int a, int b) {
        return GossipSignatures.channelAnnouncement(CHAIN, new ShortChannelId(scid), Features.EMPTY, key(a), key(b),
                key(1000 + a), key(1000 + b));
    }

    /** The update of node key {@code from} for {@code channel}, with the right direction bit. */
    public static ChannelUpdate update(ChannelAnnouncement channel, int from, long timestamp) {
        return update(channel, from, timestamp, 0);
    }

    public static ChannelUpdate update(ChannelAnnouncement channel, int from, long timestamp, int feeBase) {
        int direction = channel.nodeId1().bytes().equals(key(from).publicKey().bytes()) ? 0 : 1;
        return GossipSignatures.channelUpdate(key(from), channel.chainHash(), channel.shortChannelId(), timestamp,
                ChannelUpdate.MUST_BE_ONE, direction, 40, 1000, feeBase, 100, 1_000_000_000L);
    }

    public static NodeAnnouncement node(int k, long timestamp, List<NodeAddress> addresses) {
        return GossipSignatures.nodeAnnouncement(key(k), timestamp, Features.of(Features.ONION_MESSAGES_OPT),
                Bytes.fromHex("ff8800"), "node-" + k, addresses);
    }
}
