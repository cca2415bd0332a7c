package dev.boltflow.core.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.sendinvoice.NetworkView;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** BOLT 7 address descriptors: each type, the reader's rules, and text forms without name lookups. */
class NodeAddressTest {

    @Test
    void literals_become_ip_descriptors_and_print_back() {
        assertEquals("ipv4:192.0.2.7:9735", NodeAddress.of("192.0.2.7", 9735).toString());
        assertEquals("2001:db8::1", NodeAddress.of("2001:db8:0:0:0:0:0:1", 1).host());
        assertEquals("::1", NodeAddress.of("::1", 1).host());
        assertEquals("2001:db8:0:1:1:1:1:1", NodeAddress.of("2001:db8::1:1:1:1:1", 1).host());
        assertEquals("fe80::", NodeAddress.of("fe80::", 1).host());
        assertEquals(NodeAddress.DNS, NodeAddress.of("node.example.org", 1).type());
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.of("1:2:3", 1));
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.of("300.1.1.1", 1));
    }

    @Test
    void parseAll_follows_the_readers_rules() {
        NodeAddress v4 = NodeAddress.of("10.0.0.1", 9735);
        NodeAddress v6 = NodeAddress.of("2001:db8::2", 9736);
        NodeAddress tor = new NodeAddress(NodeAddress.TOR_V3, Bytes.wrap(new byte[35]), 9737);
        NodeAddress dns = NodeAddress.dns("a.example", 9738);
        Bytes all = NodeAddress.encodeAll(List.of(v4, v6, tor, dns));
        assertEquals(List.of(v4, v6, tor, dns), NodeAddress.parseAll(all));
        assertTrue(tor.host().endsWith(".onion") && tor.host().length() == 56 + 6);
        // Tor v2 is skipped; a second host name ignored; an unknown type ends the list.
        Bytes torV2 = Bytes.fromHex("03" + "00".repeat(12));
        Bytes unknown = Bytes.fromHex("0700");
        Bytes withExtras = torV2.concat(NodeAddress.encodeAll(List.of(dns, NodeAddress.dns("b.example", 1), v4)))
                .concat(unknown).concat(NodeAddress.encodeAll(List.of(v6)));
        assertEquals(List.of(dns, v4), NodeAddress.parseAll(withExtras));
        // "addrlen is insufficient to hold the address descriptors of the known types"
        assertThrows(DecodeException.class, () -> NodeAddress.parseAll(all.slice(0, all.length() - 1)));
        // port 0: "SHOULD ignore"
        assertEquals(Optional.empty(), NodeAddress.of("10.0.0.2", 0).toAddress());
        assertEquals(Optional.of(new NetworkView.Address("10.0.0.1", 9735)), v4.toAddress());
    }
}
