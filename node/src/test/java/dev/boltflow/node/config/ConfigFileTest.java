package dev.boltflow.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    private static final Set<String> KNOWN = Set.of("network", "listen", "fetchinvoice-noconnect", "connect");

    @Test
    void reads_values_flags_repeats_and_skips_comments(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config");
        Files.writeString(f, "# a comment\n\nnetwork=regtest\nfetchinvoice-noconnect\nconnect=a@b:1\n connect = c@d:2 \n");
        ConfigFile c = ConfigFile.read(f, KNOWN);
        assertEquals(List.of("regtest"), c.values("network"));
        assertEquals(List.of(""), c.values("fetchinvoice-noconnect"));
        assertEquals(List.of("a@b:1", "c@d:2"), c.values("connect"));
        assertTrue(!c.has("listen"));
    }

    @Test
    void unknown_option_names_the_file_and_line(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config");
        Files.writeString(f, "network=regtest\nlisten-on=1.2.3.4:9735\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.read(f, KNOWN));
        assertTrue(e.getMessage().contains("config:2") && e.getMessage().contains("listen-on"), e.getMessage());
    }

    @Test
    void dashed_line_is_refused_and_a_missing_file_is_empty(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config");
        Files.writeString(f, "--network=regtest\n");
        assertThrows(ConfigException.class, () -> ConfigFile.read(f, KNOWN));
        assertTrue(ConfigFile.read(dir.resolve("absent"), KNOWN).names().isEmpty());
    }
}
