package dev.boltflow.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Framing with fragmented input: {@link RequestFramer} then {@link FramingGuard}. */
class RequestFramerTest {
    private static final int MAX = 64;

    private final EmbeddedChannel channel = new EmbeddedChannel(new RequestFramer(MAX), new FramingGuard(MAX));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private void write(String s) {
        channel.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    private List<Object> drain() {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = channel.readInbound()) != null) {
            if (o instanceof ByteBuf b) {
                out.add(b.toString(StandardCharsets.UTF_8));
                b.release();
            } else {
                out.add(o);
            }
        }
        return out;
    }

    @Test
    void objectsBackToBack_fedByteByByte_framedOneByOne() {
        String input = "{\"a\":\"}{\"}\n\t {\"b\":[1,{\"c\":2}]}{}";
        List<Object> frames = new ArrayList<>();
        for (char c : input.toCharArray()) {
            write(String.valueOf(c));
            frames.addAll(drain());
        }
        assertEquals(List.of("{\"a\":\"}{\"}", "{\"b\":[1,{\"c\":2}]}", "{}"), frames);
    }

    @Test
    void manyObjectsInOneBufferLargerThanTheLimit_allFramed() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append("{\"i\":").append(i).append("} ");
        }
        assertTrue(sb.length() > 3 * MAX);
        write(sb.toString());
        List<Object> frames = drain();
        assertEquals(40, frames.size());
        assertEquals("{\"i\":39}", frames.get(39));
    }

    @Test
    void objectOfExactlyTheLimit_framed() {
        String exact = "{\"s\":\"" + "x".repeat(MAX - 8) + "\"}";
        assertEquals(MAX, exact.length());
        write(exact + exact);
        assertEquals(List.of(exact, exact), drain());
    }

    @Test
    void objectOverTheLimit_oneErrorThenEverythingDropped() {
        String over = "{\"s\":\"" + "x".repeat(MAX - 7) + "\"}";
        write(over.substring(0, MAX));
        assertEquals(List.of(), drain(), "waits: the object may still end at the limit");
        write(over.substring(MAX) + "{\"after\":1}");
        List<Object> out = drain();
        assertEquals(1, out.size());
        FramingGuard.FramingError error = (FramingGuard.FramingError) out.get(0);
        assertEquals(RpcException.INVALID_REQUEST, error.error().code());
        write("{\"later\":2}");
        assertEquals(List.of(), drain());
        assertTrue(channel.isOpen(), "the server closes after answering, not the framer");
    }

    @Test
    void oversizedObjectWithoutMoreInput_detectedAsSoonAsItPassesTheLimit() {
        write("{\"s\":\"" + "x".repeat(2 * MAX));
        List<Object> out = drain();
        assertEquals(1, out.size());
        assertTrue(out.get(0) instanceof FramingGuard.FramingError);
    }

    @Test
    void bytesOutsideAnObject_parseErrorAfterTheObjectsBefore() {
        write("{\"a\":1} 42 {\"b\":2}");
        List<Object> out = drain();
        assertEquals(2, out.size(), out.toString());
        assertEquals("{\"a\":1}", out.get(0));
        assertEquals(RpcException.PARSE_ERROR, ((FramingGuard.FramingError) out.get(1)).error().code());
        write("{\"c\":3}");
        assertEquals(List.of(), drain());
    }

    @Test
    void inputShutdown_endOfRequestsAfterTheLastRequest() {
        write("{\"a\":1}");
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(List.of("{\"a\":1}", FramingGuard.EndOfRequests.INSTANCE), drain());
        assertNull(channel.readInbound());
        assertFalse(channel.finishAndReleaseAll());
    }
}
