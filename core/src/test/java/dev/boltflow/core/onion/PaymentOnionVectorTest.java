package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.VectorJson.hex;
import static dev.boltflow.core.onion.VectorJson.point;
import static dev.boltflow.core.onion.VectorJson.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A payment onion into a blinded route: ../shared/bolts/bolt04/blinded-payment-onion-test.json. */
class PaymentOnionVectorTest extends OnEachSecp256k1Provider {
    private static final long ENCRYPTED_RECIPIENT_DATA = 10;
    private static final long CURRENT_PATH_KEY = 12;

    private static JsonNode vector() {
        return Vectors.json("bolt04/blinded-payment-onion-test.json");
    }

    /** The vector's payload hex is BigSize length ‖ TLV stream; Sphinx takes the TLV stream. */
    private static Bytes withoutLength(Bytes lengthPrefixed) {
        ByteReader r = new ByteReader(lengthPrefixed.toArray());
        long len = r.bigSize("length");
        Bytes payload = r.read((int) len, "payload");
        assertTrue(r.isEmpty());
        return payload;
    }

    @Test
    void createPaymentPacket_isTheVectorOnion() {
        JsonNode g = vector().get("generate");
        List<PublicKey> keys = new ArrayList<>();
        List<Bytes> payloads = new ArrayList<>();
        for (JsonNode h : g.get("full_route").get("hops")) {
            keys.add(point(h.get("pubkey")));
            payloads.add(withoutLength(hex(h.get("payload"))));
        }
        Bytes onion = Sphinx.createPaymentPacket(secret(g.get("session_key")), keys, payloads,
                hex(g.get("associated_data")));
        assertEquals(hex(g.get("onion")), onion);
        assertEquals(hex(vector().get("decrypt").get("hops").get(0).get("onion")), onion);
    }

    /**
     * Each node peels its layer to the vector's payload and next onion. Inside the blinded part it
     * peels with its blinded key, decrypts its encrypted_recipient_data and derives the vector's
     * next path key; Bob, the introduction node, gets his path key from current_path_key.
     */
    @Test
    void peel_everyHop_likeTheVector() {
        JsonNode v = vector();
        Bytes ad = hex(v.get("generate").get("associated_data"));
        List<JsonNode> route = Vectors.elements(v.get("generate").get("full_route").get("hops"));
        List<JsonNode> hops = Vectors.elements(v.get("decrypt").get("hops"));
        PublicKey pathKey = null;
        for (int i = 0; i < hops.size(); i++) {
            JsonNode hop = hops.get(i);
            String alias = hop.get("alias").asText();
            PrivateKey nodeKey = secret(hop.get("node_privkey"));
            Bytes onion = hex(hop.get("onion"));

            PrivateKey onionKey = pathKey == null ? nodeKey : RouteBlinding.unblinding(nodeKey, pathKey).blindedPrivateKey();
            Sphinx.Peeled peeled = Sphinx.peel(onionKey, onion, ad);
            assertEquals(withoutLength(hex(route.get(i).get("payload"))), peeled.payload(), alias);
            if (i < hops.size() - 1) {
                assertEquals(Optional.of(hex(hops.get(i + 1).get("onion"))), peeled.nextPacket(), alias);
            } else {
                assertTrue(peeled.isFinal(), alias);
            }

            TlvStream payload = TlvStream.decode(peeled.payload().toArray());
            Optional<Bytes> enc = payload.value(ENCRYPTED_RECIPIENT_DATA);
            if (enc.isEmpty()) {
                assertFalse(hop.has("next_path_key"), alias);
                continue;
            }
            if (payload.contains(CURRENT_PATH_KEY)) {
                pathKey = PublicKey.fromBytes(payload.value(CURRENT_PATH_KEY).get());
            }
            RouteBlinding.Unblinded u = RouteBlinding.unblind(nodeKey, pathKey, enc.get());
            EncryptedDataTlv expected = VectorJson.encryptedData(route.get(i).get("tlvs").get("encrypted_recipient_data"));
            assertEquals(expected, u.data(), alias);
            assertEquals(point(hop.get("next_path_key")), u.nextPathKey(), alias);
            if (i == hops.size() - 1) {
                BlindedPayments.ReceivedPayment received = BlindedPayments.decryptRecipientData(nodeKey, pathKey, enc.get());
                assertEquals(expected.pathId(), received.pathId());
                assertFalse(received.isForward());
                JsonNode g = v.get("generate");
                assertTrue(received.allows(g.get("final_amount_msat").asLong(), g.get("final_cltv").asLong()));
                assertFalse(received.allows(expected.paymentConstraints().get().htlcMinimumMsat() - 1,
                        g.get("final_cltv").asLong()));
                assertFalse(received.allows(g.get("final_amount_msat").asLong(),
                        expected.paymentConstraints().get().maxCltvExpiry() + 1));
            }
            pathKey = u.nextPathKey();
        }
    }

    /** The sender's blinded route carries exactly the encrypted data the payloads hand each hop. */
    @Test
    void blindedRoute_hopsAreThePayloadsEncryptedData() {
        JsonNode g = vector().get("generate");
        List<JsonNode> route = Vectors.elements(g.get("full_route").get("hops"));
        List<JsonNode> blinded = Vectors.elements(g.get("blinded_route").get("hops"));
        for (int i = 0; i < blinded.size(); i++) {
            TlvStream payload = TlvStream.decode(withoutLength(hex(route.get(i + 1).get("payload"))).toArray());
            assertEquals(hex(blinded.get(i).get("encrypted_data")), payload.value(ENCRYPTED_RECIPIENT_DATA).get());
            if (i > 0) {
                assertEquals(point(blinded.get(i).get("blinded_node_id")), point(route.get(i + 1).get("pubkey")));
            }
        }
        assertEquals(point(g.get("blinded_route").get("first_node_id")), point(route.get(1).get("pubkey")));
    }

    /** BOLT 4 aggregate fees of Bob, Carol and Dave's payment_relay are the vector's blinded_payinfo. */
    @Test
    void aggregate_isTheVectorPayinfo() {
        JsonNode g = vector().get("generate");
        List<EncryptedDataTlv.PaymentRelay> relays = new ArrayList<>();
        for (JsonNode h : g.get("full_route").get("hops")) {
            JsonNode data = h.get("tlvs").get("encrypted_recipient_data");
            if (data != null && data.has("payment_relay")) {
                relays.add(VectorJson.encryptedData(data).paymentRelay().get());
            }
        }
        assertEquals(3, relays.size());
        BlindedPayInfo info = BlindedPayments.aggregate(relays, 0);
        JsonNode expected = g.get("blinded_payinfo");
        assertEquals(expected.get("fee_base_msat").asLong(), info.feeBaseMsat());
        assertEquals(expected.get("fee_proportional_millionths").asLong(), info.feeProportionalMillionths());
        assertEquals(expected.get("cltv_expiry_delta").asInt(), info.cltvExpiryDelta());
    }
}
