package dev.boltflow.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node per directory, owner-only files, and no key left by a start that failed. */
class DataDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void a_held_directory_is_refused_naming_it_and_the_pid_and_is_free_again_once_released() throws Exception {
        Path net = dir.resolve("regtest");
        DataDirectory held = DataDirectory.lock(net);
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(net.resolve(DataDirectory.LOCK_FILE)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(net.resolve("lock"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(net)));
        DataDirectory.DataDirectoryInUseException e = assertThrows(DataDirectory.DataDirectoryInUseException.class,
                () -> DataDirectory.lock(net));
        assertEquals(net + " is in use by a running node (pid " + ProcessHandle.current().pid() + ")", e.getMessage());
        held.close();
        DataDirectory.lock(net).close();
    }

    @Test
    void restrict_files_makes_every_file_owner_only() throws Exception {
        Path net = dir.resolve("regtest");
        try (DataDirectory d = DataDirectory.lock(net)) {
            Path open = Files.writeString(net.resolve("invoices.mv.db"), "x");
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
            d.restrictFiles();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
        }
    }

    @Test
    void a_node_refused_on_a_held_directory_touches_nothing_there() {
        NodeConfig config = NodeConfig.defaults(Network.REGTEST, dir);
        try (DataDirectory held = DataDirectory.lock(config.networkDir())) {
            Node.Host host = Node.Host.of(false, () -> 0, invoice -> Optional.empty(), new SecureRandom());
            Exception e = assertThrows(Exception.class,
                    () -> Node.start(config, host, new SecureRandom()).block(Duration.ofSeconds(30)));
            assertTrue(String.valueOf(e.getMessage()).contains("is in use by a running node"), e.toString());
            assertFalse(Files.exists(config.networkDir().resolve(NodeIdentity.FILE_NAME)), "no key written");
            assertFalse(Files.exists(config.networkDir().resolve("invoices.mv.db")), "no database opened");
        }
    }

    @Test
    void a_failed_first_start_removes_the_key_it_created() throws Exception {
        NodeConfig config = NodeConfig.defaults(Network.REGTEST, dir).withDatabase("r2dbc:nosuchdriver://x");
        Node.Host host = Node.Host.of(false, () -> 0, invoice -> Optional.empty(), new SecureRandom());
        assertThrows(Exception.class, () -> Node.start(config, host, new SecureRandom()).block(Duration.ofSeconds(30)));
        assertFalse(Files.exists(config.networkDir().resolve(NodeIdentity.FILE_NAME)), "no key left behind");
        // and the directory is free again
        DataDirectory.lock(config.networkDir()).close();
    }
}
