package dev.boltflow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.NextHop;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.PeelResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Peeling hostile onion messages with a fixed node key (BOLT 4, Onion Messages). Input: one byte
 * choosing the receiving node among the four of {@code bolt04/blinded-onion-message-onion-test.json}
 * (their keys read from the vector), the 33-byte {@code path_key}, then the onion packet. A
 * forwarded packet addressed to another of the four nodes is peeled by it in turn, so a valid seed
 * walks the whole route. Invariant: {@link OnionMessages#peel} never throws; a forward keeps the
 * packet length and names a valid next path key; a drop names its reason. Seeds: each hop's
 * {@code onion_message} of that vector.
 */
class OnionMessagePeelFuzzTest {
    private static final long BUDGET_PER_BYTE = 1024;
    private static final String FILE = "bolt04/blinded-onion-message-onion-test.json";
    private static final List<PrivateKey> KEYS = new ArrayList<>();
    private static final Map<PublicKey, PrivateKey> BY_ID = new HashMap<>();

    static Stream<Arguments> seeds() {
        FuzzSeeds seeds = FuzzSeeds.builder();
        int i = 0;
        for (JsonNode hop : FuzzSeeds.vector(FILE).path("decrypt").path("hops")) {
            // onion_message: type (2) ‖ path_key (33) ‖ len (2) ‖ onion_message_packet
            byte[] message = FuzzSeeds.hex(hop.path("onion_message").asText());
            byte[] pathKey = Arrays.copyOfRange(message, 2, 35);
            byte[] packet = Arrays.copyOfRange(message, 37, message.length);
            seeds.add("hop " + i + " " + hop.path("alias").asText(),
                    FuzzSeeds.concat(new byte[] {(byte) i}, pathKey, packet));
            i++;
        }
        return seeds.arguments();
    }

    private static synchronized List<PrivateKey> keys() {
        if (KEYS.isEmpty()) {
            for (JsonNode hop : FuzzSeeds.vector(FILE).path("decrypt").path("hops")) {
                PrivateKey k = PrivateKey.fromBytes(FuzzSeeds.hex(hop.path("privkey").asText()));
                KEYS.add(k);
                BY_ID.put(k.publicKey(), k);
            }
        }
        return KEYS;
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void peelOnionMessage(byte[] input) {
        List<PrivateKey> keys = keys();
        if (input.length < 1 + PublicKey.LENGTH) {
            return;
        }
        PrivateKey node = keys.get((input[0] & 0xff) % keys.size());
        PublicKey pathKey;
        try {
            pathKey = PublicKey.fromBytes(Arrays.copyOfRange(input, 1, 1 + PublicKey.LENGTH));
        } catch (DecodeException e) {
            return; // the wire codec refuses such an onion_message before it is peeled
        }
        Bytes packet = Bytes.wrap(Arrays.copyOfRange(input, 1 + PublicKey.LENGTH, input.length));
        FuzzChecks.withinAllocation(FuzzChecks.CRYPTO_ALLOWANCE + BUDGET_PER_BYTE * input.length, input,
                () -> walk(input, node, pathKey, packet));
    }

    private static void walk(byte[] input, PrivateKey node, PublicKey pathKey, Bytes packet) {
        for (int hop = 0; hop < 8; hop++) {
            PeelResult r;
            try {
                r = OnionMessages.peel(node, pathKey, packet);
            } catch (RuntimeException e) {
                throw FuzzChecks.untyped(e, input);
            }
            assertNotNull(r.kind());
            if (r instanceof PeelResult.Drop d) {
                assertNotNull(d.reason());
                assertFalse(d.detail().isBlank(), "drop without detail");
                return;
            }
            if (r instanceof PeelResult.Deliver d) {
                assertNotNull(d.payload());
                return;
            }
            PeelResult.Forward f = (PeelResult.Forward) r;
            // BOLT 4: the next packet has the same size as the one received.
            assertEquals(packet.length(), f.nextPacket().length(), "forwarded packet length");
            assertNotNull(f.nextPathKey());
            if (!(f.next() instanceof NextHop.Node n) || !BY_ID.containsKey(n.nodeId())) {
                return;
            }
            node = BY_ID.get(n.nodeId());
            pathKey = f.nextPathKey();
            packet = f.nextPacket();
        }
    }
}
