package dev.boltflow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.WireCodec;
import dev.boltflow.core.wire.WireMessage;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BOLT 1 messages from hostile bytes (one decrypted BOLT 8 message). Invariant:
 * {@link WireCodec#decode} throws only {@code WireDecodeException}, or returns a message that
 * encodes back to the input byte for byte (ping and pong: to the same length, as only the size of
 * {@code ignored} is kept) and decodes again to an equal message. Seeds: the messages of
 * {@code vectors/bolt01-init-extension.json}, the gossip queries of {@code bolt07/extended-queries.json}
 * and the {@code onion_message}s of {@code bolt04/blinded-onion-message-onion-test.json}. The encoded
 * arrays of gossip queries (zlib among them) decode or throw {@code DecodeException}.
 */
class WireCodecFuzzTest {
    private static final long BUDGET_PER_BYTE = 256;

    static Stream<Arguments> seeds() {
        FuzzSeeds seeds = FuzzSeeds.builder();
        JsonNode init = FuzzSeeds.vector("vectors/bolt01-init-extension.json");
        for (String group : new String[] {"valid", "invalid"}) {
            int i = 0;
            for (JsonNode v : init.path(group)) {
                seeds.addHex("init " + group + " " + i++, v.path("message").asText());
            }
        }
        int q = 0;
        for (JsonNode v : FuzzSeeds.vector("bolt07/extended-queries.json")) {
            seeds.addHex("gossip query " + q++, v.path("hex").asText());
        }
        int i = 0;
        for (JsonNode hop : FuzzSeeds.vector("bolt04/blinded-onion-message-onion-test.json").path("decrypt").path("hops")) {
            seeds.addHex("onion_message " + i++, hop.path("onion_message").asText());
        }
        return seeds.arguments();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void wireMessage(byte[] input) {
        FuzzChecks.withinAllocation(FuzzChecks.FIXED_ALLOWANCE + BUDGET_PER_BYTE * input.length, input,
                () -> check(input));
    }

    static void check(byte[] input) {
        WireMessage m;
        try {
            m = WireCodec.decode(input);
        } catch (RuntimeException e) {
            FuzzChecks.isTypedDecodeError(e, input);
            return;
        }
        try {
            if (m instanceof GossipMessage.QueryShortChannelIds q) {
                q.shortIds().ids();
                q.queryFlags().ifPresent(GossipMessage.EncodedQueryFlags::flags);
            } else if (m instanceof GossipMessage.ReplyChannelRange r) {
                r.shortIds().ids();
                r.timestamps().ifPresent(GossipMessage.EncodedTimestamps::timestamps);
                r.checksums().ifPresent(GossipMessage.UpdateChecksums::checksums);
            }
        } catch (RuntimeException e) {
            FuzzChecks.isTypedDecodeError(e, input);
        }
        byte[] again = WireCodec.encode(m);
        assertEquals(m, WireCodec.decode(again), "decode(encode(m)) = m");
        if (m instanceof WireMessage.Ping || m instanceof WireMessage.Pong) {
            assertEquals(input.length, again.length, "ping/pong keep the size of ignored");
        } else {
            assertArrayEquals(input, again, "encode(decode(bytes)) = bytes");
        }
    }
}
