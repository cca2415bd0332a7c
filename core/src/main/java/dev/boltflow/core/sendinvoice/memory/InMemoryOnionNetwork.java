package dev.boltflow.core.sendinvoice.memory;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.NextHop;
import dev.boltflow.core.onion.OnionException;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessageRoutes;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.PeelResult;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.OnionMessenger;
import dev.boltflow.core.sendinvoice.OnionMessengerException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A network of in-process nodes that exchange real onion messages: every send builds the Sphinx
 * packet, every hop peels it with its own key and forwards it over a "connection" (a link in this
 * network). It is the {@link OnionMessenger} adapter for embedding and tests; the node's adapter
 * does the same over BOLT 8 connections.
 */
public final class InMemoryOnionNetwork {
    private final Map<PublicKey, Node> nodes = new ConcurrentHashMap<>();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Scheduler scheduler;
    private final SecureRandom random;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();

    /** @param scheduler where each hop's peel runs (a wire would make it asynchronous) */
    public InMemoryOnionNetwork(Scheduler scheduler, SecureRandom random) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
    }

    private record Link(PublicKey a, PublicKey b) {
        static Link of(PublicKey x, PublicKey y) {
            return x.compareTo(y) <= 0 ? new Link(x, y) : new Link(y, x);
        }
    }

    /**
     * Adds a node. {@code reachable}: others may connect to it directly (it has an address);
     * {@code noConnect}: it never opens connections itself ({@code fetchinvoice-noconnect}).
     */
    public Node addNode(PrivateKey key, boolean reachable, boolean noConnect) {
        Node n = new Node(key, reachable, noConnect);
        if (nodes.putIfAbsent(key.publicKey(), n) != null) {
            throw new IllegalArgumentException("node already in the network: " + key.publicKey());
        }
        return n;
    }

    public void connect(PublicKey a, PublicKey b) {
        links.add(Link.of(a, b));
    }

    public void disconnect(PublicKey a, PublicKey b) {
        links.remove(Link.of(a, b));
    }

    public boolean connected(PublicKey a, PublicKey b) {
        return links.contains(Link.of(a, b));
    }

    /** Messages ignored on the way (bad packets, missing links, unknown next hops). */
    public long dropped() {
        return dropped.get();
    }

    /** Messages that reached their final hop. */
    public long delivered() {
        return delivered.get();
    }

    /** Shortest chain of links from {@code from} to {@code to}, both excluded; empty if none. */
    Optional<List<PublicKey>> route(PublicKey from, PublicKey to) {
        return OnionMessageRoutes.shortest(from, to, this::linksOf, n -> true);
    }

    private List<PublicKey> linksOf(PublicKey node) {
        List<PublicKey> out = new ArrayList<>();
        for (PublicKey other : nodes.keySet()) {
            if (!other.equals(node) && connected(node, other)) {
                out.add(other);
            }
        }
        return out;
    }

    private void handOver(PublicKey from, NextHop to, PublicKey pathKey, Bytes packet) {
        if (!(to instanceof NextHop.Node next) || !connected(from, next.nodeId()) || !nodes.containsKey(next.nodeId())) {
            dropped.incrementAndGet();
            return;
        }
        Node receiver = nodes.get(next.nodeId());
        scheduler.schedule(() -> receiver.receive(pathKey, packet));
    }

    /** One node of the network, and its {@link OnionMessenger}. */
    public final class Node implements OnionMessenger {
        private final PrivateKey key;
        private final boolean reachable;
        private final boolean noConnect;
        private final Sinks.Many<InboundOnionMessage> inbound = Sinks.many().multicast().directBestEffort();

        private Node(PrivateKey key, boolean reachable, boolean noConnect) {
            this.key = key;
            this.reachable = reachable;
            this.noConnect = noConnect;
        }

        public PublicKey nodeId() {
            return key.publicKey();
        }

        @Override
        public Mono<Void> send(OnionMessages.Destination destination, OnionMessagePayload payload) {
            return Mono.fromRunnable(() -> sendNow(destination, payload));
        }

        /** Finds a route to the destination's first node, or connects to it (unless noConnect). */
        @Override
        public Mono<Void> reach(OnionMessages.Destination destination) {
            return Mono.fromRunnable(() -> intermediates(target(destination)));
        }

        /** The nodes between us and {@code target}: a route, or none after connecting straight to it. */
        private List<PublicKey> intermediates(PublicKey target) {
            if (target.equals(nodeId())) {
                return List.of();
            }
            Optional<List<PublicKey>> route = route(nodeId(), target);
            if (route.isPresent()) {
                return route.get();
            }
            if (noConnect) {
                throw new OnionMessengerException(OnionMessengerException.Reason.NO_ROUTE,
                        "no onion-message route to " + target + " and connecting is disabled");
            }
            if (nodes.containsKey(target) && nodes.get(target).reachable) {
                connect(nodeId(), target);
                return List.of();
            }
            throw new OnionMessengerException(OnionMessengerException.Reason.CONNECT_FAILED,
                    "no onion-message route to " + target + " and no address to connect to");
        }

        private void sendNow(OnionMessages.Destination destination, OnionMessagePayload payload) {
            List<PublicKey> intermediates = intermediates(target(destination));
            OnionMessages.Outgoing out;
            try {
                out = OnionMessages.build(key, intermediates, destination, payload, random);
            } catch (OnionException e) {
                throw new OnionMessengerException(OnionMessengerException.Reason.INVALID_DESTINATION, e.getMessage(), e);
            }
            handOver(nodeId(), out.firstHop(), out.pathKey(), out.packet());
        }

        private PublicKey target(OnionMessages.Destination destination) {
            if (destination instanceof OnionMessages.Destination.Node n) {
                return n.nodeId();
            }
            return ((OnionMessages.Destination.Path) destination).path().firstNodeId().nodeId()
                    .orElseThrow(() -> new OnionMessengerException(OnionMessengerException.Reason.INVALID_DESTINATION,
                            "introduction node given as a short channel id"));
        }

        void receive(PublicKey pathKey, Bytes packet) {
            PeelResult r = OnionMessages.peel(key, pathKey, packet);
            if (r instanceof PeelResult.Forward f) {
                handOver(nodeId(), f.next(), f.nextPathKey(), f.nextPacket());
            } else if (r instanceof PeelResult.Deliver d) {
                delivered.incrementAndGet();
                synchronized (this) { // hops run on any scheduler thread; the sink wants serial emits
                    inbound.tryEmitNext(new InboundOnionMessage(d.payload(), d.pathId()));
                }
            } else {
                dropped.incrementAndGet();
            }
        }

        @Override
        public Flux<InboundOnionMessage> inbound() {
            return inbound.asFlux();
        }
    }
}
