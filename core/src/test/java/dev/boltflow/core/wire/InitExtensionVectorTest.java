package dev.boltflow.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.testing.Vectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BOLT 1 Appendix C, Message Extension, from vectors/bolt01-init-extension.json. */
class InitExtensionVectorTest {
    private static final String FILE = "vectors/bolt01-init-extension.json";

    static Stream<Arguments> valid() {
        return Vectors.elements(Vectors.json(FILE).get("valid")).stream()
                .map(n -> Arguments.of(n.get("description").asText(), n));
    }

    static Stream<Arguments> invalid() {
        return Vectors.elements(Vectors.json(FILE).get("invalid")).stream()
                .map(n -> Arguments.of(n.get("description").asText(), n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void valid_init_decodes_and_reencodes_byte_for_byte(String description, JsonNode n) {
        byte[] bytes = Bytes.fromHex(n.get("message").asText()).toArray();
        WireMessage.Init init = assertInstanceOf(WireMessage.Init.class, WireCodec.decode(bytes), description);
        assertEquals(WireMessage.INIT, init.type());
        assertTrue(init.globalFeatures().isEmpty());
        assertTrue(init.features().isEmpty());
        assertTrue(init.networks().isEmpty());
        assertTrue(init.remoteAddr().isEmpty());
        // Whatever follows the base message is kept as unknown odd records.
        assertEquals(bytes.length - 6, init.unknownTlvs().encodedLength());
        init.unknownTlvs().records().forEach(r -> assertTrue(r.isOdd()));
        assertArrayEquals(bytes, WireCodec.encode(init), description);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalid_extension_must_close(String description, JsonNode n) {
        byte[] bytes = Bytes.fromHex(n.get("message").asText()).toArray();
        WireDecodeException e = assertThrows(WireDecodeException.class, () -> WireCodec.decode(bytes), description);
        assertEquals(WireDecodeException.Kind.INVALID_EXTENSION, e.kind());
        assertEquals(WireMessage.INIT, e.messageType());
        assertTrue(e.mustCloseConnection());
    }
}
