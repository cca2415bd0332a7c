package dev.boltflow.core.bytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable big-endian writer: the counterpart of {@link ByteReader}. */
public final class ByteWriter {
    private byte[] buf;
    private int len;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int capacity) {
        buf = new byte[Math.max(capacity, 8)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    public int size() {
        return len;
    }

    public ByteWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter u16(int v) {
        if ((v & ~0xffff) != 0) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter u32(long v) {
        if ((v & ~0xffffffffL) != 0) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        ensure(4);
        for (int s = 24; s >= 0; s -= 8) {
            buf[len++] = (byte) (v >>> s);
        }
        return this;
    }

    public ByteWriter u64(long v) {
        ensure(8);
        for (int s = 56; s >= 0; s -= 8) {
            buf[len++] = (byte) (v >>> s);
        }
        return this;
    }

    /** A truncated integer (tu16/tu32/tu64): big-endian without leading zero bytes. */
    public ByteWriter truncated(long v) {
        int n = truncatedLength(v);
        ensure(n);
        for (int i = n - 1; i >= 0; i--) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public static int truncatedLength(long v) {
        return (64 - Long.numberOfLeadingZeros(v) + 7) / 8;
    }

    public ByteWriter bigSize(long v) {
        if (Long.compareUnsigned(v, 0xfd) < 0) {
            return u8((int) v);
        } else if (Long.compareUnsigned(v, 0x10000) < 0) {
            return u8(0xfd).u16((int) v);
        } else if (Long.compareUnsigned(v, 0x100000000L) < 0) {
            return u8(0xfe).u32(v);
        }
        return u8(0xff).u64(v);
    }

    public static int bigSizeLength(long v) {
        if (Long.compareUnsigned(v, 0xfd) < 0) {
            return 1;
        } else if (Long.compareUnsigned(v, 0x10000) < 0) {
            return 3;
        } else if (Long.compareUnsigned(v, 0x100000000L) < 0) {
            return 5;
        }
        return 9;
    }

    public ByteWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public ByteWriter bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public ByteWriter bytes(Bytes b) {
        ensure(b.length());
        b.copyTo(buf, len);
        len += b.length();
        return this;
    }

    public ByteWriter utf8(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    public Bytes toBytes() {
        return Bytes.wrap(toByteArray());
    }
}
