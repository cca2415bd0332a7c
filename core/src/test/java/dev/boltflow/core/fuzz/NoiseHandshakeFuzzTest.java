package dev.boltflow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.noise.HandshakeResult;
import dev.boltflow.core.noise.NoiseHandshake;
import dev.boltflow.core.noise.TransportCipher;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The BOLT 8 handshake state machine and transport cipher of core, fed hostile acts. Input: a mode
 * byte (even: we are the responder, reading act one then act three; odd: we are the initiator,
 * reading act two), then the acts; after a completed responder handshake the rest is read as
 * encrypted frames. Keys are the vector's ({@code vectors/bolt08-handshake.json}), so its acts
 * complete. Invariant: each step answers its act or throws a typed error ({@code HandshakeException},
 * {@code AuthenticationException}); a completed handshake names the initiator's key. Seeds: every
 * responder and initiator test of that vector; the successful handshake followed by the frames of
 * {@code vectors/bolt08-encryption.json} (sent with the keys that handshake yields).
 */
class NoiseHandshakeFuzzTest {
    private static final long BUDGET_PER_BYTE = 256;
    private static final String FILE = "vectors/bolt08-handshake.json";
    private static Keys keys;

    private record Keys(PrivateKey responderStatic, PrivateKey responderEphemeral, PrivateKey initiatorStatic,
            PrivateKey initiatorEphemeral, PublicKey initiatorRemote) {
    }

    static Stream<Arguments> seeds() {
        FuzzSeeds seeds = FuzzSeeds.builder();
        JsonNode v = FuzzSeeds.vector(FILE);
        for (JsonNode t : v.path("responder_tests")) {
            seeds.add("responder " + t.path("name").asText(), FuzzSeeds.concat(new byte[] {0}, inputs(t)));
        }
        for (JsonNode t : v.path("initiator_tests")) {
            seeds.add("initiator " + t.path("name").asText(), FuzzSeeds.concat(new byte[] {1}, inputs(t)));
        }
        JsonNode success = v.path("responder_tests").get(0);
        byte[] frames = new byte[0];
        for (JsonNode output : FuzzSeeds.vector("vectors/bolt08-encryption.json").path("tests").get(0).path("outputs")) {
            if (output.path("index").asInt() <= 1) {
                frames = FuzzSeeds.concat(frames, FuzzSeeds.hex(output.path("hex").asText()));
            }
        }
        seeds.add("responder handshake then frames", FuzzSeeds.concat(new byte[] {0}, inputs(success), frames));
        return seeds.arguments();
    }

    private static byte[] inputs(JsonNode test) {
        byte[] out = new byte[0];
        for (JsonNode m : test.path("messages")) {
            if (m.path("direction").asText().equals("input") && m.hasNonNull("hex")) {
                out = FuzzSeeds.concat(out, FuzzSeeds.hex(m.path("hex").asText()));
            }
        }
        return out;
    }

    private static synchronized Keys keys() {
        if (keys == null) {
            JsonNode v = FuzzSeeds.vector(FILE);
            JsonNode r = v.path("responder_tests").get(0).path("keys");
            JsonNode i = v.path("initiator_tests").get(0).path("keys");
            keys = new Keys(key(r, "ls_priv"), key(r, "e_priv"), key(i, "ls_priv"), key(i, "e_priv"),
                    PublicKey.fromBytes(FuzzSeeds.hex(i.path("rs_pub").asText())));
        }
        return keys;
    }

    private static PrivateKey key(JsonNode keys, String name) {
        return PrivateKey.fromBytes(FuzzSeeds.hex(keys.path(name).asText()));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void noiseHandshake(byte[] input) {
        Keys k = keys();
        if (input.length == 0) {
            return;
        }
        FuzzChecks.withinAllocation(FuzzChecks.CRYPTO_ALLOWANCE + BUDGET_PER_BYTE * input.length, input, () -> {
            try {
                if ((input[0] & 1) == 0) {
                    responder(k, input);
                } else {
                    initiator(k, input);
                }
            } catch (RuntimeException e) {
                FuzzChecks.isTypedDecodeError(e, input);
            }
        });
    }

    private static void responder(Keys k, byte[] input) {
        NoiseHandshake.Responder responder = NoiseHandshake.responder(k.responderStatic(), () -> k.responderEphemeral());
        int at = 1;
        if (input.length - at < NoiseHandshake.ACT_ONE_LENGTH) {
            return;
        }
        byte[] actTwo = responder.actTwo(Arrays.copyOfRange(input, at, at + NoiseHandshake.ACT_ONE_LENGTH));
        assertEquals(NoiseHandshake.ACT_TWO_LENGTH, actTwo.length);
        at += NoiseHandshake.ACT_ONE_LENGTH;
        if (input.length - at < NoiseHandshake.ACT_THREE_LENGTH) {
            return;
        }
        HandshakeResult result = responder.complete(Arrays.copyOfRange(input, at, at + NoiseHandshake.ACT_THREE_LENGTH));
        assertNotNull(result.remoteStatic());
        at += NoiseHandshake.ACT_THREE_LENGTH;
        TransportCipher cipher = result.cipher();
        while (input.length - at >= TransportCipher.HEADER_LENGTH) {
            int length = cipher.decryptLength(Arrays.copyOfRange(input, at, at + TransportCipher.HEADER_LENGTH));
            at += TransportCipher.HEADER_LENGTH;
            int body = length + TransportCipher.MAC_LENGTH;
            if (input.length - at < body) {
                return;
            }
            byte[] message = cipher.decryptBody(Arrays.copyOfRange(input, at, at + body));
            assertEquals(length, message.length);
            at += body;
        }
    }

    private static void initiator(Keys k, byte[] input) {
        NoiseHandshake.Initiator initiator = NoiseHandshake.initiator(k.initiatorStatic(), k.initiatorRemote(),
                () -> k.initiatorEphemeral());
        assertEquals(NoiseHandshake.ACT_ONE_LENGTH, initiator.actOne().length);
        if (input.length - 1 < NoiseHandshake.ACT_TWO_LENGTH) {
            return;
        }
        byte[] actThree = initiator.actThree(Arrays.copyOfRange(input, 1, 1 + NoiseHandshake.ACT_TWO_LENGTH));
        assertEquals(NoiseHandshake.ACT_THREE_LENGTH, actThree.length);
        assertEquals(k.initiatorRemote(), initiator.result().remoteStatic());
    }
}
