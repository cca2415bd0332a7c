package dev.boltflow.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.GossipMessage.EncodedQueryFlags;
import dev.boltflow.core.wire.GossipMessage.EncodedShortIds;
import dev.boltflow.core.wire.GossipMessage.EncodedTimestamps;
import dev.boltflow.core.wire.GossipMessage.QueryChannelRange;
import dev.boltflow.core.wire.GossipMessage.QueryShortChannelIds;
import dev.boltflow.core.wire.GossipMessage.ReplyChannelRange;
import dev.boltflow.core.wire.GossipMessage.UpdateChecksums;
import dev.boltflow.core.wire.GossipMessage.UpdatePair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code bolt07/extended-queries.json}: the hex decodes to the message the JSON
 * describes, field by field; it encodes back to the same bytes; and where the vector's arrays are
 * uncompressed, the message built from the JSON fields alone encodes to the vector's bytes (zlib,
 * which BOLT 7 now forbids writers to use, is read and kept, never written).
 */
class GossipQueryVectorTest {

    static List<JsonNode> vectors() {
        return Vectors.elements(Vectors.json("bolt07/extended-queries.json"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("vectors")
    void decodes_fieldByField_andEncodesBackByteForByte(JsonNode vector) {
        byte[] hex = Bytes.fromHex(vector.get("hex").asText()).toArray();
        JsonNode msg = vector.get("msg");
        WireMessage decoded = WireCodec.decode(hex);
        assertEquals(Bytes.wrap(hex), Bytes.wrap(WireCodec.encode(decoded)), "re-encoding");
        Bytes32 chain = Bytes32.fromHex(msg.get("chainHash").asText());
        switch (msg.get("type").asText()) {
            case "QueryChannelRange": {
                QueryChannelRange m = assertInstanceOf(QueryChannelRange.class, decoded);
                assertEquals(chain, m.chainHash());
                assertEquals(msg.get("firstBlockNum").asLong(), m.firstBlocknum());
                assertEquals(msg.get("numberOfBlocks").asLong(), m.numberOfBlocks());
                OptionalLong option = queryOption(msg.get("tlvStream").get("records"));
                assertEquals(option, m.queryOption());
                assertTrue(m.unknownTlvs().isEmpty());
                QueryChannelRange built = new QueryChannelRange(chain, msg.get("firstBlockNum").asLong(),
                        msg.get("numberOfBlocks").asLong(), option, TlvStream.EMPTY);
                assertEquals(Bytes.wrap(hex), Bytes.wrap(WireCodec.encode(built)), "built from the JSON");
                break;
            }
            case "ReplyChannelRange": {
                ReplyChannelRange m = assertInstanceOf(ReplyChannelRange.class, decoded);
                assertEquals(chain, m.chainHash());
                assertEquals(msg.get("firstBlockNum").asLong(), m.firstBlocknum());
                assertEquals(msg.get("numberOfBlocks").asLong(), m.numberOfBlocks());
                assertEquals(msg.get("complete").asInt(), m.syncComplete());
                List<ShortChannelId> ids = scids(msg.get("shortChannelIds"));
                assertEquals(ids, m.shortIds().ids());
                assertEquals(encoding(msg.get("shortChannelIds")), m.shortIds().encoded().get(0));
                Optional<List<UpdatePair>> timestamps = Optional.ofNullable(msg.get("timestamps"))
                        .map(t -> pairs(t.get("timestamps"), "timestamp"));
                assertEquals(timestamps, m.timestamps().map(EncodedTimestamps::timestamps));
                if (msg.has("timestamps")) {
                    assertEquals(encoding(msg.get("timestamps")), m.timestamps().orElseThrow().encoded().get(0));
                }
                Optional<List<UpdatePair>> checksums = Optional.ofNullable(msg.get("checksums"))
                        .map(c -> pairs(c.get("checksums"), "checksum"));
                assertEquals(checksums, m.checksums().map(UpdateChecksums::checksums));
                if (allUncompressed(msg)) {
                    ReplyChannelRange built = new ReplyChannelRange(chain, msg.get("firstBlockNum").asLong(),
                            msg.get("numberOfBlocks").asLong(), msg.get("complete").asInt(), EncodedShortIds.of(ids),
                            timestamps.map(EncodedTimestamps::of), checksums.map(UpdateChecksums::of), TlvStream.EMPTY);
                    assertEquals(Bytes.wrap(hex), Bytes.wrap(WireCodec.encode(built)), "built from the JSON");
                }
                break;
            }
            case "QueryShortChannelIds": {
                QueryShortChannelIds m = assertInstanceOf(QueryShortChannelIds.class, decoded);
                assertEquals(chain, m.chainHash());
                List<ShortChannelId> ids = scids(msg.get("shortChannelIds"));
                assertEquals(ids, m.shortIds().ids());
                assertEquals(encoding(msg.get("shortChannelIds")), m.shortIds().encoded().get(0));
                JsonNode records = msg.get("tlvStream").get("records");
                Optional<List<Long>> flags = Optional.empty();
                if (records.size() == 1) {
                    List<Long> f = new ArrayList<>();
                    records.get(0).get("array").forEach(n -> f.add(n.asLong()));
                    flags = Optional.of(f);
                    assertEquals(encoding(records.get(0)), m.queryFlags().orElseThrow().encoded().get(0));
                }
                assertEquals(flags, m.queryFlags().map(EncodedQueryFlags::flags));
                if (allUncompressed(msg)) {
                    QueryShortChannelIds built = new QueryShortChannelIds(chain, EncodedShortIds.of(ids),
                            flags.map(EncodedQueryFlags::of), TlvStream.EMPTY);
                    assertEquals(Bytes.wrap(hex), Bytes.wrap(WireCodec.encode(built)), "built from the JSON");
                }
                break;
            }
            default:
                throw new AssertionError("unexpected vector type " + msg.get("type"));
        }
    }

    private static OptionalLong queryOption(JsonNode records) {
        if (records.isEmpty()) {
            return OptionalLong.empty();
        }
        long flags = 0;
        for (String name : records.get(0).asText().split("\\|")) {
            switch (name.trim()) {
                case "WANT_TIMESTAMPS":
                    flags |= QueryChannelRange.WANT_TIMESTAMPS;
                    break;
                case "WANT_CHECKSUMS":
                    flags |= QueryChannelRange.WANT_CHECKSUMS;
                    break;
                default:
                    throw new AssertionError("unknown query option " + name);
            }
        }
        return OptionalLong.of(flags);
    }

    private static List<ShortChannelId> scids(JsonNode node) {
        List<ShortChannelId> out = new ArrayList<>();
        node.get("array").forEach(n -> out.add(ShortChannelId.parse(n.asText())));
        return out;
    }

    private static List<UpdatePair> pairs(JsonNode array, String prefix) {
        List<UpdatePair> out = new ArrayList<>();
        array.forEach(n -> out.add(new UpdatePair(n.get(prefix + "1").asLong(), n.get(prefix + "2").asLong())));
        return out;
    }

    private static byte encoding(JsonNode node) {
        String e = node.get("encoding").asText();
        if ("UNCOMPRESSED".equals(e)) {
            return GossipCodec.UNCOMPRESSED;
        }
        if ("COMPRESSED_ZLIB".equals(e)) {
            return GossipCodec.ZLIB;
        }
        throw new AssertionError("unknown encoding " + e);
    }

    private static boolean allUncompressed(JsonNode msg) {
        return !msg.toString().contains("COMPRESSED_ZLIB");
    }
}
