package dev.boltflow.transport.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.noise.TransportCipher;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.CloseReason.Kind;
import dev.boltflow.transport.PeerClosedException;
import dev.boltflow.transport.PeerQueueFullException;
import dev.boltflow.transport.testing.NoLeaks;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class OutboundQueueHandlerTest {
    private static final int FRAME_OF_10 = TransportCipher.frameLength(10);

    private final OutboundQueueHandler queue = new OutboundQueueHandler(3L * FRAME_OF_10);
    private final EmbeddedChannel channel = new EmbeddedChannel(queue);

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private void writable(boolean writable) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        channel.runPendingTasks();
    }

    private static byte[] msg(int i) {
        byte[] m = new byte[10];
        m[0] = (byte) i;
        return m;
    }

    @Test
    void writableChannel_writesAtOnce_andReleasesTheCount() {
        ChannelFuture f = queue.enqueue(msg(1));
        assertTrue(f.isSuccess());
        assertArrayEquals(msg(1), channel.readOutbound());
        assertEquals(0, queue.queuedBytes());
    }

    @Test
    void unwritableChannel_holdsMessages_untilWritable_inOrder() {
        writable(false);
        ChannelFuture a = queue.enqueue(msg(1));
        ChannelFuture b = queue.enqueue(msg(2));
        assertFalse(a.isDone());
        assertNull(channel.readOutbound());
        assertEquals(2L * FRAME_OF_10, queue.queuedBytes());

        writable(true);
        assertTrue(a.isSuccess() && b.isSuccess());
        assertArrayEquals(msg(1), channel.readOutbound());
        assertArrayEquals(msg(2), channel.readOutbound());
        assertEquals(0, queue.queuedBytes());
    }

    @Test
    void fullQueue_refusesWithATypedError_andAcceptsAgainOnceDrained() {
        writable(false);
        queue.enqueue(msg(1));
        queue.enqueue(msg(2));
        queue.enqueue(msg(3));
        PeerQueueFullException e = assertThrows(PeerQueueFullException.class, () -> queue.enqueue(msg(4)));
        assertEquals(3L * FRAME_OF_10, e.queuedBytes());
        assertEquals(FRAME_OF_10, e.messageBytes());
        assertEquals(3L * FRAME_OF_10, e.maxQueuedBytes());

        writable(true);
        assertTrue(queue.enqueue(msg(5)).isSuccess());
        for (int i : new int[] {1, 2, 3, 5}) {
            assertArrayEquals(msg(i), channel.readOutbound());
        }
    }

    @Test
    void messageLargerThanTheBound_isAcceptedWhenNothingIsQueued() {
        writable(false);
        ChannelFuture big = queue.enqueue(new byte[200]);
        assertFalse(big.isDone());
        assertThrows(PeerQueueFullException.class, () -> queue.enqueue(msg(1)));
        writable(true);
        assertTrue(big.isSuccess());
        assertEquals(200, ((byte[]) channel.readOutbound()).length);
    }

    @Test
    void closing_failsQueuedMessagesWithTheReason_andLaterSendsToo() {
        writable(false);
        ChannelFuture a = queue.enqueue(msg(1));
        PeerChannels.close(channel, CloseReason.of(Kind.LOCAL_DISCONNECT, "test"));
        channel.runPendingTasks();

        PeerClosedException e = assertInstanceOf(PeerClosedException.class, a.cause());
        assertEquals(Kind.LOCAL_DISCONNECT, e.reason().kind());
        assertInstanceOf(PeerClosedException.class, queue.enqueue(msg(2)).cause());
        assertEquals(0, queue.queuedBytes());
    }
}
