package dev.boltflow.core.sendinvoice.memory;

import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.features.Features;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link NetworkView} held in memory and filled by hand (configuration, tests) or by whatever
 * learns about the network. Thread-safe: every read sees a consistent node record and each link
 * is added or removed at both of its ends under one monitor.
 */
public final class InMemoryNetworkView implements NetworkView {
    private final ConcurrentMap<PublicKey, NodeInfo> nodes = new ConcurrentHashMap<>();
    private final ConcurrentMap<PublicKey, Set<PublicKey>> links = new ConcurrentHashMap<>();

    /** Adds or replaces what we know of {@code nodeId}. */
    public InMemoryNetworkView addNode(PublicKey nodeId, List<Address> addresses, Optional<Features> features) {
        NodeInfo info = new NodeInfo(nodeId, addresses, features);
        nodes.put(nodeId, info);
        return this;
    }

    /** Adds or replaces {@code nodeId} with features known. */
    public InMemoryNetworkView addNode(PublicKey nodeId, List<Address> addresses, Features features) {
        return addNode(nodeId, addresses, Optional.of(Objects.requireNonNull(features, "features")));
    }

    public InMemoryNetworkView removeNode(PublicKey nodeId) {
        nodes.remove(Objects.requireNonNull(nodeId, "nodeId"));
        return this;
    }

    /** Records that onion messages can travel between {@code a} and {@code b} (both ways). */
    public InMemoryNetworkView addLink(PublicKey a, PublicKey b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.equals(b)) {
            throw new IllegalArgumentException("a node has no link to itself: " + a);
        }
        synchronized (links) {
            links.computeIfAbsent(a, k -> ConcurrentHashMap.newKeySet()).add(b);
            links.computeIfAbsent(b, k -> ConcurrentHashMap.newKeySet()).add(a);
        }
        return this;
    }

    public InMemoryNetworkView removeLink(PublicKey a, PublicKey b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        synchronized (links) {
            Set<PublicKey> ofA = links.get(a);
            if (ofA != null) {
                ofA.remove(b);
            }
            Set<PublicKey> ofB = links.get(b);
            if (ofB != null) {
                ofB.remove(a);
            }
        }
        return this;
    }

    @Override
    public Optional<NodeInfo> node(PublicKey nodeId) {
        return Optional.ofNullable(nodes.get(Objects.requireNonNull(nodeId, "nodeId")));
    }

    @Override
    public Set<PublicKey> links(PublicKey nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        synchronized (links) {
            Set<PublicKey> of = links.get(nodeId);
            return of == null ? Set.of() : Set.copyOf(of);
        }
    }

    @Override
    public String toString() {
        return "InMemoryNetworkView[" + nodes.size() + " nodes]";
    }
}
