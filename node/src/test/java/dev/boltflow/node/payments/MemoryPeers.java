package dev.boltflow.node.payments;

import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.ConnectionClosed;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.PeerManager;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A {@link PeerManager} of in-memory connections: {@link #pair} joins two nodes so that what one
 * sends the other reads. Every message sent is also kept in {@link Connection#sent}; a
 * {@linkplain Connection#silent silent} connection delivers nothing (a peer that never answers).
 */
final class MemoryPeers implements PeerManager {
    private final PublicKey nodeId;
    private final Map<PublicKey, Connection> connections = new ConcurrentHashMap<>();

    MemoryPeers(PublicKey nodeId) {
        this.nodeId = nodeId;
    }

    /** Connects {@code a} and {@code b}; returns a's end (to b). */
    static Connection pair(MemoryPeers a, MemoryPeers b) {
        Connection ab = new Connection(b.nodeId);
        Connection ba = new Connection(a.nodeId);
        ab.partner = ba;
        ba.partner = ab;
        a.connections.put(b.nodeId, ab);
        b.connections.put(a.nodeId, ba);
        return ab;
    }

    /** A connection from this node to {@code remote} whose sends go nowhere. */
    Connection silentTo(PublicKey remote) {
        Connection c = new Connection(remote);
        c.silent = true;
        connections.put(remote, c);
        return c;
    }

    static final class Connection implements PeerConnection {
        final PublicKey remote;
        final Sinks.Many<WireMessage> in = Sinks.many().unicast().onBackpressureBuffer();
        final List<WireMessage> sent = new CopyOnWriteArrayList<>();
        private final Sinks.Empty<Void> closed = Sinks.empty();
        private final Sinks.Many<WireMessage> sentSink = Sinks.many().replay().all();
        volatile Connection partner;
        volatile boolean silent;
        /** The features the remote node sent in its init: by default, those of a node running the link. */
        volatile Features remoteFeatures = SimulatedPaymentLink.advertise(Features.EMPTY);

        Connection(PublicKey remote) {
            this.remote = remote;
        }

        /** Everything this end sent, from the first message on (replayed). */
        Flux<WireMessage> sentMessages() {
            return sentSink.asFlux();
        }

        /** Delivers {@code m} to this end's reader, as if the remote had sent it. */
        void receive(WireMessage m) {
            synchronized (in) {
                in.tryEmitNext(m).orThrow();
            }
        }

        @Override
        public PublicKey remoteNodeId() {
            return remote;
        }

        @Override
        public WireMessage.Init remoteInit() {
            return WireMessage.Init.of(remoteFeatures);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return InetSocketAddress.createUnresolved("memory", 9735);
        }

        @Override
        public boolean initiatedLocally() {
            return true;
        }

        @Override
        public Flux<WireMessage> inbound() {
            return in.asFlux();
        }

        @Override
        public Mono<Void> send(WireMessage message) {
            return Mono.fromRunnable(() -> {
                sent.add(message);
                synchronized (sentSink) {
                    sentSink.tryEmitNext(message).orThrow();
                }
                if (!silent && partner != null) {
                    partner.receive(message);
                }
            });
        }

        /** Completes {@link #onClose()}, as a connection the remote closed does. */
        void closeNow() {
            closed.tryEmitEmpty();
        }

        @Override
        public Mono<Void> onClose() {
            return closed.asMono();
        }

        @Override
        public Optional<CloseReason> closeReason() {
            return Optional.empty();
        }

        @Override
        public boolean isActive() {
            return true;
        }

        @Override
        public void dispose() {
        }
    }

    @Override
    public PublicKey nodeId() {
        return nodeId;
    }

    @Override
    public Mono<PeerConnection> connect(PublicKey remote, InetSocketAddress address) {
        return Mono.error(new IllegalStateException("memory peers do not dial"));
    }

    @Override
    public Mono<InetSocketAddress> listen(InetSocketAddress bindAddress) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public Optional<InetSocketAddress> boundAddress() {
        return Optional.empty();
    }

    @Override
    public Flux<PeerConnection> inboundConnections() {
        return Flux.never();
    }

    @Override
    public Flux<ConnectionClosed> closedConnections() {
        return Flux.never();
    }

    @Override
    public Optional<PeerConnection> connection(PublicKey remote) {
        return Optional.ofNullable(connections.get(remote));
    }

    @Override
    public Collection<PeerConnection> connections() {
        return new ArrayList<>(connections.values());
    }

    @Override
    public Mono<Void> disconnect(PublicKey remote) {
        connections.remove(remote);
        return Mono.empty();
    }

    @Override
    public Mono<Void> close() {
        return Mono.empty();
    }
}
