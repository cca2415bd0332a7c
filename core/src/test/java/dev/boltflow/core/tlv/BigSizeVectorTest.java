package dev.boltflow.core.tlv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.testing.Vectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BOLT 1 Appendix A, read from ../shared/bolts/vectors/bolt01-bigsize.json. */
class BigSizeVectorTest {

    static Stream<Arguments> decoding() {
        return Vectors.elements(Vectors.json("vectors/bolt01-bigsize.json").get("decoding_tests")).stream()
                .map(n -> Arguments.of(n.get("name").asText(), n));
    }

    static Stream<Arguments> encoding() {
        return Vectors.elements(Vectors.json("vectors/bolt01-bigsize.json").get("encoding_tests")).stream()
                .map(n -> Arguments.of(n.get("name").asText(), n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoding")
    void decode_vector_matches(String name, JsonNode n) {
        byte[] bytes = Bytes.fromHex(n.get("bytes").asText()).toArray();
        ByteReader r = new ByteReader(bytes);
        if (n.hasNonNull("exp_error")) {
            assertThrows(DecodeException.class, () -> r.bigSize("bigsize"), name);
        } else {
            long v = r.bigSize("bigsize");
            assertEquals(n.get("value").bigIntegerValue().longValue(), v, name);
            assertTrue(r.isEmpty(), "whole input consumed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoding")
    void encode_vector_matches(String name, JsonNode n) {
        long v = n.get("value").bigIntegerValue().longValue();
        byte[] expected = Bytes.fromHex(n.get("bytes").asText()).toArray();
        assertArrayEquals(expected, new ByteWriter().bigSize(v).toByteArray(), name);
        assertEquals(expected.length, ByteWriter.bigSizeLength(v));
    }
}
