package dev.boltflow.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A configuration file in Core Lightning's format: one option per line, {@code name=value} or a
 * bare {@code name} for a flag, {@code #} comments, blank lines ignored. Names are the long
 * command-line options without their dashes. An unknown name is an error that names the file and
 * the line, so a typo never passes silently; each value remembers its line, so a bad value is
 * reported where it was written ({@link #origin}).
 */
public final class ConfigFile {
    private final Path path;
    private final Map<String, List<String>> values;
    private final Map<String, List<Integer>> lines;

    private ConfigFile(Path path, Map<String, List<String>> values, Map<String, List<Integer>> lines) {
        this.path = path;
        this.values = values;
        this.lines = lines;
    }

    /** An empty configuration (no file). */
    public static ConfigFile empty() {
        return new ConfigFile(null, Map.of(), Map.of());
    }

    /**
     * Reads {@code path} if it exists (an absent file is an empty configuration).
     *
     * @param known the option names this program has
     * @throws ConfigException for an unknown option or a line that is not {@code name[=value]}
     */
    public static ConfigFile read(Path path, Set<String> known) {
        if (!Files.exists(path)) {
            return empty();
        }
        List<String> text;
        try {
            text = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read: " + e.getMessage());
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, List<Integer>> lines = new LinkedHashMap<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = (eq < 0 ? line : line.substring(0, eq)).strip();
            String value = eq < 0 ? "" : line.substring(eq + 1).strip();
            if (name.isEmpty() || name.startsWith("-")) {
                throw new ConfigException(path + ":" + (i + 1) + ": expected name=value, got '" + line + "'");
            }
            if (!known.contains(name)) {
                throw new ConfigException(path + ":" + (i + 1) + ": unknown option '" + name + "'");
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            lines.computeIfAbsent(name, k -> new ArrayList<>()).add(i + 1);
        }
        values.replaceAll((k, v) -> Collections.unmodifiableList(v));
        lines.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return new ConfigFile(path, Collections.unmodifiableMap(values), Collections.unmodifiableMap(lines));
    }

    /** All values given for {@code name}, in file order (a flag gives one empty value). */
    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The names present, in file order. */
    public Set<String> names() {
        return values.keySet();
    }

    /** Where it was read from; {@code null} for {@link #empty()}. */
    public Path path() {
        return path;
    }

    /** {@code FILE:LINE} of the last line that sets {@code name} (the one that counts), if any. */
    public Optional<String> origin(String name) {
        List<Integer> at = lines.get(name);
        return at == null ? Optional.empty() : Optional.of(path + ":" + at.get(at.size() - 1));
    }
}
