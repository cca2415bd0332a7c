package dev.boltflow.core.onion;

import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.wire.ShortChannelId;
import java.util.Objects;

/**
 * Where an onion message goes next: a peer named by its node id, or the peer at the other end of
 * one of our channels named by short channel id or alias (BOLT 4, Onion Messages, reader).
 */
public sealed interface NextHop {

    /** The next peer by node id ({@code next_node_id}, or a blinded path's {@code first_node_id}). */
    record Node(PublicKey nodeId) implements NextHop {
        public Node {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /** The peer at the other end of our channel {@code shortChannelId} ({@code short_channel_id}). */
    record Channel(long shortChannelId) implements NextHop {
        @Override
        public String toString() {
            return "Channel[" + ShortChannelId.format(shortChannelId) + "]";
        }
    }
}
