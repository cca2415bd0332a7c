package dev.boltflow.core.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.features.Features.Feature;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

    // ---- the init feature API (was wire.FeatureBits)


    @Test
    void bit_zero_is_the_least_significant_bit_of_the_last_byte() {
        assertEquals("01", Features.of(0).toHex());
        assertEquals("80", Features.of(7).toHex());
        assertEquals("0100", Features.of(8).toHex());
        assertEquals("8000000000", Features.of(Features.ONION_MESSAGES_OPT).toHex());
        assertEquals("02000000", Features.of(Features.ROUTE_BLINDING_OPT).toHex());
        Features f = Features.fromHex("0100");
        assertTrue(f.hasBit(8));
        assertFalse(f.hasBit(0));
        assertFalse(f.hasBit(900), "bits past the end are clear");
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
        Features f = Features.of(Features.ONION_MESSAGES_OPT, Features.VAR_ONION_OPTIN_REQ);
        assertTrue(f.supports(Feature.ONION_MESSAGES));
        assertFalse(f.requires(Feature.ONION_MESSAGES));
        assertTrue(f.requires(Feature.VAR_ONION_OPTIN));
        assertFalse(f.supports(Feature.ROUTE_BLINDING));
    }

    @Test
    void unknown_even_bits_are_found_and_unknown_odd_ignored() {
        Features f = Features.of(Features.PAYMENT_SECRET_REQ, 22, 23, 51, 100);
        assertEquals(List.of(22, 100), f.unknownEvenBits());
        assertEquals(List.of(100), f.unknownEvenBits(bit -> bit == 22 || Feature.isKnownBit(bit)));
        assertEquals(List.of(), Features.of(1, 9, 13, 15, 17, 25, 39, 45).unknownEvenBits());
        assertEquals(List.of(), Features.of(0, 8, 12, 14, 16, 24, 38, 44).unknownEvenBits());
    }

    @Test
    void dependencies_count_assumed_features_as_present() {
        assertEquals(Set.of(), Features.of(Features.BASIC_MPP_OPT).missingDependencies(),
                "payment_secret is ASSUMED");
        assertEquals(Set.of(Feature.PAYMENT_SECRET), Feature.BASIC_MPP.dependencies());
    }

    @Test
    void or_with_without_give_minimal_bitmaps() {
        Features a = new Features(Bytes.fromHex("000002"));
        assertTrue(a.hasBit(1));
        assertEquals(Features.of(1), a.minimal());
        assertEquals("0102", a.or(Features.of(8)).toHex());
        assertEquals("", Features.of(8).without(8).toHex());
        assertEquals(Features.EMPTY, Features.of(3).without(3));
        assertFalse(Features.EMPTY.hasBit(-1));
        assertThrows(IllegalArgumentException.class, () -> Features.EMPTY.with(-1));
    }

    @Property(tries = 300)
    void set_bits_are_exactly_those_added(@ForAll @Size(max = 12) List<@IntRange(max = 300) Integer> bits) {
        Features f = Features.of(bits.stream().mapToInt(Integer::intValue).toArray());
        TreeSet<Integer> expected = new TreeSet<>(bits);
        assertEquals(List.copyOf(expected), f.setBits());
        for (int b = 0; b <= 310; b++) {
            assertEquals(expected.contains(b), f.hasBit(b), "bit " + b);
        }
        assertTrue(f.bitmap().isEmpty() || f.bitmap().get(0) != 0, "minimal");
        int highest = expected.isEmpty() ? -1 : expected.last();
        assertEquals(highest < 0 ? 0 : highest / 8 + 1, f.bitmap().length());
    }

    @Test
    void a_bitmap_with_any_bit_set_is_not_empty() {
        assertFalse(new Features(Bytes.fromHex("0001")).isEmpty());
        assertFalse(new Features(Bytes.fromHex("8000")).isEmpty());
        assertTrue(Features.EMPTY.isEmpty());
        assertTrue(new Features(Bytes.fromHex("0001")).without(0).isEmpty());
    }

    @Test
    void with_and_without_touch_one_bit_and_keep_the_others() {
        Features f = Features.of(1, 9);
        assertEquals(Features.of(1, 9, 12), f.with(12));
        assertEquals(Features.of(1, 9, 30), f.with(30));
        assertEquals(f, f.with(9));
        assertEquals(Features.of(9), f.without(1));
        assertEquals(Features.of(1), f.without(9));
        assertEquals(f, f.without(2));
        assertEquals(f, f.without(40), "a bit past the end is already clear");
        assertEquals("0202", new Features(Bytes.fromHex("000202")).without(20).toHex());
        assertEquals("0202", new Features(Bytes.fromHex("000202")).with(1).toHex());
    }

    @Test
    void bits_are_limited_to_what_a_u16_length_bitmap_holds() {
        int max = 65535 * 8 - 1;
        Features top = Features.EMPTY.with(max);
        assertEquals(65535, top.bitmap().length());
        assertTrue(top.hasBit(max));
        assertEquals(List.of(max), top.setBits());
        assertEquals(Features.EMPTY, top.without(max));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Features.EMPTY.with(max + 1));
        assertEquals("feature bit out of range: " + (max + 1), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Features.EMPTY.without(max + 1));
        assertThrows(IllegalArgumentException.class, () -> Features.EMPTY.without(-1));
        assertEquals(Features.EMPTY, Features.EMPTY.without(0));
    }

    @Test
    void or_combines_bitmaps_of_any_lengths() {
        assertEquals(Features.of(1, 17), Features.of(1).or(Features.of(17)));
        assertEquals(Features.of(1, 17), Features.of(17).or(Features.of(1)));
        assertEquals(Features.of(3), Features.of(3).or(Features.of(3)));
        assertEquals(Features.of(3), Features.EMPTY.or(new Features(Bytes.fromHex("000008"))));
        assertEquals(Features.EMPTY, Features.EMPTY.or(Features.EMPTY));
        assertEquals("0102", new Features(Bytes.fromHex("0002")).or(new Features(Bytes.fromHex("0100"))).toHex());
    }

    @Test
    void minimal_of_a_minimal_bitmap_is_itself() {
        Features f = Features.fromHex("0102");
        assertTrue(f.isMinimal());
        assertEquals(f, f.minimal());
        assertEquals("", new Features(Bytes.fromHex("00")).minimal().toHex());
    }

    @Test
    void every_feature_knows_both_its_bits_and_its_spec_name() {
        for (Feature feature : Feature.values()) {
            assertTrue(Feature.isKnownBit(feature.compulsoryBit()), feature.specName());
            assertTrue(Feature.isKnownBit(feature.optionalBit()), feature.specName());
            assertTrue(Features.of(feature.optionalBit()).supports(feature));
            assertFalse(Features.of(feature.optionalBit()).requires(feature));
            assertTrue(Features.of(feature.compulsoryBit()).requires(feature));
            assertTrue(Features.of(feature.compulsoryBit(), feature.optionalBit()).requires(feature),
                    "both bits set is compulsory");
            assertFalse(Features.EMPTY.supports(feature));
        }
        assertFalse(Feature.isKnownBit(2));
        assertFalse(Feature.isKnownBit(47));
        assertEquals("option_onion_messages", Feature.ONION_MESSAGES.specName());
        assertEquals("var_onion_optin", Feature.VAR_ONION_OPTIN.specName());
        assertEquals(Set.of(), Feature.ONION_MESSAGES.dependencies());
        assertEquals(Set.of(), Feature.PAYMENT_SECRET.dependencies());
        assertTrue(Feature.DATA_LOSS_PROTECT.assumed());
        assertTrue(Feature.STATIC_REMOTEKEY.assumed());
        assertTrue(Feature.CHANNEL_TYPE.assumed());
        assertFalse(Feature.BASIC_MPP.assumed());
        assertFalse(Feature.ROUTE_BLINDING.assumed());
        assertFalse(Feature.GOSSIP_QUERIES.assumed());
        assertFalse(Feature.GOSSIP_QUERIES_EX.assumed());
        assertEquals(Set.of(), Features.EMPTY.missingDependencies());
        assertEquals(Set.of(), Features.of(Features.BASIC_MPP_REQ, Features.PAYMENT_SECRET_OPT).missingDependencies());
    }

    @Test
    void prints_its_set_bits() {
        assertEquals("Features[1, 8]", Features.fromHex("0102").toString());
        assertEquals("Features[]", Features.EMPTY.toString());
    }
}
