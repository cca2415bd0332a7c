package dev.boltflow.transport.netty;

import dev.boltflow.core.noise.TransportCipher;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.CloseReason.Kind;
import dev.boltflow.transport.PeerClosedException;
import dev.boltflow.transport.PeerQueueFullException;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application's bounded send queue for one peer. {@link #enqueue} may be called from any
 * thread: it counts the message's frame size against {@code maxQueuedBytes} (refusing with
 * {@link PeerQueueFullException} when over) and hands it to the event loop, which writes queued
 * messages only while the channel is writable and resumes when it becomes writable again. A
 * message's bytes count until its write completes, so the bound covers our queue and Netty's
 * outbound buffer together. Per channel; never {@code @Sharable}.
 */
public final class OutboundQueueHandler extends ChannelDuplexHandler {
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Filled from any thread, drained on the event loop. */
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile ChannelHandlerContext ctx;
    private volatile boolean closed;

    public OutboundQueueHandler(long maxQueuedBytes) {
        if (maxQueuedBytes <= 0) {
            throw new IllegalArgumentException("maxQueuedBytes must be positive: " + maxQueuedBytes);
        }
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Bytes accepted and not yet written to the socket. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /**
     * Queues one encoded Lightning message (type ‖ payload). The future completes when its frame
     * has been written to the socket, or fails with {@link PeerClosedException} if the connection
     * closes first. A message is always accepted when nothing is queued, whatever its size.
     *
     * @throws PeerQueueFullException if it does not fit; nothing was queued
     */
    public ChannelFuture enqueue(byte[] message) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("not added to a pipeline yet");
        }
        ChannelPromise promise = c.newPromise();
        if (closed) {
            return promise.setFailure(closedException(c));
        }
        long size = TransportCipher.frameLength(message.length);
        long after = queuedBytes.addAndGet(size);
        if (after > maxQueuedBytes && after != size) {
            queuedBytes.addAndGet(-size);
            throw new PeerQueueFullException(after - size, size, maxQueuedBytes);
        }
        promise.addListener(f -> queuedBytes.addAndGet(-size));
        // The queue fixes the order: messages go out in the order enqueue was called, from any thread.
        queue.add(new Entry(message, promise));
        if (c.executor().inEventLoop()) {
            drain(c);
        } else if (drainScheduled.compareAndSet(false, true)) {
            try {
                c.executor().execute(() -> {
                    drainScheduled.set(false);
                    drain(c);
                });
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                closed = true;
                failAll(c); // the event loop is gone: so is the channel
            }
        }
        return promise;
    }

    /** Event loop only. */
    private void drain(ChannelHandlerContext c) {
        if (closed) {
            failAll(c);
            return;
        }
        boolean wrote = false;
        while (c.channel().isWritable()) {
            Entry e = queue.poll();
            if (e == null) {
                break;
            }
            c.write(e.message, e.promise);
            wrote = true;
        }
        if (wrote) {
            c.flush();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        failAll(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        drain(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failAll(ctx);
        ctx.fireChannelInactive();
    }

    private void failAll(ChannelHandlerContext ctx) {
        closed = true;
        Entry entry = queue.poll();
        if (entry == null) {
            return;
        }
        PeerClosedException e = closedException(ctx);
        do {
            entry.promise.tryFailure(e);
        } while ((entry = queue.poll()) != null);
    }

    private static PeerClosedException closedException(ChannelHandlerContext ctx) {
        return new PeerClosedException(PeerChannels.closeReason(ctx.channel())
                .orElse(CloseReason.of(Kind.REMOTE_CLOSED, "connection closed")));
    }

    private static final class Entry {
        final byte[] message;
        final ChannelPromise promise;

        Entry(byte[] message, ChannelPromise promise) {
            this.message = message;
            this.promise = promise;
        }
    }
}
