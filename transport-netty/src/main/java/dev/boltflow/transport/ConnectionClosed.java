package dev.boltflow.transport;

import dev.boltflow.core.crypto.PublicKey;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection ended, whether or not it ever completed its handshake. {@code nodeId} is known once
 * the BOLT 8 handshake has finished (the initiator knows it from the start).
 */
public record ConnectionClosed(Optional<PublicKey> nodeId, InetSocketAddress remoteAddress,
                               boolean initiatedLocally, CloseReason reason) {
    public ConnectionClosed {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(reason, "reason");
    }
}
