package dev.boltflow.transport.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.noise.EphemeralKeySource;
import dev.boltflow.core.noise.MessageTooLongException;
import dev.boltflow.core.noise.NoiseHandshake;
import dev.boltflow.core.noise.TransportCipher;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.CloseReason.Kind;
import dev.boltflow.transport.PeerClosedException;
import dev.boltflow.transport.netty.EmbeddedPair.Delivery;
import dev.boltflow.transport.testing.NoLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(NoLeaks.class)
class NoiseHandlerTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX = TransportCipher.MAX_MESSAGE_LENGTH;

    private final PrivateKey alice = PrivateKey.random(RANDOM);
    private final PrivateKey bob = PrivateKey.random(RANDOM);
    private final List<EmbeddedPair> pairs = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        pairs.forEach(EmbeddedPair::close);
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedPair pair(Delivery delivery, int responderMax) {
        EmbeddedPair p = new EmbeddedPair(
                List.of(NoiseHandler.initiator(alice, bob.publicKey(), EphemeralKeySource.secureRandom(), TIMEOUT, MAX)),
                List.of(NoiseHandler.responder(bob, EphemeralKeySource.secureRandom(), TIMEOUT, responderMax)),
                delivery);
        pairs.add(p);
        return p;
    }

    private EmbeddedChannel channel(NoiseHandler handler) {
        // Freeze first, then add the handler: its deadline must be measured on the frozen clock,
        // or wall-clock time spent in between makes the timeout fire "early".
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(handler);
        channels.add(ch);
        return ch;
    }

    /** As when the socket reads EOF: closed by the transport, not through the pipeline. */
    private static void peerHangsUp(EmbeddedChannel ch) {
        ch.unsafe().close(ch.voidPromise());
        ch.runPendingTasks();
    }

    private static byte[] message(int i, int length) {
        byte[] m = new byte[length];
        for (int j = 0; j < length; j++) {
            m[j] = (byte) (i * 31 + j);
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void handshake_fragmentedOrWhole_completesAndBothSidesLearnEachOther(Delivery delivery) {
        EmbeddedPair p = pair(delivery, MAX);
        p.pumpAll();

        assertEquals(List.of(new NoiseHandshakeCompletedEvent(bob.publicKey(), true)),
                p.leftEvents.of(NoiseHandshakeCompletedEvent.class));
        assertEquals(List.of(new NoiseHandshakeCompletedEvent(alice.publicKey(), false)),
                p.rightEvents.of(NoiseHandshakeCompletedEvent.class));
        assertEquals(alice.publicKey(), PeerChannels.remoteNodeId(p.right).orElseThrow());
        assertTrue(p.left.isActive() && p.right.isActive());
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void messages_writtenBeforeAndAfterHandshake_arriveInOrderBothWays(Delivery delivery) {
        EmbeddedPair p = pair(delivery, MAX);
        // Queued until the handshake completes, then sent right after act three.
        ChannelFuture early = p.left.writeAndFlush(message(0, 40));
        assertFalse(early.isDone());
        p.pumpAll();
        assertTrue(early.isSuccess());

        p.left.writeAndFlush(message(1, 0));
        p.right.writeAndFlush(message(2, MAX));
        p.right.writeAndFlush(Unpooled.wrappedBuffer(message(3, 5))); // a buffer is accepted too
        p.pumpAll();

        List<Object> atRight = EmbeddedPair.inbound(p.right);
        List<Object> atLeft = EmbeddedPair.inbound(p.left);
        assertEquals(2, atRight.size());
        assertArrayEquals(message(0, 40), (byte[]) atRight.get(0));
        assertArrayEquals(message(1, 0), (byte[]) atRight.get(1));
        assertEquals(2, atLeft.size());
        assertArrayEquals(message(2, MAX), (byte[]) atLeft.get(0));
        assertArrayEquals(message(3, 5), (byte[]) atLeft.get(1));
    }

    @Test
    void manyMessages_acrossKeyRotations_arriveIntact() {
        EmbeddedPair p = pair(Delivery.ALL_AT_ONCE, MAX);
        p.pumpAll();
        int n = 1_250; // keys rotate every 500 messages (1000 nonces)
        for (int i = 0; i < n; i++) {
            p.left.write(message(i, i % 300));
            p.right.write(message(i + 7, (i * 13) % 300));
        }
        p.left.flush();
        p.right.flush();
        p.pumpAll();
        List<Object> atRight = EmbeddedPair.inbound(p.right);
        List<Object> atLeft = EmbeddedPair.inbound(p.left);
        assertEquals(n, atRight.size());
        assertEquals(n, atLeft.size());
        for (int i = 0; i < n; i++) {
            assertArrayEquals(message(i, i % 300), (byte[]) atRight.get(i), "message " + i);
            assertArrayEquals(message(i + 7, (i * 13) % 300), (byte[]) atLeft.get(i), "message " + i);
        }
    }

    @Test
    void handshakeTimeout_responderHearingNothing_closesAtTheDeadlineNotBefore() {
        EmbeddedChannel responder = channel(NoiseHandler.responder(bob, EphemeralKeySource.secureRandom(), TIMEOUT, MAX));
        responder.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        responder.runScheduledPendingTasks();
        assertTrue(responder.isActive());

        responder.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        responder.runScheduledPendingTasks();
        assertFalse(responder.isActive());
        assertEquals(Kind.HANDSHAKE_TIMEOUT, PeerChannels.closeReason(responder).orElseThrow().kind());
    }

    @Test
    void handshakeTimeout_initiatorWithoutActTwo_closesAndFailsQueuedWrites() {
        EmbeddedChannel initiator = channel(NoiseHandler.initiator(alice, bob.publicKey(),
                EphemeralKeySource.secureRandom(), TIMEOUT, MAX));
        assertEquals(NoiseHandshake.ACT_ONE_LENGTH, EmbeddedPair.outboundBytes(initiator).length);
        ChannelFuture queued = initiator.writeAndFlush(message(1, 10));

        initiator.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        initiator.runScheduledPendingTasks();

        assertFalse(initiator.isActive());
        assertEquals(Kind.HANDSHAKE_TIMEOUT, PeerChannels.closeReason(initiator).orElseThrow().kind());
        assertInstanceOf(PeerClosedException.class, queued.cause());
        assertEquals(0, EmbeddedPair.outboundBytes(initiator).length);
    }

    @Test
    void completedHandshake_cancelsTheTimeout() {
        EmbeddedPair p = pair(Delivery.ALL_AT_ONCE, MAX);
        p.pumpAll();
        p.left.advanceTimeBy(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        p.right.advanceTimeBy(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        p.left.runScheduledPendingTasks();
        p.right.runScheduledPendingTasks();
        assertTrue(p.left.isActive() && p.right.isActive());
    }

    @Test
    void garbageActOne_closesWithoutAnswering() {
        EmbeddedChannel responder = channel(NoiseHandler.responder(bob, EphemeralKeySource.secureRandom(), TIMEOUT, MAX));
        byte[] garbage = new byte[NoiseHandshake.ACT_ONE_LENGTH];
        RANDOM.nextBytes(garbage);
        garbage[0] = 0x42; // not version 0
        responder.writeInbound(Unpooled.wrappedBuffer(garbage));

        assertFalse(responder.isActive());
        CloseReason reason = PeerChannels.closeReason(responder).orElseThrow();
        assertEquals(Kind.HANDSHAKE_FAILED, reason.kind());
        assertTrue(reason.detail().contains("ACT1_BAD_VERSION"), reason.detail());
        assertEquals(0, EmbeddedPair.outboundBytes(responder).length, "no act two is sent");
    }

    @Test
    void actOneForAnotherNode_failsTheMac() {
        PrivateKey carol = PrivateKey.random(RANDOM);
        EmbeddedPair p = new EmbeddedPair(
                List.of(NoiseHandler.initiator(alice, carol.publicKey(), EphemeralKeySource.secureRandom(), TIMEOUT, MAX)),
                List.of(NoiseHandler.responder(bob, EphemeralKeySource.secureRandom(), TIMEOUT, MAX)),
                Delivery.ONE_BYTE_AT_A_TIME);
        pairs.add(p);
        p.pumpAll();
        assertFalse(p.right.isActive());
        assertTrue(PeerChannels.closeReason(p.right).orElseThrow().detail().contains("ACT1_BAD_TAG"));
    }

    @Test
    void truncatedActThree_thenClose_isNamedAsSuch() {
        EmbeddedChannel initiator = channel(NoiseHandler.initiator(alice, bob.publicKey(),
                EphemeralKeySource.secureRandom(), TIMEOUT, MAX));
        EmbeddedChannel responder = channel(NoiseHandler.responder(bob, EphemeralKeySource.secureRandom(), TIMEOUT, MAX));
        EmbeddedPair.pump(initiator, responder, Delivery.ALL_AT_ONCE); // act one
        EmbeddedPair.pump(responder, initiator, Delivery.ALL_AT_ONCE); // act two
        byte[] actThree = EmbeddedPair.outboundBytes(initiator);
        assertEquals(NoiseHandshake.ACT_THREE_LENGTH, actThree.length);

        responder.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(actThree, 30)));
        assertTrue(responder.isActive(), "waits for the rest");
        peerHangsUp(responder);

        CloseReason reason = PeerChannels.closeReason(responder).orElseThrow();
        assertEquals(Kind.HANDSHAKE_FAILED, reason.kind());
        assertTrue(reason.detail().contains("ACT3_READ_FAILED") && reason.detail().contains("30 of 66"), reason.detail());
    }

    @Test
    void badMacMidStream_deliversWhatCameBeforeAndCloses() {
        EmbeddedPair p = pair(Delivery.ALL_AT_ONCE, MAX);
        p.pumpAll();
        p.left.writeAndFlush(message(1, 20));
        p.left.writeAndFlush(message(2, 20));
        p.left.writeAndFlush(message(3, 20));
        byte[] frames = EmbeddedPair.outboundBytes(p.left);
        int frame = TransportCipher.frameLength(20);
        frames[frame + TransportCipher.HEADER_LENGTH + 3] ^= 1; // second frame's body

        p.right.writeInbound(Unpooled.wrappedBuffer(frames));

        List<Object> received = EmbeddedPair.inbound(p.right);
        assertEquals(1, received.size());
        assertArrayEquals(message(1, 20), (byte[]) received.get(0));
        assertFalse(p.right.isActive());
        assertEquals(Kind.BAD_MAC, PeerChannels.closeReason(p.right).orElseThrow().kind());
    }

    @Test
    void badMacOnHeader_closes() {
        EmbeddedPair p = pair(Delivery.ALL_AT_ONCE, MAX);
        p.pumpAll();
        p.left.writeAndFlush(message(1, 20));
        byte[] frame = EmbeddedPair.outboundBytes(p.left);
        frame[0] ^= (byte) 0x80;
        p.right.writeInbound(Unpooled.wrappedBuffer(frame));
        assertTrue(EmbeddedPair.inbound(p.right).isEmpty());
        assertEquals(Kind.BAD_MAC, PeerChannels.closeReason(p.right).orElseThrow().kind());
    }

    @Test
    void frameLongerThanAllowed_closesBeforeItsBodyArrives() {
        EmbeddedPair p = pair(Delivery.ONE_BYTE_AT_A_TIME, 100);
        p.pumpAll();
        p.left.writeAndFlush(message(1, 100));
        p.pumpAll();
        assertEquals(1, EmbeddedPair.inbound(p.right).size());

        p.left.writeAndFlush(message(2, 101));
        byte[] frame = EmbeddedPair.outboundBytes(p.left);
        p.right.writeInbound(Unpooled.wrappedBuffer(frame, 0, TransportCipher.HEADER_LENGTH)); // header only

        assertFalse(p.right.isActive());
        CloseReason reason = PeerChannels.closeReason(p.right).orElseThrow();
        assertEquals(Kind.FRAME_TOO_LARGE, reason.kind());
        assertTrue(reason.detail().contains("101"), reason.detail());
    }

    @Test
    void messageOverTheLimit_failsItsWriteAndTheConnectionGoesOn() {
        EmbeddedPair p = pair(Delivery.ALL_AT_ONCE, MAX);
        p.pumpAll();
        ChannelFuture tooLong = p.left.writeAndFlush(new byte[MAX + 1]);
        assertInstanceOf(MessageTooLongException.class, tooLong.cause());
        p.left.writeAndFlush(message(5, 5));
        p.pumpAll();
        List<Object> received = EmbeddedPair.inbound(p.right);
        assertEquals(1, received.size());
        assertArrayEquals(message(5, 5), (byte[]) received.get(0));
    }

    @Test
    void writeAfterFailure_failsWithTheCloseReason() {
        EmbeddedChannel responder = channel(NoiseHandler.responder(bob, EphemeralKeySource.secureRandom(), TIMEOUT, MAX));
        responder.writeInbound(Unpooled.wrappedBuffer(new byte[NoiseHandshake.ACT_ONE_LENGTH]));
        ByteBuf buf = Unpooled.buffer().writeZero(4);
        ChannelFuture f = responder.writeAndFlush(buf);
        assertFalse(f.isSuccess());
        assertEquals(0, buf.refCnt(), "the handler released the buffer it was given");
    }

    @Test
    void peerClosingMidFrame_isRecordedAsRemoteClose() {
        EmbeddedPair p = pair(Delivery.ALL_AT_ONCE, MAX);
        p.pumpAll();
        p.left.writeAndFlush(message(1, 50));
        byte[] frame = EmbeddedPair.outboundBytes(p.left);
        p.right.writeInbound(Unpooled.wrappedBuffer(frame, 0, 30));
        peerHangsUp(p.right);
        CloseReason reason = PeerChannels.closeReason(p.right).orElseThrow();
        assertEquals(Kind.REMOTE_CLOSED, reason.kind());
        assertTrue(reason.detail().contains("middle of a frame"), reason.detail());
    }
}
