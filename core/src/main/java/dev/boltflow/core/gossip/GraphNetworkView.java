package dev.boltflow.core.gossip;

import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.wire.ShortChannelId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link NetworkView} port over a {@link ChannelGraph}, with another view behind it (the node's
 * address book, or {@code InMemoryNetworkView} filled by hand): a node's announced addresses come
 * first, then those the other view knows; its features are its {@code node_announcement}'s; links
 * are the graph's channels and the other view's links.
 */
public final class GraphNetworkView implements NetworkView {
    private final ChannelGraph graph;
    private final NetworkView fallback;

    public GraphNetworkView(ChannelGraph graph, NetworkView fallback) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    public ChannelGraph graph() {
        return graph;
    }

    @Override
    public Optional<NodeInfo> node(PublicKey nodeId) {
        Optional<ChannelGraph.NodeInfo> announced = graph.node(nodeId).filter(n -> n.timestamp().isPresent());
        Optional<NodeInfo> other = fallback.node(nodeId);
        if (announced.isEmpty()) {
            return other;
        }
        List<Address> addresses = new ArrayList<>();
        for (NodeAddress a : announced.get().addresses()) {
            // BOLT 7: "if port is equal to 0: SHOULD ignore"; Tor needs a proxy we do not have.
            if (a.type() != NodeAddress.TOR_V3) {
                a.toAddress().filter(x -> !addresses.contains(x)).ifPresent(addresses::add);
            }
        }
        other.ifPresent(o -> o.addresses().stream().filter(x -> !addresses.contains(x)).forEach(addresses::add));
        Features f = announced.get().features();
        return Optional.of(new NodeInfo(nodeId, addresses, Optional.of(f)));
    }

    @Override
    public Set<PublicKey> links(PublicKey nodeId) {
        Set<PublicKey> fromGraph = graph.links(nodeId);
        Set<PublicKey> other = fallback.links(nodeId);
        if (other.isEmpty()) {
            return fromGraph;
        }
        Set<PublicKey> out = new LinkedHashSet<>(fromGraph);
        out.addAll(other);
        return out;
    }

    @Override
    public Optional<PublicKey> channelEnd(ShortChannelId scid, int direction) {
        return graph.channelEnd(scid, direction).or(() -> fallback.channelEnd(scid, direction));
    }
}
