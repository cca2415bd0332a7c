package dev.boltflow.core.bolt12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import org.junit.jupiter.api.Test;

/** BOLT 12 "Encoding" edge cases beyond the format-string vectors. */
class Bolt12StringTest {

    private static Kind kindOf(String s) {
        return assertThrows(Bolt12ParseException.class, () -> Bolt12String.decode(s)).kind();
    }

    @Test
    void bits_regroup_from_five_to_eight() {
        assertEquals("lno1", Bolt12String.encode("lno", new byte[0]));
        assertEquals("lno1qq", Bolt12String.encode("lno", new byte[] {0}));
        assertEquals("lnr1lu", Bolt12String.encode("lnr", new byte[] {(byte) 0xff}));
        assertEquals(new Bolt12String("lni", Bytes.fromHex("ff")), Bolt12String.decode("lni1lu"));
        assertEquals(new Bolt12String("lno", Bytes.fromHex("ff")), Bolt12String.decode("LNO1LU"));
        assertEquals(Bytes.fromHex("0102030405"), Bolt12String.decode(Bolt12String.encode("lno", Bytes.fromHex("0102030405"))).data());
    }

    @Test
    void padding_must_be_short_and_zero() {
        assertEquals(Bytes.fromHex("f8"), Bolt12String.decode("lno1lq").data()); // 11111 000|00: zero padding
        assertEquals(Kind.BECH32, kindOf("lno1lp")); // 11111 000|01: padding bit set
        assertEquals(Kind.BECH32, kindOf("lno1ll")); // 2 leftover bits set
        assertEquals(Kind.BECH32, kindOf("lno1q"));  // 5 leftover bits
        assertEquals(Kind.BECH32, kindOf("lno1qqq")); // 7 leftover bits
    }

    @Test
    void bad_characters_and_prefixes() {
        assertEquals(Kind.BECH32, kindOf("lno1qb"));
        assertEquals(Kind.BECH32, kindOf("lno1q\u00e9"));
        assertEquals(Kind.BECH32, kindOf("lnoqq"));
        assertEquals(Kind.BECH32, kindOf(""));
        assertEquals(Kind.BECH32, kindOf("Lno1qq"));
        assertEquals(Kind.HRP, kindOf("lnb1qq"));
        assertEquals(Kind.HRP, kindOf("lnoo1qq"));
        assertEquals(Kind.HRP, kindOf("1qq"));
        assertEquals(Kind.HRP, kindOf("lno1q1qq")); // the last '1' separates: prefix "lno1q"
    }

    @Test
    void whitespace_is_only_allowed_after_a_plus() {
        assertEquals(Kind.CONTINUATION, kindOf("lno1qq qq"));
        assertEquals(Kind.CONTINUATION, kindOf(" lno1qqqq"));
        assertEquals(Kind.CONTINUATION, kindOf("lno1qqqq\n"));
        assertEquals(Kind.CONTINUATION, kindOf("lno1qq+ +qq"));
        assertEquals(Bolt12String.decode("lno1qqqq"), Bolt12String.decode("lno1qq+\t\r\n qq"));
        assertEquals(Bolt12String.decode("lno1qqqq"), Bolt12String.decode("lno+1+q+q+q+q"));
    }

    @Test
    void encode_refuses_a_bad_prefix() {
        assertThrows(IllegalArgumentException.class, () -> Bolt12String.encode("LNO", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Bolt12String.encode("", new byte[0]));
    }

    private static String messageOf(String s) {
        return assertThrows(Bolt12ParseException.class, () -> Bolt12String.decode(s)).getMessage();
    }

    /** 'a', 'z', 'A' and 'Z' count as the case they are: one of them among the other case is mixed. */
    @Test
    void the_first_and_last_letters_set_the_case() {
        String upper = "LNO1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
        for (char c : new char[] {'a', 'z'}) {
            String mixed = upper.replace(Character.toUpperCase(c), c);
            assertTrue(messageOf(mixed).contains("mixed upper and lower case"), mixed);
        }
        String lower = upper.toLowerCase(java.util.Locale.ROOT);
        for (char c : new char[] {'a', 'z'}) {
            String mixed = lower.replace(c, Character.toUpperCase(c));
            assertTrue(messageOf(mixed).contains("mixed upper and lower case"), mixed);
        }
        assertEquals(Bolt12String.decode(lower), Bolt12String.decode(upper));
    }

    /** Printable ASCII ('!' to '~') reaches the bech32 check; anything outside it is refused first. */
    @Test
    void errors_say_which_character_and_where() {
        assertEquals("invalid bech32 character '!' at data position 2", messageOf("lno1qq!q"));
        assertEquals("invalid bech32 character '~' at data position 0", messageOf("lno1~"));
        assertEquals("invalid character U+007F at position 5", messageOf("lno1q\u007f"));
        assertEquals("invalid character U+0000 at position 4", messageOf("lno1\u0000"));
    }

    @Test
    void a_prefix_of_three_other_letters_is_unknown() {
        for (String s : new String[] {"lxo1qq", "xno1qq", "lnx1qq", "lnoo1qq", "ln1qq"}) {
            Bolt12ParseException e = assertThrows(Bolt12ParseException.class, () -> Bolt12String.decode(s));
            assertEquals(Kind.HRP, e.kind(), s);
        }
    }

    @Test
    void a_decoded_string_encodes_back_in_lowercase_without_continuations() {
        Bolt12String s = Bolt12String.decode("LNR1QQ+\n QQ");
        assertEquals("lnr1qqqq", s.encode());
        assertEquals("lnr1qqqq", s.toString());
    }

    @Test
    void encode_takes_any_lowercase_prefix() {
        assertEquals("az1qq", Bolt12String.encode("az", new byte[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Bolt12String.encode("a{", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Bolt12String.encode("`a", new byte[0]));
    }
}
