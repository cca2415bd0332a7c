package dev.boltflow.it.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.gossip.ChannelGraph;
import dev.boltflow.core.gossip.GossipOutcome;
import dev.boltflow.core.gossip.GossipSignatures;
import dev.boltflow.core.gossip.NodeAddress;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.SciddirOrPubkey;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeIdentity;
import dev.boltflow.node.gossip.GossipConfig;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import dev.boltflow.transport.testing.NettyLeaks;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * Three boltflow nodes that learn the network from gossip: the payee E is connected to M only, the
 * payer P (its own introduction node) is connected to M, and nobody was told P's or E's address.
 * A test-only announcement source (we have no channels to announce) signs, with the nodes' own
 * keys, the channels E–M and M–P, their updates and the three node announcements, and hands them
 * to M; M keeps them in its graph and relays them to E and P, which asked it with
 * {@code gossip_timestamp_filter}. Then E reaches P, two hops away, by dialling the address P
 * announced, or, with {@code fetchinvoice-noconnect}, by routing the invoice through M.
 */
@ExtendWith(NettyLeaks.class)
class GossipTopologiesTest {
    private static final long AMOUNT = 55_000;
    private static final ShortChannelId EM = ShortChannelId.of(800_000, 1, 0);
    private static final ShortChannelId MP = ShortChannelId.of(800_000, 2, 0);

    @TempDir
    Path dir;
    private Cluster cluster;
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() {
        cluster = new Cluster(dir);
    }

    @AfterEach
    void close() {
        cleanup.forEach(Runnable::run);
        cluster.close();
    }

    private Cluster.TestNode node(String name, boolean noconnect) {
        return cluster.start(name, c -> c.withListen(Cluster.LOOPBACK).withFetchInvoiceNoconnect(noconnect)
                .withGossip(GossipConfig.defaults().withFlushInterval(Duration.ofMillis(100)).withPeerFaultLimit(5)),
                h -> { });
    }

    /** A bare BOLT 8 peer of {@code to}, and what it receives. */
    private PeerConnection barePeer(Cluster.TestNode to, List<WireMessage> received) {
        NettyPeerManager peer = NettyPeerManager.create(PrivateKey.random(cluster.random),
                TransportConfig.defaults().withChainHash(Network.REGTEST.chainHash()));
        cleanup.add(() -> peer.close().block(Cluster.WAIT));
        PeerConnection c = peer.connect(to.id(), to.address()).block(Cluster.WAIT);
        c.inbound().subscribe(m -> {
            synchronized (received) {
                received.add(m);
            }
        });
        return c;
    }

    private static <T> List<T> ofType(List<WireMessage> received, Class<T> type) {
        synchronized (received) {
            return received.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    private static PrivateKey key(Cluster.TestNode n) {
        return NodeIdentity.loadOrCreate(n.config.networkDir(), new java.security.SecureRandom());
    }

    /** The announcement source: a bare BOLT 8 peer that connects to {@code to} and sends it this network's gossip. */
    private void announce(Cluster.TestNode to, Cluster.TestNode e, Cluster.TestNode m, Cluster.TestNode p) {
        Bytes32 chain = Network.REGTEST.chainHash();
        long now = System.currentTimeMillis() / 1000;
        PrivateKey ke = key(e);
        PrivateKey km = key(m);
        PrivateKey kp = key(p);
        List<GossipMessage> gossip = new ArrayList<>();
        ChannelAnnouncement em = GossipSignatures.channelAnnouncement(chain, EM, Features.EMPTY, ke, km,
                PrivateKey.random(cluster.random), PrivateKey.random(cluster.random));
        ChannelAnnouncement mp = GossipSignatures.channelAnnouncement(chain, MP, Features.EMPTY, km, kp,
                PrivateKey.random(cluster.random), PrivateKey.random(cluster.random));
        gossip.add(em);
        gossip.add(mp);
        for (ChannelAnnouncement a : List.of(em, mp)) {
            for (PrivateKey k : List.of(ke, km, kp)) {
                int direction = a.nodeId1().bytes().equals(k.publicKey().bytes()) ? 0
                        : a.nodeId2().bytes().equals(k.publicKey().bytes()) ? 1 : -1;
                if (direction >= 0) {
                    gossip.add(GossipSignatures.channelUpdate(k, chain, a.shortChannelId(), now, ChannelUpdate.MUST_BE_ONE,
                            direction, 40, 1, 1000, 100, 100_000_000L));
                }
            }
        }
        for (Cluster.TestNode n : List.of(e, m, p)) {
            InetSocketAddress at = n.address();
            gossip.add(GossipSignatures.nodeAnnouncement(key(n), now, Features.of(Features.ONION_MESSAGES_OPT),
                    Bytes.fromHex("0000ff"), n.name, List.of(NodeAddress.of(at.getHostString(), at.getPort()))));
        }
        NettyPeerManager source = NettyPeerManager.create(PrivateKey.random(cluster.random),
                TransportConfig.defaults().withChainHash(chain));
        cleanup.add(() -> source.close().block(Cluster.WAIT));
        PeerConnection c = source.connect(to.id(), to.address()).block(Cluster.WAIT);
        c.inbound().subscribe(); // a peer must read too
        Flux.fromIterable(gossip).concatMap(c::send).blockLast(Cluster.WAIT);
        Await.until("M stores the gossip", Cluster.WAIT, () -> to.node.graph().channelCount() == 2
                && to.node.graph().nodes().stream().filter(n -> n.timestamp().isPresent()).count() == 3);
        assertEquals(gossip.size(), to.node.gossip().stats(source.nodeId()).orElseThrow()
                .outcomes().get(GossipOutcome.ACCEPTED));
    }

    /** E, M and P connected E–M–P, the gossip given to M and relayed to E and P. */
    private Cluster.TestNode[] network(boolean payeeNoconnect) {
        return network(payeeNoconnect, middle -> h -> { });
    }

    /** As above, P's host set up by {@code payerHost} given M's node id. */
    private Cluster.TestNode[] network(boolean payeeNoconnect,
            java.util.function.Function<dev.boltflow.core.crypto.PublicKey, java.util.function.Consumer<Cluster.TestHost>> payerHost) {
        Cluster.TestNode e = node("payee", payeeNoconnect);
        Cluster.TestNode m = node("middle", false);
        Cluster.TestNode p = cluster.start("payer", c -> c.withListen(Cluster.LOOPBACK)
                .withGossip(GossipConfig.defaults().withFlushInterval(Duration.ofMillis(100))), payerHost.apply(m.id()));
        e.connect(m);
        p.connect(m);
        Await.until("E and P ask M for gossip", Cluster.WAIT, () -> e.node.gossip().syncPeers() == 1
                && p.node.gossip().syncPeers() == 1);
        announce(m, e, m, p);
        for (Cluster.TestNode n : List.of(e, p)) {
            Await.until(n.name + " learns the network from M", Cluster.WAIT, () -> n.node.graph().channelCount() == 2
                    && n.node.graph().nodes().stream().filter(x -> x.timestamp().isPresent()).count() == 3);
        }
        assertTrue(e.node.peers().connection(p.id()).isEmpty(), "E does not know P's address but from gossip");
        return new Cluster.TestNode[] {e, m, p};
    }

    private static void assertPaid(JsonNode answer) {
        TopologiesTest.assertPaid(answer, AMOUNT);
    }

    @Test
    void payee_dialsTheAnnouncedAddress_ofAnIntroductionNodeTwoHopsAway() {
        Cluster.TestNode[] n = network(false);
        Cluster.TestNode e = n[0];
        Cluster.TestNode m = n[1];
        Cluster.TestNode p = n[2];
        String lnr = p.invoiceRequest(AMOUNT);
        assertEquals(p.id(), InvoiceRequest.decode(lnr).invreqPaths().orElseThrow().get(0).firstNodeId().nodeId()
                .orElseThrow());

        assertPaid(e.call("sendinvoice", "invreq", lnr, "label", "dial", "timeout", 30));

        assertTrue(e.node.peers().connection(p.id()).isPresent(), "E dialled P at its announced address");
        assertEquals(0, m.node.messenger().relayed());
    }

    @Test
    void noconnectPayee_routesThroughTheGraph_viaItsOnlyPeer() {
        Cluster.TestNode[] n = network(true);
        Cluster.TestNode e = n[0];
        Cluster.TestNode m = n[1];
        Cluster.TestNode p = n[2];
        String lnr = p.invoiceRequest(AMOUNT);

        assertPaid(e.call("sendinvoice", "invreq", lnr, "label", "route", "timeout", 30));

        assertTrue(m.node.messenger().relayed() >= 1, "M relayed the invoice");
        assertFalse(e.node.peers().connection(p.id()).filter(c -> c.initiatedLocally()).isPresent(),
                "E never dialled P");
    }

    @Test
    void sciddirIntroduction_isResolvedThroughTheGraph() {
        // P writes its path's introduction as "end d of channel M–P" instead of its node id.
        Cluster.TestNode[] n = network(true,
                middle -> h -> h.requests = () -> new RewritingRequests(lnr -> sciddirFirstHop(lnr, middle)));
        Cluster.TestNode e = n[0];
        Cluster.TestNode m = n[1];
        Cluster.TestNode p = n[2];
        String lnr = p.invoiceRequest(AMOUNT, "unsigned", true);
        BlindedPath path = InvoiceRequest.decode(lnr).invreqPaths().orElseThrow().get(0);
        assertTrue(path.firstNodeId() instanceof SciddirOrPubkey.Sciddir, path.firstNodeId().toString());
        assertEquals(p.id(), e.node.view().channelEnd(MP, ((SciddirOrPubkey.Sciddir) path.firstNodeId()).direction())
                .orElseThrow());

        assertPaid(e.call("sendinvoice", "invreq", lnr, "label", "sciddir", "timeout", 30));
        assertTrue(m.node.messenger().relayed() >= 1);
    }

    /** The request's first path with its introduction node P written as its end of channel M–P. */
    private static String sciddirFirstHop(String lnr, dev.boltflow.core.crypto.PublicKey middle) {
        BlindedPath path = InvoiceRequest.decode(lnr).invreqPaths().orElseThrow().get(0);
        dev.boltflow.core.crypto.PublicKey intro = path.firstNodeId().nodeId().orElseThrow();
        int direction = intro.compareTo(middle) < 0 ? 0 : 1; // BOLT 7: node_id_1 is the lesser id
        BlindedPath viaScid = new BlindedPath(new SciddirOrPubkey.Sciddir(direction, MP.value()), path.firstPathKey(),
                path.hops());
        return Invreqs.replacePaths(lnr, List.of(viaScid));
    }

    @Test
    void queries_areAnswered_asBolt7Requires() {
        Cluster.TestNode[] n = network(false);
        Cluster.TestNode m = n[1];
        List<WireMessage> received = new ArrayList<>();
        PeerConnection c = barePeer(m, received);
        Bytes32 chain = Network.REGTEST.chainHash();
        c.send(new GossipMessage.QueryChannelRange(chain, 0, 0xffffffffL, OptionalLong.of(
                GossipMessage.QueryChannelRange.WANT_TIMESTAMPS | GossipMessage.QueryChannelRange.WANT_CHECKSUMS),
                TlvStream.EMPTY)).block(Cluster.WAIT);
        Await.until("reply_channel_range", Cluster.WAIT, () -> ofType(received, GossipMessage.ReplyChannelRange.class)
                .stream().anyMatch(r -> r.syncComplete() == 1));
        GossipMessage.ReplyChannelRange reply = ofType(received, GossipMessage.ReplyChannelRange.class).get(0);
        assertEquals(List.of(EM, MP), reply.shortIds().ids());
        assertEquals(0, reply.firstBlocknum());
        assertTrue(reply.firstBlocknum() + reply.numberOfBlocks() >= 0xffffffffL);
        long now = System.currentTimeMillis() / 1000;
        for (GossipMessage.UpdatePair t : reply.timestamps().orElseThrow().timestamps()) {
            assertTrue(Math.abs(t.node1() - now) < 600 && Math.abs(t.node2() - now) < 600, t.toString());
        }
        ChannelGraph.Policy p1 = m.node.graph().channel(EM).orElseThrow().policy1().orElseThrow();
        assertEquals(p1.checksum(), reply.checksums().orElseThrow().checksums().get(0).node1());

        // Both channels, announcement and node_id_2's update only for the second, then the end.
        c.send(new GossipMessage.QueryShortChannelIds(chain, GossipMessage.EncodedShortIds.of(List.of(EM, MP)),
                Optional.of(GossipMessage.EncodedQueryFlags.of(List.of(0x1fL, 0x05L))), TlvStream.EMPTY))
                .block(Cluster.WAIT);
        Await.until("reply_short_channel_ids_end", Cluster.WAIT,
                () -> !ofType(received, GossipMessage.ReplyShortChannelIdsEnd.class).isEmpty());
        assertEquals(1, ofType(received, GossipMessage.ReplyShortChannelIdsEnd.class).get(0).fullInformation());
        assertEquals(2, ofType(received, GossipMessage.ChannelAnnouncement.class).size());
        assertEquals(3, ofType(received, GossipMessage.ChannelUpdate.class).size());
        assertEquals(2, ofType(received, GossipMessage.NodeAnnouncement.class).size(), "node_id_1 and 2 of EM, once each");
        assertTrue(ofType(received, GossipMessage.ChannelUpdate.class).stream()
                .filter(u -> u.shortChannelId().equals(MP)).allMatch(u -> u.direction() == 1));
    }

    @Test
    void aPeerSendingBadSignatures_isCountedAndClosed_whileGoodGossipNeverCloses() {
        Cluster.TestNode m = node("middle", false);
        List<WireMessage> received = new ArrayList<>();
        PeerConnection c = barePeer(m, received);
        Bytes32 chain = Network.REGTEST.chainHash();
        List<GossipMessage> good = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            good.add(GossipSignatures.channelAnnouncement(chain, ShortChannelId.of(800_100, i, 0), Features.EMPTY,
                    PrivateKey.random(cluster.random), PrivateKey.random(cluster.random),
                    PrivateKey.random(cluster.random), PrivateKey.random(cluster.random)));
        }
        Flux.fromIterable(good).concatMap(c::send).blockLast(Cluster.WAIT);
        Await.until("all stored", Cluster.WAIT, () -> m.node.graph().channelCount() == 20);
        assertTrue(c.isActive());
        for (int i = 0; i < 5; i++) {
            ChannelAnnouncement a = GossipSignatures.channelAnnouncement(chain, ShortChannelId.of(800_200, i, 0),
                    Features.EMPTY, PrivateKey.random(cluster.random), PrivateKey.random(cluster.random),
                    PrivateKey.random(cluster.random), PrivateKey.random(cluster.random));
            c.send(new ChannelAnnouncement(a.nodeSignature2(), a.nodeSignature2(), a.bitcoinSignature1(),
                    a.bitcoinSignature2(), a.features(), a.chainHash(), a.shortChannelId(), a.nodeId1(), a.nodeId2(),
                    a.bitcoinKey1(), a.bitcoinKey2(), a.excess())).onErrorResume(e -> reactor.core.publisher.Mono.empty())
                    .block(Cluster.WAIT);
        }
        c.onClose().block(Cluster.WAIT);
        assertTrue(ofType(received, WireMessage.Warning.class).stream()
                .anyMatch(w -> w.printableData().contains("invalid gossip")), received.toString());
        assertEquals(20, m.node.graph().channelCount());
    }

    @Test
    void theGraph_survivesARestart_fromTheGossipStore() {
        Cluster.TestNode[] n = network(false);
        Cluster.TestNode e = n[0];
        e.restart();
        assertEquals(2, e.node.graph().channelCount(), "read back from DIR/NETWORK/gossip_store");
        assertEquals(3, e.node.graph().nodes().stream().filter(x -> x.timestamp().isPresent()).count());
        assertTrue(e.node.view().node(n[2].id()).map(x -> !x.addresses().isEmpty()).orElse(false));
    }

    @Test
    void connectWithoutAddress_dialsTheAnnouncedOne_andUnknownNodesAnswer400() {
        Cluster.TestNode[] n = network(false);
        Cluster.TestNode e = n[0];
        Cluster.TestNode p = n[2];
        JsonNode answer = e.call("connect", "id", p.id().toHex());
        assertEquals(p.id().toHex(), answer.get("id").asText());
        assertEquals("out", answer.get("direction").asText());
        assertEquals(400, e.fails("connect", "id", PrivateKey.random(cluster.random).publicKey().toHex()).code());
        JsonNode nodes = e.call("listnodes");
        assertEquals(3, nodes.get("nodes").size());
        JsonNode channels = e.call("listchannels", "source", p.id().toHex());
        assertEquals(1, channels.get("channels").size());
        assertEquals(MP.toString(), channels.get("channels").get(0).get("short_channel_id").asText());
    }
}
