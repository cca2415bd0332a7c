package dev.boltflow.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Secrets a test made (node keys, preimages) and that must never show up in any output. Each is
 * written, in every form it could be printed in, to {@code target/test-secrets/secrets-PID.txt} of
 * the module under test (one form a line). After {@code mvn verify}, {@code .ci/check-secrets}
 * greps the whole run's output for every line of those files; a test can also scan text it captured
 * itself with {@link #findIn}.
 */
public final class TestSecrets {
    /** Where the files go, relative to the module (surefire's working directory). */
    public static final Path DIR = Path.of("target", "test-secrets");

    private TestSecrets() {
    }

    /**
     * The forms a 32-byte secret could be printed in: lower-case hex, the hex of its bytes reversed
     * (as some tools print hashes), standard and URL-safe base64 without padding. Matching is
     * case-insensitive, so upper-case hex is covered too.
     */
    public static List<String> forms(byte[] secret) {
        byte[] reversed = new byte[secret.length];
        for (int i = 0; i < secret.length; i++) {
            reversed[i] = secret[secret.length - 1 - i];
        }
        List<String> forms = new ArrayList<>();
        forms.add(HexFormat.of().formatHex(secret));
        forms.add(HexFormat.of().formatHex(reversed));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(secret));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        return forms;
    }

    /** Records {@code secret} (described by {@code what}, which is not written) for the CI check. */
    public static synchronized void register(String what, byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException(what + ": too short to grep for without false alarms");
        }
        StringBuilder lines = new StringBuilder();
        for (String form : forms(secret)) {
            lines.append(form).append('\n');
        }
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("secrets-" + ProcessHandle.current().pid() + ".txt"), lines,
                    StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The forms of {@code secret} that occur in {@code text} (case-insensitive); empty when none. */
    public static List<String> findIn(String text, byte[] secret) {
        String haystack = text.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String form : forms(secret)) {
            if (haystack.contains(form.toLowerCase(Locale.ROOT))) {
                found.add(form);
            }
        }
        return found;
    }
}
