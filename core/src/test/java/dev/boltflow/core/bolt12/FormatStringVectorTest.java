package dev.boltflow.core.bolt12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BOLT 12 "Encoding", read from ../shared/bolts/bolt12/format-string-test.json. */
class FormatStringVectorTest extends OnEachSecp256k1Provider {
    private static final String FILE = "bolt12/format-string-test.json";

    static Stream<Arguments> cases() {
        List<JsonNode> all = Vectors.elements(Vectors.json(FILE));
        return IntStream.range(0, all.size())
                .mapToObj(i -> Arguments.of(i + ": " + all.get(i).get("comment").asText(), all.get(i)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void string_is_accepted_or_rejected_as_the_vector_says(String name, JsonNode c) {
        String s = c.get("string").asText();
        if (c.get("valid").asBoolean()) {
            Offer offer = Offer.parse(s);
            assertEquals(normalized(s), offer.encode(), name);
            assertEquals("lno", Bolt12String.decode(s).hrp());
        } else {
            Bolt12ParseException e = assertThrows(Bolt12ParseException.class, () -> Offer.decode(s), name);
            assertTrue(Set.of(Kind.BECH32, Kind.CONTINUATION).contains(e.kind()), e.getMessage());
            assertFalse(e.getMessage().isBlank());
            assertThrows(Bolt12ParseException.class, () -> Bolt12String.decode(s), name);
        }
    }

    @Test
    void every_valid_string_carries_the_same_offer() {
        List<JsonNode> valid = Vectors.elements(Vectors.json(FILE)).stream()
                .filter(c -> c.get("valid").asBoolean()).toList();
        assertTrue(valid.size() > 1);
        Offer first = Offer.decode(valid.get(0).get("string").asText());
        for (JsonNode c : valid) {
            assertEquals(first, Offer.decode(c.get("string").asText()), c.get("comment").asText());
        }
    }

    @Test
    void mixed_case_is_a_bech32_error_and_plus_misuse_a_continuation_error() {
        for (JsonNode c : Vectors.json(FILE)) {
            if (c.get("valid").asBoolean()) {
                continue;
            }
            Kind expected = c.get("comment").asText().startsWith("Mixed case") ? Kind.BECH32 : Kind.CONTINUATION;
            Bolt12ParseException e = assertThrows(Bolt12ParseException.class,
                    () -> Bolt12String.decode(c.get("string").asText()));
            assertEquals(expected, e.kind(), c.get("comment").asText() + ": " + e.getMessage());
        }
    }

    /** Continuations removed, lowercase: what encode() must give back. */
    static String normalized(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                while (i + 1 < s.length() && Character.isWhitespace(s.charAt(i + 1))) {
                    i++;
                }
                continue;
            }
            sb.append(c);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
