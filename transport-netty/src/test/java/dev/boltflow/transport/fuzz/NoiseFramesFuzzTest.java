package dev.boltflow.transport.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.fuzz.FuzzChecks;
import dev.boltflow.core.fuzz.FuzzSeeds;
import dev.boltflow.core.noise.NoiseHandshake;
import dev.boltflow.core.noise.TransportCipher;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.netty.NoiseHandler;
import dev.boltflow.transport.netty.PeerChannels;
import dev.boltflow.transport.testing.NoLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The BOLT 8 frame decoder of {@link NoiseHandler} after a real handshake, driven by a program the
 * fuzzer writes, so that it gets past the MACs: messages of chosen sizes encrypted by the peer's
 * real cipher, bytes flipped, raw bytes spliced in, the stream cut short, all delivered in reads
 * of a chosen size, to a responder with a chosen message limit.
 *
 * <p>Input: read size (1 byte, 0 = one read), limit (1 byte: 0 = 65535, else 16 times it), then
 * ops: {@code 0 len:u16 bytes…} a message of {@code len & 0x1fff} bytes; {@code 1 pos:u16 x} XOR
 * byte {@code pos} of the stream so far with {@code x | 1}; {@code 2 n bytes…} n raw bytes;
 * {@code 3 n} drop the last n bytes.
 *
 * <p>Invariant: what comes out is exactly a prefix of the messages sent (a flipped byte is never
 * delivered); untouched within the limit, all arrive and the channel stays open; a message over the
 * limit closes it as FRAME_TOO_LARGE after the ones before it; never a bug-shaped close, never an
 * unreleased buffer. Seeds: the BOLT 8 encryption vector's message, sent, repeated, tampered with.
 */
@ExtendWith(NoLeaks.class)
class NoiseFramesFuzzTest {
    private static final String FILE = "vectors/bolt08-handshake.json";
    private static PrivateKey responderStatic;
    private static PrivateKey responderEphemeral;
    private static PrivateKey initiatorStatic;
    private static PrivateKey initiatorEphemeral;

    static Stream<Arguments> seeds() {
        byte[] hello = FuzzSeeds.hex(FuzzSeeds.vector("vectors/bolt08-encryption.json").path("tests").get(0)
                .path("message_hex").asText());
        byte[] send = FuzzSeeds.concat(new byte[] {0, 0, (byte) hello.length}, hello);
        FuzzSeeds seeds = FuzzSeeds.builder();
        seeds.add("one message", FuzzSeeds.concat(new byte[] {0, 0}, send));
        seeds.add("three messages, 5-byte reads", FuzzSeeds.concat(new byte[] {5, 0}, send, send, send));
        seeds.add("flipped length", FuzzSeeds.concat(new byte[] {0, 0}, send, send, new byte[] {1, 0, 25, 0x40}));
        seeds.add("flipped body", FuzzSeeds.concat(new byte[] {0, 0}, send, new byte[] {1, 0, 20, 0x02}, send));
        seeds.add("over the limit", FuzzSeeds.concat(new byte[] {0, 1}, send, new byte[] {0, 0, 40}, send));
        seeds.add("cut short", FuzzSeeds.concat(new byte[] {3, 0}, send, send, new byte[] {3, 9}));
        seeds.add("raw bytes", FuzzSeeds.concat(new byte[] {0, 0}, send, new byte[] {2, 5}, hello, send));
        return seeds.arguments();
    }

    private static synchronized void keys() {
        if (responderStatic == null) {
            JsonNode v = FuzzSeeds.vector(FILE);
            JsonNode r = v.path("responder_tests").get(0).path("keys");
            JsonNode i = v.path("initiator_tests").get(0).path("keys");
            responderStatic = key(r, "ls_priv");
            responderEphemeral = key(r, "e_priv");
            initiatorStatic = key(i, "ls_priv");
            initiatorEphemeral = key(i, "e_priv");
        }
    }

    private static PrivateKey key(JsonNode keys, String name) {
        return PrivateKey.fromBytes(FuzzSeeds.hex(keys.path(name).asText()));
    }

    /** The fuzzer's program, compiled to a byte stream and what it should deliver. */
    private static final class Program {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final List<byte[]> sent = new ArrayList<>();
        boolean tampered;
        int firstTooLarge = -1;
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void noiseFrames(byte[] input) {
        keys();
        if (input.length < 2) {
            return;
        }
        FuzzChecks.withinAllocation(FuzzChecks.CRYPTO_ALLOWANCE + 64L * input.length, input, () -> run(input));
    }

    private static void run(byte[] input) {
        int chunk = input[0] & 0xff;
        int limit = (input[1] & 0xff) == 0 ? TransportCipher.MAX_MESSAGE_LENGTH : 16 * (input[1] & 0xff);

        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = Channels.channel(alloc);
        NoiseHandler handler = NoiseHandler.responder(responderStatic, () -> responderEphemeral,
                Duration.ofSeconds(30), limit);
        ch.pipeline().addLast(handler);
        NoiseHandshake.Initiator peer = NoiseHandshake.initiator(initiatorStatic, responderStatic.publicKey(),
                () -> initiatorEphemeral);
        Channels.feed(ch, alloc, peer.actOne(), 0, input);
        ByteBuf actTwo = ch.readOutbound();
        byte[] two = new byte[actTwo.readableBytes()];
        actTwo.readBytes(two);
        actTwo.release();
        Channels.feed(ch, alloc, peer.actThree(two), 0, input);
        assertTrue(handler.isHandshakeComplete(), "handshake with the vector keys");
        TransportCipher cipher = peer.result().cipher();

        Program p = compile(input, cipher, limit);
        Channels.feed(ch, alloc, p.stream.toByteArray(), chunk, input);
        List<Object> delivered = Channels.drainInbound(ch);

        assertTrue(delivered.size() <= p.sent.size(), "more messages than were sent");
        for (int i = 0; i < delivered.size(); i++) {
            assertArrayEquals(p.sent.get(i), (byte[]) delivered.get(i), "message " + i + " for " + FuzzChecks.describe(input));
        }
        if (!p.tampered) {
            int expected = p.firstTooLarge < 0 ? p.sent.size() : p.firstTooLarge;
            assertEquals(expected, delivered.size(), "delivered of " + p.sent.size() + " for " + FuzzChecks.describe(input));
            assertEquals(p.firstTooLarge < 0, ch.isOpen(), "open unless a frame was too large");
            if (p.firstTooLarge >= 0) {
                assertEquals(CloseReason.Kind.FRAME_TOO_LARGE, PeerChannels.closeReason(ch).orElseThrow().kind());
            }
        }
        Channels.finish(ch, alloc, input);
    }

    private static Program compile(byte[] input, TransportCipher cipher, int limit) {
        Program p = new Program();
        int at = 2;
        while (at < input.length) {
            int op = (input[at++] & 0xff) % 4;
            switch (op) {
                case 0: {
                    int len = (u16(input, at) & 0x1fff);
                    at += 2;
                    byte[] m = new byte[len];
                    int available = Math.max(0, Math.min(len, input.length - at));
                    System.arraycopy(input, Math.min(at, input.length), m, 0, available);
                    at += available;
                    if (len > limit && p.firstTooLarge < 0) {
                        p.firstTooLarge = p.sent.size();
                    }
                    p.sent.add(m);
                    p.stream.writeBytes(cipher.encrypt(m));
                    break;
                }
                case 1: {
                    int pos = u16(input, at);
                    at += 2;
                    int x = (at < input.length ? input[at] : 0) | 1;
                    at++;
                    byte[] s = p.stream.toByteArray();
                    if (s.length > 0) {
                        s[pos % s.length] ^= (byte) x;
                        p.stream.reset();
                        p.stream.writeBytes(s);
                        p.tampered = true;
                    }
                    break;
                }
                case 2: {
                    int n = at < input.length ? input[at] & 0xff : 0;
                    at++;
                    int available = Math.max(0, Math.min(n, input.length - at));
                    p.stream.write(input, Math.min(at, input.length), available);
                    at += available;
                    p.tampered |= available > 0;
                    break;
                }
                default: {
                    int n = at < input.length ? input[at] & 0xff : 0;
                    at++;
                    byte[] s = p.stream.toByteArray();
                    int keep = Math.max(0, s.length - n);
                    p.stream.reset();
                    p.stream.write(s, 0, keep);
                    p.tampered |= keep < s.length;
                    break;
                }
            }
        }
        return p;
    }

    private static int u16(byte[] in, int at) {
        int hi = at < in.length ? in[at] & 0xff : 0;
        int lo = at + 1 < in.length ? in[at + 1] & 0xff : 0;
        return (hi << 8) | lo;
    }
}
