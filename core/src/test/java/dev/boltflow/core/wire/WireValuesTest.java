package dev.boltflow.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.EcdsaSignature;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.GossipMessage.EncodedShortIds;
import dev.boltflow.core.wire.GossipMessage.EncodedTimestamps;
import dev.boltflow.core.wire.GossipMessage.GossipTimestampFilter;
import dev.boltflow.core.wire.GossipMessage.QueryChannelRange;
import dev.boltflow.core.wire.GossipMessage.QueryShortChannelIds;
import dev.boltflow.core.wire.GossipMessage.ReplyShortChannelIdsEnd;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * The values of the wire package as a caller uses them: short channel ids (BOLT 7), points, the
 * BOLT 1 / BOLT 7 field ranges, the flags and filters BOLT 7 defines, zlib arrays, error texts.
 */
class WireValuesTest {
    private static final Bytes32 CHAIN = ChainHashes.BITCOIN;
    private static final EcdsaSignature SIG = new EcdsaSignature(Bytes.wrap(new byte[64]));

    private static ChannelUpdate update(int messageFlags, int channelFlags) {
        return new ChannelUpdate(SIG, CHAIN, ShortChannelId.of(1, 2, 3), 1_700_000_000L, messageFlags, channelFlags,
                144, 1, 1000, 10, 1_000_000, Bytes.EMPTY);
    }

    @Test
    void short_channel_id_parts_and_text() {
        ShortChannelId id = ShortChannelId.of(539268, 845, 1);
        assertEquals(539268, id.blockHeight());
        assertEquals(845, id.txIndex());
        assertEquals(1, id.outputIndex());
        assertEquals("539268x845x1", id.toString());
        assertEquals((539268L << 40) | (845L << 16) | 1, id.value());
        assertEquals(id, ShortChannelId.parse("539268x845x1"));
        ShortChannelId max = ShortChannelId.of(0xffffff, 0xffffff, 0xffff);
        assertEquals(-1L, max.value());
        assertEquals(0xffffff, max.blockHeight());
        assertEquals(0xffffff, max.txIndex());
        assertEquals(0xffff, max.outputIndex());
        assertEquals("16777215x16777215x65535", max.toString());
        assertEquals("16777215x16777215x65535", ShortChannelId.format(-1L));
        assertEquals(0, ShortChannelId.of(0, 0, 0).value());
        assertEquals(1L << 40, ShortChannelId.of(1, 0, 0).value());
        assertEquals(1L << 16, ShortChannelId.of(0, 1, 0).value());
    }

    @Test
    void short_channel_id_parts_are_range_checked() {
        for (long[] bad : new long[][] {{-1, 0, 0}, {0x1000000, 0, 0}, {0, -1, 0}, {0, 0x1000000, 0}, {0, 0, -1},
            {0, 0, 0x10000}}) {
            assertThrows(IllegalArgumentException.class, () -> ShortChannelId.of(bad[0], bad[1], (int) bad[2]));
        }
        DecodeException e = assertThrows(DecodeException.class, () -> ShortChannelId.parse("16777216x0x0"));
        assertEquals("short_channel_id part out of range: 16777216x0x0", e.getMessage());
        assertThrows(DecodeException.class, () -> ShortChannelId.parse("1x2"));
        assertThrows(DecodeException.class, () -> ShortChannelId.parse("1x2xz"));
    }

    @Test
    void short_channel_ids_order_as_unsigned_values() {
        List<ShortChannelId> ids = new ArrayList<>(List.of(ShortChannelId.of(0xffffff, 0, 0),
                ShortChannelId.of(2, 0, 0), ShortChannelId.of(1, 5, 0)));
        Collections.sort(ids);
        assertEquals(List.of(ShortChannelId.of(1, 5, 0), ShortChannelId.of(2, 0, 0), ShortChannelId.of(0xffffff, 0, 0)),
                ids);
        assertEquals(0, ShortChannelId.of(1, 1, 1).compareTo(ShortChannelId.of(1, 1, 1)));
    }

    @Test
    void points_are_33_bytes_ordered_and_printed_as_hex() {
        String hex = "02" + "11".repeat(32);
        Point p = Point.fromHex(hex);
        assertEquals(hex, p.toString());
        assertEquals(new Point(Bytes.fromHex(hex)), p);
        assertTrue(p.compareTo(Point.fromHex("03" + "00".repeat(32))) < 0);
        assertTrue(Point.fromHex("03" + "00".repeat(32)).compareTo(p) > 0);
        assertThrows(IllegalArgumentException.class, () -> Point.fromHex("02"));
    }

    @Test
    void byte_and_u16_length_fields_take_their_largest_value() {
        assertEquals(255, update(255, 0).messageFlags());
        assertThrows(IllegalArgumentException.class, () -> update(256, 0));
        assertThrows(IllegalArgumentException.class, () -> update(-1, 0));
        Bytes most = Bytes.wrap(new byte[65535]);
        assertEquals(65535, new WireMessage.Warning(Bytes32.ZERO, most).data().length());
        assertThrows(IllegalArgumentException.class, () -> new WireMessage.Warning(Bytes32.ZERO, Bytes.wrap(new byte[65536])));
    }

    @Test
    void channel_update_flags() {
        assertEquals(0, update(1, 0).direction());
        assertEquals(1, update(1, 1).direction());
        assertFalse(update(1, 1).disabled());
        assertTrue(update(1, 2).disabled());
        assertFalse(update(1, 0).dontForward());
        assertTrue(update(3, 0).dontForward());
        assertFalse(update(0xfd, 0).dontForward());
    }

    @Test
    void a_timestamp_filter_accepts_its_half_open_range() {
        GossipTimestampFilter f = new GossipTimestampFilter(CHAIN, 1000, 10);
        assertFalse(f.accepts(999));
        assertTrue(f.accepts(1000));
        assertTrue(f.accepts(1009));
        assertFalse(f.accepts(1010));
        // first_timestamp + timestamp_range past 2^32 still ends there.
        GossipTimestampFilter all = new GossipTimestampFilter(CHAIN, 0, 0xffffffffL);
        assertTrue(all.accepts(0xfffffffeL));
        assertFalse(new GossipTimestampFilter(CHAIN, 5, 0).accepts(5));
    }

    @Test
    void a_channel_range_query_ends_past_its_last_block_and_says_what_it_wants() {
        QueryChannelRange q = new QueryChannelRange(CHAIN, 0xffffff00L, 0x200, OptionalLong.of(
                QueryChannelRange.WANT_CHECKSUMS), TlvStream.EMPTY);
        assertEquals(0x100000100L, q.endBlock(), "an unsigned sum, past 2^32");
        assertTrue(q.wants(QueryChannelRange.WANT_CHECKSUMS));
        assertFalse(q.wants(QueryChannelRange.WANT_TIMESTAMPS));
        QueryChannelRange none = new QueryChannelRange(CHAIN, 10, 5, OptionalLong.empty(), TlvStream.EMPTY);
        assertEquals(15, none.endBlock());
        assertFalse(none.wants(QueryChannelRange.WANT_TIMESTAMPS));
        assertFalse(none.wants(QueryChannelRange.WANT_CHECKSUMS));
    }

    @Test
    void query_short_channel_ids_of_a_list_encodes_them_uncompressed() {
        List<ShortChannelId> ids = List.of(ShortChannelId.of(1, 2, 3), ShortChannelId.of(4, 5, 6));
        QueryShortChannelIds q = QueryShortChannelIds.of(CHAIN, ids);
        assertEquals(ids, q.shortIds().ids());
        assertEquals(17, q.shortIds().encoded().length());
        assertEquals(0, q.shortIds().encoded().get(0));
        assertEquals(Optional.empty(), q.queryFlags());
        assertEquals(q, WireCodec.decode(WireCodec.encode(q)));
        assertEquals(GossipMessage.QUERY_SHORT_CHANNEL_IDS, q.type());
    }

    @Test
    void reply_short_channel_ids_end_keeps_its_full_information_byte() {
        ReplyShortChannelIdsEnd yes = new ReplyShortChannelIdsEnd(CHAIN, true);
        assertEquals(1, yes.fullInformation());
        assertEquals(0, new ReplyShortChannelIdsEnd(CHAIN, false).fullInformation());
        assertEquals(GossipMessage.REPLY_SHORT_CHANNEL_IDS_END, yes.type());
        byte[] wire = WireCodec.encode(yes);
        assertEquals(2 + 32 + 1, wire.length);
        assertEquals(1, wire[34]);
        assertEquals(yes, WireCodec.decode(wire));
        assertEquals(GossipMessage.ANNOUNCEMENT_SIGNATURES, new GossipMessage.AnnouncementSignatures(Bytes32.ZERO,
                ShortChannelId.of(1, 1, 1), SIG, SIG, TlvStream.EMPTY).type());
    }

    private static Bytes zlib(byte[] data, int cut) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(GossipCodec.ZLIB);
        byte[] chunk = new byte[4096];
        while (!d.finished()) {
            int n = d.deflate(chunk);
            out.write(chunk, 0, n);
        }
        d.end();
        byte[] all = out.toByteArray();
        return Bytes.of(all, 0, all.length - cut);
    }

    /** BOLT 7 encoding 1 is still read, up to 256 KiB inflated; truncated data is refused. */
    @Test
    void zlib_arrays_inflate_up_to_their_bound() {
        int ids = GossipCodec.MAX_INFLATED / 8;
        ByteWriter w = new ByteWriter();
        for (int i = 0; i < ids; i++) {
            w.u64(ShortChannelId.of(i + 1, 0, 0).value());
        }
        byte[] exactly = w.toByteArray();
        List<ShortChannelId> read = new EncodedShortIds(zlib(exactly, 0)).ids();
        assertEquals(ids, read.size());
        assertEquals(ShortChannelId.of(ids, 0, 0), read.get(ids - 1));

        byte[] tooMany = new ByteWriter().bytes(exactly).u64(1).toByteArray();
        DecodeException big = assertThrows(DecodeException.class, () -> new EncodedShortIds(zlib(tooMany, 0)).ids());
        assertEquals("encoded_short_ids: zlib data inflates past 262144 bytes", big.getMessage());

        DecodeException cut = assertThrows(DecodeException.class,
                () -> new EncodedShortIds(zlib(new byte[64], 4)).ids());
        assertEquals("encoded_short_ids: truncated zlib data", cut.getMessage());

        // A stream that needs a preset dictionary (which BOLT 7 never gives) cannot be read either.
        Deflater withDictionary = new Deflater();
        withDictionary.setDictionary(new byte[] {1, 2, 3});
        withDictionary.setInput(new byte[16]);
        withDictionary.finish();
        byte[] buf = new byte[256];
        int n = withDictionary.deflate(buf);
        withDictionary.end();
        Bytes needsDictionary = Bytes.of(new byte[] {GossipCodec.ZLIB}).concat(Bytes.of(buf, 0, n));
        assertThrows(DecodeException.class, () -> new EncodedShortIds(needsDictionary).ids());

        byte[] pairs = new ByteWriter().u32(7).u32(8).toByteArray();
        assertEquals(List.of(new GossipMessage.UpdatePair(7, 8)), new EncodedTimestamps(zlib(pairs, 0)).timestamps());
    }

    @Test
    void a_decode_error_names_its_kind_and_message_type() {
        WireDecodeException noType = assertThrows(WireDecodeException.class, () -> WireCodec.decode(new byte[1]));
        assertEquals("TRUNCATED: a message needs a 2-byte type, got 1 bytes", noType.getMessage());
        assertEquals(-1, noType.messageType());
        WireDecodeException even = assertThrows(WireDecodeException.class,
                () -> WireCodec.decode(Bytes.fromHex("0064").toArray()));
        assertEquals("UNKNOWN_EVEN_TYPE (type 100): unknown even message type 100", even.getMessage());
        WireDecodeException zero = new WireDecodeException(WireDecodeException.Kind.INVALID_FIELD, 0, "x");
        assertEquals("INVALID_FIELD (type 0): x", zero.getMessage());
        assertFalse(zero.mustCloseConnection());
    }

    @Test
    void warnings_and_errors_about_all_channels_and_their_text() {
        WireMessage.Warning w = WireMessage.Warning.of("slow down");
        assertTrue(w.isAllChannels());
        assertEquals("slow down", w.printableData());
        assertFalse(new WireMessage.Warning(CHAIN, Bytes.EMPTY).isAllChannels());
        WireMessage.Error e = WireMessage.Error.of("bye");
        assertTrue(e.isAllChannels());
        assertEquals(Bytes.fromHex("627965"), e.data());
        assertFalse(new WireMessage.Error(CHAIN, Bytes.EMPTY).isAllChannels());
        // Printable ASCII is ' ' to '~'; anything else prints as hex.
        assertEquals(" ~", new WireMessage.Error(CHAIN, Bytes.fromHex("207e")).printableData());
        assertEquals("hex:1f41", new WireMessage.Error(CHAIN, Bytes.fromHex("1f41")).printableData());
        assertEquals("hex:417f", new WireMessage.Warning(CHAIN, Bytes.fromHex("417f")).printableData());
    }

    @Test
    void an_onion_message_or_unknown_message_prints_sizes_not_contents() {
        WireMessage.Unknown u = new WireMessage.Unknown(32771, Bytes.fromHex("aabbcc"));
        assertEquals("Unknown[type=32771, 3 bytes]", u.toString());
        WireMessage.OnionMessage m = assertInstanceOf(WireMessage.OnionMessage.class, WireCodec.decode(
                new ByteWriter().u16(WireMessage.ONION_MESSAGE).bytes(Bytes.fromHex("02" + "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"))
                        .u16(4).bytes(Bytes.fromHex("deadbeef")).toByteArray()));
        String s = m.toString();
        assertTrue(s.startsWith("OnionMessage[pathKey=0279be667e"), s);
        assertTrue(s.contains("packet=4 bytes"), s);
        assertFalse(s.contains("deadbeef"), s);
    }

    @Test
    void a_channel_announcement_features_field_holds_up_to_65535_bytes() {
        Point p = Point.fromHex("02" + "11".repeat(32));
        Features most = new Features(Bytes.wrap(new byte[65535]));
        assertEquals(most, new ChannelAnnouncement(SIG, SIG, SIG, SIG, most, CHAIN, ShortChannelId.of(1, 1, 1), p, p, p, p,
                Bytes.EMPTY).features());
        assertThrows(IllegalArgumentException.class, () -> new ChannelAnnouncement(SIG, SIG, SIG, SIG,
                new Features(Bytes.wrap(new byte[65536])), CHAIN, ShortChannelId.of(1, 1, 1), p, p, p, p, Bytes.EMPTY));
    }
}
