package dev.boltflow.core.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * BOLT 1 "Fundamental Types" as the codecs read and write them: big-endian u16/u32/u64, truncated
 * integers (tu16/tu32/tu64, minimal), BigSize (minimal, Appendix A), strict UTF-8; every read past
 * the end is a {@link DecodeException} naming what was read.
 */
class ByteReaderWriterTest {
    private static ByteReader reader(String hex) {
        return new ByteReader(Bytes.fromHex(hex).toArray());
    }

    private static String hex(ByteWriter w) {
        return Bytes.wrap(w.toByteArray()).toHex();
    }

    @Test
    void integers_are_big_endian_and_unsigned() {
        ByteReader in = reader("ff" + "ff01" + "fffffffe" + "fffffffffffffffd");
        assertEquals(255, in.u8("a"));
        assertEquals(0xff01, in.u16("b"));
        assertEquals(0xfffffffeL, in.u32("c"));
        assertEquals(-3L, in.u64("d"));
        assertTrue(in.isEmpty());
        assertEquals("ff" + "ff01" + "fffffffe" + "fffffffffffffffd",
                hex(new ByteWriter().u8(255).u16(0xff01).u32(0xfffffffeL).u64(-3L)));
        assertEquals("0102" + "01020304" + "0102030405060708",
                hex(new ByteWriter().u16(0x0102).u32(0x01020304L).u64(0x0102030405060708L)));
    }

    @Test
    void u16_and_u32_refuse_values_out_of_range() {
        assertThrows(IllegalArgumentException.class, () -> new ByteWriter().u16(0x10000));
        assertThrows(IllegalArgumentException.class, () -> new ByteWriter().u16(-1));
        assertThrows(IllegalArgumentException.class, () -> new ByteWriter().u32(0x100000000L));
        assertThrows(IllegalArgumentException.class, () -> new ByteWriter().u32(-1));
        assertEquals("ffff", hex(new ByteWriter().u16(0xffff)));
        assertEquals("ffffffff", hex(new ByteWriter().u32(0xffffffffL)));
    }

    @Test
    void a_read_past_the_end_names_what_was_read() {
        DecodeException e = assertThrows(DecodeException.class, () -> reader("01").u16("cltv_delta"));
        assertEquals("cltv_delta truncated: need 2 bytes, have 1", e.getMessage());
        assertThrows(DecodeException.class, () -> reader("").u8("x"));
        assertThrows(DecodeException.class, () -> reader("010203").u32("x"));
        assertThrows(DecodeException.class, () -> reader("01020304050607").u64("x"));
        assertThrows(DecodeException.class, () -> reader("01").bytes(2, "x"));
        assertThrows(DecodeException.class, () -> reader("01").bytes(-1, "x"));
        assertThrows(DecodeException.class, () -> reader("01").skip(2, "x"));
        assertThrows(DecodeException.class, () -> reader("01").slice(2, "x"));
        assertThrows(DecodeException.class, () -> reader("01").utf8(2, "x"));
        ByteReader partly = reader("010203");
        partly.u16("x");
        DecodeException late = assertThrows(DecodeException.class, () -> partly.u16("scid"));
        assertEquals("scid truncated: need 2 bytes, have 1", late.getMessage());
        // Exactly what is left can be read.
        ByteReader in = reader("0102");
        assertArrayEquals(new byte[] {1, 2}, in.bytes(2, "x"));
        assertEquals(0, in.remaining());
    }

    @Test
    void a_reader_over_a_range_sees_only_that_range() {
        byte[] buf = Bytes.fromHex("00112233").toArray();
        ByteReader in = new ByteReader(buf, 1, 3);
        assertEquals(2, in.remaining());
        assertEquals(1, in.position());
        assertEquals(0x1122, in.u16("x"));
        assertEquals(3, in.position());
        assertTrue(in.isEmpty());
        assertThrows(DecodeException.class, () -> in.u8("x"));
        assertEquals(0, new ByteReader(buf, 4, 4).remaining());
        assertThrows(IllegalArgumentException.class, () -> new ByteReader(buf, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> new ByteReader(buf, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new ByteReader(buf, 3, 2));
    }

    @Test
    void slice_skip_and_rest_move_the_cursor() {
        ByteReader in = reader("0102030405");
        in.skip(1, "x");
        ByteReader sub = in.slice(2, "x");
        assertEquals(0x0203, sub.u16("x"));
        assertTrue(sub.isEmpty());
        assertThrows(DecodeException.class, () -> sub.u8("x"));
        assertEquals(2, in.remaining());
        assertEquals(Bytes.fromHex("04"), in.read(1, "x"));
        assertArrayEquals(new byte[] {5}, in.rest());
        assertArrayEquals(new byte[0], in.rest());
    }

    @Test
    void truncated_integers_are_minimal_and_within_their_width() {
        assertEquals(0, reader("").truncated(8, "tu64"));
        assertEquals(0x0102, reader("0102").truncated(2, "tu16"));
        assertEquals(-1L, reader("ffffffffffffffff").truncated(8, "tu64"));
        DecodeException tooLong = assertThrows(DecodeException.class, () -> reader("010203").truncated(2, "x"));
        assertEquals("x: truncated integer too long (3 > 2 bytes)", tooLong.getMessage());
        DecodeException notMinimal = assertThrows(DecodeException.class, () -> reader("0001").truncated(4, "x"));
        assertEquals("x: truncated integer not minimal", notMinimal.getMessage());
        assertThrows(DecodeException.class, () -> reader("00").truncated(4, "x"));

        for (long v : new long[] {0, 1, 0xff, 0x100, 0xffff, 0x10000, 0xffffffffL, 0x100000000L, Long.MAX_VALUE, -1}) {
            byte[] b = new ByteWriter().truncated(v).toByteArray();
            assertEquals(ByteWriter.truncatedLength(v), b.length, Long.toUnsignedString(v));
            assertEquals(v, new ByteReader(b).truncated(8, "x"), Long.toUnsignedString(v));
        }
        assertEquals(0, ByteWriter.truncatedLength(0));
        assertEquals(1, ByteWriter.truncatedLength(0xff));
        assertEquals(2, ByteWriter.truncatedLength(0x100));
        assertEquals(8, ByteWriter.truncatedLength(-1));
        assertEquals("", hex(new ByteWriter().truncated(0)));
        assertEquals("010000", hex(new ByteWriter().truncated(0x10000)));
    }

    @Test
    void big_size_takes_the_shortest_form_at_each_boundary() {
        long[] values = {0, 0xfc, 0xfd, 0xffff, 0x10000, 0xffffffffL, 0x100000000L, -1};
        String[] wire = {"00", "fc", "fd00fd", "fdffff", "fe00010000", "feffffffff", "ff0000000100000000",
            "ffffffffffffffffff"};
        for (int i = 0; i < values.length; i++) {
            assertEquals(wire[i], hex(new ByteWriter().bigSize(values[i])), wire[i]);
            assertEquals(wire[i].length() / 2, ByteWriter.bigSizeLength(values[i]), wire[i]);
            ByteReader in = reader(wire[i]);
            assertEquals(values[i], in.bigSize("x"), wire[i]);
            assertTrue(in.isEmpty());
        }
        for (String longer : new String[] {"fd00fc", "fe0000ffff", "ff00000000ffffffff"}) {
            DecodeException e = assertThrows(DecodeException.class, () -> reader(longer).bigSize("len"), longer);
            assertEquals("len: BigSize not minimally encoded", e.getMessage());
        }
    }

    @Test
    void utf8_is_strict() {
        assertEquals("caf\u00e9", reader("636166c3a9").utf8(5, "x"));
        DecodeException e = assertThrows(DecodeException.class, () -> reader("c3").utf8(1, "desc"));
        assertEquals("desc: invalid UTF-8", e.getMessage());
        assertThrows(DecodeException.class, () -> reader("eda080").utf8(3, "x")); // a lone surrogate
        assertEquals("636166c3a9", hex(new ByteWriter().utf8("caf\u00e9")));
    }

    @Test
    void a_writer_grows_past_its_capacity_and_keeps_every_byte() {
        ByteWriter w = new ByteWriter(0);
        byte[] chunk = new byte[100];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) i;
        }
        w.u8(1).bytes(chunk).bytes(Bytes.wrap(chunk)).bytes(chunk, 10, 5).u64(7);
        assertEquals(1 + 100 + 100 + 5 + 8, w.size());
        byte[] out = w.toByteArray();
        assertEquals(w.size(), out.length);
        ByteReader in = new ByteReader(out);
        assertEquals(1, in.u8("x"));
        assertArrayEquals(chunk, in.bytes(100, "x"));
        assertArrayEquals(chunk, in.bytes(100, "x"));
        assertArrayEquals(new byte[] {10, 11, 12, 13, 14}, in.bytes(5, "x"));
        assertEquals(7, in.u64("x"));
        assertEquals(Bytes.wrap(out), w.toBytes());
        for (int i = 0; i < 300; i++) {
            w.u8(i);
        }
        byte[] grown = w.toByteArray();
        assertEquals(214 + 300, grown.length);
        assertEquals((byte) 299, grown[grown.length - 1]);
        assertEquals(7, new ByteReader(grown, 206, 214).u64("x"));
        assertEquals("", hex(new ByteWriter()));
        assertEquals(0, new ByteWriter().size());
    }

    /** A writer starts with room for 8 bytes: every kind of write past that grows it. */
    @Test
    void every_write_grows_a_full_writer() {
        assertEquals("0000000000000001" + "0002", hex(new ByteWriter(8).u64(1).u16(2)));
        assertEquals("0000000000000001" + "00000003", hex(new ByteWriter(8).u64(1).u32(3)));
        assertEquals("01" + "0000000000000004", hex(new ByteWriter(8).u8(1).u64(4)));
        assertEquals("0000000000000001" + "0105", hex(new ByteWriter(8).u64(1).truncated(0x105)));
        assertEquals("0000000000000001" + "fd0100", hex(new ByteWriter(8).u64(1).bigSize(0x100)));
        assertEquals("0000000000000001" + "02", hex(new ByteWriter(8).u64(1).u8(2)));
        assertEquals("0000000000000001" + "0304", hex(new ByteWriter(8).u64(1).bytes(Bytes.fromHex("0304"))));
        assertEquals("0000000000000001" + "0304", hex(new ByteWriter(8).u64(1).bytes(new byte[] {3, 4})));
    }

    @Test
    void utf8_written_is_the_strings_bytes() {
        String s = "\u20bf 1";
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), new ByteWriter().utf8(s).toByteArray());
        assertFalse(new ByteReader(new byte[1]).isEmpty());
    }
}
