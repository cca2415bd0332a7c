package dev.boltflow.node;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The build this code comes from: the project version and the git commit, stamped at build time
 * into {@code dev/boltflow/node/build.properties} (and, with the same values, into the jar's
 * manifest as {@code Implementation-Version} and {@code Build-Commit}). {@code --version} and
 * {@code getinfo.version} print it.
 *
 * @param version the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit  the abbreviated git commit, {@code unknown} when built outside a git clone
 * @param dirty   whether the work tree had uncommitted changes
 */
public record BuildInfo(String version, String commit, boolean dirty) {
    private static final BuildInfo CURRENT = load();

    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource is an unknown build
        }
        return new BuildInfo(value(p, "version", "dev"), value(p, "commit", "unknown"),
                Boolean.parseBoolean(value(p, "dirty", "false")));
    }

    /** A property, or {@code otherwise} when absent or never filled in (an unfiltered {@code ${...}}). */
    private static String value(Properties p, String name, String otherwise) {
        String v = p.getProperty(name, "").strip();
        return v.isEmpty() || v.startsWith("${") ? otherwise : v;
    }

    /** {@code 0.1.0-SNAPSHOT (commit 1a2b3c4)}, with {@code , modified} for a dirty work tree. */
    public String describe() {
        return version + " (commit " + commit + (dirty ? ", modified" : "") + ")";
    }

    /** {@code getinfo.version}: {@code boltflow-0.1.0-SNAPSHOT-1a2b3c4} ({@code -dirty} when modified). */
    public String rpcVersion() {
        return "boltflow-" + version + "-" + commit + (dirty ? "-dirty" : "");
    }
}
