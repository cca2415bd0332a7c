package dev.boltflow.core.noise;

import dev.boltflow.core.crypto.PublicKey;
import java.util.Objects;

/**
 * A completed BOLT 8 handshake: who is on the other end, and the connection's cipher. The
 * initiator knew {@code remoteStatic} in advance; the responder learnt it in act three. The
 * cipher is mutable and belongs to this one connection (see {@link TransportCipher}).
 */
public record HandshakeResult(PublicKey remoteStatic, TransportCipher cipher) {
    public HandshakeResult {
        Objects.requireNonNull(remoteStatic, "remoteStatic");
        Objects.requireNonNull(cipher, "cipher");
    }
}
