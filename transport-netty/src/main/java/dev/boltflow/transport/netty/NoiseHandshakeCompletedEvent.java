package dev.boltflow.transport.netty;

import dev.boltflow.core.crypto.PublicKey;
import java.util.Objects;

/**
 * Fired by {@link NoiseHandler} once the BOLT 8 handshake has completed: the peer is authenticated
 * as {@code remoteNodeId} and messages may flow.
 */
public record NoiseHandshakeCompletedEvent(PublicKey remoteNodeId, boolean initiator) {
    public NoiseHandshakeCompletedEvent {
        Objects.requireNonNull(remoteNodeId, "remoteNodeId");
    }
}
