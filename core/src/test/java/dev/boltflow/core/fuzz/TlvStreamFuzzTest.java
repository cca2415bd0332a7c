package dev.boltflow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BOLT 1 TLV streams and BigSize from hostile bytes. Invariant: {@link TlvStream#decode} either
 * throws its typed error or returns records that re-encode to exactly the input (minimal
 * encodings, increasing types), and the namespace rule rejects exactly the unknown even types.
 * Seeds: every stream of {@code vectors/bolt01-tlv.json} and every BigSize of {@code bolt01-bigsize.json}.
 */
class TlvStreamFuzzTest {
    private static final long BUDGET_FIXED = FuzzChecks.FIXED_ALLOWANCE;
    private static final long BUDGET_PER_BYTE = 64;

    static Stream<Arguments> seeds() {
        FuzzSeeds seeds = FuzzSeeds.builder();
        JsonNode tlv = FuzzSeeds.vector("vectors/bolt01-tlv.json");
        for (String group : new String[] {"decoding_successes", "decoding_failures", "stream_decoding_failures"}) {
            int i = 0;
            for (JsonNode v : tlv.path(group)) {
                seeds.addHex("tlv " + group + " " + i++, v.path("stream").asText());
            }
        }
        JsonNode bigSize = FuzzSeeds.vector("vectors/bolt01-bigsize.json");
        for (String group : new String[] {"decoding_tests", "encoding_tests"}) {
            for (JsonNode v : bigSize.path(group)) {
                seeds.addHex("bigsize " + v.path("name").asText(), v.path("bytes").asText());
            }
        }
        return seeds.arguments();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void tlvStream(byte[] input) {
        FuzzChecks.withinAllocation(BUDGET_FIXED + BUDGET_PER_BYTE * input.length, input, () -> check(input));
    }

    private static void check(byte[] input) {
        TlvStream s;
        try {
            s = TlvStream.decode(input);
        } catch (RuntimeException e) {
            FuzzChecks.isTypedDecodeError(e, input);
            return;
        }
        // Round trip: the stream is kept byte for byte.
        assertArrayEquals(input, s.encode(), "re-encoding of " + FuzzChecks.describe(input));
        assertEquals(input.length, s.encodedLength());
        long previous = -1;
        for (TlvRecord r : s.records()) {
            if (previous != -1 || r != s.records().get(0)) {
                assertEquals(1, Long.compareUnsigned(r.type(), previous), "types increase");
            }
            previous = r.type();
        }
        // BOLT 1: unknown even types fail the stream, unknown odd ones are kept.
        boolean anyEven = s.records().stream().anyMatch(r -> !r.isOdd());
        try {
            TlvStream.decode(input, t -> false);
            assertEquals(false, anyEven, "an unknown even type was accepted: " + FuzzChecks.describe(input));
        } catch (RuntimeException e) {
            FuzzChecks.isTypedDecodeError(e, input);
            assertEquals(true, anyEven, "rejected without an even type: " + e.getMessage());
        }
        // The same bytes read as BigSize values one after another: typed errors only.
        ByteReader in = new ByteReader(input);
        try {
            while (!in.isEmpty()) {
                in.bigSize("value");
            }
        } catch (RuntimeException e) {
            FuzzChecks.isTypedDecodeError(e, input);
        }
    }
}
