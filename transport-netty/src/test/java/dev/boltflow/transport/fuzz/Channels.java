package dev.boltflow.transport.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.fuzz.FuzzChecks;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.netty.PeerChannels;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What the transport fuzz targets share: feeding an EmbeddedChannel and checking how it ended. */
final class Channels {
    /** Close reasons that mean a bug on our side, never a hostile peer: an exception got loose. */
    static final Set<CloseReason.Kind> OUR_FAULT = EnumSet.of(CloseReason.Kind.INTERNAL_ERROR, CloseReason.Kind.IO_ERROR);

    static {
        // A fuzzing JVM runs one target only; the warning logged for every refused peer would
        // otherwise cost more than the decoding. Regression runs (shared JVMs) keep their logging.
        if (System.getenv("JAZZER_FUZZ") != null) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.boltflow"))
                    .setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private Channels() {
    }

    /** A channel on a frozen clock with a tracking allocator; handlers are added by the caller. */
    static EmbeddedChannel channel(TrackingAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.config().setAllocator(alloc);
        return ch;
    }

    /**
     * Writes {@code stream} inbound in reads of {@code chunk} bytes (0: one read), stopping once the
     * channel is closed. An exception reaching the end of the pipeline fails the input.
     */
    static void feed(EmbeddedChannel ch, TrackingAllocator alloc, byte[] stream, int chunk, byte[] input) {
        int step = chunk <= 0 ? Math.max(1, stream.length) : chunk;
        for (int at = 0; at < stream.length && ch.isOpen(); at += step) {
            ByteBuf buf = alloc.copy(stream, at, Math.min(stream.length, at + step));
            try {
                ch.writeInbound(buf);
            } catch (RuntimeException e) {
                throw FuzzChecks.untyped(e, input);
            }
            ch.runPendingTasks();
        }
    }

    /** Drains the outbound side, releasing buffers; returns how many messages went out. */
    static List<Object> drainOutbound(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            out.add(o instanceof ByteBuf b ? b.readableBytes() : o);
            ReferenceCountUtil.release(o);
        }
        return out;
    }

    /** Drains the inbound side, releasing what is reference counted. */
    static List<Object> drainInbound(EmbeddedChannel ch) {
        List<Object> in = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            in.add(o);
            ReferenceCountUtil.release(o);
        }
        return in;
    }

    /**
     * Closes the channel as a peer hanging up would, finishes it, and checks that it did not close
     * for a reason that means a bug, and that every buffer allocated for it was released.
     */
    static void finish(EmbeddedChannel ch, TrackingAllocator alloc, byte[] input) {
        try {
            ch.unsafe().close(ch.voidPromise());
            ch.runPendingTasks();
            drainOutbound(ch);
            drainInbound(ch);
            ch.finishAndReleaseAll();
        } catch (RuntimeException e) {
            throw FuzzChecks.untyped(e, input);
        }
        PeerChannels.closeReason(ch).ifPresent(r -> assertTrue(!OUR_FAULT.contains(r.kind()),
                "closed as " + r + " for " + FuzzChecks.describe(input)));
        List<String> leaked = alloc.unreleased();
        assertTrue(leaked.isEmpty(), "unreleased buffers " + leaked + " for " + FuzzChecks.describe(input));
    }
}
