package dev.boltflow.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.wire.FeatureBits.Feature;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FeatureBitsTest {

    @Test
    void bit_zero_is_the_least_significant_bit_of_the_last_byte() {
        assertEquals("01", FeatureBits.of(0).toHex());
        assertEquals("80", FeatureBits.of(7).toHex());
        assertEquals("0100", FeatureBits.of(8).toHex());
        assertEquals("8000000000", FeatureBits.of(FeatureBits.ONION_MESSAGES_OPT).toHex());
        assertEquals("02000000", FeatureBits.of(FeatureBits.ROUTE_BLINDING_OPT).toHex());
        FeatureBits f = FeatureBits.fromHex("0100");
        assertTrue(f.has(8));
        assertFalse(f.has(0));
        assertFalse(f.has(900), "bits past the end are clear");
    }

    @Test
    void constants_pair_even_compulsory_with_odd_optional() {
        for (Feature feature : Feature.values()) {
            assertEquals(0, feature.compulsoryBit() % 2, feature.specName());
            assertEquals(feature.compulsoryBit() + 1, feature.optionalBit());
        }
        assertEquals(38, Feature.ONION_MESSAGES.compulsoryBit());
        assertEquals(24, Feature.ROUTE_BLINDING.compulsoryBit());
        assertEquals(16, Feature.BASIC_MPP.compulsoryBit());
        assertTrue(Feature.VAR_ONION_OPTIN.assumed());
        assertTrue(Feature.PAYMENT_SECRET.assumed());
        assertFalse(Feature.ONION_MESSAGES.assumed());
    }

    @Test
    void supports_and_requires() {
        FeatureBits f = FeatureBits.of(FeatureBits.ONION_MESSAGES_OPT, FeatureBits.VAR_ONION_OPTIN_REQ);
        assertTrue(f.supports(Feature.ONION_MESSAGES));
        assertFalse(f.requires(Feature.ONION_MESSAGES));
        assertTrue(f.requires(Feature.VAR_ONION_OPTIN));
        assertFalse(f.supports(Feature.ROUTE_BLINDING));
    }

    @Test
    void unknown_even_bits_are_found_and_unknown_odd_ignored() {
        FeatureBits f = FeatureBits.of(FeatureBits.PAYMENT_SECRET_REQ, 22, 23, 51, 100);
        assertEquals(List.of(22, 100), f.unknownEvenBits());
        assertEquals(List.of(100), f.unknownEvenBits(bit -> bit == 22 || Feature.isKnownBit(bit)));
        assertEquals(List.of(), FeatureBits.of(1, 9, 13, 15, 17, 25, 39, 45).unknownEvenBits());
        assertEquals(List.of(), FeatureBits.of(0, 8, 12, 14, 16, 24, 38, 44).unknownEvenBits());
    }

    @Test
    void dependencies_count_assumed_features_as_present() {
        assertEquals(Set.of(), FeatureBits.of(FeatureBits.BASIC_MPP_OPT).missingDependencies(),
                "payment_secret is ASSUMED");
        assertEquals(Set.of(Feature.PAYMENT_SECRET), Feature.BASIC_MPP.dependencies());
    }

    @Test
    void or_with_without_give_minimal_bitmaps() {
        FeatureBits a = new FeatureBits(Bytes.fromHex("000002"));
        assertTrue(a.has(1));
        assertEquals(FeatureBits.of(1), a.minimal());
        assertEquals("0102", a.or(FeatureBits.of(8)).toHex());
        assertEquals("", FeatureBits.of(8).without(8).toHex());
        assertEquals(FeatureBits.EMPTY, FeatureBits.of(3).without(3));
        assertThrows(IllegalArgumentException.class, () -> FeatureBits.EMPTY.has(-1));
    }

    @Property(tries = 300)
    void set_bits_are_exactly_those_added(@ForAll @Size(max = 12) List<@IntRange(max = 300) Integer> bits) {
        FeatureBits f = FeatureBits.of(bits.stream().mapToInt(Integer::intValue).toArray());
        TreeSet<Integer> expected = new TreeSet<>(bits);
        assertEquals(List.copyOf(expected), f.setBits());
        for (int b = 0; b <= 310; b++) {
            assertEquals(expected.contains(b), f.has(b), "bit " + b);
        }
        assertTrue(f.bytes().isEmpty() || f.bytes().get(0) != 0, "minimal");
        int highest = expected.isEmpty() ? -1 : expected.last();
        assertEquals(highest < 0 ? 0 : highest / 8 + 1, f.bytes().length());
    }
}
