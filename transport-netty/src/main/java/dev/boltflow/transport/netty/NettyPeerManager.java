package dev.boltflow.transport.netty;

import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.noise.EphemeralKeySource;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.CloseReason.Kind;
import dev.boltflow.transport.ConnectionClosed;
import dev.boltflow.transport.PeerClosedException;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.PeerManager;
import dev.boltflow.transport.TransportConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.FutureMono;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * {@link PeerManager} over reactor-netty. Each instance owns its {@link LoopResources} (released by
 * {@link #close()}); nothing global is used. Every channel gets, ahead of reactor-netty's reactive
 * bridge: {@link NoiseHandler} → {@link WireCodecHandler} → {@link IdleStateHandler} →
 * {@link Bolt1Handler} → {@link OutboundQueueHandler} → {@link ClosedNotifier}. A connection becomes a
 * {@link PeerConnection} when {@link Bolt1Handler#initFuture()} succeeds; registration happens on
 * the event loop whether or not anyone still waits for it. See {@link PeerManager} for the
 * one-connection-per-node policy.
 */
public final class NettyPeerManager implements PeerManager {
    private static final Logger log = LoggerFactory.getLogger(NettyPeerManager.class);
    private static final int INBOUND_BUFFER = 256;

    private final PrivateKey nodeKey;
    private final PublicKey nodeId;
    private final TransportConfig config;
    private final EphemeralKeySource ephemeral;
    private final LoopResources loops;
    private final TcpClient client;

    private final ConcurrentMap<PublicKey, NettyPeerConnection> connections = new ConcurrentHashMap<>();
    private final ConcurrentMap<PublicKey, Mono<PeerConnection>> dialing = new ConcurrentHashMap<>();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inboundCount = new AtomicInteger();
    private final LongAdder connectionsEstablished = new LongAdder();
    private final LongAdder handshakesFailed = new LongAdder();
    private final AtomicReference<DisposableServer> server = new AtomicReference<>();
    private final Sinks.Many<PeerConnection> inboundSink =
            Sinks.many().multicast().onBackpressureBuffer(INBOUND_BUFFER, false);
    private final Sinks.Many<ConnectionClosed> closedSink = Sinks.many().multicast().directBestEffort();
    private final Mono<Void> closing;
    private volatile boolean closed;

    private NettyPeerManager(PrivateKey nodeKey, TransportConfig config, EphemeralKeySource ephemeral) {
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.nodeId = nodeKey.publicKey();
        this.config = Objects.requireNonNull(config, "config");
        this.ephemeral = Objects.requireNonNull(ephemeral, "ephemeral");
        int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.loops = LoopResources.create("boltflow-" + nodeId.toHex().substring(0, 8), 1, workers, true);
        this.client = TcpClient.newConnection()
                .runOn(loops, false)
                .resolver(DefaultAddressResolverGroup.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.handshakeTimeout().toMillis()))
                // As reactor-netty's TcpServer does for accepted connections: without it Nagle's
                // algorithm holds a small frame back until the previous one is acknowledged, and
                // with delayed ACKs every request/answer over a dialled connection waits ~40 ms.
                .option(ChannelOption.TCP_NODELAY, true);
        this.closing = Mono.defer(this::doClose).cache();
    }

    /** A manager for the node with key {@code nodeKey}; handshakes draw ephemeral keys from SecureRandom. */
    public static NettyPeerManager create(PrivateKey nodeKey, TransportConfig config) {
        return new NettyPeerManager(nodeKey, config, EphemeralKeySource.secureRandom());
    }

    public static NettyPeerManager create(PrivateKey nodeKey, TransportConfig config, EphemeralKeySource ephemeral) {
        return new NettyPeerManager(nodeKey, config, ephemeral);
    }

    public TransportConfig config() {
        return config;
    }

    @Override
    public PublicKey nodeId() {
        return nodeId;
    }

    // ---- dialling

    @Override
    public Mono<PeerConnection> connect(PublicKey remoteNodeId, InetSocketAddress address) {
        Objects.requireNonNull(remoteNodeId, "remoteNodeId");
        Objects.requireNonNull(address, "address");
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new IllegalStateException("peer manager is closed"));
            }
            if (remoteNodeId.equals(nodeId)) {
                return Mono.error(new IllegalArgumentException("cannot connect to ourselves"));
            }
            NettyPeerConnection live = connections.get(remoteNodeId);
            if (live != null && live.isActive()) {
                return Mono.just(live);
            }
            // Concurrent connects to one node share a single attempt.
            return dialing.computeIfAbsent(remoteNodeId, id -> sharedDial(id, address));
        });
    }

    private Mono<PeerConnection> sharedDial(PublicKey remoteNodeId, InetSocketAddress address) {
        AtomicReference<Mono<PeerConnection>> self = new AtomicReference<>();
        Mono<PeerConnection> attempt = dial(remoteNodeId, address)
                // Forgotten before anyone sees the outcome: a connect made in reaction to a failure
                // (e.g. to the node's next address) must not get this attempt's cached failure.
                .doOnTerminate(() -> dialing.remove(remoteNodeId, self.get()))
                .doFinally(signal -> dialing.remove(remoteNodeId, self.get()))
                .cache();
        self.set(attempt);
        return attempt;
    }

    private Mono<PeerConnection> dial(PublicKey remoteNodeId, InetSocketAddress address) {
        Sinks.One<PeerConnection> ready = Sinks.one();
        return client.remoteAddress(() -> address)
                .doOnChannelInit((observer, channel, remote) -> {
                    channel.attr(PeerChannels.REMOTE_NODE_ID).set(remoteNodeId);
                    install(channel, NoiseHandler.initiator(nodeKey, remoteNodeId, ephemeral,
                            config.handshakeTimeout(), config.maxMessageLength()), true, ready);
                })
                .connect()
                .then(ready.asMono());
    }

    // ---- listening

    @Override
    public Mono<InetSocketAddress> listen(InetSocketAddress bindAddress) {
        Objects.requireNonNull(bindAddress, "bindAddress");
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new IllegalStateException("peer manager is closed"));
            }
            if (server.get() != null) {
                return Mono.error(new IllegalStateException("already listening on " + server.get().address()));
            }
            return TcpServer.create()
                    .runOn(loops, false)
                    .bindAddress(() -> bindAddress)
                    .doOnChannelInit((observer, channel, remote) -> accept(channel))
                    .handle((in, out) -> out.neverComplete())
                    .bind()
                    .flatMap(s -> {
                        if (!server.compareAndSet(null, s) || closed) {
                            s.dispose();
                            return s.onDispose().then(Mono.error(new IllegalStateException("listener closed or replaced")));
                        }
                        log.info("node {} listening on {}", nodeId, s.address());
                        return Mono.just((InetSocketAddress) s.address());
                    });
        });
    }

    @Override
    public Optional<InetSocketAddress> boundAddress() {
        DisposableServer s = server.get();
        return s == null ? Optional.empty() : Optional.of((InetSocketAddress) s.address());
    }

    private void accept(Channel channel) {
        if (closed) {
            PeerChannels.close(channel, CloseReason.of(Kind.SHUTDOWN, "peer manager is closing"));
            return;
        }
        if (inboundCount.incrementAndGet() > config.maxInboundConnections()) {
            inboundCount.decrementAndGet();
            PeerChannels.close(channel, CloseReason.of(Kind.TOO_MANY_CONNECTIONS,
                    "already " + config.maxInboundConnections() + " inbound connections"));
            channel.closeFuture().addListener(f -> closedEvent(channel, false));
            return;
        }
        channel.closeFuture().addListener(f -> inboundCount.decrementAndGet());
        install(channel, NoiseHandler.responder(nodeKey, ephemeral, config.handshakeTimeout(),
                config.maxMessageLength()), false, null);
    }

    // ---- per channel

    private void install(Channel channel, NoiseHandler noise, boolean outbound, Sinks.One<PeerConnection> ready) {
        channels.add(channel);
        ChannelPipeline p = channel.pipeline();
        Bolt1Handler bolt1 = new Bolt1Handler(config);
        OutboundQueueHandler queue = new OutboundQueueHandler(config.maxQueuedBytesPerPeer());
        p.addBefore(NettyPipeline.ReactiveBridge, "boltflow.bolt8", noise);
        p.addBefore(NettyPipeline.ReactiveBridge, "boltflow.wire", new WireCodecHandler());
        p.addBefore(NettyPipeline.ReactiveBridge, "boltflow.idle",
                new IdleStateHandler(config.pingInterval().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        p.addBefore(NettyPipeline.ReactiveBridge, "boltflow.bolt1", bolt1);
        p.addBefore(NettyPipeline.ReactiveBridge, "boltflow.queue", queue);
        ClosedNotifier notifier = new ClosedNotifier(() -> {
            CloseReason reason = closedEvent(channel, outbound);
            if (ready != null) {
                ready.tryEmitError(new PeerClosedException(reason));
            }
        });
        p.addBefore(NettyPipeline.ReactiveBridge, "boltflow.closed", notifier);
        channel.closeFuture().addListener(f -> {
            channels.remove(channel);
            if (!bolt1.initFuture().isSuccess()) {
                handshakesFailed.increment();
            }
        });
        bolt1.initFuture().addListener(f -> {
            if (f.isSuccess()) {
                connectionsEstablished.increment();
                onReady(channel, (PeerInitializedEvent) f.getNow(), outbound, queue, notifier, ready);
            }
        });
    }

    /** On the event loop, once both inits are exchanged. */
    private void onReady(Channel channel, PeerInitializedEvent init, boolean outbound, OutboundQueueHandler queue,
                         ClosedNotifier notifier, Sinks.One<PeerConnection> ready) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        NettyPeerConnection connection = new NettyPeerConnection(Connection.from(channel), init, remote, outbound,
                queue, notifier.onClosed());
        if (closed) {
            connection.close(CloseReason.of(Kind.SHUTDOWN, "peer manager is closing"));
            return;
        }
        // Newest wins: see PeerManager.
        NettyPeerConnection previous = connections.put(init.remoteNodeId(), connection);
        channel.closeFuture().addListener(f -> connections.remove(init.remoteNodeId(), connection));
        if (previous != null && previous != connection) {
            previous.close(CloseReason.of(Kind.REPLACED, "a newer connection to the same node was established"));
        }
        log.debug("peer {} ready ({})", init.remoteNodeId(), outbound ? "outbound" : "inbound");
        if (ready != null) {
            ready.tryEmitValue(connection);
        }
        if (!outbound) {
            Sinks.EmitResult result;
            synchronized (inboundSink) {
                result = inboundSink.tryEmitNext(connection);
            }
            if (result.isFailure()) {
                connection.close(CloseReason.of(Kind.TOO_MANY_CONNECTIONS,
                        "no one takes inbound connections (" + result + ")"));
            }
        }
    }

    private CloseReason closedEvent(Channel channel, boolean outbound) {
        CloseReason reason = PeerChannels.closeReason(channel)
                .orElse(CloseReason.of(Kind.REMOTE_CLOSED, "peer closed the connection"));
        SocketAddress remote = channel.remoteAddress();
        InetSocketAddress address = remote instanceof InetSocketAddress
                ? (InetSocketAddress) remote : new InetSocketAddress(0);
        ConnectionClosed event = new ConnectionClosed(PeerChannels.remoteNodeId(channel), address, outbound, reason);
        synchronized (closedSink) {
            closedSink.tryEmitNext(event);
        }
        return reason;
    }

    // ---- queries

    /** Connections that completed BOLT 8 and {@code init} so far, both directions. */
    public long connectionsEstablished() {
        return connectionsEstablished.sum();
    }

    /**
     * Connections that closed before BOLT 8 and {@code init} completed so far (a bad act, a wrong
     * key, a timeout, an {@code init} we refuse, or a close mid-way), both directions.
     */
    public long handshakesFailed() {
        return handshakesFailed.sum();
    }

    @Override
    public Flux<PeerConnection> inboundConnections() {
        return inboundSink.asFlux();
    }

    @Override
    public Flux<ConnectionClosed> closedConnections() {
        return closedSink.asFlux();
    }

    @Override
    public Optional<PeerConnection> connection(PublicKey remoteNodeId) {
        NettyPeerConnection c = connections.get(remoteNodeId);
        return c != null && c.isActive() ? Optional.of(c) : Optional.empty();
    }

    @Override
    public Collection<PeerConnection> connections() {
        List<PeerConnection> out = new ArrayList<>();
        for (NettyPeerConnection c : connections.values()) {
            if (c.isActive()) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public Mono<Void> disconnect(PublicKey remoteNodeId) {
        return Mono.defer(() -> {
            NettyPeerConnection c = connections.get(remoteNodeId);
            if (c == null) {
                return Mono.empty();
            }
            c.close(CloseReason.of(Kind.LOCAL_DISCONNECT, "disconnect requested"));
            return c.onClose();
        });
    }

    // ---- shutdown

    @Override
    public Mono<Void> close() {
        return closing;
    }

    private Mono<Void> doClose() {
        closed = true;
        DisposableServer s = server.get();
        Mono<Void> serverClosed = Mono.empty();
        if (s != null) {
            s.dispose();
            serverClosed = s.onDispose();
        }
        List<Mono<Void>> channelsClosed = new ArrayList<>();
        for (Channel ch : channels) {
            channelsClosed.add(FutureMono.from(
                    PeerChannels.close(ch, CloseReason.of(Kind.SHUTDOWN, "peer manager closed"))));
        }
        return serverClosed
                .then(Mono.when(channelsClosed))
                .onErrorResume(e -> Mono.empty())
                .then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)))
                .doFinally(signal -> {
                    synchronized (inboundSink) {
                        inboundSink.tryEmitComplete();
                    }
                    synchronized (closedSink) {
                        closedSink.tryEmitComplete();
                    }
                });
    }

    @Override
    public String toString() {
        return "NettyPeerManager[" + nodeId + ", " + connections.size() + " peers]";
    }
}
