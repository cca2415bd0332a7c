package dev.boltflow.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.crypto.PrivateKey;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerAddressTest {
    private final String id = PrivateKey.random(new SecureRandom()).publicKey().toHex();

    @Test
    void id_host_and_port_in_every_form() {
        assertEquals(Optional.empty(), PeerAddress.parse(id).host());
        PeerAddress noPort = PeerAddress.parse(id + "@example.org");
        assertEquals(Optional.of("example.org"), noPort.host());
        assertEquals(9735, noPort.port());
        PeerAddress full = PeerAddress.parse(id + "@127.0.0.1:19735");
        assertEquals(id, full.nodeId().toHex());
        assertEquals(Optional.of("127.0.0.1"), full.host());
        assertEquals(19735, full.port());
        assertEquals(Optional.of("[::1]"), PeerAddress.parse(id + "@[::1]:9736").host());
    }

    @Test
    void bad_node_ids_and_ports_are_named() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse("02abc@h:1")).getMessage()
                .contains("not a node id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(id + "@h:0")).getMessage()
                .contains("bad port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(id + "@h:x")).getMessage()
                .contains("bad port"));
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(id + "@:9735"));
    }
}
