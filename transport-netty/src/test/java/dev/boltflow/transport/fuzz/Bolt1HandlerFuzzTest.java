package dev.boltflow.transport.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.InvoiceFixtures;
import dev.boltflow.core.fuzz.FuzzChecks;
import dev.boltflow.core.fuzz.FuzzSeeds;
import dev.boltflow.core.wire.WireCodec;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.Bolt1Handler;
import dev.boltflow.transport.netty.NoiseHandshakeCompletedEvent;
import dev.boltflow.transport.netty.WireCodecHandler;
import dev.boltflow.transport.testing.NoLeaks;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BOLT 1 over a connection: {@link WireCodecHandler} and {@link Bolt1Handler} in an
 * {@code EmbeddedChannel} right after the BOLT 8 handshake, fed hostile decrypted messages. Input:
 * seconds to advance the clock at the end (1 byte, for the init and pong timers), then messages as
 * {@code len:u16 ‖ bytes}. Invariant: nothing escapes the pipeline, the connection never closes for a
 * reason that means a bug, every message we send is one the codec reads back, and we answer at most
 * one pong per ping (BOLT 1). Seeds: {@code init} messages of {@code vectors/bolt01-init-extension.json},
 * each followed by the {@code onion_message}s of {@code bolt04/blinded-onion-message-onion-test.json}.
 */
@ExtendWith(NoLeaks.class)
class Bolt1HandlerFuzzTest {
    static Stream<Arguments> seeds() {
        JsonNode init = FuzzSeeds.vector("vectors/bolt01-init-extension.json");
        byte[] onions = new byte[0];
        for (JsonNode hop : FuzzSeeds.vector("bolt04/blinded-onion-message-onion-test.json").path("decrypt").path("hops")) {
            onions = FuzzSeeds.concat(onions, framed(FuzzSeeds.hex(hop.path("onion_message").asText())));
        }
        FuzzSeeds seeds = FuzzSeeds.builder();
        for (String group : new String[] {"valid", "invalid"}) {
            int i = 0;
            for (JsonNode v : init.path(group)) {
                byte[] message = framed(FuzzSeeds.hex(v.path("message").asText()));
                seeds.add("init " + group + " " + i, FuzzSeeds.concat(new byte[] {0}, message, onions));
                seeds.add("init " + group + " " + i++ + ", then 60 s", FuzzSeeds.concat(new byte[] {60}, message));
            }
        }
        return seeds.arguments();
    }

    private static byte[] framed(byte[] message) {
        return FuzzSeeds.concat(new byte[] {(byte) (message.length >>> 8), (byte) message.length}, message);
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void bolt1(byte[] input) {
        if (input.length == 0) {
            return;
        }
        FuzzChecks.withinAllocation(FuzzChecks.FIXED_ALLOWANCE + 64L * input.length, input, () -> run(input));
    }

    private static void run(byte[] input) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = Channels.channel(alloc);
        ch.pipeline().addLast(new WireCodecHandler(), new Bolt1Handler(TransportConfig.defaults()));
        ch.pipeline().fireUserEventTriggered(new NoiseHandshakeCompletedEvent(InvoiceFixtures.OTHER.publicKey(), false));
        int pings = 0;
        int at = 1;
        while (at + 2 <= input.length && ch.isOpen()) {
            int len = ((input[at] & 0xff) << 8) | (input[at + 1] & 0xff);
            at += 2;
            int end = Math.min(input.length, at + len);
            byte[] message = java.util.Arrays.copyOfRange(input, at, end);
            at = end;
            if (message.length >= 2 && ((message[0] & 0xff) << 8 | (message[1] & 0xff)) == WireMessage.PING) {
                pings++;
            }
            try {
                ch.writeInbound((Object) message);
                ch.runPendingTasks();
            } catch (RuntimeException e) {
                throw FuzzChecks.untyped(e, input);
            }
        }
        ch.advanceTimeBy(input[0] & 0xff, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();

        List<WireMessage> sent = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            assertTrue(o instanceof byte[], "outbound " + o.getClass());
            sent.add(WireCodec.decode((byte[]) o));
        }
        assertTrue(!sent.isEmpty() && sent.get(0).type() == WireMessage.INIT, "init goes out first");
        long pongs = sent.stream().filter(m -> m.type() == WireMessage.PONG).count();
        assertTrue(pongs <= pings, pongs + " pongs for " + pings + " pings");
        for (Object m : Channels.drainInbound(ch)) {
            assertTrue(m instanceof WireMessage, "inbound " + m.getClass());
            int type = ((WireMessage) m).type();
            assertTrue(type != WireMessage.INIT && type != WireMessage.PING && type != WireMessage.PONG,
                    "BOLT 1 control message passed on: " + type);
        }
        assertEquals(0, alloc.unreleased().size());
        Channels.finish(ch, alloc, input);
    }
}
