package dev.boltflow.core.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the official test vectors where they live ({@code ../shared/bolts}, or the directory in
 * the system property {@code boltflow.bolts.dir}) and reads them. They are never copied into the
 * project. When the folder is absent (a bare clone) the calling test is skipped with
 * {@link #SKIP_MARKER} in its message; {@code .ci/run} fails the build if any test was skipped so.
 */
public final class Vectors {
    public static final String SKIP_MARKER = "BOLT-VECTORS-MISSING";
    public static final String REQUIRE_ENV = "BOLTFLOW_REQUIRE_VECTORS";
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private Vectors() {
    }

    /** The vectors folder, or a skip of the calling test if it is not there. */
    public static Path boltsDir() {
        return locate("boltflow.bolts.dir", "bolts");
    }

    /** Core Lightning's JSON schemas ({@code ../shared/cln-schemas}), or a skip. */
    public static Path clnSchemasDir() {
        return locate("boltflow.cln.schemas.dir", "cln-schemas");
    }

    private static Path locate(String property, String name) {
        String configured = System.getProperty(property);
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        } else {
            candidates.add(Path.of("..", "shared", name));
            candidates.add(Path.of("..", "..", "shared", name));
        }
        for (Path p : candidates) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        return missing(SKIP_MARKER + ": no " + name + " folder at " + candidates
                + " (set -D" + property + "=DIR); vector tests skipped");
    }

    /** A file below the vectors folder, e.g. {@code bolt12/offers-test.json}; a skip if absent. */
    public static Path file(String relative) {
        Path p = boltsDir().resolve(relative);
        if (!Files.isRegularFile(p)) {
            missing(SKIP_MARKER + ": missing " + p + "; vector tests skipped");
        }
        return p;
    }

    /**
     * Skips the calling test, or fails it where the environment variable {@value #REQUIRE_ENV} is
     * set ({@code .ci/run} sets it, so CI cannot pass with the vectors unread).
     */
    private static <T> T missing(String message) {
        System.err.println(message);
        if (System.getenv(REQUIRE_ENV) != null) {
            throw new AssertionError(message + " but " + REQUIRE_ENV + " is set");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    public static JsonNode json(String relative) {
        return readJson(file(relative));
    }

    public static JsonNode readJson(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The elements of a JSON array as a list, for {@code @MethodSource} factories. */
    public static List<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
