package dev.boltflow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.boltflow.core.bolt12.Bolt12Object;
import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bolt12.Bolt12String;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bolt12 strings ({@code lno1…}, {@code lnr1…}, {@code lni1…}) from hostile text, each input byte
 * one character (ISO-8859-1). Invariant: {@link Bolt12String#decode} and {@link Bolt12Object#decode}
 * throw only {@link Bolt12ParseException} (a {@code DecodeException}); a decoded object re-encodes
 * to the input without its {@code +} continuations, lowercased, and its reader checks
 * ({@code violations()}) run without throwing. Seeds: the string vectors of BOLT 12.
 */
class Bolt12StringFuzzTest {
    private static final long BUDGET_PER_BYTE = 1024;

    static Stream<Arguments> seeds() {
        FuzzSeeds seeds = FuzzSeeds.builder();
        Bolt12Seeds.strings(seeds);
        return seeds.arguments();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void bolt12String(byte[] input) {
        FuzzChecks.withinAllocation(FuzzChecks.CRYPTO_ALLOWANCE + BUDGET_PER_BYTE * input.length, input,
                () -> check(input));
    }

    private static void check(byte[] input) {
        String s = new String(input, StandardCharsets.ISO_8859_1);
        Bolt12String raw;
        try {
            raw = Bolt12String.decode(s);
        } catch (RuntimeException e) {
            FuzzChecks.isTypedDecodeError(e, input);
            return;
        }
        assertEquals(normalized(s), raw.encode(), "string round trip");
        Bolt12String again = Bolt12String.decode(raw.encode());
        assertEquals(raw.hrp(), again.hrp());
        assertArrayEquals(raw.data().toArray(), again.data().toArray());

        Bolt12Object o;
        try {
            o = Bolt12Object.decode(s);
        } catch (RuntimeException e) {
            FuzzChecks.isTypedDecodeError(e, input);
            return;
        }
        assertEquals(raw.hrp(), o.hrp());
        assertArrayEquals(raw.data().toArray(), o.tlvBytes().toArray(), "bytes kept as decoded");
        assertEquals(raw.encode(), o.encode());
        Bolt12PayloadFuzzTest.readerChecksDoNotThrow(o, input);
    }

    /** The string as the codec writes it: {@code +} and the whitespace after it dropped, lowercase. */
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
