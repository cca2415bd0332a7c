package dev.boltflow.node.messaging;

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
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.publisher.TestPublisher;

/** A {@link PeerManager} whose connections the test drives: what they receive and how sends end. */
final class StubPeers implements PeerManager {
    private final PublicKey nodeId;
    private final Map<PublicKey, Connection> connections = new ConcurrentHashMap<>();
    final Sinks.Many<PeerConnection> accepted = Sinks.many().multicast().onBackpressureBuffer();

    StubPeers(PublicKey nodeId) {
        this.nodeId = nodeId;
    }

    /** A live connection to {@code remote} advertising {@code features}; its sends succeed and are kept. */
    Connection add(PublicKey remote, Features features) {
        Connection c = new Connection(remote, features);
        connections.put(remote, c);
        return c;
    }

    static final class Connection implements PeerConnection {
        final PublicKey remote;
        final WireMessage.Init init;
        final TestPublisher<WireMessage> in = TestPublisher.createCold();
        final List<WireMessage> sent = new CopyOnWriteArrayList<>();
        volatile Function<WireMessage, Mono<Void>> onSend = m -> {
            sent.add(m);
            return Mono.empty();
        };

        Connection(PublicKey remote, Features features) {
            this.remote = remote;
            this.init = WireMessage.Init.of(features);
        }

        @Override
        public PublicKey remoteNodeId() {
            return remote;
        }

        @Override
        public WireMessage.Init remoteInit() {
            return init;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return InetSocketAddress.createUnresolved("stub", 9735);
        }

        @Override
        public boolean initiatedLocally() {
            return false;
        }

        @Override
        public Flux<WireMessage> inbound() {
            return in.flux();
        }

        @Override
        public Mono<Void> send(WireMessage message) {
            return Mono.defer(() -> onSend.apply(message));
        }

        @Override
        public Mono<Void> onClose() {
            return Mono.never();
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
        return Mono.error(new IllegalStateException("the stub does not dial"));
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
        return accepted.asFlux();
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
