package dev.boltflow.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Two {@link EmbeddedChannel}s wired back to back: {@link #pump} moves what one side wrote into the
 * other as inbound bytes, either one byte per read or everything in a single read.
 */
final class EmbeddedPair implements AutoCloseable {
    enum Delivery { ONE_BYTE_AT_A_TIME, ALL_AT_ONCE }

    final EmbeddedChannel left;
    final EmbeddedChannel right;
    final Events leftEvents = new Events();
    final Events rightEvents = new Events();
    private final Delivery delivery;

    EmbeddedPair(List<ChannelHandler> leftHandlers, List<ChannelHandler> rightHandlers, Delivery delivery) {
        this.delivery = delivery;
        List<ChannelHandler> l = new ArrayList<>(leftHandlers);
        l.add(leftEvents);
        List<ChannelHandler> r = new ArrayList<>(rightHandlers);
        r.add(rightEvents);
        // Timers move only with advanceTimeBy, never with the wall clock: freeze before the handlers
        // schedule their deadlines.
        this.left = new EmbeddedChannel();
        this.right = new EmbeddedChannel();
        left.freezeTime();
        right.freezeTime();
        left.pipeline().addLast(l.toArray(new ChannelHandler[0]));
        right.pipeline().addLast(r.toArray(new ChannelHandler[0]));
    }

    /** Moves bytes both ways until neither side has anything more to say. Returns bytes moved. */
    int pumpAll() {
        int total = 0;
        int moved;
        do {
            moved = pump(left, right, delivery) + pump(right, left, delivery);
            total += moved;
        } while (moved > 0);
        return total;
    }

    /** What {@code from} wrote, delivered to {@code to}. */
    static int pump(EmbeddedChannel from, EmbeddedChannel to, Delivery delivery) {
        from.runPendingTasks();
        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = from.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            all.writeBytes(b);
            b.release();
        }
        int n = all.readableBytes();
        if (n == 0 || !to.isActive()) {
            all.release();
            return 0;
        }
        if (delivery == Delivery.ONE_BYTE_AT_A_TIME) {
            while (all.isReadable() && to.isActive()) {
                to.writeInbound(all.readRetainedSlice(1));
            }
            all.release();
        } else {
            to.writeInbound(all);
        }
        return n;
    }

    /** Every inbound message {@code ch} produced so far. */
    static List<Object> inbound(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    /** Every outbound buffer's bytes, concatenated; the buffers are released. */
    static byte[] outboundBytes(EmbeddedChannel ch) {
        ch.runPendingTasks();
        ByteBuf all = Unpooled.buffer();
        try {
            for (Object o; (o = ch.readOutbound()) != null; ) {
                ByteBuf b = (ByteBuf) o;
                all.writeBytes(b);
                b.release();
            }
            byte[] out = new byte[all.readableBytes()];
            all.readBytes(out);
            return out;
        } finally {
            all.release();
        }
    }

    @Override
    public void close() {
        left.finishAndReleaseAll();
        right.finishAndReleaseAll();
    }

    /** Records user events (the tail of each pipeline). */
    static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> events = new CopyOnWriteArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        <T> List<T> of(Class<T> type) {
            List<T> out = new ArrayList<>();
            for (Object e : events) {
                if (type.isInstance(e)) {
                    out.add(type.cast(e));
                }
            }
            return out;
        }
    }
}
