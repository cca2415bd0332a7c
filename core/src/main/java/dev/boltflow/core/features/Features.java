package dev.boltflow.core.features;

import dev.boltflow.core.bytes.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * A feature bitmap as BOLT 9 and BOLT 12 carry it: big-endian bytes, bit 0 the least significant bit
 * of the last byte. Even bits are compulsory, odd bits optional ("it's OK to be odd").
 */
public record Features(Bytes bitmap) {
    public static final Features EMPTY = new Features(Bytes.EMPTY);

    public Features {
        Objects.requireNonNull(bitmap, "bitmap");
    }

    /** The minimal bitmap with exactly these bits set. */
    public static Features of(int... bits) {
        int max = -1;
        for (int b : bits) {
            if (b < 0) {
                throw new IllegalArgumentException("negative feature bit " + b);
            }
            max = Math.max(max, b);
        }
        if (max < 0) {
            return EMPTY;
        }
        byte[] out = new byte[max / 8 + 1];
        for (int b : bits) {
            out[out.length - 1 - b / 8] |= (byte) (1 << (b % 8));
        }
        return new Features(Bytes.wrap(out));
    }

    public boolean hasBit(int bit) {
        if (bit < 0) {
            return false;
        }
        int index = bitmap.length() - 1 - bit / 8;
        return index >= 0 && (bitmap.get(index) & (1 << (bit % 8))) != 0;
    }

    /** True when no bit is set (the bitmap may still hold zero bytes). */
    public boolean isEmpty() {
        for (int i = 0; i < bitmap.length(); i++) {
            if (bitmap.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Every set bit, ascending. */
    public List<Integer> setBits() {
        List<Integer> out = new ArrayList<>();
        int n = bitmap.length();
        for (int i = n - 1; i >= 0; i--) {
            int b = bitmap.get(i) & 0xff;
            while (b != 0) {
                int low = Integer.numberOfTrailingZeros(b);
                out.add((n - 1 - i) * 8 + low);
                b &= b - 1;
            }
        }
        return out;
    }

    /** The even bits that are set and not {@code known}, ascending (readers reject these). */
    public List<Integer> unknownEvenBits(IntPredicate known) {
        List<Integer> out = new ArrayList<>(0);
        int n = bitmap.length();
        for (int i = n - 1; i >= 0; i--) {
            // 0x55 selects the even bit positions of a byte.
            int b = bitmap.get(i) & 0x55;
            while (b != 0) {
                int bit = (n - 1 - i) * 8 + Integer.numberOfTrailingZeros(b);
                if (!known.test(bit)) {
                    out.add(bit);
                }
                b &= b - 1;
            }
        }
        return out;
    }

    /** True when there is no leading zero byte (BOLT 1: features use the minimal length). */
    public boolean isMinimal() {
        return bitmap.isEmpty() || bitmap.get(0) != 0;
    }

    /** The same bits in the minimal number of bytes. */
    public Features minimal() {
        int i = 0;
        while (i < bitmap.length() && bitmap.get(i) == 0) {
            i++;
        }
        return i == 0 ? this : new Features(bitmap.slice(i, bitmap.length()));
    }

    @Override
    public String toString() {
        return "Features" + setBits();
    }
}
