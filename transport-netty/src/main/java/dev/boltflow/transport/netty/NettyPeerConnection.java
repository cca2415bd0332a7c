package dev.boltflow.transport.netty;

import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.wire.WireCodec;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.CloseReason.Kind;
import dev.boltflow.transport.PeerClosedException;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.PeerException;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.FutureMono;

/** A {@link PeerConnection} over a reactor-netty {@link Connection} whose pipeline holds our handlers. */
final class NettyPeerConnection implements PeerConnection {
    private final Connection connection;
    private final Channel channel;
    private final PublicKey remoteNodeId;
    private final WireMessage.Init remoteInit;
    private final InetSocketAddress remoteAddress;
    private final boolean initiatedLocally;
    private final OutboundQueueHandler queue;
    private final Flux<WireMessage> inbound;
    private final Mono<Void> closed;

    NettyPeerConnection(Connection connection, PeerInitializedEvent init, InetSocketAddress remoteAddress,
                        boolean initiatedLocally, OutboundQueueHandler queue, Mono<Void> closed) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.channel = connection.channel();
        this.remoteNodeId = init.remoteNodeId();
        this.remoteInit = init.remoteInit();
        this.remoteAddress = remoteAddress;
        this.initiatedLocally = initiatedLocally;
        this.queue = Objects.requireNonNull(queue, "queue");
        this.closed = Objects.requireNonNull(closed, "closed");
        // Records only: the reactive bridge releases nothing we care about (records are not ref-counted).
        this.inbound = connection.inbound().receiveObject().map(WireMessage.class::cast);
    }

    @Override
    public PublicKey remoteNodeId() {
        return remoteNodeId;
    }

    @Override
    public WireMessage.Init remoteInit() {
        return remoteInit;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean initiatedLocally() {
        return initiatedLocally;
    }

    @Override
    public Flux<WireMessage> inbound() {
        return inbound;
    }

    @Override
    public Mono<Void> send(WireMessage message) {
        Objects.requireNonNull(message, "message");
        return Mono.defer(() -> {
            if (message.type() == WireMessage.INIT) {
                return Mono.error(new IllegalArgumentException("init is sent by the transport"));
            }
            byte[] encoded;
            try {
                encoded = WireCodec.encode(message); // on the caller's thread, off the event loop
            } catch (IllegalArgumentException e) {
                return Mono.error(e);
            }
            try {
                return FutureMono.from(queue.enqueue(encoded));
            } catch (PeerException e) {
                return Mono.error(e);
            }
        }).onErrorMap(e -> !(e instanceof PeerException) && !(e instanceof IllegalArgumentException)
                && !channel.isActive(), e -> closed()); // e.g. ClosedChannelException from a late write
    }

    @Override
    public Mono<Void> onClose() {
        return closed; // after channelInactive passed our handlers: closeReason() is then set
    }

    @Override
    public Optional<CloseReason> closeReason() {
        Optional<CloseReason> reason = PeerChannels.closeReason(channel);
        if (reason.isEmpty() && !channel.isActive()) {
            // Closed by the peer, and channelInactive has not reached our handlers yet.
            return Optional.of(CloseReason.of(Kind.REMOTE_CLOSED, "peer closed the connection"));
        }
        return reason;
    }

    @Override
    public boolean isActive() {
        return channel.isActive();
    }

    @Override
    public void dispose() {
        close(CloseReason.of(Kind.LOCAL_DISCONNECT, "disposed"));
    }

    void close(CloseReason reason) {
        PeerChannels.close(channel, reason);
    }

    Channel channel() {
        return channel;
    }

    private PeerClosedException closed() {
        return new PeerClosedException(PeerChannels.closeReason(channel)
                .orElse(CloseReason.of(Kind.REMOTE_CLOSED, "connection closed")));
    }

    @Override
    public String toString() {
        return "PeerConnection[" + remoteNodeId + "@" + remoteAddress + (initiatedLocally ? ", out" : ", in")
                + (channel.isActive() ? "" : ", closed") + "]";
    }
}
