package dev.boltflow.core.bytes;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bounds-checked cursor over a byte array. Every read past the end throws {@link DecodeException}
 * naming what was being read, so decoders never leak index errors.
 */
public final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteReader(byte[] buf, int from, int to) {
        if (from < 0 || to > buf.length || from > to) {
            throw new IllegalArgumentException("bad range");
        }
        this.buf = buf;
        this.pos = from;
        this.end = to;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean isEmpty() {
        return pos == end;
    }

    public int position() {
        return pos;
    }

    private void need(int n, String what) {
        if (n < 0 || end - pos < n) {
            throw new DecodeException(what + " truncated: need " + n + " bytes, have " + (end - pos));
        }
    }

    public int u8(String what) {
        need(1, what);
        return buf[pos++] & 0xff;
    }

    public int u16(String what) {
        need(2, what);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public long u32(String what) {
        need(4, what);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        return v;
    }

    /** A big-endian u64; the result is an unsigned value held in a {@code long}. */
    public long u64(String what) {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        return v;
    }

    /**
     * A truncated integer occupying the rest of the reader (BOLT 1 "Fundamental Types": tu16,
     * tu32, tu64): at most {@code maxBytes} long and minimally encoded (no leading zero byte).
     */
    public long truncated(int maxBytes, String what) {
        int n = remaining();
        if (n > maxBytes) {
            throw new DecodeException(what + ": truncated integer too long (" + n + " > " + maxBytes + " bytes)");
        }
        if (n > 0 && buf[pos] == 0) {
            throw new DecodeException(what + ": truncated integer not minimal");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        return v;
    }

    /** BigSize (BOLT 1 Appendix A), rejecting non-minimal encodings. */
    public long bigSize(String what) {
        int first = u8(what);
        switch (first) {
            case 0xfd: {
                long v = u16(what);
                if (v < 0xfd) {
                    throw new DecodeException(what + ": BigSize not minimally encoded");
                }
                return v;
            }
            case 0xfe: {
                long v = u32(what);
                if (v < 0x10000L) {
                    throw new DecodeException(what + ": BigSize not minimally encoded");
                }
                return v;
            }
            case 0xff: {
                long v = u64(what);
                if (Long.compareUnsigned(v, 0x100000000L) < 0) {
                    throw new DecodeException(what + ": BigSize not minimally encoded");
                }
                return v;
            }
            default:
                return first;
        }
    }

    public byte[] bytes(int n, String what) {
        need(n, what);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public Bytes read(int n, String what) {
        return Bytes.wrap(bytes(n, what));
    }

    public byte[] rest() {
        return bytes(remaining(), "rest");
    }

    /** Strict UTF-8 of the next {@code n} bytes; malformed sequences are a decode error. */
    public String utf8(int n, String what) {
        byte[] b = bytes(n, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DecodeException(what + ": invalid UTF-8", e);
        }
    }

    /** A sub-reader over the next {@code n} bytes; this reader skips past them. */
    public ByteReader slice(int n, String what) {
        need(n, what);
        ByteReader r = new ByteReader(buf, pos, pos + n);
        pos += n;
        return r;
    }

    public void skip(int n, String what) {
        need(n, what);
        pos += n;
    }
}
