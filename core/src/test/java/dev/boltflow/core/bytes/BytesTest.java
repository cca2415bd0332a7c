package dev.boltflow.core.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte strings as values: copies where the API says so, unsigned order, hex, 32-byte ids, u64 as text. */
class BytesTest {

    @Test
    void of_copies_and_wrap_does_not() {
        byte[] a = {1, 2, 3};
        Bytes copied = Bytes.of(a);
        Bytes wrapped = Bytes.wrap(a);
        a[0] = 9;
        assertEquals(Bytes.fromHex("010203"), copied);
        assertEquals(Bytes.fromHex("090203"), wrapped);
        byte[] out = copied.toArray();
        out[1] = 7;
        assertEquals(Bytes.fromHex("010203"), copied, "toArray hands out a copy");
        assertEquals(Bytes.fromHex("0203"), Bytes.of(a, 1, 3));
        assertSame(Bytes.EMPTY, Bytes.of(new byte[0]));
        assertSame(Bytes.EMPTY, Bytes.wrap(new byte[0]));
        assertSame(Bytes.EMPTY, Bytes.of(a, 2, 2));
        assertTrue(Bytes.EMPTY.isEmpty());
        assertFalse(copied.isEmpty());
        assertEquals(3, copied.length());
        assertEquals(2, copied.get(1));
    }

    @Test
    void slice_concat_and_copy_to() {
        Bytes b = Bytes.fromHex("00112233");
        assertEquals(Bytes.fromHex("1122"), b.slice(1, 3));
        assertEquals(Bytes.EMPTY, b.slice(4, 4));
        assertEquals(Bytes.fromHex("00112233aabb"), b.concat(Bytes.fromHex("aabb")));
        assertEquals(b, b.concat(Bytes.EMPTY));
        assertEquals(b, Bytes.EMPTY.concat(b));
        byte[] dst = new byte[6];
        b.copyTo(dst, 1);
        assertArrayEquals(new byte[] {0, 0, 0x11, 0x22, 0x33, 0}, dst);
    }

    @Test
    void hex_in_and_out() {
        assertEquals("00ff7f80", Bytes.fromHex("00FF7f80").toHex());
        assertEquals("00ff7f80", Bytes.fromHex("00ff7f80").toString());
        assertEquals("", Bytes.EMPTY.toHex());
        DecodeException odd = assertThrows(DecodeException.class, () -> Bytes.fromHex("abc"));
        assertTrue(odd.getMessage().startsWith("invalid hex: "), odd.getMessage());
        assertTrue(odd.getCause() instanceof IllegalArgumentException);
        assertThrows(DecodeException.class, () -> Bytes.fromHex("zz"));
    }

    @Test
    void order_is_unsigned_lexicographic() {
        List<Bytes> l = new ArrayList<>(List.of(Bytes.fromHex("80"), Bytes.fromHex("7f"), Bytes.fromHex("7f00"),
                Bytes.EMPTY, Bytes.fromHex("ff")));
        Collections.sort(l);
        assertEquals(List.of(Bytes.EMPTY, Bytes.fromHex("7f"), Bytes.fromHex("7f00"), Bytes.fromHex("80"),
                Bytes.fromHex("ff")), l);
        assertEquals(0, Bytes.fromHex("01").compareTo(Bytes.fromHex("01")));
    }

    @Test
    void equality_by_content() {
        Bytes a = Bytes.fromHex("0102");
        assertEquals(a, Bytes.of(new byte[] {1, 2}));
        assertEquals(a.hashCode(), Bytes.of(new byte[] {1, 2}).hashCode());
        assertNotEquals(a, Bytes.fromHex("0103"));
        assertNotEquals(a.hashCode(), Bytes.fromHex("0103").hashCode());
        assertNotEquals(a, "0102");
        assertTrue(a.constantTimeEquals(Bytes.fromHex("0102")));
        assertFalse(a.constantTimeEquals(Bytes.fromHex("0103")));
        assertFalse(a.constantTimeEquals(Bytes.fromHex("01")));
    }

    @Test
    void bytes32_holds_exactly_32_bytes() {
        String hex = "00".repeat(31) + "01";
        Bytes32 one = Bytes32.fromHex(hex);
        assertEquals(hex, one.toHex());
        assertEquals(hex, one.toString());
        assertEquals(one, Bytes32.of(one.toArray()));
        assertEquals(one, Bytes32.wrap(one.toArray()));
        assertEquals(32, Bytes32.ZERO.bytes().length());
        assertTrue(Bytes32.ZERO.compareTo(one) < 0);
        assertTrue(Bytes32.fromHex("80" + "00".repeat(31)).compareTo(one) > 0, "unsigned");
        DecodeException shortOne = assertThrows(DecodeException.class, () -> Bytes32.fromHex("00".repeat(31)));
        assertEquals("expected 32 bytes, got 31", shortOne.getMessage());
        assertThrows(DecodeException.class, () -> Bytes32.wrap(new byte[33]));
        DecodeException none = assertThrows(DecodeException.class, () -> new Bytes32(null));
        assertEquals("expected 32 bytes, got null", none.getMessage());
        byte[] mine = one.toArray();
        Bytes32 copied = Bytes32.of(mine);
        mine[31] = 5;
        assertEquals(one, copied);
    }

    @Test
    void random_bytes32_come_from_the_given_source() {
        SecureRandom r = new SecureRandom();
        Bytes32 a = Bytes32.random(r);
        assertNotEquals(a, Bytes32.random(r));
        assertNotEquals(Bytes32.ZERO, a);
    }

    @Test
    void u64_prints_and_numbers_as_unsigned() {
        assertEquals("18446744073709551615", U64.toString(-1));
        assertEquals("9223372036854775808", U64.toString(Long.MIN_VALUE));
        assertEquals("42", U64.toString(42));
        assertEquals(42L, U64.toNumber(42));
        assertEquals(0L, U64.toNumber(0));
        assertEquals(Long.MAX_VALUE, U64.toNumber(Long.MAX_VALUE));
        assertEquals(new BigInteger("18446744073709551615"), U64.toNumber(-1));
        assertEquals(new BigInteger("9223372036854775808"), U64.toNumber(Long.MIN_VALUE));
    }
}
