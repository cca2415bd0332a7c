package dev.boltflow.core.bolt12;

import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The bolt12 text form (BOLT 12 "Encoding"): a human-readable prefix, {@code 1}, then bech32 data
 * characters carrying the TLV stream, with no checksum. Readers accept all-lowercase or
 * all-UPPERCASE, and drop a {@code +} plus any whitespace after it when it sits between two
 * characters. {@code data} is the decoded TLV bytes.
 */
public record Bolt12String(String hrp, Bytes data) {
    /** Offers (BOLT 12 "Offers"). */
    public static final String OFFER_HRP = "lno";
    /** Invoice requests (BOLT 12 "Invoice Requests"). */
    public static final String INVOICE_REQUEST_HRP = "lnr";
    /** Invoices: Core Lightning's convention; the spec defines no text form for invoices. */
    public static final String INVOICE_HRP = "lni";

    private static final char[] CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l".toCharArray();
    private static final byte[] CHARSET_BYTES = "qpzry9x8gf2tvdw0s3jn54khce6mua7l".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < CHARSET.length; i++) {
            VALUES[CHARSET[i]] = (byte) i;
            VALUES[Character.toUpperCase(CHARSET[i])] = (byte) i;
        }
    }

    public Bolt12String {
        Objects.requireNonNull(hrp, "hrp");
        Objects.requireNonNull(data, "data");
    }

    /** The lowercase string without continuations. */
    public String encode() {
        return encode(hrp, data);
    }

    @Override
    public String toString() {
        return encode();
    }

    /** Decodes a bolt12 string with any of the prefixes {@code lno}, {@code lnr}, {@code lni}. */
    public static Bolt12String decode(String s) {
        Raw r = decodeRaw(s);
        return new Bolt12String(r.hrp, Bytes.wrap(r.data));
    }

    public static String encode(String hrp, Bytes data) {
        return encode(hrp, data.toArray());
    }

    /** hrp ‖ {@code 1} ‖ data in bech32 characters, lowercase, no checksum (BOLT 12 "Encoding"). */
    public static String encode(String hrp, byte[] data) {
        Objects.requireNonNull(data, "data");
        if (hrp == null || hrp.isEmpty()) {
            throw new IllegalArgumentException("empty hrp");
        }
        for (int i = 0; i < hrp.length(); i++) {
            char c = hrp.charAt(i);
            if (c < 'a' || c > 'z') {
                throw new IllegalArgumentException("hrp must be lowercase letters: " + hrp);
            }
        }
        // ASCII bytes, made into a String once (an invoice is about 1,700 characters).
        byte[] out = new byte[hrp.length() + 1 + (data.length * 8 + 4) / 5];
        int k = 0;
        for (int i = 0; i < hrp.length(); i++) {
            out[k++] = (byte) hrp.charAt(i);
        }
        out[k++] = '1';
        int acc = 0;
        int bits = 0;
        for (byte b : data) {
            acc = (acc << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out[k++] = CHARSET_BYTES[(acc >>> bits) & 31];
            }
        }
        if (bits > 0) {
            out[k++] = CHARSET_BYTES[(acc << (5 - bits)) & 31];
        }
        return new String(out, 0, k, StandardCharsets.US_ASCII);
    }

    /** The hrp and TLV bytes, the array owned by the caller (no defensive copy). */
    static final class Raw {
        final String hrp;
        final byte[] data;

        Raw(String hrp, byte[] data) {
            this.hrp = hrp;
            this.data = data;
        }
    }

    static Raw decodeRaw(String s) {
        if (s == null) {
            throw new Bolt12ParseException(Kind.BECH32, "no string");
        }
        int n = s.length();
        char[] out = new char[n];
        int len = 0;
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                // BOLT 12 "Encoding": a '+' followed by optional whitespace is removed only
                // between two characters of the string.
                if (len == 0) {
                    throw new Bolt12ParseException(Kind.CONTINUATION, "'+' at position " + i + " has no character before it");
                }
                int j = i + 1;
                while (j < n && isWhitespace(s.charAt(j))) {
                    j++;
                }
                if (j == n) {
                    throw new Bolt12ParseException(Kind.CONTINUATION, "'+' at position " + i + " ends the string");
                }
                if (s.charAt(j) == '+') {
                    throw new Bolt12ParseException(Kind.CONTINUATION, "'+' at position " + j + " follows another '+'");
                }
                i = j - 1;
                continue;
            }
            if (isWhitespace(c)) {
                throw new Bolt12ParseException(Kind.CONTINUATION, "whitespace at position " + i + " does not follow a '+'");
            }
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c < 0x21 || c > 0x7e) {
                throw new Bolt12ParseException(Kind.BECH32, "invalid character U+"
                        + String.format("%04X", (int) c) + " at position " + i);
            }
            out[len++] = c;
        }
        if (lower && upper) {
            throw new Bolt12ParseException(Kind.BECH32, "mixed upper and lower case");
        }
        int sep = -1;
        for (int i = len - 1; i >= 0; i--) {
            if (out[i] == '1') {
                sep = i;
                break;
            }
        }
        if (sep < 0) {
            throw new Bolt12ParseException(Kind.BECH32, "no '1' separator after the prefix");
        }
        String hrp = hrpOf(out, sep);
        if (hrp == null) {
            throw new Bolt12ParseException(Kind.HRP, "unknown prefix '" + new String(out, 0, sep)
                    + "' (expected lno, lnr or lni)");
        }
        int chars = len - sep - 1;
        byte[] data = new byte[(int) ((long) chars * 5 / 8)];
        int acc = 0;
        int bits = 0;
        int k = 0;
        for (int i = sep + 1; i < len; i++) {
            char c = out[i];
            int v = VALUES[c]; // printable ASCII: anything else was refused above
            if (v < 0) {
                throw new Bolt12ParseException(Kind.BECH32, "invalid bech32 character '" + c
                        + "' at data position " + (i - sep - 1));
            }
            acc = ((acc << 5) | v) & 0xfff;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                data[k++] = (byte) (acc >>> bits);
            }
        }
        // Leftover bits: fewer than 5 (offers-test "Bech32 padding exceeds 4-bit limit") and zero.
        if (bits >= 5) {
            throw new Bolt12ParseException(Kind.BECH32, "padding of " + bits + " bits exceeds 4 bits");
        }
        if ((acc & ((1 << bits) - 1)) != 0) {
            throw new Bolt12ParseException(Kind.BECH32, "non-zero padding bits");
        }
        return new Raw(hrp, data);
    }

    private static String hrpOf(char[] out, int sep) {
        if (sep != 3) {
            return null;
        }
        if ((out[0] | 0x20) != 'l' || (out[1] | 0x20) != 'n') {
            return null;
        }
        switch (out[2] | 0x20) {
            case 'o':
                return OFFER_HRP;
            case 'r':
                return INVOICE_REQUEST_HRP;
            case 'i':
                return INVOICE_HRP;
            default:
                return null;
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
