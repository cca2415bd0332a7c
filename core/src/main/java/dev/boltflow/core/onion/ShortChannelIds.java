package dev.boltflow.core.onion;

/** BOLT 7 short_channel_id layout: 3 bytes block height, 3 bytes tx index, 2 bytes output index. */
final class ShortChannelIds {
    private ShortChannelIds() {
    }

    static String format(long scid) {
        return (scid >>> 40) + "x" + ((scid >>> 16) & 0xffffff) + "x" + (scid & 0xffff);
    }
}
