package dev.boltflow.core.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BOLT 8 Appendix A, Initiator Tests and Responder Tests, from vectors/bolt08-handshake.json. */
class HandshakeVectorTest extends OnEachSecp256k1Provider {
    private static final String FILE = "vectors/bolt08-handshake.json";

    static Stream<Arguments> initiatorTests() {
        return Vectors.elements(Vectors.json(FILE).get("initiator_tests")).stream()
                .map(n -> Arguments.of(n.get("name").asText(), n));
    }

    static Stream<Arguments> responderTests() {
        return Vectors.elements(Vectors.json(FILE).get("responder_tests")).stream()
                .map(n -> Arguments.of(n.get("name").asText(), n));
    }

    private static byte[] hex(JsonNode n, String field) {
        return Bytes.fromHex(n.get(field).asText()).toArray();
    }

    private static PrivateKey key(JsonNode keys, String field) {
        return PrivateKey.fromBytes(hex(keys, field));
    }

    private static EphemeralKeySource fixed(JsonNode keys) {
        PrivateKey e = key(keys, "e_priv");
        return () -> e;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("initiatorTests")
    void initiator_vector_matches(String name, JsonNode t) {
        JsonNode keys = t.get("keys");
        PrivateKey ls = key(keys, "ls_priv");
        assertEquals(keys.get("ls_pub").asText(), ls.publicKey().toHex(), "ls_pub");
        assertEquals(keys.get("e_pub").asText(), key(keys, "e_priv").publicKey().toHex(), "e_pub");
        PublicKey rs = PublicKey.fromHex(keys.get("rs_pub").asText());
        NoiseHandshake.Initiator initiator = NoiseHandshake.initiator(ls, rs, fixed(keys));

        byte[] actOne = initiator.actOne();
        assertEquals(NoiseHandshake.ACT_ONE_LENGTH, actOne.length);
        assertArrayEquals(hex(t, "act_one_output"), actOne, "act one");

        byte[] actTwo = hex(t, "act_two_input");
        if (t.hasNonNull("expected_error_code")) {
            HandshakeException e = assertThrows(HandshakeException.class, () -> initiator.actThree(actTwo));
            assertEquals(t.get("expected_error_code").asText(), e.code().name(), name);
            assertNamesTheVersion(e, actTwo);
            assertFalse(initiator.isComplete());
            assertThrows(IllegalStateException.class, initiator::result);
            assertThrows(IllegalStateException.class, () -> initiator.actThree(actTwo), "a failed handshake stays failed");
            return;
        }
        byte[] actThree = initiator.actThree(actTwo);
        assertEquals(NoiseHandshake.ACT_THREE_LENGTH, actThree.length);
        assertArrayEquals(hex(t, "act_three_output"), actThree, "act three");
        assertTrue(initiator.isComplete());
        HandshakeResult result = initiator.result();
        assertEquals(rs, result.remoteStatic());
        JsonNode finalKeys = t.get("final_keys");
        assertArrayEquals(hex(finalKeys, "sk"), result.cipher().sendingKey(), "sk");
        assertArrayEquals(hex(finalKeys, "rk"), result.cipher().receivingKey(), "rk");
        assertEquals(0, result.cipher().sendingNonce());
        assertEquals(0, result.cipher().receivingNonce());
        assertArrayEquals(result.cipher().sendingChainingKey(), result.cipher().receivingChainingKey(), "sck = rck");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responderTests")
    void responder_vector_matches(String name, JsonNode t) {
        JsonNode keys = t.get("keys");
        PrivateKey ls = key(keys, "ls_priv");
        assertEquals(keys.get("ls_pub").asText(), ls.publicKey().toHex(), "ls_pub");
        NoiseHandshake.Responder responder = NoiseHandshake.responder(ls, fixed(keys));
        String expected = t.hasNonNull("expected_error_code") ? t.get("expected_error_code").asText() : null;

        byte[] actOne = hex(t, "act_one_input");
        if (!t.hasNonNull("act_two_output")) {
            HandshakeException e = assertThrows(HandshakeException.class, () -> responder.actTwo(actOne));
            assertEquals(expected, e.code().name(), name);
            assertNamesTheVersion(e, actOne);
            assertThrows(IllegalStateException.class, () -> responder.actTwo(actOne), "a failed handshake stays failed");
            return;
        }
        byte[] actTwo = responder.actTwo(actOne);
        assertEquals(NoiseHandshake.ACT_TWO_LENGTH, actTwo.length);
        assertArrayEquals(hex(t, "act_two_output"), actTwo, "act two");

        byte[] actThree = hex(t, "act_three_input");
        if (expected != null) {
            HandshakeException e = assertThrows(HandshakeException.class, () -> responder.complete(actThree));
            assertEquals(expected, e.code().name(), name);
            assertNamesTheVersion(e, actThree);
            assertFalse(responder.isComplete());
            assertThrows(IllegalStateException.class, () -> responder.complete(actThree), "a failed handshake stays failed");
            return;
        }
        HandshakeResult result = responder.complete(actThree);
        assertTrue(responder.isComplete());
        JsonNode initiatorKeys = Vectors.json(FILE).get("initiator_tests").get(0).get("keys");
        assertEquals(initiatorKeys.get("ls_pub").asText(), result.remoteStatic().toHex(), "initiator's node id learnt");
        JsonNode finalKeys = t.get("final_keys");
        assertArrayEquals(hex(finalKeys, "sk"), result.cipher().sendingKey(), "sk");
        assertArrayEquals(hex(finalKeys, "rk"), result.cipher().receivingKey(), "rk");
    }

    @Test
    void every_expected_error_code_is_a_code() {
        JsonNode root = Vectors.json(FILE);
        Stream.concat(Vectors.elements(root.get("initiator_tests")).stream(),
                        Vectors.elements(root.get("responder_tests")).stream())
                .filter(t -> t.hasNonNull("expected_error_code"))
                .forEach(t -> HandshakeException.Code.valueOf(t.get("expected_error_code").asText()));
    }

    @Test
    void steps_out_of_order_are_refused() {
        JsonNode t = Vectors.json(FILE).get("initiator_tests").get(0);
        JsonNode keys = t.get("keys");
        NoiseHandshake.Initiator initiator = NoiseHandshake.initiator(key(keys, "ls_priv"),
                PublicKey.fromHex(keys.get("rs_pub").asText()), fixed(keys));
        assertThrows(IllegalStateException.class, () -> initiator.actThree(hex(t, "act_two_input")));
        assertThrows(IllegalStateException.class, initiator::result);
        initiator.actOne();
        assertThrows(IllegalStateException.class, initiator::actOne);

        NoiseHandshake.Responder responder = NoiseHandshake.responder(key(keys, "ls_priv"), fixed(keys));
        assertThrows(IllegalStateException.class, () -> responder.complete(new byte[NoiseHandshake.ACT_THREE_LENGTH]));
    }

    /**
     * A key source that fails is a failure of that step too. The responder's act one has already
     * mixed its static key when the source is asked, so the handshake ends there (and a later act
     * three is refused as out of order, not crashed on); an initiator whose act one failed has not
     * sent anything, so act three is still out of order.
     */
    @Test
    void a_failing_ephemeral_key_source_ends_the_step_cleanly() {
        JsonNode r = Vectors.json(FILE).get("responder_tests").get(0);
        NoiseHandshake.Responder responder = NoiseHandshake.responder(key(r.get("keys"), "ls_priv"), () -> null);
        NullPointerException npe = assertThrows(NullPointerException.class, () -> responder.actTwo(hex(r, "act_one_input")));
        assertEquals("ephemeral key", npe.getMessage());
        assertEquals("NoiseHandshake.Responder[FAILED]", responder.toString());
        assertThrows(IllegalStateException.class, () -> responder.actTwo(hex(r, "act_one_input")));
        assertThrows(IllegalStateException.class, () -> responder.complete(hex(r, "act_three_input")));

        JsonNode t = Vectors.json(FILE).get("initiator_tests").get(0);
        JsonNode keys = t.get("keys");
        NoiseHandshake.Initiator initiator = NoiseHandshake.initiator(key(keys, "ls_priv"),
                PublicKey.fromHex(keys.get("rs_pub").asText()), () -> null);
        assertThrows(NullPointerException.class, initiator::actOne);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> initiator.actThree(hex(t, "act_two_input")));
        assertEquals("actThree called in state START, expected ACT_ONE_DONE", e.getMessage());
        assertFalse(initiator.isComplete());
    }

    @Test
    void secrets_do_not_print() {
        JsonNode t = Vectors.json(FILE).get("initiator_tests").get(0);
        JsonNode keys = t.get("keys");
        NoiseHandshake.Initiator initiator = NoiseHandshake.initiator(key(keys, "ls_priv"),
                PublicKey.fromHex(keys.get("rs_pub").asText()), fixed(keys));
        initiator.actOne();
        initiator.actThree(hex(t, "act_two_input"));
        String printed = initiator.result().toString();
        JsonNode finalKeys = t.get("final_keys");
        assertFalse(printed.contains(finalKeys.get("sk").asText()), printed);
        assertFalse(printed.contains(finalKeys.get("rk").asText()), printed);
        assertTrue(printed.contains(keys.get("rs_pub").asText()), printed);
    }

    /** A refused version is named in the error, as the byte the peer sent (0 to 255). */
    private static void assertNamesTheVersion(HandshakeException e, byte[] act) {
        if (e.code().name().endsWith("_BAD_VERSION")) {
            assertTrue(e.getMessage().endsWith("unknown handshake version " + (act[0] & 0xff)), e.getMessage());
        }
    }

    @Test
    void each_side_shows_whom_it_talks_to_and_its_step_never_its_keys() {
        JsonNode t = Vectors.json(FILE).get("initiator_tests").get(0);
        JsonNode keys = t.get("keys");
        PublicKey rs = PublicKey.fromHex(keys.get("rs_pub").asText());
        NoiseHandshake.Initiator initiator = NoiseHandshake.initiator(key(keys, "ls_priv"), rs, fixed(keys));
        assertEquals(rs, initiator.remoteStatic());
        assertEquals("NoiseHandshake.Initiator[to " + rs.toHex() + ", START]", initiator.toString());
        initiator.actOne();
        assertEquals("NoiseHandshake.Initiator[to " + rs.toHex() + ", ACT_ONE_DONE]", initiator.toString());

        JsonNode r = Vectors.json(FILE).get("responder_tests").get(0);
        NoiseHandshake.Responder responder = NoiseHandshake.responder(key(r.get("keys"), "ls_priv"), fixed(r.get("keys")));
        assertEquals("NoiseHandshake.Responder[START]", responder.toString());
        responder.actTwo(hex(r, "act_one_input"));
        assertEquals("NoiseHandshake.Responder[ACT_TWO_DONE]", responder.toString());
        responder.complete(hex(r, "act_three_input"));
        assertEquals("NoiseHandshake.Responder[COMPLETE]", responder.toString());
    }
}
