package dev.boltflow.core.tlv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a user of {@link TlvStream} sees beyond the BOLT 1 vectors: which record a failure names,
 * unsigned type order (types from 2^63 up), the namespace rule, lookups, merges and value semantics.
 */
class TlvStreamTest {
    private static TlvRecord rec(long type, String hex) {
        return new TlvRecord(type, Bytes.fromHex(hex));
    }

    private static TlvDecodeException fails(String hex) {
        return assertThrows(TlvDecodeException.class, () -> TlvStream.decode(Bytes.fromHex(hex).toArray()));
    }

    @Test
    void a_failure_names_the_record_it_is_about() {
        TlvDecodeException noType = fails("fd00");
        assertEquals(-1, noType.type(), "no type read yet: the stream itself");
        assertTrue(noType.getMessage().startsWith("TLV type"), noType.getMessage());
        assertEquals(noType.getMessage(), noType.getCause().getMessage());

        TlvDecodeException noLength = fails("07fd00");
        assertEquals(7, noLength.type());
        assertTrue(noLength.getMessage().endsWith(" (type 7)"), noLength.getMessage());
        assertTrue(noLength.getMessage().startsWith("TLV length"), noLength.getMessage());

        TlvDecodeException truncated = fails("0903aabb");
        assertEquals(9, truncated.type());
        assertEquals("TLV value truncated: type 9 declares 3 bytes, 2 remain", truncated.getMessage());

        TlvDecodeException duplicate = fails("0100" + "0100");
        assertEquals(1, duplicate.type());
        assertEquals("duplicate TLV type 1", duplicate.getMessage());

        TlvDecodeException outOfOrder = fails("0300" + "0100");
        assertEquals(1, outOfOrder.type());
        assertEquals("TLV type 1 out of order after 3", outOfOrder.getMessage());
    }

    @Test
    void a_value_that_exactly_fills_the_input_is_read_whole() {
        TlvStream s = TlvStream.decode(Bytes.fromHex("0902aabb").toArray());
        assertEquals(List.of(rec(9, "aabb")), s.records());
        assertEquals(List.of(rec(0, "")), TlvStream.decode(Bytes.fromHex("0000").toArray()).records());
    }

    @Test
    void types_are_unsigned_from_2_to_the_63_up() {
        long big = 0x8000000000000001L; // 2^63 + 1: a negative long
        byte[] wire = new ByteWriter().bigSize(5).bigSize(0).bigSize(big).bigSize(1).u8(0xee).toByteArray();
        TlvStream s = TlvStream.decode(wire);
        assertEquals(List.of(rec(5, ""), rec(big, "ee")), s.records());
        assertEquals(Bytes.wrap(wire), Bytes.wrap(s.encode()));
        assertEquals(wire.length, s.encodedLength());
        // ... so a type of 2^63 or more after a small one is in order, and the reverse is not.
        byte[] reverse = new ByteWriter().bigSize(big).bigSize(0).bigSize(5).bigSize(0).toByteArray();
        TlvDecodeException e = assertThrows(TlvDecodeException.class, () -> TlvStream.decode(reverse));
        assertEquals("TLV type 5 out of order after 9223372036854775809", e.getMessage());
        assertEquals(List.of(rec(5, ""), rec(big, "")), TlvStream.sorted(List.of(rec(big, ""), rec(5, ""))).records());
        assertThrows(IllegalArgumentException.class, () -> TlvStream.of(List.of(rec(big, ""), rec(5, ""))));
        assertTrue(s.contains(big));
        assertTrue(rec(big, "").isOdd());
        assertFalse(rec(-2, "").isOdd());
    }

    @Test
    void a_stream_of_types_starting_at_0_decodes() {
        // type 0 first: "previous" starts below every type.
        TlvStream s = TlvStream.decode(Bytes.fromHex("0000" + "0100").toArray());
        assertEquals(2, s.size());
        assertFalse(s.isEmpty());
        assertTrue(TlvStream.decode(new byte[0]).isEmpty());
        assertEquals(0, TlvStream.EMPTY.size());
    }

    @Test
    void of_wants_strictly_increasing_types_and_sorted_refuses_duplicates() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> TlvStream.of(List.of(rec(2, ""), rec(2, "01"))));
        assertEquals("TLV records not in strictly increasing order at type 2", dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlvStream.of(List.of(rec(1, ""), rec(3, ""), rec(2, ""))));
        assertThrows(IllegalArgumentException.class, () -> TlvStream.sorted(List.of(rec(4, ""), rec(4, "01"))));
        assertEquals(List.of(rec(1, ""), rec(2, ""), rec(3, "")),
                TlvStream.sorted(List.of(rec(3, ""), rec(1, ""), rec(2, ""))).records());
        // Later changes to the caller's list do not reach the stream.
        List<TlvRecord> mine = new ArrayList<>(List.of(rec(1, "")));
        TlvStream s = TlvStream.of(mine);
        mine.add(rec(2, ""));
        assertEquals(1, s.size());
    }

    @Test
    void an_unknown_even_type_fails_and_an_unknown_odd_one_is_kept() {
        byte[] wire = Bytes.fromHex("0100" + "0200" + "0300").toArray();
        assertEquals(3, TlvStream.decode(wire, t -> t == 2).size());
        TlvDecodeException e = assertThrows(TlvDecodeException.class, () -> TlvStream.decode(wire, t -> t == 1));
        assertEquals(2, e.type());
        assertEquals("unknown even TLV type 2", e.getMessage());
        // An odd type is kept whatever the namespace says.
        TlvStream.decode(Bytes.fromHex("0100" + "0300").toArray()).requireKnownEven(t -> false);
    }

    @Test
    void lookups_find_a_record_by_its_type() {
        TlvStream s = TlvStream.of(List.of(rec(1, "aa"), rec(3, "bb"), rec(5, "")));
        assertEquals(Optional.of(rec(3, "bb")), s.find(3));
        assertEquals(Optional.of(Bytes.fromHex("aa")), s.value(1));
        assertEquals(Optional.of(Bytes.EMPTY), s.value(5));
        assertEquals(Optional.empty(), s.find(2));
        assertEquals(Optional.empty(), s.value(7));
        assertTrue(s.contains(5));
        assertFalse(s.contains(4));
        assertFalse(TlvStream.EMPTY.contains(0));
    }

    @Test
    void filter_keeps_the_records_the_predicate_accepts_in_order() {
        TlvStream s = TlvStream.of(List.of(rec(1, "aa"), rec(2, "bb"), rec(3, "cc"), rec(4, "")));
        assertEquals(List.of(rec(1, "aa"), rec(3, "cc")), s.filter(t -> (t & 1) == 1).records());
        assertTrue(s.filter(t -> false).isEmpty());
        assertEquals(s, s.filter(t -> true));
        assertThrows(UnsupportedOperationException.class, () -> s.filter(t -> true).records().add(rec(9, "")));
    }

    @Test
    void with_merges_records_by_type_and_refuses_duplicates() {
        TlvStream s = TlvStream.of(List.of(rec(1, "aa"), rec(5, "cc")));
        assertEquals(List.of(rec(1, "aa"), rec(3, "bb"), rec(5, "cc"), rec(7, "")),
                s.with(List.of(rec(7, ""), rec(3, "bb"))).records());
        assertEquals(s, s.with(List.of()));
        assertThrows(IllegalArgumentException.class, () -> s.with(List.of(rec(5, "dd"))));
    }

    @Test
    void encode_and_write_give_each_record_as_type_length_value() {
        TlvRecord big = new TlvRecord(0x10000, Bytes.wrap(new byte[300]));
        TlvStream s = TlvStream.of(List.of(rec(1, "aa"), rec(253, "bbcc"), big));
        ByteWriter w = new ByteWriter();
        s.writeTo(w);
        ByteReader in = new ByteReader(w.toByteArray());
        assertEquals(1, in.bigSize("t"));
        assertEquals(1, in.bigSize("l"));
        assertEquals(0xaa, in.u8("v"));
        assertEquals(253, in.bigSize("t"));
        assertEquals(2, in.bigSize("l"));
        in.skip(2, "v");
        assertEquals(0x10000, in.bigSize("t"));
        assertEquals(300, in.bigSize("l"));
        in.skip(300, "v");
        assertTrue(in.isEmpty());
        assertEquals(Bytes.wrap(w.toByteArray()), Bytes.wrap(s.encode()));
        assertEquals(w.size(), s.encodedLength());
        assertEquals(2 + 1, rec(1, "aa").encodedLength());
        assertEquals(3 + 1 + 2, rec(253, "bbcc").encodedLength());
        assertEquals(5 + 3 + 300, big.encodedLength());
        assertEquals(Bytes.fromHex("fd00fd02bbcc"), Bytes.wrap(rec(253, "bbcc").encode()));
        assertEquals(0, TlvStream.EMPTY.encode().length);
    }

    @Test
    void streams_are_values() {
        TlvStream a = TlvStream.of(List.of(rec(1, "aa"), rec(3, "bb")));
        TlvStream same = TlvStream.decode(a.encode());
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, TlvStream.of(List.of(rec(1, "aa"), rec(3, "bc"))));
        assertNotEquals(a.hashCode(), TlvStream.of(List.of(rec(1, "aa"))).hashCode());
        assertNotEquals(a, a.records());
        assertEquals("TlvStream[1:1B 3:1B ]", a.toString());
        assertEquals("TlvStream[18446744073709551615:0B ]", TlvStream.of(List.of(rec(-1, ""))).toString());
        assertThrows(NullPointerException.class, () -> new TlvRecord(1, null));
    }
}
