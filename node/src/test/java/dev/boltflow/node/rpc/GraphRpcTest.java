package dev.boltflow.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.gossip.ChannelGraph;
import dev.boltflow.core.gossip.GossipSignatures;
import dev.boltflow.core.gossip.GraphLimits;
import dev.boltflow.core.gossip.NodeAddress;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.node.testing.ClnSchemas;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** {@code listnodes} and {@code listchannels} answer with Core Lightning's schemas, filters included. */
class GraphRpcTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(ChainHashes.BITCOIN));
    private final RpcMethods methods = RpcMethods.builder().add(new GraphRpc(graph, Schedulers.immediate()).methods().get(0))
            .add(new GraphRpc(graph, Schedulers.immediate()).methods().get(1)).build();
    private final PrivateKey a = PrivateKey.random(random);
    private final PrivateKey b = PrivateKey.random(random);
    private final PrivateKey c = PrivateKey.random(random);
    private final long now = System.currentTimeMillis() / 1000;

    private void offer(GossipMessage m) {
        graph.apply(graph.check(m, now).verify(), now);
    }

    private JsonNode call(String method, String... kv) {
        ObjectNode params = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            params.put(kv[i], kv[i + 1]);
        }
        List<String> requestProblems = ClnSchemas.validateRequest(method, params);
        assertEquals(List.of(), requestProblems);
        RpcMethod m = methods.find(method).orElseThrow();
        JsonNode answer = m.handler().handle(RpcParams.of(m.params(), params)).block();
        assertEquals(List.of(), ClnSchemas.validateResponse(method, answer), answer.toString());
        return answer;
    }

    @Test
    void listnodes_and_listchannels_follow_core_lightnings_schemas() {
        ChannelAnnouncement ab = GossipSignatures.channelAnnouncement(ChainHashes.BITCOIN, ShortChannelId.of(800_000, 5, 1),
                Features.EMPTY, a, b, PrivateKey.random(random), PrivateKey.random(random));
        ChannelAnnouncement bc = GossipSignatures.channelAnnouncement(ChainHashes.BITCOIN, ShortChannelId.of(800_001, 6, 0),
                Features.EMPTY, b, c, PrivateKey.random(random), PrivateKey.random(random));
        offer(ab);
        offer(bc);
        int dirA = ab.nodeId1().bytes().equals(a.publicKey().bytes()) ? 0 : 1;
        offer(GossipSignatures.channelUpdate(a, ChainHashes.BITCOIN, ab.shortChannelId(), now - 5,
                ChannelUpdate.MUST_BE_ONE, dirA | ChannelUpdate.DISABLE, 40, 1000, 7, 300, 5_000_000));
        offer(GossipSignatures.channelUpdate(b, ChainHashes.BITCOIN, ab.shortChannelId(), now - 5,
                ChannelUpdate.MUST_BE_ONE, 1 - dirA, 80, 1, 1, 1, 2_000_999));
        offer(GossipSignatures.nodeAnnouncement(a, now - 1, Features.of(Features.ONION_MESSAGES_OPT),
                Bytes.fromHex("112233"), "alice", List.of(NodeAddress.of("127.0.0.1", 9735),
                        NodeAddress.of("::1", 9736), NodeAddress.dns("alice.example", 9737))));

        JsonNode nodes = call("listnodes").get("nodes");
        assertEquals(3, nodes.size());
        JsonNode alice = call("listnodes", "id", a.publicKey().toHex()).get("nodes").get(0);
        assertEquals("alice", alice.get("alias").asText());
        assertEquals("112233", alice.get("color").asText());
        assertEquals(3, alice.get("addresses").size());
        assertEquals("ipv6", alice.get("addresses").get(1).get("type").asText());
        assertEquals(1, call("listnodes", "id", c.publicKey().toHex()).get("nodes").get(0).size(), "nodeid only");

        JsonNode all = call("listchannels").get("channels");
        assertEquals(2, all.size(), "one entry per end that sent an update");
        JsonNode fromA = call("listchannels", "source", a.publicKey().toHex()).get("channels");
        assertEquals(1, fromA.size());
        assertEquals(false, fromA.get(0).get("active").asBoolean());
        assertEquals(7, fromA.get(0).get("base_fee_millisatoshi").asLong());
        assertEquals(5_000_000, fromA.get(0).get("amount_msat").asLong(), "capacity unknown: the larger htlc_maximum_msat");
        assertEquals("800000x5x1", fromA.get(0).get("short_channel_id").asText());
        assertEquals(1, call("listchannels", "destination", a.publicKey().toHex()).get("channels").size());
        assertEquals(2, call("listchannels", "short_channel_id", "800000x5x1").get("channels").size());
        assertEquals(0, call("listchannels", "short_channel_id", "800001x6x0").get("channels").size(), "no updates yet");
        RpcMethod m = methods.find("listchannels").orElseThrow();
        ObjectNode bad = JSON.createObjectNode().put("short_channel_id", "800000y5");
        assertThrows(RpcException.class, () -> m.handler().handle(RpcParams.of(m.params(), bad)).block());
    }
}
