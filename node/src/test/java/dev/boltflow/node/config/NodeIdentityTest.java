package dev.boltflow.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.crypto.PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void created_owner_only_on_first_start_and_reused_after(@TempDir Path dir) throws Exception {
        Path net = dir.resolve("regtest");
        PrivateKey first = NodeIdentity.loadOrCreate(net, random);
        Path file = net.resolve(NodeIdentity.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(32, Files.size(file));
        PrivateKey again = NodeIdentity.loadOrCreate(net, random);
        assertEquals(first.publicKey(), again.publicKey());
        assertTrue(!first.toString().contains(dev.boltflow.core.bytes.Bytes.wrap(first.toBytes()).toHex()));
    }

    @Test
    void a_key_others_can_read_is_refused(@TempDir Path dir) throws Exception {
        Path net = dir.resolve("regtest");
        NodeIdentity.loadOrCreate(net, random);
        Files.setPosixFilePermissions(net.resolve(NodeIdentity.FILE_NAME), PosixFilePermissions.fromString("rw-r--r--"));
        ConfigException e = assertThrows(ConfigException.class, () -> NodeIdentity.loadOrCreate(net, random));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void a_damaged_key_file_is_refused_without_printing_it(@TempDir Path dir) throws Exception {
        Path net = dir.resolve("regtest");
        Files.createDirectories(net);
        Path file = net.resolve(NodeIdentity.FILE_NAME);
        Files.write(file, new byte[31]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThrows(ConfigException.class, () -> NodeIdentity.loadOrCreate(net, random));
        Files.write(file, new byte[32]); // zero is not a valid key
        ConfigException e = assertThrows(ConfigException.class, () -> NodeIdentity.loadOrCreate(net, random));
        assertTrue(e.getMessage().contains("not a valid"), e.getMessage());
    }
}
