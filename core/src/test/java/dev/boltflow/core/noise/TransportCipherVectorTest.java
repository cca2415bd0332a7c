package dev.boltflow.core.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BOLT 8 Appendix A, Message Encryption Tests, from vectors/bolt08-encryption.json. */
class TransportCipherVectorTest extends OnEachSecp256k1Provider {
    private static final String FILE = "vectors/bolt08-encryption.json";

    static Stream<Arguments> tests() {
        return Vectors.elements(Vectors.json(FILE).get("tests")).stream()
                .map(n -> Arguments.of(n.get("name").asText(), n));
    }

    private static byte[] hex(JsonNode n, String field) {
        return Bytes.fromHex(n.get(field).asText()).toArray();
    }

    private static Map<Integer, byte[]> expectedOutputs(JsonNode t) {
        Map<Integer, byte[]> out = new HashMap<>();
        for (JsonNode o : t.get("outputs")) {
            out.put(o.get("index").asInt(), hex(o, "hex"));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tests")
    void encrypted_messages_match_across_two_rotations(String name, JsonNode t) {
        TransportCipher sender = new TransportCipher(hex(t, "sk"), hex(t, "rk"), hex(t, "ck"));
        byte[] message = hex(t, "message_hex");
        Map<Integer, byte[]> expected = expectedOutputs(t);
        int last = expected.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int checked = 0;
        for (int i = 0; i <= last; i++) {
            byte[] frame = sender.encrypt(message);
            assertEquals(TransportCipher.frameLength(message.length), frame.length);
            byte[] want = expected.get(i);
            if (want != null) {
                assertArrayEquals(want, frame, name + ": message " + i);
                checked++;
            }
        }
        assertEquals(expected.size(), checked);
        assertTrue(last >= 1000, "the vector crosses both rotations");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tests")
    void receiver_decrypts_every_message_in_two_steps(String name, JsonNode t) {
        // The receiving side of the same session: its rk is the sender's sk.
        TransportCipher sender = new TransportCipher(hex(t, "sk"), hex(t, "rk"), hex(t, "ck"));
        TransportCipher receiver = new TransportCipher(hex(t, "rk"), hex(t, "sk"), hex(t, "ck"));
        byte[] message = hex(t, "message_hex");
        Map<Integer, byte[]> expected = expectedOutputs(t);
        int last = expected.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (int i = 0; i <= last; i++) {
            byte[] frame = expected.containsKey(i) ? expected.get(i) : sender.encrypt(message);
            if (expected.containsKey(i)) {
                sender.encrypt(message); // keep the sender in step
            }
            int l = receiver.decryptLength(Arrays.copyOfRange(frame, 0, TransportCipher.HEADER_LENGTH));
            assertEquals(message.length, l, "length of message " + i);
            byte[] body = Arrays.copyOfRange(frame, TransportCipher.HEADER_LENGTH, frame.length);
            assertArrayEquals(message, receiver.decryptBody(body), "message " + i);
        }
    }

    @Test
    void handshake_final_chaining_key_is_the_vector_ck() {
        JsonNode hs = Vectors.json("vectors/bolt08-handshake.json").get("initiator_tests").get(0);
        JsonNode keys = hs.get("keys");
        PrivateKey e = PrivateKey.fromBytes(hex(keys, "e_priv"));
        NoiseHandshake.Initiator initiator = NoiseHandshake.initiator(PrivateKey.fromBytes(hex(keys, "ls_priv")),
                PublicKey.fromHex(keys.get("rs_pub").asText()), () -> e);
        initiator.actOne();
        initiator.actThree(hex(hs, "act_two_input"));
        JsonNode enc = Vectors.json(FILE).get("tests").get(0);
        TransportCipher cipher = initiator.result().cipher();
        assertArrayEquals(hex(enc, "ck"), cipher.sendingChainingKey());
        assertArrayEquals(hex(enc, "ck"), cipher.receivingChainingKey());
        assertArrayEquals(hex(enc, "sk"), cipher.sendingKey());
        assertArrayEquals(expectedOutputs(enc).get(0), cipher.encrypt(hex(enc, "message_hex")));
    }

    @Test
    void nonces_rotate_each_key_separately_at_1000() {
        JsonNode t = Vectors.json(FILE).get("tests").get(0);
        TransportCipher a = new TransportCipher(hex(t, "sk"), hex(t, "rk"), hex(t, "ck"));
        TransportCipher b = new TransportCipher(hex(t, "rk"), hex(t, "sk"), hex(t, "ck"));
        for (int i = 0; i < 499; i++) {
            b.decrypt(a.encrypt(new byte[0]));
        }
        assertEquals(998, a.sendingNonce());
        assertEquals(998, b.receivingNonce());
        assertEquals(0, a.receivingNonce(), "the receiving key of the same side is untouched");
        byte[] keyBefore = a.sendingKey();
        b.decrypt(a.encrypt(new byte[0]));
        assertEquals(0, a.sendingNonce());
        assertEquals(0, b.receivingNonce());
        assertTrue(!Arrays.equals(keyBefore, a.sendingKey()), "sk rotated");
        assertArrayEquals(a.sendingKey(), b.receivingKey());
        assertArrayEquals(a.sendingChainingKey(), b.receivingChainingKey());
        assertArrayEquals(hex(t, "rk"), a.receivingKey(), "rk not rotated");
        assertArrayEquals(hex(t, "ck"), a.receivingChainingKey(), "rck not rotated");
    }

    @Test
    void largest_message_round_trips_and_larger_is_refused() {
        JsonNode t = Vectors.json(FILE).get("tests").get(0);
        TransportCipher a = new TransportCipher(hex(t, "sk"), hex(t, "rk"), hex(t, "ck"));
        TransportCipher b = new TransportCipher(hex(t, "rk"), hex(t, "sk"), hex(t, "ck"));
        byte[] max = new byte[TransportCipher.MAX_MESSAGE_LENGTH];
        Arrays.fill(max, (byte) 0x5a);
        byte[] frame = a.encrypt(max);
        assertEquals(TransportCipher.MAX_FRAME_LENGTH, frame.length);
        assertArrayEquals(max, b.decrypt(frame));

        MessageTooLongException e = assertThrows(MessageTooLongException.class,
                () -> a.encrypt(new byte[TransportCipher.MAX_MESSAGE_LENGTH + 1]));
        assertEquals(TransportCipher.MAX_MESSAGE_LENGTH + 1, e.length());
        assertEquals(2, a.sendingNonce(), "a refused message uses no nonce");
        assertArrayEquals(new byte[] {1, 2, 3}, b.decrypt(a.encrypt(new byte[] {1, 2, 3})));
    }

    @Test
    void misuse_of_the_two_step_reader_is_refused() {
        JsonNode t = Vectors.json(FILE).get("tests").get(0);
        TransportCipher a = new TransportCipher(hex(t, "sk"), hex(t, "rk"), hex(t, "ck"));
        TransportCipher b = new TransportCipher(hex(t, "rk"), hex(t, "sk"), hex(t, "ck"));
        byte[] frame = a.encrypt(new byte[] {9, 9});
        assertThrows(IllegalStateException.class, () -> b.decryptBody(new byte[18]), "body before header");
        assertThrows(IllegalArgumentException.class, () -> b.decryptLength(new byte[17]));
        assertEquals(2, b.decryptLength(Arrays.copyOf(frame, 18)));
        assertThrows(IllegalStateException.class, () -> b.decryptLength(Arrays.copyOf(frame, 18)), "header twice");
        assertThrows(IllegalArgumentException.class, () -> b.decryptBody(new byte[17]), "wrong body length");
        assertArrayEquals(new byte[] {9, 9}, b.decryptBody(frame, 18, 18));
    }

    @Test
    void a_bad_mac_poisons_the_receiver() {
        JsonNode t = Vectors.json(FILE).get("tests").get(0);
        TransportCipher a = new TransportCipher(hex(t, "sk"), hex(t, "rk"), hex(t, "ck"));
        TransportCipher b = new TransportCipher(hex(t, "rk"), hex(t, "sk"), hex(t, "ck"));
        byte[] frame = a.encrypt(new byte[] {1});
        frame[frame.length - 1] ^= 1;
        assertEquals(1, b.decryptLength(frame, 0));
        assertThrows(AuthenticationException.class, () -> b.decryptBody(frame, 18, 17));
        assertTrue(b.receiveFailed());
        assertThrows(IllegalStateException.class, () -> b.decryptLength(a.encrypt(new byte[] {2}), 0));
        assertArrayEquals(new byte[] {3}, a.decrypt(b.encrypt(new byte[] {3})), "the other direction still works");
    }

    private static TransportCipher[] pair() {
        JsonNode t = Vectors.json(FILE).get("tests").get(0);
        return new TransportCipher[] {new TransportCipher(hex(t, "sk"), hex(t, "rk"), hex(t, "ck")),
                new TransportCipher(hex(t, "rk"), hex(t, "sk"), hex(t, "ck"))};
    }

    @Test
    void a_bad_mac_on_the_length_poisons_the_receiver_and_wipes_its_keys() {
        TransportCipher[] p = pair();
        TransportCipher a = p[0];
        TransportCipher b = p[1];
        assertFalse(b.receiveFailed());
        byte[] frame = a.encrypt(new byte[] {1});
        byte[] badHeader = Arrays.copyOf(frame, TransportCipher.HEADER_LENGTH);
        badHeader[3] ^= 1;
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> b.decryptLength(badHeader));
        assertEquals("BOLT 8: bad MAC on the message length", e.getMessage());
        assertTrue(b.receiveFailed());
        // Even the genuine header is refused now: the connection must close.
        assertThrows(IllegalStateException.class, () -> b.decryptLength(frame, 0));
        assertThrows(IllegalStateException.class, () -> b.decrypt(frame));
        // The documented wipe: the receive side's key material is overwritten.
        assertArrayEquals(new byte[32], b.receivingKey());
        assertArrayEquals(new byte[32], b.receivingChainingKey());
        assertTrue(!Arrays.equals(new byte[32], b.sendingKey()), "the send side keeps its key");
    }

    @Test
    void after_a_bad_body_mac_the_body_is_not_retried() {
        TransportCipher[] p = pair();
        TransportCipher a = p[0];
        TransportCipher b = p[1];
        byte[] frame = a.encrypt(new byte[] {4, 5});
        byte[] bad = frame.clone();
        bad[TransportCipher.HEADER_LENGTH] ^= 1;
        assertEquals(2, b.decryptLength(frame, 0));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> b.decryptBody(bad, TransportCipher.HEADER_LENGTH, 2 + TransportCipher.MAC_LENGTH));
        assertEquals("BOLT 8: bad MAC on the message body", e.getMessage());
        IllegalStateException again = assertThrows(IllegalStateException.class,
                () -> b.decryptBody(frame, TransportCipher.HEADER_LENGTH, 2 + TransportCipher.MAC_LENGTH));
        assertEquals("the receive side failed a MAC check; the connection must close", again.getMessage());
    }

    @Test
    void a_frame_longer_than_its_encrypted_length_fails_and_poisons() {
        TransportCipher[] p = pair();
        byte[] frame = Arrays.copyOf(p[0].encrypt(new byte[] {7}), TransportCipher.frameLength(1) + 1);
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> p[1].decrypt(frame));
        assertEquals("BOLT 8: frame of 36 bytes does not match its encrypted length 1", e.getMessage());
        assertTrue(p[1].receiveFailed());
        assertThrows(IllegalArgumentException.class, () -> p[1].decrypt(new byte[TransportCipher.HEADER_LENGTH + 15]));
    }

    @Test
    void a_body_of_the_wrong_length_is_refused_naming_the_length_due() {
        TransportCipher[] p = pair();
        byte[] frame = p[0].encrypt(new byte[] {1, 2, 3});
        assertEquals(3, p[1].decryptLength(frame, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p[1].decryptBody(frame, TransportCipher.HEADER_LENGTH, 18));
        assertEquals("expected a body of 19 bytes (message + MAC), got 18", e.getMessage());
        assertFalse(p[1].receiveFailed(), "a framing bug is not a MAC failure");
        assertArrayEquals(new byte[] {1, 2, 3}, p[1].decryptBody(frame, TransportCipher.HEADER_LENGTH, 19));
        assertEquals("TransportCipher[keys redacted]", p[1].toString());
    }
}
