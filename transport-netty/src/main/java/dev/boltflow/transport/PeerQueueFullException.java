package dev.boltflow.transport;

/**
 * A send was refused because the peer's outbound queue already holds
 * {@link TransportConfig#maxQueuedBytesPerPeer()} bytes that the socket has not taken yet. Nothing
 * was queued; the connection stays open. The caller may retry later or drop the message.
 */
public final class PeerQueueFullException extends PeerException {
    private static final long serialVersionUID = 1L;

    private final long queuedBytes;
    private final long messageBytes;
    private final long maxQueuedBytes;

    public PeerQueueFullException(long queuedBytes, long messageBytes, long maxQueuedBytes) {
        super("peer queue full: " + queuedBytes + " bytes queued, " + messageBytes + " more would exceed "
                + maxQueuedBytes);
        this.queuedBytes = queuedBytes;
        this.messageBytes = messageBytes;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Bytes waiting for the socket when the send was refused. */
    public long queuedBytes() {
        return queuedBytes;
    }

    /** The refused message's size on the wire (frame with both MACs). */
    public long messageBytes() {
        return messageBytes;
    }

    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }
}
