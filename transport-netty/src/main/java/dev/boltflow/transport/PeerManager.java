package dev.boltflow.transport;

import dev.boltflow.core.crypto.PublicKey;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The peer connections of one node: dials, listens, and keeps <b>at most one connection per node
 * id</b>.
 *
 * <p>Policy: concurrent {@link #connect} calls to the same node share one attempt, and a
 * {@code connect} to a node we already have a live connection with returns that connection. When
 * a second connection to the same node completes its {@code init} exchange (the peer dialled us
 * while we were connected, e.g. after it restarted), <b>the newer connection replaces the older
 * one</b>, which closes with {@link CloseReason.Kind#REPLACED}: the older one is the likelier
 * zombie, and the peer that reconnects is the one that knows.
 */
public interface PeerManager {

    /** Our node id. */
    PublicKey nodeId();

    /**
     * Dials {@code address}, expecting {@code nodeId} there; completes once {@code init} has been
     * exchanged. Fails with {@link PeerClosedException} if the handshake or init fails or times
     * out, or with the socket's exception if the TCP connection cannot be made.
     */
    Mono<PeerConnection> connect(PublicKey nodeId, InetSocketAddress address);

    /** Starts accepting connections; emits the bound address (useful with port 0). */
    Mono<InetSocketAddress> listen(InetSocketAddress bindAddress);

    /** The bound address, once {@link #listen} has completed. */
    Optional<InetSocketAddress> boundAddress();

    /**
     * Accepted connections, each once its {@code init} exchange is complete. Hot; connections that
     * arrive before the first subscriber are buffered (a bounded buffer). Completes on {@link #close}.
     */
    Flux<PeerConnection> inboundConnections();

    /** Every connection that ends (also those that never finished the handshake). Hot, not buffered. */
    Flux<ConnectionClosed> closedConnections();

    /** The live connection to {@code nodeId}, if any. */
    Optional<PeerConnection> connection(PublicKey nodeId);

    /** All live connections. */
    Collection<PeerConnection> connections();

    /** Closes the connection to {@code nodeId} if there is one; completes when it has closed. */
    Mono<Void> disconnect(PublicKey nodeId);

    /** Stops listening, closes every connection and releases the event loops. Idempotent. */
    Mono<Void> close();
}
