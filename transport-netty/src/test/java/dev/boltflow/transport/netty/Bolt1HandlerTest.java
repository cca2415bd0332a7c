package dev.boltflow.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.noise.EphemeralKeySource;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.CloseReason.Kind;
import dev.boltflow.transport.PeerClosedException;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.EmbeddedPair.Delivery;
import dev.boltflow.transport.testing.NoLeaks;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Bolt1Handler} on paired EmbeddedChannels. "node" is the full stack (BOLT 8, wire codec,
 * BOLT 1); "raw" is BOLT 8 and the wire codec only, so the test speaks for the peer message by message.
 */
@ExtendWith(NoLeaks.class)
class Bolt1HandlerTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TransportConfig CONFIG = TransportConfig.defaults();
    private static final Bytes32 OTHER_CHAIN = Bytes32.fromHex("43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000");

    private final PrivateKey rawKey = PrivateKey.random(RANDOM);
    private final PrivateKey nodeKey = PrivateKey.random(RANDOM);
    private final List<EmbeddedPair> pairs = new ArrayList<>();

    @AfterEach
    void release() {
        pairs.forEach(EmbeddedPair::close);
    }

    private List<ChannelHandler> node(boolean initiator, PrivateKey local, PrivateKey remote, TransportConfig config) {
        NoiseHandler noise = initiator
                ? NoiseHandler.initiator(local, remote.publicKey(), EphemeralKeySource.secureRandom(),
                        config.handshakeTimeout(), config.maxMessageLength())
                : NoiseHandler.responder(local, EphemeralKeySource.secureRandom(), config.handshakeTimeout(),
                        config.maxMessageLength());
        return List.of(noise, new WireCodecHandler(), new Bolt1Handler(config));
    }

    /** left = raw peer (initiator), right = node (responder); handshake done, nothing else. */
    private EmbeddedPair rawAndNode(Delivery delivery) {
        EmbeddedPair p = new EmbeddedPair(
                List.of(NoiseHandler.initiator(rawKey, nodeKey.publicKey(), EphemeralKeySource.secureRandom(),
                        CONFIG.handshakeTimeout(), CONFIG.maxMessageLength()), new WireCodecHandler()),
                node(false, nodeKey, rawKey, CONFIG), delivery);
        pairs.add(p);
        p.pumpAll();
        return p;
    }

    private static WireMessage.Init init(Features features, Optional<List<Bytes32>> networks) {
        return new WireMessage.Init(Bytes.EMPTY, features.bitmap(), networks, Optional.empty(), TlvStream.EMPTY);
    }

    private static WireMessage.Init goodInit() {
        return init(TransportConfig.DEFAULT_FEATURES, Optional.of(List.of(CONFIG.chainHash())));
    }

    private static WireMessage.OnionMessage onion(int i) {
        PrivateKey k = PrivateKey.random(RANDOM);
        return new WireMessage.OnionMessage(k.publicKey(), Bytes.wrap(new byte[] {(byte) i, 1, 2, 3}));
    }

    private static Kind reason(EmbeddedPair p) {
        return PeerChannels.closeReason(p.right).map(CloseReason::kind).orElse(null);
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void twoNodes_exchangeInit_thenMessages(Delivery delivery) {
        PrivateKey a = PrivateKey.random(RANDOM);
        PrivateKey b = PrivateKey.random(RANDOM);
        EmbeddedPair p = new EmbeddedPair(node(true, a, b, CONFIG), node(false, b, a, CONFIG), delivery);
        pairs.add(p);
        // Written before the handshake: held until both inits are through.
        ChannelFuture early = p.left.writeAndFlush(onion(1));
        p.pumpAll();

        assertTrue(early.isSuccess());
        PeerInitializedEvent atLeft = p.leftEvents.of(PeerInitializedEvent.class).get(0);
        PeerInitializedEvent atRight = p.rightEvents.of(PeerInitializedEvent.class).get(0);
        assertEquals(b.publicKey(), atLeft.remoteNodeId());
        assertEquals(a.publicKey(), atRight.remoteNodeId());
        assertEquals(TransportConfig.DEFAULT_FEATURES, atLeft.remoteInit().combinedFeatures());
        assertEquals(Optional.of(List.of(CONFIG.chainHash())), atRight.remoteInit().networks());
        Bolt1Handler rightBolt1 = p.right.pipeline().get(Bolt1Handler.class);
        assertEquals(atRight, rightBolt1.initFuture().getNow());
        assertEquals(List.of(onion(1).type()), typesOf(EmbeddedPair.inbound(p.right)));

        p.right.writeAndFlush(new WireMessage.Unknown(32769, Bytes.wrap(new byte[] {9})));
        p.pumpAll();
        assertEquals(List.of(new WireMessage.Unknown(32769, Bytes.wrap(new byte[] {9}))), EmbeddedPair.inbound(p.left));
    }

    private static List<Integer> typesOf(List<Object> messages) {
        List<Integer> out = new ArrayList<>();
        for (Object o : messages) {
            out.add(((WireMessage) o).type());
        }
        return out;
    }

    @Test
    void node_sendsInitFirst_withOurFeaturesAndChain() {
        EmbeddedPair p = rawAndNode(Delivery.ONE_BYTE_AT_A_TIME);
        List<Object> fromNode = EmbeddedPair.inbound(p.left);
        assertEquals(1, fromNode.size());
        WireMessage.Init init = (WireMessage.Init) fromNode.get(0);
        assertEquals(TransportConfig.DEFAULT_FEATURES, new Features(init.features()));
        assertTrue(init.combinedFeatures().supports(Features.Feature.ONION_MESSAGES));
        assertTrue(init.combinedFeatures().supports(Features.Feature.ROUTE_BLINDING));
        assertEquals(Optional.of(List.of(CONFIG.chainHash())), init.networks());
    }

    @Test
    void ping_isAnsweredWithThatManyPongBytes_andHugePingIsIgnored() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        p.left.writeAndFlush(goodInit());
        p.left.writeAndFlush(new WireMessage.Ping(5, 3));
        p.left.writeAndFlush(new WireMessage.Ping(WireMessage.Ping.NO_PONG_THRESHOLD, 0));
        p.left.writeAndFlush(new WireMessage.Ping(0, 0));
        p.pumpAll();

        List<Object> fromNode = EmbeddedPair.inbound(p.left);
        assertEquals(List.of(WireMessage.INIT, WireMessage.PONG, WireMessage.PONG), typesOf(fromNode));
        assertEquals(5, ((WireMessage.Pong) fromNode.get(1)).ignoredLength());
        assertEquals(0, ((WireMessage.Pong) fromNode.get(2)).ignoredLength());
        assertTrue(EmbeddedPair.inbound(p.right).isEmpty(), "pings do not travel up");
    }

    @Test
    void onionWarningErrorAndUnknownOdd_travelUp_inOrder() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        List<WireMessage> sent = List.of(onion(1), WireMessage.Warning.of("careful"), WireMessage.Error.of("bad"),
                new WireMessage.Unknown(32769, Bytes.EMPTY), onion(2));
        p.left.writeAndFlush(goodInit());
        sent.forEach(p.left::writeAndFlush);
        p.pumpAll();
        assertEquals(sent, EmbeddedPair.inbound(p.right).stream().map(WireMessage.class::cast).toList());
        assertTrue(p.right.isActive());
    }

    /**
     * The bug: a real node sends channel_announcement (256) right after init, and it closed
     * the connection as an unknown even type. Every BOLT 7 message now travels up, even one whose
     * points are not on the curve (that is the gossip layer's to judge and count).
     */
    @Test
    void everyGossipMessage_travelsUp_andTheConnectionStays() {
        EmbeddedPair p = rawAndNode(Delivery.ONE_BYTE_AT_A_TIME);
        dev.boltflow.core.crypto.EcdsaSignature sig = new dev.boltflow.core.crypto.EcdsaSignature(Bytes.wrap(new byte[64]));
        dev.boltflow.core.wire.Point junk = new dev.boltflow.core.wire.Point(Bytes.wrap(new byte[33]));
        dev.boltflow.core.wire.ShortChannelId scid = dev.boltflow.core.wire.ShortChannelId.of(800_000, 1, 0);
        Bytes32 chain = CONFIG.chainHash();
        List<WireMessage> sent = List.of(
                new dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement(sig, sig, sig, sig,
                        Features.EMPTY, chain, scid, junk, junk, junk, junk, Bytes.EMPTY),
                new dev.boltflow.core.wire.GossipMessage.NodeAnnouncement(sig, Features.EMPTY,
                        1, junk, Bytes.wrap(new byte[3]), Bytes.wrap(new byte[32]), Bytes.EMPTY, Bytes.EMPTY),
                new dev.boltflow.core.wire.GossipMessage.ChannelUpdate(sig, chain, scid, 1, 1, 0, 40, 0, 0, 0, 1,
                        Bytes.EMPTY),
                new dev.boltflow.core.wire.GossipMessage.AnnouncementSignatures(Bytes32.ZERO, scid, sig, sig,
                        TlvStream.EMPTY),
                dev.boltflow.core.wire.GossipMessage.QueryShortChannelIds.of(chain, List.of(scid)),
                new dev.boltflow.core.wire.GossipMessage.ReplyShortChannelIdsEnd(chain, true),
                new dev.boltflow.core.wire.GossipMessage.QueryChannelRange(chain, 0, 1000,
                        java.util.OptionalLong.empty(), TlvStream.EMPTY),
                new dev.boltflow.core.wire.GossipMessage.ReplyChannelRange(chain, 0, 1000, 1,
                        dev.boltflow.core.wire.GossipMessage.EncodedShortIds.of(List.of(scid)), Optional.empty(),
                        Optional.empty(), TlvStream.EMPTY),
                new dev.boltflow.core.wire.GossipMessage.GossipTimestampFilter(chain, 0, 0xffffffffL));
        p.left.writeAndFlush(goodInit());
        sent.forEach(p.left::writeAndFlush);
        p.pumpAll();
        assertEquals(sent, EmbeddedPair.inbound(p.right).stream().map(WireMessage.class::cast).toList());
        assertTrue(p.right.isActive());
    }

    @Test
    void unknownEvenMessage_closes() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        p.left.writeAndFlush(goodInit());
        p.left.writeAndFlush(new WireMessage.Unknown(100, Bytes.EMPTY));
        p.left.writeAndFlush(onion(3));
        p.pumpAll();
        assertFalse(p.right.isActive());
        assertEquals(Kind.UNKNOWN_EVEN_MESSAGE, reason(p));
        assertTrue(EmbeddedPair.inbound(p.right).isEmpty(), "nothing after the bad message is delivered");
    }

    @Test
    void truncatedKnownMessage_closes_butInvalidFieldIsOnlyDropped() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        p.left.writeAndFlush(goodInit());
        byte[] badPathKey = new byte[2 + 33 + 2 + 1];
        badPathKey[1] = 0x01;
        badPathKey[0] = 0x02; // type 513
        badPathKey[2] = 0x07; // not a point prefix
        badPathKey[2 + 33 + 1] = 1;
        p.left.writeAndFlush(badPathKey);
        p.left.writeAndFlush(onion(4));
        p.pumpAll();
        assertTrue(p.right.isActive());
        assertEquals(List.of(onion(4).type()), typesOf(EmbeddedPair.inbound(p.right)));

        p.left.writeAndFlush(new byte[] {0, WireMessage.PING, 0}); // ping too short for its fields
        p.pumpAll();
        assertFalse(p.right.isActive());
        assertEquals(Kind.MALFORMED_MESSAGE, reason(p));
    }

    @Test
    void messageBeforeInit_isAProtocolViolation() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        Bolt1Handler bolt1 = p.right.pipeline().get(Bolt1Handler.class);
        p.left.writeAndFlush(new WireMessage.Ping(1, 0));
        p.pumpAll();
        assertFalse(p.right.isActive());
        assertEquals(Kind.PROTOCOL_VIOLATION, reason(p));
        assertInstanceOf(PeerClosedException.class, bolt1.initFuture().cause());
    }

    @Test
    void unknownEvenFeature_isRefusedWithAWarning() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        Bolt1Handler bolt1 = p.right.pipeline().get(Bolt1Handler.class);
        p.left.writeAndFlush(init(TransportConfig.DEFAULT_FEATURES.with(100), Optional.empty()));
        p.pumpAll();
        assertFalse(p.right.isActive());
        assertEquals(Kind.INCOMPATIBLE_FEATURES, reason(p));
        List<Object> fromNode = EmbeddedPair.inbound(p.left);
        assertEquals(List.of(WireMessage.INIT, WireMessage.WARNING), typesOf(fromNode));
        assertTrue(((WireMessage.Warning) fromNode.get(1)).printableData().contains("100"));
        PeerClosedException e = (PeerClosedException) bolt1.initFuture().cause();
        assertEquals(Kind.INCOMPATIBLE_FEATURES, e.reason().kind());
    }

    @Test
    void unknownOddFeatureAndUnknownOddInGlobalFeatures_areAccepted() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        WireMessage.Init init = new WireMessage.Init(Features.of(101).bitmap(),
                TransportConfig.DEFAULT_FEATURES.with(203).bitmap(), Optional.empty(), Optional.empty(), TlvStream.EMPTY);
        p.left.writeAndFlush(init);
        p.pumpAll();
        assertTrue(p.right.isActive());
        assertEquals(init, p.rightEvents.of(PeerInitializedEvent.class).get(0).remoteInit());
    }

    @Test
    void unknownEvenFeatureInGlobalFeatures_isRefused() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        p.left.writeAndFlush(new WireMessage.Init(Features.of(4).bitmap(), TransportConfig.DEFAULT_FEATURES.bitmap(),
                Optional.empty(), Optional.empty(), TlvStream.EMPTY));
        p.pumpAll();
        assertEquals(Kind.INCOMPATIBLE_FEATURES, reason(p));
    }

    @Test
    void networksWithoutOurChain_isRefused() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        p.left.writeAndFlush(init(TransportConfig.DEFAULT_FEATURES, Optional.of(List.of(OTHER_CHAIN))));
        p.pumpAll();
        assertEquals(Kind.INCOMPATIBLE_CHAIN, reason(p));
    }

    @Test
    void networksAbsentOrIncludingOurChain_isAccepted() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        p.left.writeAndFlush(init(TransportConfig.DEFAULT_FEATURES, Optional.empty()));
        p.pumpAll();
        assertTrue(p.right.isActive());

        EmbeddedPair q = rawAndNode(Delivery.ALL_AT_ONCE);
        q.left.writeAndFlush(init(TransportConfig.DEFAULT_FEATURES, Optional.of(List.of(OTHER_CHAIN, CONFIG.chainHash()))));
        q.pumpAll();
        assertEquals(1, q.rightEvents.of(PeerInitializedEvent.class).size());
    }

    @Test
    void initTimeout_closesAtTheDeadline() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        long ms = CONFIG.handshakeTimeout().toMillis();
        p.right.advanceTimeBy(ms - 1, TimeUnit.MILLISECONDS);
        p.right.runScheduledPendingTasks();
        assertTrue(p.right.isActive());
        p.right.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        p.right.runScheduledPendingTasks();
        assertFalse(p.right.isActive());
        assertEquals(Kind.INIT_TIMEOUT, reason(p));
    }

    @Test
    void idlePeer_getsAPing_andAnsweringInTimeKeepsTheConnection() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        p.left.writeAndFlush(goodInit());
        p.pumpAll();
        EmbeddedPair.inbound(p.left); // our init

        p.right.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        p.pumpAll();
        List<Object> fromNode = EmbeddedPair.inbound(p.left);
        assertEquals(List.of(WireMessage.PING), typesOf(fromNode));
        WireMessage.Ping ping = (WireMessage.Ping) fromNode.get(0);

        p.left.writeAndFlush(ping.pong());
        p.pumpAll();
        p.right.advanceTimeBy(CONFIG.pongDeadline().toMillis() * 2, TimeUnit.MILLISECONDS);
        p.right.runScheduledPendingTasks();
        assertTrue(p.right.isActive());
    }

    @Test
    void idlePeer_thatNeverAnswers_isClosedAtThePongDeadline() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        p.left.writeAndFlush(goodInit());
        p.pumpAll();

        p.right.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        p.right.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT); // no second ping
        p.pumpAll();
        assertEquals(List.of(WireMessage.INIT, WireMessage.PING), typesOf(EmbeddedPair.inbound(p.left)));

        p.right.advanceTimeBy(CONFIG.pongDeadline().toMillis() - 1, TimeUnit.MILLISECONDS);
        p.right.runScheduledPendingTasks();
        assertTrue(p.right.isActive(), () -> "closed early: " + PeerChannels.closeReason(p.right));
        p.right.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        p.right.runScheduledPendingTasks();
        assertFalse(p.right.isActive());
        assertEquals(Kind.PONG_TIMEOUT, reason(p));
    }

    @Test
    void wrongPongLength_doesNotCountAsTheAnswer() {
        EmbeddedPair p = rawAndNode(Delivery.ALL_AT_ONCE);
        p.left.writeAndFlush(goodInit());
        p.pumpAll();
        p.right.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        p.pumpAll();
        p.left.writeAndFlush(new WireMessage.Pong(Bolt1Handler.PING_PONG_BYTES + 1));
        p.pumpAll();
        p.right.advanceTimeBy(CONFIG.pongDeadline().toMillis(), TimeUnit.MILLISECONDS);
        p.right.runScheduledPendingTasks();
        assertEquals(Kind.PONG_TIMEOUT, reason(p));
    }

    @Test
    void shortPongDeadlineFromConfig_isUsed() {
        TransportConfig fast = CONFIG.withPongDeadline(Duration.ofMillis(250));
        PrivateKey a = PrivateKey.random(RANDOM);
        EmbeddedPair p = new EmbeddedPair(node(true, a, nodeKey, fast), node(false, nodeKey, a, fast), Delivery.ALL_AT_ONCE);
        pairs.add(p);
        p.pumpAll();
        p.left.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        // The other node would answer, but we do not deliver the ping.
        p.left.advanceTimeBy(250, TimeUnit.MILLISECONDS);
        p.left.runScheduledPendingTasks();
        assertEquals(Kind.PONG_TIMEOUT, PeerChannels.closeReason(p.left).orElseThrow().kind());
    }
}
