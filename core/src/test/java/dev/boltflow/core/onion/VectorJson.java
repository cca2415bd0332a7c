package dev.boltflow.core.onion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.tlv.TlvRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads the BOLT 4 vectors' JSON notation into our types. */
final class VectorJson {
    private VectorJson() {
    }

    static Bytes hex(JsonNode n) {
        return Bytes.fromHex(n.asText());
    }

    static PublicKey point(JsonNode n) {
        return PublicKey.fromHex(n.asText());
    }

    static PrivateKey secret(JsonNode n) {
        return PrivateKey.fromBytes(Bytes.fromHex(n.asText()).toArray());
    }

    /** "0x0x1729" → block 0, tx 0, output 1729. */
    static long scid(JsonNode n) {
        String[] p = n.asText().split("x");
        return (Long.parseLong(p[0]) << 40) | (Long.parseLong(p[1]) << 16) | Long.parseLong(p[2]);
    }

    /** A list of feature bit numbers → the big-endian bitfield with the minimal length. */
    static Bytes features(JsonNode bits) {
        int max = -1;
        for (JsonNode b : bits) {
            max = Math.max(max, b.asInt());
        }
        byte[] out = new byte[max < 0 ? 0 : max / 8 + 1];
        for (JsonNode b : bits) {
            int bit = b.asInt();
            out[out.length - 1 - bit / 8] |= (byte) (1 << (bit % 8));
        }
        return Bytes.wrap(out);
    }

    /** The vectors' "tlvs" object for encrypted_data_tlv. */
    static EncryptedDataTlv encryptedData(JsonNode tlvs) {
        EncryptedDataTlv t = EncryptedDataTlv.EMPTY;
        List<TlvRecord> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tlvs.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "padding":
                    t = t.withPadding(hex(v));
                    break;
                case "short_channel_id":
                    t = t.withShortChannelId(scid(v));
                    break;
                case "next_node_id":
                    t = t.withNextNodeId(point(v));
                    break;
                case "path_id":
                    t = t.withPathId(hex(v));
                    break;
                case "next_path_key_override":
                    t = t.withNextPathKeyOverride(point(v));
                    break;
                case "payment_relay":
                    t = t.withPaymentRelay(new EncryptedDataTlv.PaymentRelay(v.get("cltv_expiry_delta").asInt(),
                            v.get("fee_proportional_millionths").asLong(),
                            v.has("fee_base_msat") ? v.get("fee_base_msat").asLong() : 0));
                    break;
                case "payment_constraints":
                    t = t.withPaymentConstraints(new EncryptedDataTlv.PaymentConstraints(
                            v.get("max_cltv_expiry").asLong(), v.get("htlc_minimum_msat").asLong()));
                    break;
                case "allowed_features":
                    t = t.withAllowedFeatures(features(v.get("features")));
                    break;
                case "path_key_override_secret":
                    break; // the vector's note of the secret behind next_path_key_override, not a TLV
                default:
                    unknown.add(unknown(e.getKey(), v));
            }
        }
        return t.withUnknownOdd(unknown);
    }

    /** "unknown_tag_561": "123456" → TLV record 561. */
    static TlvRecord unknown(String key, JsonNode v) {
        if (!key.startsWith("unknown_tag_")) {
            throw new IllegalArgumentException("unexpected vector field " + key);
        }
        return new TlvRecord(Long.parseLong(key.substring("unknown_tag_".length())), hex(v));
    }

    /** The onion_message (type 513) hex of the onion-message vector. */
    record OnionMessage(PublicKey pathKey, Bytes packet) {
        static OnionMessage parse(Bytes message) {
            ByteReader r = new ByteReader(message.toArray());
            if (r.u16("type") != 513) {
                throw new IllegalArgumentException("not an onion_message");
            }
            PublicKey pathKey = PublicKey.fromBytes(r.bytes(33, "path_key"));
            int len = r.u16("len");
            Bytes packet = r.read(len, "onion_message_packet");
            if (!r.isEmpty()) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return new OnionMessage(pathKey, packet);
        }

        static Bytes encode(PublicKey pathKey, Bytes packet) {
            return new dev.boltflow.core.bytes.ByteWriter().u16(513).bytes(pathKey.bytes()).u16(packet.length())
                    .bytes(packet).toBytes();
        }
    }
}
