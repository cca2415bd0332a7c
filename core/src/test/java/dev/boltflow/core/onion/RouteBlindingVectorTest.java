package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.VectorJson.hex;
import static dev.boltflow.core.onion.VectorJson.point;
import static dev.boltflow.core.onion.VectorJson.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BOLT 4 route blinding, read from ../shared/bolts/bolt04/route-blinding-test.json. */
class RouteBlindingVectorTest extends OnEachSecp256k1Provider {

    private static JsonNode vector() {
        return Vectors.json("bolt04/route-blinding-test.json");
    }

    static Stream<Arguments> generateHops() {
        JsonNode v = vector();
        java.util.Map<String, PrivateKey> nodeKeys = new java.util.HashMap<>();
        for (JsonNode h : v.get("unblind").get("hops")) {
            nodeKeys.put(h.get("alias").asText(), secret(h.get("node_privkey")));
        }
        return Vectors.elements(v.get("generate").get("hops")).stream()
                .map(h -> Arguments.of(h.get("alias").asText(), h, nodeKeys.get(h.get("alias").asText())));
    }

    static Stream<Arguments> unblindHops() {
        JsonNode v = vector();
        List<JsonNode> route = Vectors.elements(v.get("route").get("hops"));
        List<JsonNode> hops = Vectors.elements(v.get("unblind").get("hops"));
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < hops.size(); i++) {
            out.add(Arguments.of(hops.get(i).get("alias").asText(), hops.get(i), route.get(i)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generateHops")
    void encryptedDataTlv_encodesAndDecodes_likeTheVector(String alias, JsonNode hop) {
        EncryptedDataTlv tlv = VectorJson.encryptedData(hop.get("tlvs"));
        Bytes encoded = hex(hop.get("encoded_tlvs"));
        assertEquals(encoded, Bytes.wrap(tlv.encode()), alias);
        assertEquals(tlv, EncryptedDataTlv.decode(encoded.toArray()), alias);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generateHops")
    void hopSecrets_matchTheVector(String alias, JsonNode hop, PrivateKey node) {
        PrivateKey e = secret(hop.get("path_privkey"));
        RouteBlinding.HopSecrets s = RouteBlinding.HopSecrets.of(e, point(hop.get("node_id")));
        // The creator that holds the node's key (a path to itself) derives the same values with fixed-base multiplications.
        assertEquals(point(hop.get("node_id")), node.publicKey(), alias);
        RouteBlinding.HopSecrets own = RouteBlinding.HopSecrets.ofOwn(e, node);
        assertEquals(point(hop.get("path_key")), own.pathKey, alias + " (own key)");
        assertEquals(hex(hop.get("shared_secret")), Bytes.of(own.sharedSecret), alias + " (own key)");
        assertEquals(point(hop.get("blinded_node_id")), own.blindedNodeId, alias + " (own key)");
        assertEquals(point(hop.get("path_key")), s.pathKey, alias);
        assertEquals(hex(hop.get("shared_secret")), Bytes.of(s.sharedSecret), alias);
        assertEquals(hex(hop.get("rho")), Bytes.of(s.rho), alias);
        assertEquals(point(hop.get("blinded_node_id")), s.blindedNodeId, alias);
        assertEquals(hex(hop.get("encrypted_data")), RouteBlinding.encrypt(s.rho, hex(hop.get("encoded_tlvs"))), alias);
        assertEquals("HopSecrets[redacted]", s.toString(), "the secrets never print");
    }

    /** Bob's Bob→Carol route and Eve's Dave→Eve route, each from its session key, concatenated. */
    @Test
    void concatenatedRoute_isTheVectorRoute_withRawAndPaddedConstruction() {
        JsonNode v = vector();
        List<JsonNode> hops = Vectors.elements(v.get("generate").get("hops"));
        List<BlindedPath> raw = new ArrayList<>();
        List<BlindedPath> padded = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= hops.size(); i++) {
            if (i == hops.size() || hops.get(i).has("session_key")) {
                PrivateKey session = secret(hops.get(start).get("session_key"));
                List<PublicKey> nodes = new ArrayList<>();
                List<Bytes> plaintexts = new ArrayList<>();
                List<EncryptedDataTlv> tlvs = new ArrayList<>();
                for (JsonNode h : hops.subList(start, i)) {
                    nodes.add(point(h.get("node_id")));
                    plaintexts.add(hex(h.get("encoded_tlvs")));
                    tlvs.add(VectorJson.encryptedData(h.get("tlvs")));
                }
                raw.add(RouteBlinding.blind(session, nodes, plaintexts));
                // Every hop is already 65 bytes: equal-length padding must leave them as they are.
                padded.add(RouteBlinding.create(session, nodes, tlvs));
                start = i;
            }
        }
        JsonNode route = v.get("route");
        for (List<BlindedPath> segments : List.of(raw, padded)) {
            List<BlindedPath.Hop> all = new ArrayList<>();
            segments.forEach(p -> all.addAll(p.hops()));
            BlindedPath joined = new BlindedPath(segments.get(0).firstNodeId(), segments.get(0).firstPathKey(), all);
            assertEquals(SciddirOrPubkey.of(point(route.get("first_node_id"))), joined.firstNodeId());
            assertEquals(point(route.get("first_path_key")), joined.firstPathKey());
            List<JsonNode> expected = Vectors.elements(route.get("hops"));
            assertEquals(expected.size(), joined.numHops());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(point(expected.get(i).get("blinded_node_id")), joined.hops().get(i).blindedNodeId());
                assertEquals(hex(expected.get(i).get("encrypted_data")), joined.hops().get(i).encryptedRecipientData());
            }
        }
        // Carol's override is the first path key of Eve's route.
        assertEquals(raw.get(1).firstPathKey(),
                VectorJson.encryptedData(hops.get(1).get("tlvs")).nextPathKeyOverride().orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unblindHops")
    void unblind_matchesTheVector(String alias, JsonNode hop, JsonNode routeHop) {
        PrivateKey nodeKey = secret(hop.get("node_privkey"));
        PublicKey pathKey = point(hop.get("path_key"));
        RouteBlinding.Unblinded u = RouteBlinding.unblind(nodeKey, pathKey, hex(routeHop.get("encrypted_data")));

        assertEquals(hex(hop.get("blinded_privkey")), Bytes.wrap(u.blindedPrivateKey().toBytes()), alias);
        assertEquals(point(routeHop.get("blinded_node_id")), u.blindedPrivateKey().publicKey(), alias);
        assertEquals(hex(hop.get("decrypted_data")), Bytes.wrap(u.data().encode()), alias);
        assertEquals(point(hop.get("next_path_key")), u.unblinding().derivedNextPathKey(), alias);
        // The receiver derives the creator's shared secret for its hop from the path key it was given.
        assertEquals(pathKey, u.unblinding().pathKey(), alias);
        JsonNode generated = Vectors.elements(vector().get("generate").get("hops")).stream()
                .filter(g -> g.get("alias").asText().equals(alias)).findFirst().orElseThrow();
        assertEquals(hex(generated.get("shared_secret")), Bytes.wrap(u.unblinding().sharedSecret()), alias);
        assertEquals("Unblinding[pathKey=" + pathKey + "]", u.unblinding().toString(), alias);
        PublicKey expectedNext = hop.has("next_path_key_override")
                ? point(hop.get("next_path_key_override")) : point(hop.get("next_path_key"));
        assertEquals(expectedNext, u.nextPathKey(), alias);
    }
}
