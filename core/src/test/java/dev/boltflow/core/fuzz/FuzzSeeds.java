package dev.boltflow.core.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seed inputs for the fuzz targets, read from the official vectors in {@code ../shared/bolts} when
 * the tests run (never copied into the project). A fuzz test names a factory here in
 * {@code @MethodSource}: in regression mode (a plain {@code mvn verify}) JUnit runs the target on
 * every seed; in fuzzing mode ({@code JAZZER_FUZZ=1}) Jazzer runs them first and then mutates them
 * as its starting corpus. Used by the fuzz targets of transport-netty and node too (core's test-jar).
 */
public final class FuzzSeeds {
    private final Map<String, byte[]> seeds = new LinkedHashMap<>();

    private FuzzSeeds() {
    }

    public static FuzzSeeds builder() {
        return new FuzzSeeds();
    }

    /** Adds a seed (a later seed with the same name replaces the earlier one). */
    public FuzzSeeds add(String name, byte[] input) {
        seeds.put(name, input.clone());
        return this;
    }

    public FuzzSeeds addText(String name, String input) {
        return add(name, input.getBytes(StandardCharsets.UTF_8));
    }

    public FuzzSeeds addHex(String name, String hex) {
        return add(name, hex(hex));
    }

    public int size() {
        return seeds.size();
    }

    public List<byte[]> inputs() {
        List<byte[]> out = new ArrayList<>();
        seeds.values().forEach(v -> out.add(v.clone()));
        return out;
    }

    /** The seeds as {@code @MethodSource} arguments of a {@code byte[]} fuzz test, named for the reports. */
    public Stream<Arguments> arguments() {
        if (seeds.isEmpty()) {
            throw new AssertionError("no seeds read from the vectors");
        }
        List<Arguments> out = new ArrayList<>();
        seeds.forEach((name, input) -> out.add(Arguments.of(Named.of(name, input.clone()))));
        return out.stream();
    }

    /** Lowercase or uppercase hex, an optional {@code 0x}; whitespace ignored. */
    public static byte[] hex(String hex) {
        String h = hex.replaceAll("\\s", "");
        if (h.startsWith("0x")) {
            h = h.substring(2);
        }
        return Bytes.fromHex(h).toArray();
    }

    /** A vector file's JSON (skips, or fails under {@code BOLTFLOW_REQUIRE_VECTORS}, when absent). */
    public static JsonNode vector(String relative) {
        return Vectors.json(relative);
    }

    /** Concatenation, for seeds made of several vector pieces (a handshake followed by frames). */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
