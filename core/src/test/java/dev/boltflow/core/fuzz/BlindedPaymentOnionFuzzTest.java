package dev.boltflow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPaymentOnion;
import dev.boltflow.core.onion.BlindedPaymentOnion.IncomingHtlc;
import dev.boltflow.core.onion.BlindedPaymentOnion.Received;
import dev.boltflow.core.onion.PaymentOnionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Peeling hostile payment onions that enter or travel a blinded route (BOLT 4, Route Blinding).
 * Input: one byte choosing the node among the five of {@code bolt04/blinded-payment-onion-test.json}
 * (keys read from the vector), one flag byte (bit 0: the HTLC carries a {@code path_key}, whose 33
 * bytes follow), then the onion. Invariant: {@link BlindedPaymentOnion#peel} returns a final hop
 * or a forward with an onion of the same size, or throws {@link PaymentOnionException} with a
 * BOLT 4 failure code; nothing else. Seeds: each hop's onion from that vector, with the
 * {@code path_key} it arrives with.
 */
class BlindedPaymentOnionFuzzTest {
    private static final long BUDGET_PER_BYTE = 1024;
    private static final String FILE = "bolt04/blinded-payment-onion-test.json";
    private static final List<PrivateKey> KEYS = new ArrayList<>();
    private static Bytes32 paymentHash;

    static Stream<Arguments> seeds() {
        FuzzSeeds seeds = FuzzSeeds.builder();
        JsonNode hops = FuzzSeeds.vector(FILE).path("decrypt").path("hops");
        for (int i = 0; i < hops.size(); i++) {
            JsonNode previous = i == 0 ? null : hops.get(i - 1);
            byte[] onion = FuzzSeeds.hex(hops.get(i).path("onion").asText());
            String alias = hops.get(i).path("alias").asText();
            if (previous != null && previous.hasNonNull("next_path_key")) {
                seeds.add("hop " + i + " " + alias, FuzzSeeds.concat(new byte[] {(byte) i, 1},
                        FuzzSeeds.hex(previous.path("next_path_key").asText()), onion));
            } else {
                seeds.add("hop " + i + " " + alias, FuzzSeeds.concat(new byte[] {(byte) i, 0}, onion));
            }
        }
        return seeds.arguments();
    }

    private static synchronized List<PrivateKey> keys() {
        if (KEYS.isEmpty()) {
            JsonNode v = FuzzSeeds.vector(FILE);
            for (JsonNode hop : v.path("decrypt").path("hops")) {
                KEYS.add(PrivateKey.fromBytes(FuzzSeeds.hex(hop.path("node_privkey").asText())));
            }
            paymentHash = Bytes32.of(FuzzSeeds.hex(v.path("generate").path("associated_data").asText()));
        }
        return KEYS;
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void peelPaymentOnion(byte[] input) {
        List<PrivateKey> keys = keys();
        if (input.length < 2) {
            return;
        }
        PrivateKey node = keys.get((input[0] & 0xff) % keys.size());
        int at = 2;
        Optional<PublicKey> pathKey = Optional.empty();
        if ((input[1] & 1) != 0) {
            if (input.length < at + PublicKey.LENGTH) {
                return;
            }
            try {
                pathKey = Optional.of(PublicKey.fromBytes(Arrays.copyOfRange(input, at, at + PublicKey.LENGTH)));
            } catch (DecodeException e) {
                return; // update_add_htlc's blinding point is checked before the onion is read
            }
            at += PublicKey.LENGTH;
        }
        IncomingHtlc htlc = new IncomingHtlc(paymentHash, 200_000, 750_000, pathKey,
                Bytes.wrap(Arrays.copyOfRange(input, at, input.length)));
        FuzzChecks.withinAllocation(FuzzChecks.CRYPTO_ALLOWANCE + BUDGET_PER_BYTE * input.length, input,
                () -> check(input, node, htlc));
    }

    private static void check(byte[] input, PrivateKey node, IncomingHtlc htlc) {
        Received r;
        try {
            r = BlindedPaymentOnion.peel(node, htlc, 749_000, 18);
        } catch (PaymentOnionException e) {
            assertTrue(e.failureCode() != 0, "failure code");
            assertFalse(e.getMessage() == null || e.getMessage().isBlank());
            return;
        } catch (RuntimeException e) {
            throw FuzzChecks.untyped(e, input);
        }
        assertNotNull(r);
        if (r instanceof Received.Forward f) {
            assertEquals(htlc.onion().length(), f.nextPacket().length(), "forwarded onion length");
            assertNotNull(f.nextPathKey());
        }
    }
}
