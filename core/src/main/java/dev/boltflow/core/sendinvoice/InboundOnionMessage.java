package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.onion.OnionMessagePayload;
import java.util.Objects;
import java.util.Optional;

/**
 * An onion message delivered to us. {@code pathId} is what our own hop's encrypted data carried:
 * present only when the sender used a blinded path we created, so a caller can tell a reply on a
 * path of ours from an unsolicited message.
 */
public record InboundOnionMessage(OnionMessagePayload payload, Optional<Bytes> pathId) {
    public InboundOnionMessage {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(pathId, "pathId");
    }

    @Override
    public String toString() {
        return "InboundOnionMessage[" + payload + (pathId.isPresent() ? ", path_id present" : "") + "]";
    }
}
