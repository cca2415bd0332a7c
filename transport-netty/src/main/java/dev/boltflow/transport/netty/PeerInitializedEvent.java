package dev.boltflow.transport.netty;

import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.wire.WireMessage;
import java.util.Objects;

/**
 * Fired by {@link Bolt1Handler} once both {@code init} messages have been exchanged and the peer's
 * was accepted (BOLT 1, The init Message).
 */
public record PeerInitializedEvent(PublicKey remoteNodeId, WireMessage.Init remoteInit) {
    public PeerInitializedEvent {
        Objects.requireNonNull(remoteNodeId, "remoteNodeId");
        Objects.requireNonNull(remoteInit, "remoteInit");
    }
}
