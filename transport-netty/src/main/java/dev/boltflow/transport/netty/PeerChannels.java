package dev.boltflow.transport.netty;

import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.transport.CloseReason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-channel facts the handlers share through channel attributes, and the one way they close a
 * connection: record the reason (the first one wins), log it, close.
 */
public final class PeerChannels {
    private static final Logger log = LoggerFactory.getLogger(PeerChannels.class);

    /** Why the channel closed; set once, by whoever decided first. */
    public static final AttributeKey<CloseReason> CLOSE_REASON = AttributeKey.valueOf("boltflow.closeReason");
    /** The peer's node id, set when the BOLT 8 handshake completes (or known in advance when dialling). */
    public static final AttributeKey<PublicKey> REMOTE_NODE_ID = AttributeKey.valueOf("boltflow.remoteNodeId");

    private PeerChannels() {
    }

    public static Optional<CloseReason> closeReason(Channel channel) {
        return Optional.ofNullable(channel.attr(CLOSE_REASON).get());
    }

    public static Optional<PublicKey> remoteNodeId(Channel channel) {
        return Optional.ofNullable(channel.attr(REMOTE_NODE_ID).get());
    }

    /** Records {@code reason} (unless one is already recorded), logs it and closes the channel. */
    public static ChannelFuture close(Channel channel, CloseReason reason) {
        recordReason(channel, reason);
        return channel.close();
    }

    /**
     * Records {@code reason} if none is recorded yet, and logs it. Returns false if another reason
     * was there first.
     */
    public static boolean recordReason(Channel channel, CloseReason reason) {
        if (!channel.attr(CLOSE_REASON).compareAndSet(null, reason)) {
            return false;
        }
        String peer = remoteNodeId(channel).map(PublicKey::toString).orElse("unknown node");
        if (reason.kind().peerFault()) {
            log.warn("closing connection {} ({}): {}", channel.remoteAddress(), peer, reason);
        } else {
            log.info("connection {} ({}) closed: {}", channel.remoteAddress(), peer, reason);
        }
        return true;
    }
}
