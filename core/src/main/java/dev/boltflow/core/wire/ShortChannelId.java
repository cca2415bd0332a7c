package dev.boltflow.core.wire;

import dev.boltflow.core.bytes.DecodeException;

/**
 * BOLT 1 {@code short_channel_id} (BOLT 7, Definition of short_channel_id): 3 bytes of block
 * height, 3 of transaction index, 2 of output index, as one unsigned 64-bit value. Written
 * {@code 539268x845x1}.
 */
public record ShortChannelId(long value) implements Comparable<ShortChannelId> {

    public static ShortChannelId of(long blockHeight, long txIndex, int outputIndex) {
        if (blockHeight < 0 || blockHeight > 0xffffffL || txIndex < 0 || txIndex > 0xffffffL
                || outputIndex < 0 || outputIndex > 0xffff) {
            throw new IllegalArgumentException("short_channel_id part out of range: "
                    + blockHeight + "x" + txIndex + "x" + outputIndex);
        }
        return new ShortChannelId((blockHeight << 40) | (txIndex << 16) | outputIndex);
    }

    /** Parses {@code BLOCKxTXxOUTPUT}; anything else is a {@link DecodeException}. */
    public static ShortChannelId parse(String text) {
        String[] p = text.split("x", -1);
        if (p.length != 3) {
            throw new DecodeException("a short_channel_id reads BLOCKxTXxOUTPUT, got " + text);
        }
        try {
            return of(Long.parseLong(p[0]), Long.parseLong(p[1]), Integer.parseInt(p[2]));
        } catch (NumberFormatException e) {
            throw new DecodeException("a short_channel_id reads BLOCKxTXxOUTPUT, got " + text, e);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(e.getMessage(), e);
        }
    }

    public long blockHeight() {
        return value >>> 40;
    }

    public long txIndex() {
        return (value >>> 16) & 0xffffff;
    }

    public int outputIndex() {
        return (int) (value & 0xffff);
    }

    /** The human-readable form, e.g. {@code 539268x845x1}. */
    public static String format(long value) {
        return (value >>> 40) + "x" + ((value >>> 16) & 0xffffff) + "x" + (value & 0xffff);
    }

    @Override
    public int compareTo(ShortChannelId o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return format(value);
    }
}
