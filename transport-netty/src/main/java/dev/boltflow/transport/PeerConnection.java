package dev.boltflow.transport;

import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.wire.WireMessage;
import java.net.InetSocketAddress;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An authenticated BOLT 8 connection whose {@code init} messages have been exchanged (BOLT 1).
 * The transport answers {@code ping}s, sends its own when the peer is idle and refuses what BOLT 1
 * says to close on; everything else reaches {@link #inbound()}.
 */
public interface PeerConnection {

    /** The peer's node id, authenticated by the handshake. */
    PublicKey remoteNodeId();

    /** The {@code init} the peer sent; its features were checked against ours. */
    WireMessage.Init remoteInit();

    InetSocketAddress remoteAddress();

    /** True if we dialled this connection, false if we accepted it. */
    boolean initiatedLocally();

    /**
     * Messages from the peer other than {@code init}, {@code ping} and {@code pong}: onion messages,
     * {@code warning}, {@code error} and unknown odd types (which BOLT 1 lets the node ignore). Only
     * one subscriber is allowed. Reads follow demand: without a subscriber or without demand the
     * socket is not read (backpressure), so pings go unanswered and the connection may end with
     * {@link CloseReason.Kind#PONG_TIMEOUT} — subscribe promptly; a peer hanging up is also noticed
     * only while reading. Completes when the connection closes.
     */
    Flux<WireMessage> inbound();

    /**
     * Queues one message; the Mono completes once the frame has been written to the socket. Fails
     * with {@link PeerQueueFullException} if the peer's queue is full, {@link PeerClosedException}
     * if the connection is closed, {@link IllegalArgumentException} for an {@code init} (the
     * transport sends it) or a message longer than 65535 bytes. Lazy: nothing is queued until
     * subscription. Messages are written in subscription order.
     */
    Mono<Void> send(WireMessage message);

    /** Completes (empty) when the connection has closed, for whatever reason. */
    Mono<Void> onClose();

    /** Why the connection ended; empty while it is open. */
    Optional<CloseReason> closeReason();

    boolean isActive();

    /** Closes the connection ({@link CloseReason.Kind#LOCAL_DISCONNECT}); returns at once. */
    void dispose();
}
