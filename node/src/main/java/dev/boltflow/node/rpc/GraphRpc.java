package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.gossip.ChannelGraph;
import dev.boltflow.core.gossip.NodeAddress;
import dev.boltflow.core.wire.ShortChannelId;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code listnodes} and {@code listchannels} over the channel graph, with Core Lightning's
 * parameters and answers ({@code ../shared/cln-schemas/listnodes.json}, {@code listchannels.json}).
 * {@code listchannels} has one entry per channel end that sent an update, as Core Lightning's.
 * Without a chain source the capacity ({@code amount_msat}) is unknown; we give the larger
 * {@code htlc_maximum_msat} of the two ends, rounded down to whole satoshis: BOLT 7 requires it to
 * be at most the capacity, so it is a lower bound.
 */
public final class GraphRpc {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ChannelGraph graph;
    private final Scheduler cpu;

    public GraphRpc(ChannelGraph graph, Scheduler cpu) {
        this.graph = graph;
        this.cpu = cpu;
    }

    public List<RpcMethod> methods() {
        return List.of(RpcMethod.of("listnodes", List.of("id"), this::listnodes)
                        .help(0, "network", "Show the nodes the channel graph knows, or only {id}",
                                "listnodes [id]: each node's alias, color, last update, features and addresses, from its "
                                        + "verified node_announcement (BOLT 7)."),
                RpcMethod.of("listchannels", List.of("short_channel_id", "source", "destination"), this::listchannels)
                        .help(0, "network", "Show the channels the channel graph knows, by {short_channel_id}, "
                                        + "{source} or {destination}",
                                "listchannels [short_channel_id] [source] [destination]: one entry per direction, from "
                                        + "its verified channel_announcement and channel_update (BOLT 7)."));
    }

    private Mono<JsonNode> listnodes(RpcParams p) {
        Optional<PublicKey> only = p.optionalString("id").map(s -> nodeId("id", s));
        return Mono.fromCallable(() -> {
            ArrayNode nodes = F.arrayNode();
            List<ChannelGraph.NodeInfo> all = only.map(id -> graph.node(id).map(List::of).orElse(List.of()))
                    .orElseGet(graph::nodes);
            for (ChannelGraph.NodeInfo n : all) {
                ObjectNode o = nodes.addObject();
                o.put("nodeid", n.nodeId().toHex());
                if (n.timestamp().isPresent()) {
                    o.put("last_timestamp", n.timestamp().getAsLong());
                    o.put("alias", n.alias());
                    o.put("color", n.color().toHex());
                    o.put("features", n.features().bitmap().toHex());
                    ArrayNode addresses = o.putArray("addresses");
                    for (NodeAddress a : n.addresses()) {
                        addresses.addObject().put("type", a.typeName()).put("address", a.host()).put("port", a.port());
                    }
                }
            }
            return (JsonNode) F.objectNode().set("nodes", nodes);
        }).subscribeOn(cpu);
    }

    private Mono<JsonNode> listchannels(RpcParams p) {
        Optional<ShortChannelId> scid = p.optionalString("short_channel_id").map(s -> {
            try {
                return ShortChannelId.parse(s);
            } catch (DecodeException e) {
                throw RpcException.invalidParam("short_channel_id", "should be a short_channel_id: " + e.getMessage());
            }
        });
        Optional<PublicKey> source = p.optionalString("source").map(s -> nodeId("source", s));
        Optional<PublicKey> destination = p.optionalString("destination").map(s -> nodeId("destination", s));
        if (scid.isPresent() && (source.isPresent() || destination.isPresent())) {
            throw RpcException.invalidParam("short_channel_id", "cannot specify both short_channel_id and source/destination");
        }
        return Mono.fromCallable(() -> {
            List<ChannelGraph.ChannelInfo> channels = scid.map(s -> graph.channel(s).map(List::of).orElse(List.of()))
                    .orElseGet(() -> source.or(() -> destination).map(graph::channelsOf).orElseGet(graph::channels));
            ArrayNode out = F.arrayNode();
            for (ChannelGraph.ChannelInfo c : channels) {
                for (int direction = 0; direction < 2; direction++) {
                    Optional<ChannelGraph.Policy> policy = c.policy(direction);
                    PublicKey from = direction == 0 ? c.node1() : c.node2();
                    PublicKey to = direction == 0 ? c.node2() : c.node1();
                    if (policy.isEmpty() || source.filter(s -> !s.equals(from)).isPresent()
                            || destination.filter(d -> !d.equals(to)).isPresent()) {
                        continue;
                    }
                    ChannelGraph.Policy u = policy.get();
                    long capacityMsat = c.capacitySat().isPresent() ? c.capacitySat().getAsLong() * 1000
                            : Math.max(c.policy1().map(ChannelGraph.Policy::htlcMaximumMsat).orElse(0L),
                                    c.policy2().map(ChannelGraph.Policy::htlcMaximumMsat).orElse(0L)) / 1000 * 1000;
                    out.addObject()
                            .put("source", from.toHex())
                            .put("destination", to.toHex())
                            .put("short_channel_id", c.shortChannelId().toString())
                            .put("direction", direction)
                            .put("public", true)
                            .put("amount_msat", capacityMsat)
                            .put("message_flags", u.messageFlags())
                            .put("channel_flags", u.channelFlags())
                            .put("active", !u.disabled())
                            .put("last_update", u.timestamp())
                            .put("base_fee_millisatoshi", u.feeBaseMsat())
                            .put("fee_per_millionth", u.feeProportionalMillionths())
                            .put("delay", u.cltvExpiryDelta())
                            .put("htlc_minimum_msat", u.htlcMinimumMsat())
                            .put("htlc_maximum_msat", u.htlcMaximumMsat())
                            .put("features", c.features().bitmap().toHex());
                }
            }
            return (JsonNode) F.objectNode().set("channels", out);
        }).subscribeOn(cpu);
    }

    private static PublicKey nodeId(String param, String hex) {
        try {
            return PublicKey.fromHex(hex);
        } catch (DecodeException e) {
            throw RpcException.invalidParam(param, "should be a node id: " + e.getMessage());
        }
    }
}
