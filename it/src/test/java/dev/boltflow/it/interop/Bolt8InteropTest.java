package dev.boltflow.it.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.ConnectionClosed;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import dev.boltflow.transport.testing.NettyLeaks;
import fr.acinq.bitcoin.Block;
import fr.acinq.bitcoin.ByteVector;
import fr.acinq.bitcoin.ByteVector32;
import fr.acinq.lightning.Feature;
import fr.acinq.lightning.FeatureSupport;
import fr.acinq.lightning.Features;
import fr.acinq.lightning.UnknownFeature;
import fr.acinq.lightning.wire.Init;
import fr.acinq.lightning.wire.LightningMessage;
import fr.acinq.lightning.wire.OnionMessage;
import fr.acinq.lightning.wire.OnionRoutingPacket;
import fr.acinq.lightning.wire.Ping;
import fr.acinq.lightning.wire.Pong;
import fr.acinq.lightning.wire.Warning;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * BOLT 8 and BOLT 1 between lightning-kmp and our Netty transport over loopback: lightning-kmp's
 * Noise_XK handshake as initiator and as responder, then 1,200 messages each way (two key
 * rotations per direction: BOLT 8 rotates each key every 500 messages) with lightning-kmp's pings
 * answered by our transport, and each side's {@code init} features read as the other wrote them.
 */
@ExtendWith(NettyLeaks.class)
class Bolt8InteropTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Two rotations of each direction's key (BOLT 8: every 1,000 nonces, two per message). */
    private static final int MESSAGES = 1_200;
    private static final int PING_EVERY = 100;

    private final SecureRandom random = new SecureRandom();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private NettyPeerManager ours() {
        NettyPeerManager m = NettyPeerManager.create(dev.boltflow.core.crypto.PrivateKey.random(random),
                TransportConfig.defaults());
        cleanup.add(() -> m.close().block(WAIT));
        return m;
    }

    private static InetSocketAddress listen(NettyPeerManager m) {
        return m.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).block(WAIT);
    }

    /**
     * What lightning-kmp announces: the features of its own defaults that need no channel (it
     * knows no bit for {@code option_onion_messages} in this version, so that one goes in as an
     * unknown odd bit, which is how lightning-kmp itself models bits it does not know).
     */
    private static Features kmpFeatures() {
        Map<Feature, FeatureSupport> activated = new HashMap<>();
        activated.put(Feature.OptionDataLossProtect.INSTANCE, FeatureSupport.Optional);
        activated.put(Feature.VariableLengthOnion.INSTANCE, FeatureSupport.Mandatory);
        activated.put(Feature.PaymentSecret.INSTANCE, FeatureSupport.Mandatory);
        activated.put(Feature.BasicMultiPartPayment.INSTANCE, FeatureSupport.Optional);
        activated.put(Feature.StaticRemoteKey.INSTANCE, FeatureSupport.Mandatory);
        activated.put(Feature.RouteBlinding.INSTANCE, FeatureSupport.Optional);
        activated.put(Feature.ChannelType.INSTANCE, FeatureSupport.Mandatory);
        return new Features(activated, Set.of(new UnknownFeature(dev.boltflow.core.features.Features.ONION_MESSAGES_OPT)));
    }

    private static Init kmpInit(Features features) {
        return new Init(features, List.of(Block.LivenetGenesisBlock.hash.value), null);
    }

    @Test
    void kmpInitiates_initReadBothWays_thenThousandsOfMessagesAcrossKeyRotations() throws IOException {
        NettyPeerManager ours = ours();
        InetSocketAddress address = listen(ours);
        CompletableFuture<PeerConnection> accepted = ours.inboundConnections().next().toFuture();
        fr.acinq.bitcoin.PrivateKey kmpKey = Kmp.priv(dev.boltflow.core.crypto.PrivateKey.random(random));

        KmpPeer kmp = KmpPeer.connect(kmpKey, Kmp.pub(ours.nodeId()), address);
        cleanup.add(kmp);
        kmp.send(kmpInit(kmpFeatures()));
        PeerConnection conn = Mono.fromFuture(accepted).block(WAIT);

        assertEquals(Kmp.pub(kmpKey.publicKey()), conn.remoteNodeId(), "our side authenticated lightning-kmp's key");
        checkInits(kmp, conn);
        exchange(kmp, conn);
    }

    @Test
    void weInitiate_kmpResponds_initReadBothWays_thenThousandsOfMessagesAcrossKeyRotations() throws Exception {
        NettyPeerManager ours = ours();
        fr.acinq.bitcoin.PrivateKey kmpKey = Kmp.priv(dev.boltflow.core.crypto.PrivateKey.random(random));
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        cleanup.add(server);

        CompletableFuture<PeerConnection> dialled = ours.connect(Kmp.pub(kmpKey.publicKey()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort())).toFuture();
        KmpPeer kmp = KmpPeer.accept(kmpKey, server);
        cleanup.add(kmp);
        assertEquals(ours.nodeId(), Kmp.pub(kmp.remoteNodeId()), "lightning-kmp authenticated our static key");
        kmp.send(kmpInit(kmpFeatures()));
        PeerConnection conn = Mono.fromFuture(dialled).block(WAIT);

        assertTrue(conn.initiatedLocally());
        checkInits(kmp, conn);
        exchange(kmp, conn);
    }

    /**
     * lightning-kmp's complete default features (Phoenix's) require channel features that BOLT 9
     * defines and we do not implement (we open no channels): {@code option_shutdown_anysegwit} (26),
     * {@code option_dual_fund} (28) and {@code option_quiesce} (34) as compulsory. BOLT 1: "upon
     * receiving unknown even feature bits that are non-zero: MUST close the connection" — we do,
     * after our {@code init} reached lightning-kmp intact and a {@code warning} that names them.
     */
    @Test
    void kmpDefaultFeatures_requireChannelFeatures_weCloseNamingTheUnknownEvenBits() throws IOException {
        NettyPeerManager ours = ours();
        InetSocketAddress address = listen(ours);
        CompletableFuture<ConnectionClosed> closed = ours.closedConnections().next().toFuture();
        fr.acinq.bitcoin.PrivateKey kmpKey = Kmp.priv(dev.boltflow.core.crypto.PrivateKey.random(random));
        Map<Feature, FeatureSupport> phoenix = new HashMap<>(kmpFeatures().getActivated());
        // lightning-kmp 1.8.4 NodeParams: the compulsory channel features of its defaults.
        phoenix.put(Feature.DualFunding.INSTANCE, FeatureSupport.Mandatory);
        phoenix.put(Feature.ShutdownAnySegwit.INSTANCE, FeatureSupport.Mandatory);
        phoenix.put(Feature.Quiescence.INSTANCE, FeatureSupport.Mandatory);

        KmpPeer kmp = KmpPeer.connect(kmpKey, Kmp.pub(ours.nodeId()), address);
        cleanup.add(kmp);
        kmp.send(kmpInit(new Features(phoenix, Set.of())));
        Init theirs = assertInstanceOf(Init.class, kmp.receive());

        assertArrayEquals(TransportConfig.DEFAULT_FEATURES.bitmap().toArray(), theirs.getFeatures().toByteArray());
        ConnectionClosed c = Mono.fromFuture(closed).block(WAIT);
        assertEquals(CloseReason.Kind.INCOMPATIBLE_FEATURES, c.reason().kind());
        assertEquals("unknown even feature bits [26, 28, 34]", c.reason().detail());
        // We said why in a warning (BOLT 1 lets the closing side send one), then closed.
        List<LightningMessage> last = kmp.receiveUntilClosed();
        assertEquals(1, last.size(), "one message before the close: " + last);
        Warning w = assertInstanceOf(Warning.class, last.get(0));
        assertEquals("unknown even feature bits [26, 28, 34]", w.toAscii());
        assertEquals(ByteVector32.Zeroes, w.getChannelId());
    }

    /** Each side reads the other's init features exactly as they were written. */
    private static void checkInits(KmpPeer kmp, PeerConnection conn) throws IOException {
        Init fromUs = assertInstanceOf(Init.class, kmp.receive());
        Features f = fromUs.getFeatures();
        assertArrayEquals(TransportConfig.DEFAULT_FEATURES.bitmap().toArray(), f.toByteArray());
        assertNull(Features.Companion.validateFeatureGraph(f), "lightning-kmp finds our feature graph valid");
        assertEquals(FeatureSupport.Mandatory, f.getActivated().get(Feature.VariableLengthOnion.INSTANCE));
        assertEquals(FeatureSupport.Mandatory, f.getActivated().get(Feature.StaticRemoteKey.INSTANCE));
        assertEquals(FeatureSupport.Mandatory, f.getActivated().get(Feature.PaymentSecret.INSTANCE));
        assertEquals(FeatureSupport.Optional, f.getActivated().get(Feature.RouteBlinding.INSTANCE));
        assertEquals(FeatureSupport.Optional, f.getActivated().get(Feature.OptionDataLossProtect.INSTANCE));
        assertEquals(FeatureSupport.Optional, f.getActivated().get(Feature.ChannelType.INSTANCE));
        assertEquals(Set.of(new UnknownFeature(dev.boltflow.core.features.Features.ONION_MESSAGES_OPT)), f.getUnknown(),
                "option_onion_messages is an odd bit lightning-kmp does not model: ignored, as BOLT 1 allows");
        assertEquals(List.of(Block.LivenetGenesisBlock.hash.value), fromUs.getNetworks());

        WireMessage.Init fromKmp = conn.remoteInit();
        assertArrayEquals(kmpFeatures().toByteArray(), fromKmp.combinedFeatures().bitmap().toArray());
        assertTrue(fromKmp.combinedFeatures().supports(dev.boltflow.core.features.Features.Feature.ONION_MESSAGES));
        assertTrue(fromKmp.combinedFeatures().requires(dev.boltflow.core.features.Features.Feature.CHANNEL_TYPE));
        assertEquals(List.of(ChainHashes.BITCOIN), fromKmp.networks().orElseThrow());
    }

    /**
     * {@link #MESSAGES} onion_messages each way, written concurrently, every one arriving intact and
     * in order; lightning-kmp also pings every {@link #PING_EVERY} messages and reads our pongs.
     */
    private void exchange(KmpPeer kmp, PeerConnection conn) throws IOException {
        List<WireMessage.OnionMessage> fromUs = new ArrayList<>();
        List<OnionMessage> fromKmp = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            fromUs.add(ourMessage(i));
            fromKmp.add(kmpMessage(i));
        }
        CompletableFuture<List<WireMessage>> received = conn.inbound().take(MESSAGES).collectList().toFuture();
        CompletableFuture<Void> sent = reactor.core.publisher.Flux.fromIterable(fromUs)
                .concatMap(conn::send).then().toFuture();

        List<Integer> pings = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            kmp.send(fromKmp.get(i));
            if (i % PING_EVERY == 0) {
                int pongLength = 1 + i / PING_EVERY;
                kmp.send(new Ping(pongLength, new ByteVector(new byte[i % 7])));
                pings.add(pongLength);
            }
        }
        int next = 0;
        List<Integer> pongs = new ArrayList<>();
        while (next < MESSAGES || pongs.size() < pings.size()) {
            LightningMessage m = kmp.receive();
            if (m instanceof Pong) {
                pongs.add(((Pong) m).getData().size());
                continue;
            }
            OnionMessage om = assertInstanceOf(OnionMessage.class, m, "message " + next);
            WireMessage.OnionMessage expected = fromUs.get(next);
            assertEquals(expected.pathKey(), Kmp.pub(om.getBlindingKey()), "message " + next);
            assertEquals(expected.onionMessagePacket(), Kmp.packetBytes(om.getOnionRoutingPacket()), "message " + next);
            next++;
        }
        Mono.fromFuture(sent).block(WAIT);
        assertEquals(pings, pongs, "every ping answered with the asked length, in order");

        List<WireMessage> got = Mono.fromFuture(received).block(WAIT);
        for (int i = 0; i < MESSAGES; i++) {
            WireMessage.OnionMessage om = assertInstanceOf(WireMessage.OnionMessage.class, got.get(i), "message " + i);
            assertEquals(Kmp.pub(fromKmp.get(i).getBlindingKey()), om.pathKey(), "message " + i);
            assertEquals(Kmp.packetBytes(fromKmp.get(i).getOnionRoutingPacket()), om.onionMessagePacket(), "message " + i);
        }
        assertTrue(conn.isActive(), "still connected after " + MESSAGES + " messages each way");
    }

    /** An onion_message with a random path key and a packet of a size that varies with {@code i}. */
    private WireMessage.OnionMessage ourMessage(int i) {
        byte[] packet = new byte[66 + 1 + (i * 37) % 1400];
        random.nextBytes(packet);
        packet[0] = 0;
        return new WireMessage.OnionMessage(dev.boltflow.core.crypto.PrivateKey.random(random).publicKey(),
                Bytes.wrap(packet));
    }

    private OnionMessage kmpMessage(int i) {
        byte[] publicKey = dev.boltflow.core.crypto.PrivateKey.random(random).publicKey().toArray();
        byte[] payload = new byte[1 + (i * 53) % 1400];
        random.nextBytes(payload);
        byte[] hmac = new byte[32];
        random.nextBytes(hmac);
        return new OnionMessage(new fr.acinq.bitcoin.PublicKey(publicKey),
                new OnionRoutingPacket(0, new ByteVector(publicKey), new ByteVector(payload), new ByteVector32(hmac)));
    }

}
