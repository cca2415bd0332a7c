package dev.boltflow.core.wire;

import static dev.boltflow.core.wire.WireCodec.extension;
import static dev.boltflow.core.wire.WireCodec.field;
import static dev.boltflow.core.wire.WireCodec.lengthPrefixed;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.EcdsaSignature;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.GossipMessage.AnnouncementSignatures;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.GossipMessage.EncodedQueryFlags;
import dev.boltflow.core.wire.GossipMessage.EncodedShortIds;
import dev.boltflow.core.wire.GossipMessage.EncodedTimestamps;
import dev.boltflow.core.wire.GossipMessage.GossipTimestampFilter;
import dev.boltflow.core.wire.GossipMessage.NodeAnnouncement;
import dev.boltflow.core.wire.GossipMessage.QueryChannelRange;
import dev.boltflow.core.wire.GossipMessage.QueryShortChannelIds;
import dev.boltflow.core.wire.GossipMessage.ReplyChannelRange;
import dev.boltflow.core.wire.GossipMessage.ReplyShortChannelIdsEnd;
import dev.boltflow.core.wire.GossipMessage.UpdateChecksums;
import dev.boltflow.core.wire.GossipMessage.UpdatePair;
import dev.boltflow.core.wire.WireDecodeException.Kind;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * BOLT 7 message bodies (after the 2-byte type), for {@link WireCodec}. Decoding only slices and
 * checks lengths: a message too short for its fields is {@link Kind#TRUNCATED} and an invalid TLV
 * stream {@link Kind#INVALID_EXTENSION} (BOLT 1: both close the connection); points, encoded
 * arrays and addresses are checked by whoever uses them, so that a malformed gossip message is
 * that message's fault, to be dropped and counted, not the connection's.
 */
public final class GossipCodec {
    /** Encoding type 0: an uncompressed array. */
    public static final int UNCOMPRESSED = 0;
    /** Encoding type 1: zlib, which BOLT 7 says "MUST NOT be used"; read for old peers, never written. */
    public static final int ZLIB = 1;
    /** The most bytes a zlib array may inflate to (a bound against decompression bombs). */
    static final int MAX_INFLATED = 256 * 1024;

    private GossipCodec() {
    }

    static GossipMessage decode(int type, ByteReader in) {
        switch (type) {
            case GossipMessage.CHANNEL_ANNOUNCEMENT:
                return new ChannelAnnouncement(sig(in, type), sig(in, type), sig(in, type), sig(in, type),
                        new Features(lengthPrefixed(in, type, "features")), hash(in, type), scid(in, type),
                        point(in, type), point(in, type), point(in, type), point(in, type), Bytes.wrap(in.rest()));
            case GossipMessage.NODE_ANNOUNCEMENT:
                return new NodeAnnouncement(sig(in, type), new Features(lengthPrefixed(in, type, "features")),
                        field(in, type, () -> in.u32("timestamp")), point(in, type),
                        field(in, type, () -> in.read(3, "rgb_color")), field(in, type, () -> in.read(32, "alias")),
                        lengthPrefixed(in, type, "addresses"), Bytes.wrap(in.rest()));
            case GossipMessage.CHANNEL_UPDATE:
                return new ChannelUpdate(sig(in, type), hash(in, type), scid(in, type),
                        field(in, type, () -> in.u32("timestamp")), field(in, type, () -> in.u8("message_flags")),
                        field(in, type, () -> in.u8("channel_flags")),
                        field(in, type, () -> in.u16("cltv_expiry_delta")),
                        field(in, type, () -> in.u64("htlc_minimum_msat")),
                        field(in, type, () -> in.u32("fee_base_msat")),
                        field(in, type, () -> in.u32("fee_proportional_millionths")),
                        field(in, type, () -> in.u64("htlc_maximum_msat")), Bytes.wrap(in.rest()));
            case GossipMessage.ANNOUNCEMENT_SIGNATURES:
                return new AnnouncementSignatures(hash(in, type), scid(in, type), sig(in, type), sig(in, type),
                        extension(in, type));
            case GossipMessage.QUERY_SHORT_CHANNEL_IDS: {
                Bytes32 chain = hash(in, type);
                EncodedShortIds ids = new EncodedShortIds(lengthPrefixed(in, type, "encoded_short_ids"));
                TlvStream tlvs = extension(in, type);
                return new QueryShortChannelIds(chain, ids,
                        tlvs.value(QueryShortChannelIds.QUERY_FLAGS).map(EncodedQueryFlags::new),
                        tlvs.filter(t -> t != QueryShortChannelIds.QUERY_FLAGS));
            }
            case GossipMessage.REPLY_SHORT_CHANNEL_IDS_END:
                return new ReplyShortChannelIdsEnd(hash(in, type), field(in, type, () -> in.u8("full_information")),
                        extension(in, type));
            case GossipMessage.QUERY_CHANNEL_RANGE: {
                Bytes32 chain = hash(in, type);
                long first = field(in, type, () -> in.u32("first_blocknum"));
                long count = field(in, type, () -> in.u32("number_of_blocks"));
                TlvStream tlvs = extension(in, type);
                OptionalLong option = OptionalLong.empty();
                Optional<Bytes> raw = tlvs.value(QueryChannelRange.QUERY_OPTION);
                if (raw.isPresent()) {
                    option = OptionalLong.of(queryOption(raw.get(), type));
                }
                return new QueryChannelRange(chain, first, count, option,
                        tlvs.filter(t -> t != QueryChannelRange.QUERY_OPTION));
            }
            case GossipMessage.REPLY_CHANNEL_RANGE: {
                Bytes32 chain = hash(in, type);
                long first = field(in, type, () -> in.u32("first_blocknum"));
                long count = field(in, type, () -> in.u32("number_of_blocks"));
                int complete = field(in, type, () -> in.u8("sync_complete"));
                EncodedShortIds ids = new EncodedShortIds(lengthPrefixed(in, type, "encoded_short_ids"));
                TlvStream tlvs = extension(in, type);
                return new ReplyChannelRange(chain, first, count, complete, ids,
                        tlvs.value(ReplyChannelRange.TIMESTAMPS).map(EncodedTimestamps::new),
                        tlvs.value(ReplyChannelRange.CHECKSUMS).map(UpdateChecksums::new),
                        tlvs.filter(t -> t != ReplyChannelRange.TIMESTAMPS && t != ReplyChannelRange.CHECKSUMS));
            }
            case GossipMessage.GOSSIP_TIMESTAMP_FILTER:
                return new GossipTimestampFilter(hash(in, type), field(in, type, () -> in.u32("first_timestamp")),
                        field(in, type, () -> in.u32("timestamp_range")), extension(in, type));
            default:
                throw new IllegalArgumentException("not a gossip type: " + type);
        }
    }

    static void encode(GossipMessage message, ByteWriter w) {
        switch (message.type()) {
            case GossipMessage.CHANNEL_ANNOUNCEMENT: {
                ChannelAnnouncement m = (ChannelAnnouncement) message;
                w.bytes(m.nodeSignature1().bytes()).bytes(m.nodeSignature2().bytes())
                        .bytes(m.bitcoinSignature1().bytes()).bytes(m.bitcoinSignature2().bytes());
                w.u16(m.features().bitmap().length()).bytes(m.features().bitmap());
                w.bytes(m.chainHash().bytes()).u64(m.shortChannelId().value());
                w.bytes(m.nodeId1().bytes()).bytes(m.nodeId2().bytes())
                        .bytes(m.bitcoinKey1().bytes()).bytes(m.bitcoinKey2().bytes());
                w.bytes(m.excess());
                break;
            }
            case GossipMessage.NODE_ANNOUNCEMENT: {
                NodeAnnouncement m = (NodeAnnouncement) message;
                w.bytes(m.signature().bytes());
                w.u16(m.features().bitmap().length()).bytes(m.features().bitmap());
                w.u32(m.timestamp()).bytes(m.nodeId().bytes()).bytes(m.rgbColor()).bytes(m.alias());
                w.u16(m.addresses().length()).bytes(m.addresses());
                w.bytes(m.excess());
                break;
            }
            case GossipMessage.CHANNEL_UPDATE: {
                ChannelUpdate m = (ChannelUpdate) message;
                w.bytes(m.signature().bytes()).bytes(m.chainHash().bytes()).u64(m.shortChannelId().value());
                w.u32(m.timestamp()).u8(m.messageFlags()).u8(m.channelFlags()).u16(m.cltvExpiryDelta());
                w.u64(m.htlcMinimumMsat()).u32(m.feeBaseMsat()).u32(m.feeProportionalMillionths());
                w.u64(m.htlcMaximumMsat()).bytes(m.excess());
                break;
            }
            case GossipMessage.ANNOUNCEMENT_SIGNATURES: {
                AnnouncementSignatures m = (AnnouncementSignatures) message;
                w.bytes(m.channelId().bytes()).u64(m.shortChannelId().value());
                w.bytes(m.nodeSignature().bytes()).bytes(m.bitcoinSignature().bytes());
                m.extension().writeTo(w);
                break;
            }
            case GossipMessage.QUERY_SHORT_CHANNEL_IDS: {
                QueryShortChannelIds m = (QueryShortChannelIds) message;
                w.bytes(m.chainHash().bytes());
                w.u16(m.shortIds().encoded().length()).bytes(m.shortIds().encoded());
                List<TlvRecord> known = new ArrayList<>(1);
                m.queryFlags().ifPresent(f -> known.add(new TlvRecord(QueryShortChannelIds.QUERY_FLAGS, f.encoded())));
                m.unknownTlvs().with(known).writeTo(w);
                break;
            }
            case GossipMessage.REPLY_SHORT_CHANNEL_IDS_END: {
                ReplyShortChannelIdsEnd m = (ReplyShortChannelIdsEnd) message;
                w.bytes(m.chainHash().bytes()).u8(m.fullInformation());
                m.extension().writeTo(w);
                break;
            }
            case GossipMessage.QUERY_CHANNEL_RANGE: {
                QueryChannelRange m = (QueryChannelRange) message;
                w.bytes(m.chainHash().bytes()).u32(m.firstBlocknum()).u32(m.numberOfBlocks());
                List<TlvRecord> known = new ArrayList<>(1);
                m.queryOption().ifPresent(o -> known.add(new TlvRecord(QueryChannelRange.QUERY_OPTION,
                        new ByteWriter(9).bigSize(o).toBytes())));
                m.unknownTlvs().with(known).writeTo(w);
                break;
            }
            case GossipMessage.REPLY_CHANNEL_RANGE: {
                ReplyChannelRange m = (ReplyChannelRange) message;
                w.bytes(m.chainHash().bytes()).u32(m.firstBlocknum()).u32(m.numberOfBlocks()).u8(m.syncComplete());
                w.u16(m.shortIds().encoded().length()).bytes(m.shortIds().encoded());
                List<TlvRecord> known = new ArrayList<>(2);
                m.timestamps().ifPresent(t -> known.add(new TlvRecord(ReplyChannelRange.TIMESTAMPS, t.encoded())));
                m.checksums().ifPresent(c -> known.add(new TlvRecord(ReplyChannelRange.CHECKSUMS, c.encoded())));
                m.unknownTlvs().with(known).writeTo(w);
                break;
            }
            case GossipMessage.GOSSIP_TIMESTAMP_FILTER: {
                GossipTimestampFilter m = (GossipTimestampFilter) message;
                w.bytes(m.chainHash().bytes()).u32(m.firstTimestamp()).u32(m.timestampRange());
                m.extension().writeTo(w);
                break;
            }
            default:
                throw new IllegalArgumentException("not a gossip type: " + message.type());
        }
    }

    // ---- encoded arrays (BOLT 7, Query Messages: "encoding types")

    static Bytes uncompressedShortIds(List<ShortChannelId> ids) {
        ByteWriter w = new ByteWriter();
        w.u8(UNCOMPRESSED);
        for (ShortChannelId id : ids) {
            w.u64(id.value());
        }
        return w.toBytes();
    }

    static List<ShortChannelId> shortIds(Bytes encoded) {
        ByteReader r = new ByteReader(inflated(encoded, "encoded_short_ids"));
        if (r.remaining() % 8 != 0) {
            throw new DecodeException("encoded_short_ids: " + r.remaining()
                    + " bytes is not a whole number of short_channel_ids");
        }
        List<ShortChannelId> out = new ArrayList<>();
        while (!r.isEmpty()) {
            out.add(new ShortChannelId(r.u64("short_channel_id")));
        }
        return out;
    }

    static Bytes uncompressedQueryFlags(List<Long> flags) {
        ByteWriter w = new ByteWriter();
        w.u8(UNCOMPRESSED);
        for (long f : flags) {
            w.bigSize(f);
        }
        return w.toBytes();
    }

    /** BOLT 7: "Each query flag is a minimally-encoded bigsize" (the reader rejects others). */
    static List<Long> queryFlags(Bytes encoded) {
        ByteReader r = new ByteReader(inflated(encoded, "encoded_query_flags"));
        List<Long> out = new ArrayList<>();
        while (!r.isEmpty()) {
            out.add(r.bigSize("query_flag"));
        }
        return out;
    }

    static Bytes pairs(List<UpdatePair> pairs, boolean withEncoding) {
        ByteWriter w = new ByteWriter();
        if (withEncoding) {
            w.u8(UNCOMPRESSED);
        }
        for (UpdatePair p : pairs) {
            w.u32(p.node1()).u32(p.node2());
        }
        return w.toBytes();
    }

    static List<UpdatePair> timestamps(Bytes encoded) {
        return readPairs(new ByteReader(inflated(encoded, "encoded_timestamps")), "encoded_timestamps");
    }

    static List<UpdatePair> checksums(Bytes encoded) {
        return readPairs(new ByteReader(encoded.toArray()), "checksums");
    }

    private static List<UpdatePair> readPairs(ByteReader r, String what) {
        if (r.remaining() % 8 != 0) {
            throw new DecodeException(what + ": " + r.remaining() + " bytes is not a whole number of pairs of u32");
        }
        List<UpdatePair> out = new ArrayList<>();
        while (!r.isEmpty()) {
            out.add(new UpdatePair(r.u32(what), r.u32(what)));
        }
        return out;
    }

    /** The array after its encoding byte, inflated when it is zlib (bounded by {@link #MAX_INFLATED}). */
    private static byte[] inflated(Bytes encoded, String what) {
        if (encoded.isEmpty()) {
            throw new DecodeException(what + ": no encoding byte");
        }
        byte[] all = encoded.toArray();
        int encoding = all[0] & 0xff;
        if (encoding == UNCOMPRESSED) {
            return java.util.Arrays.copyOfRange(all, 1, all.length);
        }
        if (encoding != ZLIB) {
            throw new DecodeException(what + ": unknown encoding type " + encoding);
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(all, 1, all.length - 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DecodeException(what + ": truncated zlib data");
                }
                out.write(chunk, 0, n);
                if (out.size() > MAX_INFLATED) {
                    throw new DecodeException(what + ": zlib data inflates past " + MAX_INFLATED + " bytes");
                }
            }
            if (inflater.getRemaining() != 0) {
                throw new DecodeException(what + ": bytes after the zlib data");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new DecodeException(what + ": bad zlib data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    // ---- fields

    /** {@code query_option_flags}: a minimally encoded bigsize filling the record. */
    private static long queryOption(Bytes value, int type) {
        ByteReader r = new ByteReader(value.toArray());
        try {
            long v = r.bigSize("query_option_flags");
            if (!r.isEmpty()) {
                throw new DecodeException("query_option_flags: bytes after the bigsize");
            }
            return v;
        } catch (DecodeException e) {
            // BOLT 1: a known TLV record that does not decode makes the stream invalid.
            throw new WireDecodeException(Kind.INVALID_EXTENSION, type, e.getMessage(), e);
        }
    }

    private static EcdsaSignature sig(ByteReader in, int type) {
        return new EcdsaSignature(field(in, type, () -> in.read(EcdsaSignature.LENGTH, "signature")));
    }

    private static Point point(ByteReader in, int type) {
        return new Point(field(in, type, () -> in.read(Point.LENGTH, "point")));
    }

    private static Bytes32 hash(ByteReader in, int type) {
        return new Bytes32(field(in, type, () -> in.read(Bytes32.LENGTH, "chain_hash")));
    }

    private static ShortChannelId scid(ByteReader in, int type) {
        return new ShortChannelId(field(in, type, () -> in.u64("short_channel_id")));
    }
}
