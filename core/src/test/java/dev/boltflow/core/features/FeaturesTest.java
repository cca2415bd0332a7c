package dev.boltflow.core.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Feature bitmaps: big-endian, bit 0 the least significant bit of the last byte. */
class FeaturesTest {

    @Test
    void bits_are_numbered_from_the_last_byte() {
        Features f = new Features(Bytes.fromHex("0102"));
        assertTrue(f.hasBit(1));
        assertTrue(f.hasBit(8));
        assertFalse(f.hasBit(0));
        assertFalse(f.hasBit(16));
        assertFalse(f.hasBit(-1));
        assertEquals(List.of(1, 8), f.setBits());
        assertEquals(Bytes.fromHex("0102"), Features.of(8, 1).bitmap());
        assertEquals(Bytes.fromHex("020000"), Features.of(17).bitmap());
    }

    @Test
    void unknown_even_bits_skip_odd_and_known_ones() {
        Features f = Features.of(0, 1, 16, 17, 18, 99, 122);
        assertEquals(List.of(0, 18, 122), f.unknownEvenBits(b -> b == 16));
        assertEquals(List.of(), Features.of(1, 3, 99).unknownEvenBits(b -> false));
        assertEquals(List.of(), Features.EMPTY.unknownEvenBits(b -> false));
    }

    @Test
    void minimal_drops_leading_zero_bytes() {
        Features padded = new Features(Bytes.fromHex("000002"));
        assertFalse(padded.isMinimal());
        assertEquals(new Features(Bytes.fromHex("02")), padded.minimal());
        assertTrue(Features.EMPTY.isMinimal());
        assertTrue(new Features(Bytes.fromHex("0000")).isEmpty());
        assertEquals(Features.EMPTY.bitmap(), new Features(Bytes.fromHex("0000")).minimal().bitmap());
    }

    @Property(tries = 200)
    void of_sets_exactly_the_given_bits(@ForAll @Size(max = 10) Set<@IntRange(max = 300) Integer> bits) {
        Features f = Features.of(bits.stream().mapToInt(Integer::intValue).toArray());
        assertTrue(f.isMinimal());
        assertEquals(bits.stream().sorted().toList(), f.setBits());
        for (int b = 0; b < 310; b++) {
            assertEquals(bits.contains(b), f.hasBit(b));
        }
    }
}
