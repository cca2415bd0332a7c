package dev.boltflow.transport;

import java.util.Objects;

/**
 * The connection is closed, or closed before it became usable: a failed or timed-out handshake,
 * a refused {@code init}, or a send on a closed connection. {@link #reason()} says why.
 */
public final class PeerClosedException extends PeerException {
    private static final long serialVersionUID = 1L;

    private final transient CloseReason reason;

    public PeerClosedException(CloseReason reason) {
        super("peer connection closed: " + Objects.requireNonNull(reason, "reason"));
        this.reason = reason;
    }

    public CloseReason reason() {
        return reason;
    }
}
