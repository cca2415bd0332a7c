package dev.boltflow.core.wire;

import static dev.boltflow.core.wire.WireChecks.requireNot;
import static dev.boltflow.core.wire.WireChecks.requireOddOnly;
import static dev.boltflow.core.wire.WireChecks.requireU16;
import static dev.boltflow.core.wire.WireChecks.requireU16Length;
import static dev.boltflow.core.wire.WireChecks.requireU32;
import static dev.boltflow.core.wire.WireChecks.requireU8;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.EcdsaSignature;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.tlv.TlvStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The BOLT 7 messages (types 256 to 265), as {@link GossipCodec} reads and writes them. Every field
 * is kept as it was sent (feature bitmaps with their length, encoded arrays with their encoding),
 * and the three signed messages keep whatever follows their last known field ({@code excess}: BOLT
 * 7's "future fields appended to the end", which the signatures cover), so encoding a decoded
 * message gives back its bytes exactly and a signature is checked over what the peer signed.
 */
public sealed interface GossipMessage extends WireMessage
        permits GossipMessage.ChannelAnnouncement, GossipMessage.NodeAnnouncement, GossipMessage.ChannelUpdate,
        GossipMessage.AnnouncementSignatures, GossipMessage.QueryShortChannelIds,
        GossipMessage.ReplyShortChannelIdsEnd, GossipMessage.QueryChannelRange, GossipMessage.ReplyChannelRange,
        GossipMessage.GossipTimestampFilter {

    int CHANNEL_ANNOUNCEMENT = 256;
    int NODE_ANNOUNCEMENT = 257;
    int CHANNEL_UPDATE = 258;
    int ANNOUNCEMENT_SIGNATURES = 259;
    int QUERY_SHORT_CHANNEL_IDS = 261;
    int REPLY_SHORT_CHANNEL_IDS_END = 262;
    int QUERY_CHANNEL_RANGE = 263;
    int REPLY_CHANNEL_RANGE = 264;
    int GOSSIP_TIMESTAMP_FILTER = 265;

    /** True for the types modelled here. */
    static boolean isGossipType(int type) {
        return type >= CHANNEL_ANNOUNCEMENT && type <= GOSSIP_TIMESTAMP_FILTER && type != 260;
    }

    /** {@code channel_announcement} (256), BOLT 7. */
    record ChannelAnnouncement(EcdsaSignature nodeSignature1, EcdsaSignature nodeSignature2,
            EcdsaSignature bitcoinSignature1, EcdsaSignature bitcoinSignature2, Features features, Bytes32 chainHash,
            ShortChannelId shortChannelId, Point nodeId1, Point nodeId2, Point bitcoinKey1, Point bitcoinKey2,
            Bytes excess) implements GossipMessage {
        /** Where the signed part starts in the message (type included): "beginning at offset 256" of the payload. */
        public static final int SIGNED_FROM = 2 + 4 * EcdsaSignature.LENGTH;

        public ChannelAnnouncement {
            Objects.requireNonNull(nodeSignature1, "nodeSignature1");
            Objects.requireNonNull(nodeSignature2, "nodeSignature2");
            Objects.requireNonNull(bitcoinSignature1, "bitcoinSignature1");
            Objects.requireNonNull(bitcoinSignature2, "bitcoinSignature2");
            Objects.requireNonNull(features, "features");
            requireU16Length(features.bitmap(), "features");
            Objects.requireNonNull(chainHash, "chainHash");
            Objects.requireNonNull(shortChannelId, "shortChannelId");
            Objects.requireNonNull(nodeId1, "nodeId1");
            Objects.requireNonNull(nodeId2, "nodeId2");
            Objects.requireNonNull(bitcoinKey1, "bitcoinKey1");
            Objects.requireNonNull(bitcoinKey2, "bitcoinKey2");
            Objects.requireNonNull(excess, "excess");
        }

        @Override
        public int type() {
            return CHANNEL_ANNOUNCEMENT;
        }
    }

    /** {@code node_announcement} (257), BOLT 7. {@code addresses} raw; {@link NodeAddress#parseAll} reads them. */
    record NodeAnnouncement(EcdsaSignature signature, Features features, long timestamp, Point nodeId, Bytes rgbColor,
            Bytes alias, Bytes addresses, Bytes excess) implements GossipMessage {
        /** The signed part follows the signature. */
        public static final int SIGNED_FROM = 2 + EcdsaSignature.LENGTH;

        public NodeAnnouncement {
            Objects.requireNonNull(signature, "signature");
            Objects.requireNonNull(features, "features");
            requireU16Length(features.bitmap(), "features");
            requireU32(timestamp, "timestamp");
            Objects.requireNonNull(nodeId, "nodeId");
            if (rgbColor.length() != 3) {
                throw new IllegalArgumentException("rgb_color is 3 bytes");
            }
            if (alias.length() != 32) {
                throw new IllegalArgumentException("alias is 32 bytes");
            }
            requireU16Length(addresses, "addresses");
            Objects.requireNonNull(excess, "excess");
        }

        @Override
        public int type() {
            return NODE_ANNOUNCEMENT;
        }
    }

    /** {@code channel_update} (258), BOLT 7. */
    record ChannelUpdate(EcdsaSignature signature, Bytes32 chainHash, ShortChannelId shortChannelId, long timestamp,
            int messageFlags, int channelFlags, int cltvExpiryDelta, long htlcMinimumMsat, long feeBaseMsat,
            long feeProportionalMillionths, long htlcMaximumMsat, Bytes excess) implements GossipMessage {
        /** The signed part follows the signature. */
        public static final int SIGNED_FROM = 2 + EcdsaSignature.LENGTH;
        /** {@code channel_flags} bit 0: 0 = from {@code node_id_1}, 1 = from {@code node_id_2}. */
        public static final int DIRECTION = 1;
        /** {@code channel_flags} bit 1. */
        public static final int DISABLE = 2;
        /** {@code message_flags} bit 0, always 1 now. */
        public static final int MUST_BE_ONE = 1;
        /** {@code message_flags} bit 1. */
        public static final int DONT_FORWARD = 2;

        public ChannelUpdate {
            Objects.requireNonNull(signature, "signature");
            Objects.requireNonNull(chainHash, "chainHash");
            Objects.requireNonNull(shortChannelId, "shortChannelId");
            requireU32(timestamp, "timestamp");
            requireU8(messageFlags, "message_flags");
            requireU8(channelFlags, "channel_flags");
            requireU16(cltvExpiryDelta, "cltv_expiry_delta");
            requireU32(feeBaseMsat, "fee_base_msat");
            requireU32(feeProportionalMillionths, "fee_proportional_millionths");
            Objects.requireNonNull(excess, "excess");
        }

        /** 0 when sent by {@code node_id_1}, 1 when by {@code node_id_2}. */
        public int direction() {
            return channelFlags & DIRECTION;
        }

        public boolean disabled() {
            return (channelFlags & DISABLE) != 0;
        }

        public boolean dontForward() {
            return (messageFlags & DONT_FORWARD) != 0;
        }

        @Override
        public int type() {
            return CHANNEL_UPDATE;
        }
    }

    /** {@code announcement_signatures} (259), BOLT 7: only between a channel's two ends. */
    record AnnouncementSignatures(Bytes32 channelId, ShortChannelId shortChannelId, EcdsaSignature nodeSignature,
            EcdsaSignature bitcoinSignature, TlvStream extension) implements GossipMessage {
        public AnnouncementSignatures {
            Objects.requireNonNull(channelId, "channelId");
            Objects.requireNonNull(shortChannelId, "shortChannelId");
            Objects.requireNonNull(nodeSignature, "nodeSignature");
            Objects.requireNonNull(bitcoinSignature, "bitcoinSignature");
            requireOddOnly(extension, "announcement_signatures extension");
        }

        @Override
        public int type() {
            return ANNOUNCEMENT_SIGNATURES;
        }
    }

    /**
     * {@code query_short_channel_ids} (261) with its {@code query_flags} (TLV 1); other (odd) TLVs
     * in {@code unknownTlvs}.
     */
    record QueryShortChannelIds(Bytes32 chainHash, EncodedShortIds shortIds, Optional<EncodedQueryFlags> queryFlags,
            TlvStream unknownTlvs) implements GossipMessage {
        public static final long QUERY_FLAGS = 1;
        /** {@code query_flag} bits. */
        public static final long WANT_ANNOUNCEMENT = 1;
        public static final long WANT_UPDATE_1 = 2;
        public static final long WANT_UPDATE_2 = 4;
        public static final long WANT_NODE_1 = 8;
        public static final long WANT_NODE_2 = 16;

        public QueryShortChannelIds {
            Objects.requireNonNull(chainHash, "chainHash");
            Objects.requireNonNull(shortIds, "shortIds");
            Objects.requireNonNull(queryFlags, "queryFlags");
            requireOddOnly(unknownTlvs, "query_short_channel_ids_tlvs");
            requireNot(unknownTlvs, QUERY_FLAGS);
        }

        public static QueryShortChannelIds of(Bytes32 chainHash, List<ShortChannelId> ids) {
            return new QueryShortChannelIds(chainHash, EncodedShortIds.of(ids), Optional.empty(), TlvStream.EMPTY);
        }

        @Override
        public int type() {
            return QUERY_SHORT_CHANNEL_IDS;
        }
    }

    /** {@code reply_short_channel_ids_end} (262); {@code full_information} is kept as the byte sent. */
    record ReplyShortChannelIdsEnd(Bytes32 chainHash, int fullInformation, TlvStream extension) implements GossipMessage {
        public ReplyShortChannelIdsEnd {
            Objects.requireNonNull(chainHash, "chainHash");
            requireU8(fullInformation, "full_information");
            requireOddOnly(extension, "reply_short_channel_ids_end extension");
        }

        public ReplyShortChannelIdsEnd(Bytes32 chainHash, boolean fullInformation) {
            this(chainHash, fullInformation ? 1 : 0, TlvStream.EMPTY);
        }

        @Override
        public int type() {
            return REPLY_SHORT_CHANNEL_IDS_END;
        }
    }

    /** {@code query_channel_range} (263) with its {@code query_option} (TLV 1, a bigsize bitfield). */
    record QueryChannelRange(Bytes32 chainHash, long firstBlocknum, long numberOfBlocks, OptionalLong queryOption,
            TlvStream unknownTlvs) implements GossipMessage {
        public static final long QUERY_OPTION = 1;
        public static final long WANT_TIMESTAMPS = 1;
        public static final long WANT_CHECKSUMS = 2;

        public QueryChannelRange {
            Objects.requireNonNull(chainHash, "chainHash");
            requireU32(firstBlocknum, "first_blocknum");
            requireU32(numberOfBlocks, "number_of_blocks");
            Objects.requireNonNull(queryOption, "queryOption");
            requireOddOnly(unknownTlvs, "query_channel_range_tlvs");
            requireNot(unknownTlvs, QUERY_OPTION);
        }

        /** The last block asked for plus one, as an unsigned sum (it may pass 2^32). */
        public long endBlock() {
            return firstBlocknum + numberOfBlocks;
        }

        public boolean wants(long option) {
            return queryOption.isPresent() && (queryOption.getAsLong() & option) != 0;
        }

        @Override
        public int type() {
            return QUERY_CHANNEL_RANGE;
        }
    }

    /**
     * {@code reply_channel_range} (264) with {@code timestamps_tlv} (1) and {@code checksums_tlv} (3);
     * {@code sync_complete} kept as the byte sent.
     */
    record ReplyChannelRange(Bytes32 chainHash, long firstBlocknum, long numberOfBlocks, int syncComplete,
            EncodedShortIds shortIds, Optional<EncodedTimestamps> timestamps, Optional<UpdateChecksums> checksums,
            TlvStream unknownTlvs) implements GossipMessage {
        public static final long TIMESTAMPS = 1;
        public static final long CHECKSUMS = 3;

        public ReplyChannelRange {
            Objects.requireNonNull(chainHash, "chainHash");
            requireU32(firstBlocknum, "first_blocknum");
            requireU32(numberOfBlocks, "number_of_blocks");
            requireU8(syncComplete, "sync_complete");
            Objects.requireNonNull(shortIds, "shortIds");
            Objects.requireNonNull(timestamps, "timestamps");
            Objects.requireNonNull(checksums, "checksums");
            requireOddOnly(unknownTlvs, "reply_channel_range_tlvs");
            requireNot(unknownTlvs, TIMESTAMPS);
            requireNot(unknownTlvs, CHECKSUMS);
        }

        @Override
        public int type() {
            return REPLY_CHANNEL_RANGE;
        }
    }

    /** {@code gossip_timestamp_filter} (265). */
    record GossipTimestampFilter(Bytes32 chainHash, long firstTimestamp, long timestampRange, TlvStream extension)
            implements GossipMessage {
        public GossipTimestampFilter {
            Objects.requireNonNull(chainHash, "chainHash");
            requireU32(firstTimestamp, "first_timestamp");
            requireU32(timestampRange, "timestamp_range");
            requireOddOnly(extension, "gossip_timestamp_filter extension");
        }

        public GossipTimestampFilter(Bytes32 chainHash, long firstTimestamp, long timestampRange) {
            this(chainHash, firstTimestamp, timestampRange, TlvStream.EMPTY);
        }

        /** BOLT 7: "greater or equal to first_timestamp, and less than first_timestamp plus timestamp_range". */
        public boolean accepts(long timestamp) {
            return timestamp >= firstTimestamp && timestamp < firstTimestamp + timestampRange;
        }

        @Override
        public int type() {
            return GOSSIP_TIMESTAMP_FILTER;
        }
    }

    /** A pair of u32 per channel: {@code channel_update_timestamps} or {@code channel_update_checksums}. */
    record UpdatePair(long node1, long node2) {
        public UpdatePair {
            requireU32(node1, "node_id_1 value");
            requireU32(node2, "node_id_2 value");
        }
    }

    /**
     * {@code encoded_short_ids}: the encoding byte and its data, as sent or as we write them.
     * Encoding 0 (uncompressed) is what we write; 1 (zlib, which BOLT 7 says MUST NOT be used any
     * more) is still read. Decoding is left to {@link #ids()}, so that a malformed array is the
     * gossip layer's to count against the peer, not a reason to close the connection.
     */
    record EncodedShortIds(Bytes encoded) {
        public EncodedShortIds {
            Objects.requireNonNull(encoded, "encoded");
        }

        /** Encoding 0, ids as given (BOLT 7 wants them in ascending order; the caller sorts). */
        public static EncodedShortIds of(List<ShortChannelId> ids) {
            return new EncodedShortIds(GossipCodec.uncompressedShortIds(ids));
        }

        /** The ids; a {@link dev.boltflow.core.bytes.DecodeException} for an unknown encoding or a partial id. */
        public List<ShortChannelId> ids() {
            return GossipCodec.shortIds(encoded);
        }
    }

    /** The {@code query_flags} TLV: an encoding byte, then one minimally encoded bigsize per short channel id. */
    record EncodedQueryFlags(Bytes encoded) {
        public EncodedQueryFlags {
            Objects.requireNonNull(encoded, "encoded");
        }

        public static EncodedQueryFlags of(List<Long> flags) {
            return new EncodedQueryFlags(GossipCodec.uncompressedQueryFlags(flags));
        }

        /** The flags; a {@link dev.boltflow.core.bytes.DecodeException} if they do not decode. */
        public List<Long> flags() {
            return GossipCodec.queryFlags(encoded);
        }
    }

    /** The {@code timestamps_tlv}: an encoding byte, then one {@link UpdatePair} of timestamps per id. */
    record EncodedTimestamps(Bytes encoded) {
        public EncodedTimestamps {
            Objects.requireNonNull(encoded, "encoded");
        }

        public static EncodedTimestamps of(List<UpdatePair> timestamps) {
            return new EncodedTimestamps(GossipCodec.pairs(timestamps, true));
        }

        public List<UpdatePair> timestamps() {
            return GossipCodec.timestamps(encoded);
        }
    }

    /** The {@code checksums_tlv}: one {@link UpdatePair} of CRC32C checksums per id, no encoding byte. */
    record UpdateChecksums(Bytes encoded) {
        public UpdateChecksums {
            Objects.requireNonNull(encoded, "encoded");
        }

        public static UpdateChecksums of(List<UpdatePair> checksums) {
            return new UpdateChecksums(GossipCodec.pairs(checksums, false));
        }

        public List<UpdatePair> checksums() {
            return GossipCodec.checksums(encoded);
        }
    }
}
