package dev.boltflow.node.config;

import java.time.Duration;

/** Durations as people write them in messages and help: {@code 90 s}, {@code 250 ms}, {@code 1.5 s}. */
public final class Durations {
    private Durations() {
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        if (ms < 1000) {
            return ms == 0 ? d.toNanos() / 1000 + " µs" : ms + " ms";
        }
        return String.format(java.util.Locale.ROOT, "%.3f s", ms / 1000.0).replaceAll("0+ s$", " s");
    }
}
