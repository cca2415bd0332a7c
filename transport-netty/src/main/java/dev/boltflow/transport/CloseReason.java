package dev.boltflow.transport;

import java.util.Objects;

/**
 * Why a peer connection ended. The first reason recorded for a connection wins; later ones are
 * ignored. {@link Kind#peerFault()} tells a misbehaving peer from an ordinary end.
 */
public record CloseReason(Kind kind, String detail) {

    /** The ways a connection ends. */
    public enum Kind {
        /** We closed it: {@code dispose()} or {@code disconnect(nodeId)}. */
        LOCAL_DISCONNECT(false),
        /** The peer manager is shutting down. */
        SHUTDOWN(false),
        /** A newer connection to the same node replaced this one. */
        REPLACED(false),
        /** The peer closed the TCP connection. */
        REMOTE_CLOSED(false),
        /** The socket failed (reset, broken pipe, ...). */
        IO_ERROR(false),
        /** The BOLT 8 handshake did not finish within the configured time. */
        HANDSHAKE_TIMEOUT(true),
        /** A BOLT 8 act was malformed or did not authenticate. */
        HANDSHAKE_FAILED(true),
        /** A frame's MAC did not verify (BOLT 8: the connection MUST be terminated). */
        BAD_MAC(true),
        /** A frame announced a message longer than we accept. */
        FRAME_TOO_LARGE(true),
        /** A message BOLT 1 says to close on: too short for its fields, or an invalid extension. */
        MALFORMED_MESSAGE(true),
        /** A message of unknown even type (BOLT 1: MUST close). */
        UNKNOWN_EVEN_MESSAGE(true),
        /** The peer's {@code init} did not arrive within the handshake timeout. */
        INIT_TIMEOUT(true),
        /** The peer broke the message order, e.g. sent something before {@code init}. */
        PROTOCOL_VIOLATION(true),
        /** The peer's {@code init} has unknown even features or misses dependencies (BOLT 1). */
        INCOMPATIBLE_FEATURES(true),
        /** The peer's {@code networks} do not include our chain. */
        INCOMPATIBLE_CHAIN(true),
        /** The peer did not answer our {@code ping} in time. */
        PONG_TIMEOUT(true),
        /** The listener already holds the maximum number of inbound connections. */
        TOO_MANY_CONNECTIONS(false),
        /** A bug on our side: an unexpected exception in the pipeline. */
        INTERNAL_ERROR(false);

        private final boolean peerFault;

        Kind(boolean peerFault) {
            this.peerFault = peerFault;
        }

        /** True when the peer misbehaved or is too slow. */
        public boolean peerFault() {
            return peerFault;
        }
    }

    public CloseReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    public static CloseReason of(Kind kind, String detail) {
        return new CloseReason(kind, detail);
    }

    @Override
    public String toString() {
        return detail.isEmpty() ? kind.name() : kind + ": " + detail;
    }
}
