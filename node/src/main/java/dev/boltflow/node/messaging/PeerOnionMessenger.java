package dev.boltflow.node.messaging;

import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.NextHop;
import dev.boltflow.core.onion.OnionException;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessageRoutes;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.PeelResult;
import dev.boltflow.core.onion.SciddirOrPubkey;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.sendinvoice.OnionMessenger;
import dev.boltflow.core.sendinvoice.OnionMessengerException;
import dev.boltflow.core.sendinvoice.OnionMessengerException.Reason;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.PeerClosedException;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.PeerManager;
import dev.boltflow.transport.PeerQueueFullException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The {@link OnionMessenger} over BOLT 8 peer connections ({@link PeerManager}).
 *
 * <p><b>Reading.</b> This messenger is the single reader of every connection's
 * {@link PeerConnection#inbound()}: it attaches to each accepted connection
 * ({@link PeerManager#inboundConnections()}), to those it dials, to those that exist when it is
 * created, and to any connection it finds live when it sends or relays. A connection dialled
 * elsewhere must go through {@link #connect} or be handed to {@link #attach} right away (an
 * unread connection is not read at all and ends with a pong timeout). Messages other than
 * {@code onion_message} come out of {@link #peerMessages()}.
 *
 * <p><b>Rate limit.</b> Each connection has a token bucket ({@link OnionMessageLimits}; by default
 * Core Lightning's burst of 4, then one per 250 ms). It is checked as a message is read, on the
 * reading thread and before the message is queued for peeling: an {@code onion_message} that finds
 * the bucket empty is dropped without any Sphinx work (no ECDH) and counted in
 * {@link #rateLimited()}. Other messages are not limited here. Time is the {@code clock} scheduler's
 * {@link Scheduler#now}.
 *
 * <p><b>Receiving</b> (BOLT 4, Onion Messages, reader): each message is peeled with our key.
 * Deliver → {@link #inbound()} with its {@code path_id}; Forward → written to the next hop if we
 * have a live connection to it that advertises {@code option_onion_messages} (we relay for others
 * only to connected peers and never dial for them; a next hop given as a short channel id is
 * dropped: we have no channels); Drop → logged at debug. Nothing that goes wrong with one message
 * ends the reading of the connection.
 *
 * <p><b>Sending</b>: the target is the destination node, or the blinded path's introduction node
 * (a {@code sciddir} one is looked up with {@link NetworkView#channelEnd}; an unknown channel is
 * {@link Reason#NO_ROUTE}). If the target is us, the path is entered at our own hop and the next
 * node is the first hop. Otherwise: a live connection to the target (no intermediate hops); else,
 * unless {@code noConnect} (Core Lightning's {@code fetchinvoice-noconnect}) and when the view knows
 * an address for the target, a direct connection to its addresses, tried in order (as Core
 * Lightning dials an introduction node it can reach); else, or when every dial failed, the shortest
 * route over links ({@link OnionMessageRoutes}) — from us, our connected peers that advertise
 * {@code option_onion_messages}, then the {@link NetworkView}'s links between other nodes (the
 * channel graph), skipping intermediate nodes whose known features lack it. No way there is
 * {@link Reason#NO_ROUTE} with {@code noConnect} and {@link Reason#CONNECT_FAILED} without (no
 * address, or every connect failed: the cause is the last failure). A full peer queue is
 * {@link Reason#BUSY}. BOLT 7 messages go to the {@link PeerGossip} handler given at construction.
 *
 * <p><b>Threads.</b> Building and peeling Sphinx packets is CPU work (about half a millisecond
 * each): it runs on {@code cpu}, never on a Netty event loop. Each connection's messages are
 * handed to {@code cpu} with {@code publishOn} and a prefetch of {@value #PREFETCH}, so what a peer
 * sends within its limit is read only as fast as we peel (reads follow demand), and what it sends
 * beyond is dropped as fast as it is read; up to
 * {@value #MAX_RELAYS_IN_FLIGHT} relays per connection wait for their write at once. Sends run on
 * {@code cpu} too, and return there after a dial and after the write. Addresses are handed to the transport
 * unresolved: name resolution is its business.
 */
public final class PeerOnionMessenger implements OnionMessenger, Disposable {
    private static final Logger log = LoggerFactory.getLogger(PeerOnionMessenger.class);
    /** Messages read ahead of peeling, per connection. */
    static final int PREFETCH = 32;
    /** Relays per connection waiting for the next hop's write at once. */
    static final int MAX_RELAYS_IN_FLIGHT = 32;

    private final PeerManager peers;
    private final PrivateKey nodeKey;
    private final PublicKey us;
    private final NetworkView network;
    private final boolean noConnect;
    private final OnionMessageLimits limits;
    private final Scheduler cpu;
    private final Scheduler clock;
    private final SecureRandom random;

    private final ConcurrentMap<PeerConnection, Disposable.Swap> attached = new ConcurrentHashMap<>();
    private final Sinks.Many<InboundOnionMessage> inbound = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<PeerMessage> others = Sinks.many().multicast().directBestEffort();
    private final Disposable accepting;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLongArray droppedBy = new AtomicLongArray(DropReason.values().length);

    /** Why an onion message that reached us went no further (besides the rate limit). */
    public enum DropReason {
        /** It did not peel: bad version, HMAC, encrypted data, payload (BOLT 4's reader rules). */
        BAD_PACKET("bad_packet"),
        /** It asks us to relay and we run with relaying off. */
        RELAY_OFF("relay_off"),
        /** Its next hop is a short channel id; we have no channels. */
        NEXT_HOP_SCID("next_hop_scid"),
        /** Its next hop is not connected to us (we do not dial to relay). */
        NEXT_HOP_NOT_CONNECTED("next_hop_not_connected"),
        /** Writing it to the next hop failed (queue full, connection closed). */
        RELAY_FAILED("relay_failed"),
        /** Handling it failed unexpectedly (logged). */
        ERROR("error");

        private final String tag;

        DropReason(String tag) {
            this.tag = tag;
        }

        /** The metric tag value. */
        public String tag() {
            return tag;
        }
    }
    private volatile boolean disposed;

    /**
     * Starts reading every connection of {@code peers} (see the class comment), with the default
     * {@link OnionMessageLimits} timed by {@code cpu}'s clock.
     *
     * @param nodeKey   our node key: it must be the key {@code peers} authenticates with
     * @param noConnect never dial to send (Core Lightning's {@code fetchinvoice-noconnect})
     * @param cpu       where packets are built and peeled (e.g. {@code Schedulers.parallel()})
     */
    /** Whether we forward onion messages for others (on unless the node runs with {@code --no-relay}). */
    private volatile boolean relaying = true;
    /** Where BOLT 7 messages go; null: to {@link #peerMessages()} like any other message. */
    private final PeerGossip gossip;

    /** Turns relaying for others on or off; our own messages are sent and received either way. */
    public PeerOnionMessenger relaying(boolean on) {
        this.relaying = on;
        return this;
    }

    public PeerOnionMessenger(PeerManager peers, PrivateKey nodeKey, NetworkView network, boolean noConnect,
            Scheduler cpu, SecureRandom random) {
        this(peers, nodeKey, network, noConnect, OnionMessageLimits.defaults(), cpu, cpu, random);
    }

    /**
     * Starts reading every connection of {@code peers} (see the class comment).
     *
     * @param nodeKey   our node key: it must be the key {@code peers} authenticates with
     * @param noConnect never dial to send (Core Lightning's {@code fetchinvoice-noconnect})
     * @param limits    how many onion messages each connection may send us
     * @param cpu       where packets are built and peeled (e.g. {@code Schedulers.parallel()})
     * @param clock     whose {@link Scheduler#now} times the rate limit (a {@code VirtualTimeScheduler}
     *                  in tests)
     */
    public PeerOnionMessenger(PeerManager peers, PrivateKey nodeKey, NetworkView network, boolean noConnect,
            OnionMessageLimits limits, Scheduler cpu, Scheduler clock, SecureRandom random) {
        this(peers, nodeKey, network, noConnect, limits, cpu, clock, random, null);
    }

    /**
     * As above, with {@code gossip} handling each connection's BOLT 7 messages (null: they come out
     * of {@link #peerMessages()} like any other).
     */
    public PeerOnionMessenger(PeerManager peers, PrivateKey nodeKey, NetworkView network, boolean noConnect,
            OnionMessageLimits limits, Scheduler cpu, Scheduler clock, SecureRandom random, PeerGossip gossip) {
        this.gossip = gossip;
        this.peers = Objects.requireNonNull(peers, "peers");
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.us = nodeKey.publicKey();
        if (!us.equals(peers.nodeId())) {
            throw new IllegalArgumentException("nodeKey is not the key of the peer manager's node " + peers.nodeId());
        }
        this.network = Objects.requireNonNull(network, "network");
        this.noConnect = noConnect;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.accepting = peers.inboundConnections().subscribe(this::attach,
                e -> log.warn("inbound connections ended with an error; accepted peers are no longer read", e));
        for (PeerConnection c : peers.connections()) {
            attach(c);
        }
    }

    public PublicKey nodeId() {
        return us;
    }

    // ---- connections

    /**
     * A live connection to {@code nodeId}, or one dialled at the addresses the {@link NetworkView}
     * knows for it (announced in its {@code node_announcement}, or remembered), tried in order.
     * Fails with {@link OnionMessengerException} ({@link Reason#CONNECT_FAILED}) when no address
     * is known or none answers. Ignores {@code noConnect}: this is an explicit connect.
     */
    public Mono<PeerConnection> connect(PublicKey nodeId) {
        return Mono.defer(() -> {
            Optional<PeerConnection> live = peers.connection(nodeId).filter(PeerConnection::isActive);
            return live.isPresent() ? Mono.just(live.get()) : dialKnown(nodeId);
        });
    }

    /** Dials through the peer manager and attaches the connection (the way others should dial). */
    public Mono<PeerConnection> connect(PublicKey nodeId, InetSocketAddress address) {
        return peers.connect(nodeId, address).doOnNext(this::attach);
    }

    /**
     * Starts reading {@code connection} if this messenger is not already reading it. Idempotent;
     * a closed connection is ignored. Connections are told apart by identity.
     */
    public void attach(PeerConnection connection) {
        Objects.requireNonNull(connection, "connection");
        if (disposed || !connection.isActive()) {
            return;
        }
        Disposable.Swap slot = Disposables.swap();
        if (attached.putIfAbsent(connection, slot) != null) {
            return;
        }
        PublicKey peer = connection.remoteNodeId();
        TokenBucket bucket = new TokenBucket(limits, clock.now(TimeUnit.NANOSECONDS));
        PeerGossip g = gossip;
        Flux<WireMessage> in = connection.inbound()
                .filter(m -> withinLimit(peer, bucket, m)); // on the reading thread: before any Sphinx work
        Flux<Void> handled = g == null ? onion(connection, in)
                // BOLT 7 messages go to the gossip handler, in order; reads follow the slower branch.
                : in.publish(shared -> Flux.merge(
                        onion(connection, shared.filter(m -> !(m instanceof GossipMessage))),
                        Flux.from(g.handle(connection, shared.ofType(GossipMessage.class)))));
        slot.update(handled
                .doFinally(signal -> attached.remove(connection, slot))
                .subscribe(null, e -> log.warn("reading from {} failed: {}", peer, e.toString())));
        if (disposed) {
            slot.dispose();
        }
        log.debug("reading peer {}", peer);
    }

    private Flux<Void> onion(PeerConnection connection, Flux<WireMessage> in) {
        return in.publishOn(cpu, PREFETCH) // peel off the event loop; reads follow our pace
                .flatMap(m -> handle(connection, m), MAX_RELAYS_IN_FLIGHT);
    }

    /** Connections being read now. */
    public int attachedConnections() {
        return attached.size();
    }

    /**
     * Messages from our peers other than {@code onion_message}. Hot; a message nobody is ready
     * for is not kept.
     */
    public Flux<PeerMessage> peerMessages() {
        return others.asFlux();
    }

    // ---- receiving

    @Override
    public Flux<InboundOnionMessage> inbound() {
        return inbound.asFlux();
    }

    /** Onion messages read from our peers so far (before the rate limit). */
    public long received() {
        return received.get();
    }

    /** Our own onion messages written to a first hop so far (relays are {@link #relayed()}). */
    public long sent() {
        return sent.get();
    }

    /** Onion messages dropped so far for {@code reason}; they add up to {@link #dropped()}. */
    public long dropped(DropReason reason) {
        return droppedBy.get(reason.ordinal());
    }

    /** Onion messages delivered to us so far. */
    public long delivered() {
        return delivered.get();
    }

    /** Onion messages relayed to a next hop so far (written to its connection). */
    public long relayed() {
        return relayed.get();
    }

    /** Onion messages ignored so far: bad packets, no connected next hop, failed relays. */
    public long dropped() {
        return dropped.get();
    }

    /** Onion messages dropped unpeeled so far because their connection was over its {@link OnionMessageLimits}. */
    public long rateLimited() {
        return rateLimited.get();
    }

    /** The limits each connection's onion messages are held to. */
    public OnionMessageLimits limits() {
        return limits;
    }

    /** True unless {@code message} is an {@code onion_message} and its connection's bucket is empty. */
    private boolean withinLimit(PublicKey peer, TokenBucket bucket, WireMessage message) {
        if (!(message instanceof WireMessage.OnionMessage)) {
            return true;
        }
        received.incrementAndGet();
        if (bucket.tryTake(clock.now(TimeUnit.NANOSECONDS))) {
            return true;
        }
        if (rateLimited.incrementAndGet() % 1000 == 1) {
            log.debug("{} sends onion messages faster than {}; dropping them ({} so far from all peers)", peer,
                    limits, rateLimited.get());
        }
        return false;
    }

    private Mono<Void> handle(PeerConnection from, WireMessage message) {
        return Mono.defer(() -> {
            if (!(message instanceof WireMessage.OnionMessage)) {
                emit(others, new PeerMessage(from.remoteNodeId(), message));
                return Mono.<Void>empty();
            }
            WireMessage.OnionMessage onion = (WireMessage.OnionMessage) message;
            PeelResult result = OnionMessages.peel(nodeKey, onion.pathKey(), onion.onionMessagePacket());
            if (result instanceof PeelResult.Deliver d) {
                delivered.incrementAndGet();
                emit(inbound, new InboundOnionMessage(d.payload(), d.pathId()));
                return Mono.<Void>empty();
            }
            if (result instanceof PeelResult.Forward f) {
                return relay(from, f);
            }
            PeelResult.Drop drop = (PeelResult.Drop) result;
            return drop(from, DropReason.BAD_PACKET, drop.reason() + ": " + drop.detail());
        }).onErrorResume(e -> {
            log.warn("failed to handle {} from {}", message, from.remoteNodeId(), e);
            dropped.incrementAndGet();
            droppedBy.incrementAndGet(DropReason.ERROR.ordinal());
            return Mono.empty();
        });
    }

    /** BOLT 4, Onion Messages, reader: SHOULD forward the message to the next peer. */
    private Mono<Void> relay(PeerConnection from, PeelResult.Forward forward) {
        if (!relaying) {
            return drop(from, DropReason.RELAY_OFF, "relaying onion messages for others is off (--no-relay)");
        }
        if (!(forward.next() instanceof NextHop.Node next)) {
            return drop(from, DropReason.NEXT_HOP_SCID,
                    "next hop " + forward.next() + " is a short channel id; we have no channels");
        }
        Optional<PeerConnection> to = usablePeer(next.nodeId());
        if (to.isEmpty()) {
            return drop(from, DropReason.NEXT_HOP_NOT_CONNECTED,
                    "not connected to the next hop " + next.nodeId() + " (we do not dial to relay)");
        }
        attach(to.get());
        return to.get().send(new WireMessage.OnionMessage(forward.nextPathKey(), forward.nextPacket()))
                .then(Mono.fromRunnable(relayed::incrementAndGet))
                .onErrorResume(e -> drop(from, DropReason.RELAY_FAILED,
                        "relay to " + next.nodeId() + " failed: " + e.getMessage()))
                .then();
    }

    private Mono<Void> drop(PeerConnection from, DropReason reason, String why) {
        dropped.incrementAndGet();
        droppedBy.incrementAndGet(reason.ordinal());
        log.debug("dropped an onion message from {}: {}", from.remoteNodeId(), why);
        return Mono.empty();
    }

    private static <T> void emit(Sinks.Many<T> sink, T value) {
        Sinks.EmitResult r;
        synchronized (sink) { // connections are handled on several threads; a sink wants serial emits
            r = sink.tryEmitNext(value);
        }
        if (r.isFailure()) {
            log.debug("no subscriber took {} ({})", value.getClass().getSimpleName(), r);
        }
    }

    // ---- sending

    @Override
    public Mono<Void> send(OnionMessages.Destination requested, OnionMessagePayload payload) {
        Objects.requireNonNull(requested, "destination");
        Objects.requireNonNull(payload, "payload");
        return Mono.defer(() -> {
            if (disposed) {
                return Mono.error(new IllegalStateException("the onion messenger is disposed"));
            }
            OnionMessages.Destination destination = resolve(requested);
            PublicKey target = target(destination);
            if (target.equals(us)) {
                if (destination instanceof OnionMessages.Destination.Node) {
                    return Mono.error(failure(Reason.INVALID_DESTINATION, "the destination is our own node", null));
                }
                // We introduce the path: OnionMessages decrypts our own hop(s); the next node is the first hop.
                return build(List.of(), destination, payload)
                        .flatMap(out -> reach(firstHopNode(out)).flatMap(c -> write(c, out)));
            }
            return firstHop(target).flatMap(h -> buildAndWrite(h.connection(), h.intermediates(), destination, payload));
        }).subscribeOn(cpu).publishOn(cpu); // the write completes on an event loop: hand the caller back to cpu
    }

    /**
     * Dials now if a {@link #send} to {@code destination} would have to: afterwards it goes out over a
     * live connection. A path we introduce ourselves is left to {@code send} (its next hop is known
     * only once our own hop is decrypted).
     */
    @Override
    public Mono<Void> reach(OnionMessages.Destination requested) {
        Objects.requireNonNull(requested, "destination");
        return Mono.defer(() -> {
            if (disposed) {
                return Mono.<Void>error(new IllegalStateException("the onion messenger is disposed"));
            }
            OnionMessages.Destination destination = resolve(requested);
            PublicKey target = target(destination);
            if (target.equals(us)) {
                return destination instanceof OnionMessages.Destination.Node
                        ? Mono.<Void>error(failure(Reason.INVALID_DESTINATION, "the destination is our own node", null))
                        : Mono.<Void>empty();
            }
            return firstHop(target).then();
        }).subscribeOn(cpu).publishOn(cpu);
    }

    /** The connection a message to {@code target} leaves on, and the nodes between it and the target. */
    private record FirstHop(PeerConnection connection, List<PublicKey> intermediates) {
    }

    /**
     * In order: a live connection to {@code target}; then, when we know an address of it and may
     * dial, a new connection to it (Core Lightning dials an introduction node whose address it
     * knows), with a route over the graph as the fallback; otherwise (noConnect, or no address) a
     * route over the graph whose first node is a live peer, then a dial (which fails saying why).
     */
    private Mono<FirstHop> firstHop(PublicKey target) {
        Optional<PeerConnection> direct = usablePeer(target);
        if (direct.isPresent()) {
            return Mono.just(new FirstHop(direct.get(), List.of()));
        }
        Mono<FirstHop> routed = Mono.defer(() -> {
            Optional<List<PublicKey>> route = route(target);
            Optional<PeerConnection> first = route.flatMap(r -> usablePeer(r.get(0)));
            return first.isPresent() ? Mono.just(new FirstHop(first.get(), route.get())) : Mono.<FirstHop>empty();
        });
        Mono<FirstHop> dialled = Mono.defer(() -> dial(target)).map(c -> new FirstHop(c, List.of()));
        if (!noConnect && network.node(target).map(n -> !n.addresses().isEmpty()).orElse(false)) {
            return dialled.onErrorResume(OnionMessengerException.class, e -> routed.switchIfEmpty(Mono.error(e)));
        }
        return routed.switchIfEmpty(dialled);
    }

    private static PublicKey target(OnionMessages.Destination destination) {
        if (destination instanceof OnionMessages.Destination.Node n) {
            return n.nodeId();
        }
        OnionMessages.Destination.Path p = (OnionMessages.Destination.Path) destination;
        if (p.path().hops().isEmpty()) {
            throw failure(Reason.INVALID_DESTINATION, "blinded path has no hops", null);
        }
        return p.path().firstNodeId().nodeId().orElseThrow(() -> failure(Reason.INVALID_DESTINATION,
                "introduction node given as a short channel id (" + p.path().firstNodeId() + ")", null));
    }

    /**
     * A blinded path whose {@code first_node_id} is a {@code sciddir} (BOLT 1 {@code sciddir_or_pubkey})
     * with that node id put in, looked up in the channel graph; any other destination as it is. An
     * unknown channel is {@link Reason#NO_ROUTE}: we cannot tell where the path starts.
     */
    private OnionMessages.Destination resolve(OnionMessages.Destination destination) {
        if (destination instanceof OnionMessages.Destination.Path p
                && p.path().firstNodeId() instanceof SciddirOrPubkey.Sciddir s) {
            ShortChannelId scid = new ShortChannelId(s.shortChannelId());
            PublicKey intro = network.channelEnd(scid, s.direction()).orElseThrow(() -> failure(Reason.NO_ROUTE,
                    "the blinded path starts at end " + s.direction() + " of channel " + scid
                            + ", which is not in our channel graph", null));
            return new OnionMessages.Destination.Path(new BlindedPath(SciddirOrPubkey.of(intro),
                    p.path().firstPathKey(), p.path().hops()));
        }
        return destination;
    }

    private static PublicKey firstHopNode(OnionMessages.Outgoing out) {
        if (out.firstHop() instanceof NextHop.Node n) {
            return n.nodeId();
        }
        throw failure(Reason.INVALID_DESTINATION,
                "after our own hop the path goes on by short channel id " + out.firstHop() + "; we have no channels", null);
    }

    /** A live connection to {@code nodeId} or a new one (unless noConnect), back on {@code cpu}. */
    private Mono<PeerConnection> reach(PublicKey nodeId) {
        Optional<PeerConnection> live = usablePeer(nodeId);
        return live.isPresent() ? Mono.just(live.get()) : dial(nodeId);
    }

    private Mono<PeerConnection> dial(PublicKey target) {
        if (noConnect) {
            return Mono.error(failure(Reason.NO_ROUTE,
                    "no onion-message route to " + target + " and connecting is disabled (noConnect)", null));
        }
        return dialKnown(target)
                .flatMap(c -> supportsOnionMessages(c) ? Mono.just(c)
                        : Mono.error(failure(Reason.CONNECT_FAILED,
                                target + " does not advertise option_onion_messages", null)));
    }

    private Mono<PeerConnection> dialKnown(PublicKey target) {
        List<NetworkView.Address> addresses = network.node(target)
                .map(NetworkView.NodeInfo::addresses).orElse(List.of());
        if (addresses.isEmpty()) {
            return Mono.error(failure(Reason.CONNECT_FAILED,
                    "no onion-message route to " + target + " and no known address to connect to", null));
        }
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        return Flux.fromIterable(addresses)
                .concatMap(a -> connect(target, InetSocketAddress.createUnresolved(a.host(), a.port()))
                        .onErrorResume(e -> {
                            failures.add(e);
                            log.debug("connecting to {} at {} failed: {}", target, a, e.toString());
                            return Mono.empty();
                        }))
                .next()
                .switchIfEmpty(Mono.error(() -> connectFailed(target, addresses, failures)))
                .publishOn(cpu); // the connect completes on an event loop
    }

    private static OnionMessengerException connectFailed(PublicKey target, List<NetworkView.Address> addresses,
            List<Throwable> failures) {
        Throwable last = failures.isEmpty() ? null : failures.get(failures.size() - 1);
        OnionMessengerException e = failure(Reason.CONNECT_FAILED, "could not connect to " + target + " at "
                + addresses + ": " + (last == null ? "no attempt" : last.toString()), last);
        for (int i = 0; i < failures.size() - 1; i++) {
            e.addSuppressed(failures.get(i));
        }
        return e;
    }

    private Mono<Void> buildAndWrite(PeerConnection firstHop, List<PublicKey> intermediates,
            OnionMessages.Destination destination, OnionMessagePayload payload) {
        return build(intermediates, destination, payload).flatMap(out -> write(firstHop, out));
    }

    private Mono<OnionMessages.Outgoing> build(List<PublicKey> intermediates, OnionMessages.Destination destination,
            OnionMessagePayload payload) {
        return Mono.fromCallable(() -> {
            try {
                return OnionMessages.build(nodeKey, intermediates, destination, payload, random);
            } catch (OnionException e) {
                throw failure(Reason.INVALID_DESTINATION, e.getMessage(), e);
            }
        });
    }

    private Mono<Void> write(PeerConnection connection, OnionMessages.Outgoing out) {
        if (!out.firstHop().equals(new NextHop.Node(connection.remoteNodeId()))) {
            return Mono.error(new IllegalStateException("built for " + out.firstHop() + ", not for "
                    + connection.remoteNodeId()));
        }
        attach(connection);
        return connection.send(new WireMessage.OnionMessage(out.pathKey(), out.packet()))
                .doOnSuccess(v -> sent.incrementAndGet())
                .onErrorMap(PeerQueueFullException.class, e -> failure(Reason.BUSY,
                        "the queue to " + connection.remoteNodeId() + " is full", e))
                .onErrorMap(PeerClosedException.class, e -> failure(Reason.CONNECT_FAILED,
                        "the connection to " + connection.remoteNodeId() + " closed: " + e.reason(), e));
    }

    /**
     * The shortest route over links ({@link OnionMessageRoutes}): from us, our connected peers that
     * advertise {@code option_onion_messages}; from others, the network view's links, through nodes
     * not known to lack that feature. Returns the nodes between us and {@code target}, both
     * excluded (so the first is one of our peers), or empty when none is known.
     */
    private Optional<List<PublicKey>> route(PublicKey target) {
        List<PublicKey> ours = new ArrayList<>();
        for (PeerConnection c : peers.connections()) {
            if (supportsOnionMessages(c)) {
                ours.add(c.remoteNodeId());
            }
        }
        return OnionMessageRoutes.shortest(us, target, n -> n.equals(us) ? ours : network.links(n),
                n -> network.node(n).map(NetworkView.NodeInfo::mayRelayOnionMessages).orElse(true))
                .filter(hops -> !hops.isEmpty()); // a direct link is a connection, looked for before
    }

    /** A live connection to {@code nodeId} whose peer advertises {@code option_onion_messages}. */
    private Optional<PeerConnection> usablePeer(PublicKey nodeId) {
        return peers.connection(nodeId).filter(PeerConnection::isActive).filter(PeerOnionMessenger::supportsOnionMessages);
    }

    /** BOLT 9: only peers that advertise {@code option_onion_messages} handle {@code onion_message}. */
    private static boolean supportsOnionMessages(PeerConnection c) {
        return c.remoteInit().combinedFeatures().supports(Features.Feature.ONION_MESSAGES);
    }

    private static OnionMessengerException failure(Reason reason, String message, Throwable cause) {
        return cause == null ? new OnionMessengerException(reason, message)
                : new OnionMessengerException(reason, message, cause);
    }

    // ---- lifecycle

    /**
     * Stops reading every connection and accepting new ones, and completes {@link #inbound()} and
     * {@link #peerMessages()}. The peer manager and its connections stay open: close them after.
     */
    @Override
    public void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        accepting.dispose();
        for (Disposable.Swap slot : attached.values()) {
            slot.dispose();
        }
        attached.clear();
        synchronized (inbound) {
            inbound.tryEmitComplete();
        }
        synchronized (others) {
            others.tryEmitComplete();
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    @Override
    public String toString() {
        return "PeerOnionMessenger[" + us + ", " + attached.size() + " peers read" + (noConnect ? ", noconnect" : "") + "]";
    }
}
