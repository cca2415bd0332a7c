package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.VectorJson.hex;
import static dev.boltflow.core.onion.VectorJson.point;
import static dev.boltflow.core.onion.VectorJson.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.tlv.TlvRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BOLT 4 onion messages, read from ../shared/bolts/bolt04/blinded-onion-message-onion-test.json. */
class OnionMessageVectorTest extends OnEachSecp256k1Provider {

    private static JsonNode vector() {
        return Vectors.json("bolt04/blinded-onion-message-onion-test.json");
    }

    /** The node ids, from the decrypt section's private keys (Alice, Bob, Carol, Dave). */
    private static List<PrivateKey> nodeKeys(JsonNode v) {
        List<PrivateKey> keys = new ArrayList<>();
        for (JsonNode h : v.get("decrypt").get("hops")) {
            keys.add(secret(h.get("privkey")));
        }
        return keys;
    }

    static Stream<Arguments> generateHops() {
        JsonNode v = vector();
        List<PrivateKey> keys = nodeKeys(v);
        List<JsonNode> hops = Vectors.elements(v.get("generate").get("hops"));
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < hops.size(); i++) {
            out.add(Arguments.of(hops.get(i).get("alias").asText(), hops.get(i), keys.get(i)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generateHops")
    void blindingEachHop_matchesTheVector(String alias, JsonNode hop, PrivateKey node) {
        PublicKey nodeId = node.publicKey();
        EncryptedDataTlv tlv = VectorJson.encryptedData(hop.get("tlvs"));
        Bytes plaintext = hex(hop.get("encrypted_data_tlv"));
        assertEquals(plaintext, Bytes.wrap(tlv.encode()), alias);
        assertEquals(tlv, EncryptedDataTlv.decode(plaintext.toArray()), alias);

        PrivateKey e = secret(hop.get("path_key_secret"));
        RouteBlinding.HopSecrets s = RouteBlinding.HopSecrets.of(e, nodeId);
        // The creator that holds the node's key (a path to itself) derives the same values with fixed-base multiplications.
        RouteBlinding.HopSecrets own = RouteBlinding.HopSecrets.ofOwn(e, node);
        assertEquals(hex(hop.get("ss")), Bytes.of(own.sharedSecret), alias + " (own key)");
        assertEquals(point(hop.get("blinded_node_id")), own.blindedNodeId, alias + " (own key)");
        assertEquals(point(hop.get("E")), own.pathKey, alias + " (own key)");
        assertEquals(hex(hop.get("ss")), Bytes.of(s.sharedSecret), alias);
        assertEquals(hex(hop.get("HMAC256('blinded_node_id', ss)")), RouteBlinding.blindingTweak(s.sharedSecret).bytes(), alias);
        assertEquals(point(hop.get("blinded_node_id")), s.blindedNodeId, alias);
        assertEquals(point(hop.get("E")), s.pathKey, alias);
        assertEquals(hex(hop.get("H(E || ss)")), RouteBlinding.nextPathKeyTweak(s.pathKey, s.sharedSecret).bytes(), alias);
        // next_e is printed with a trailing 01 (compressed-key flag): the secret is its first 32 bytes.
        assertEquals(hex(hop.get("next_e")).slice(0, 32), Bytes.wrap(s.nextPathKeySecret(e).toBytes()), alias);
        assertEquals(hex(hop.get("rho")), Bytes.of(s.rho), alias);
        assertEquals(hex(hop.get("encrypted_recipient_data")), RouteBlinding.encrypt(s.rho, plaintext), alias);
    }

    /** Dave's Bob→Dave path, rebuilt from its tlvs with equal-length padding, is the vector's. */
    @Test
    void davesPath_createdFromTlvs_isTheVectorPath() {
        JsonNode v = vector();
        List<JsonNode> hops = Vectors.elements(v.get("generate").get("hops"));
        List<PrivateKey> keys = nodeKeys(v);
        BlindedPath daves = davesPath(v);
        List<EncryptedDataTlv> tlvs = new ArrayList<>();
        for (JsonNode h : hops.subList(1, 4)) {
            tlvs.add(VectorJson.encryptedData(h.get("tlvs")));
        }
        BlindedPath created = RouteBlinding.create(secret(hops.get(1).get("path_key_secret")),
                List.of(keys.get(1).publicKey(), keys.get(2).publicKey(), keys.get(3).publicKey()), tlvs);
        assertEquals(daves, created);
    }

    /** The sender prepends its own blinded hop to Alice, whose data overrides the path key. */
    @Test
    void build_intoDavesPathThroughAlice_isTheVectorMessage() {
        JsonNode v = vector();
        List<JsonNode> hops = Vectors.elements(v.get("generate").get("hops"));
        List<PrivateKey> keys = nodeKeys(v);
        PrivateKey sender = PrivateKey.fromBytes(Hashes.sha256("some sender".getBytes()));
        OnionMessagePayload payload = finalPayloadWithout(v.get("onionmessage"), "onion_message_packet", "comment");

        OnionMessages.Outgoing out = OnionMessages.build(sender, List.of(keys.get(0).publicKey()),
                OnionMessages.Destination.path(davesPath(v)), payload,
                secret(v.get("generate").get("session_key")), secret(hops.get(0).get("path_key_secret")));

        assertEquals(new NextHop.Node(point(v.get("route").get("first_node_id"))), out.firstHop());
        assertEquals(point(v.get("route").get("first_path_key")), out.pathKey());
        assertEquals(hex(v.get("onionmessage").get("onion_message_packet")), out.packet());
        Bytes first = hex(v.get("decrypt").get("hops").get(0).get("onion_message"));
        assertEquals(first, VectorJson.OnionMessage.encode(out.pathKey(), out.packet()));
        assertEquals(first.slice(2, first.length()), Bytes.wrap(out.encode()));
    }

    @Test
    void peel_everyHop_forwardsExactlyAsTheVector_andDaveGetsHello() {
        JsonNode v = vector();
        List<JsonNode> hops = Vectors.elements(v.get("decrypt").get("hops"));
        for (int i = 0; i < hops.size(); i++) {
            JsonNode hop = hops.get(i);
            String alias = hop.get("alias").asText();
            VectorJson.OnionMessage in = VectorJson.OnionMessage.parse(hex(hop.get("onion_message")));
            PeelResult r = OnionMessages.peel(secret(hop.get("privkey")), in.pathKey(), in.packet());
            if (i < hops.size() - 1) {
                PeelResult.Forward f = assertInstanceOf(PeelResult.Forward.class, r, alias + ": " + r);
                assertEquals(new NextHop.Node(point(hop.get("next_node_id"))), f.next(), alias);
                assertEquals(hex(hops.get(i + 1).get("onion_message")),
                        VectorJson.OnionMessage.encode(f.nextPathKey(), f.nextPacket()), alias);
            } else {
                PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class, r, alias + ": " + r);
                assertEquals(finalPayloadWithout(hop.get("tlvs")), d.payload());
                EncryptedDataTlv daves = VectorJson.encryptedData(
                        v.get("generate").get("hops").get(3).get("tlvs"));
                assertEquals(daves.pathId(), d.pathId());
            }
        }
    }

    /** Dave's Bob→Dave path: the route's hops after Alice, introduced by Bob with Alice's override. */
    private static BlindedPath davesPath(JsonNode v) {
        JsonNode alice = v.get("generate").get("hops").get(0).get("tlvs");
        List<BlindedPath.Hop> hops = new ArrayList<>();
        List<JsonNode> route = Vectors.elements(v.get("route").get("hops"));
        for (JsonNode h : route.subList(1, route.size())) {
            hops.add(new BlindedPath.Hop(point(h.get("blinded_node_id")), hex(h.get("encrypted_recipient_data"))));
        }
        return new BlindedPath(SciddirOrPubkey.of(point(alice.get("next_node_id"))),
                point(alice.get("next_path_key_override")), hops);
    }

    /** An onionmsg_tlv from the vector's notation (unknown_tag_N and encrypted_recipient_data). */
    private static OnionMessagePayload finalPayloadWithout(JsonNode n, String... skip) {
        OnionMessagePayload p = OnionMessagePayload.EMPTY;
        List<TlvRecord> unknown = new ArrayList<>();
        outer:
        for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            for (String s : skip) {
                if (s.equals(e.getKey())) {
                    continue outer;
                }
            }
            if (e.getKey().equals("encrypted_recipient_data")) {
                p = p.withEncryptedRecipientData(hex(e.getValue()));
            } else {
                unknown.add(VectorJson.unknown(e.getKey(), e.getValue()));
            }
        }
        return p.withUnknownOdd(unknown);
    }
}
