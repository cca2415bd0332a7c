package dev.boltflow.node.messaging;

import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.wire.WireMessage;
import java.util.Objects;

/**
 * A message a peer sent us that is not an {@code onion_message} ({@code warning}, {@code error},
 * unknown odd types), handed on by {@link PeerOnionMessenger#peerMessages()}.
 */
public record PeerMessage(PublicKey from, WireMessage message) {
    public PeerMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(message, "message");
    }
}
