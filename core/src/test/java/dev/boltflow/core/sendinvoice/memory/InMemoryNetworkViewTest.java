package dev.boltflow.core.sendinvoice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.features.Features;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InMemoryNetworkViewTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final InMemoryNetworkView view = new InMemoryNetworkView();
    private final PublicKey a = PrivateKey.random(RANDOM).publicKey();
    private final PublicKey b = PrivateKey.random(RANDOM).publicKey();
    private final PublicKey c = PrivateKey.random(RANDOM).publicKey();

    @Test
    void addNode_isReadBack_andReplacedByTheNextAdd() {
        assertEquals(Optional.empty(), view.node(a));
        view.addNode(a, List.of(new NetworkView.Address("127.0.0.1", 9735)), Optional.empty());
        NetworkView.NodeInfo info = view.node(a).orElseThrow();
        assertEquals(List.of(new NetworkView.Address("127.0.0.1", 9735)), info.addresses());
        assertTrue(info.mayRelayOnionMessages(), "unknown features may still relay");

        view.addNode(a, List.of(), Features.of(Features.VAR_ONION_OPTIN_REQ));
        assertEquals(List.of(), view.node(a).orElseThrow().addresses());
        assertFalse(view.node(a).orElseThrow().mayRelayOnionMessages());
        view.addNode(a, List.of(), Features.of(Features.ONION_MESSAGES_OPT));
        assertTrue(view.node(a).orElseThrow().mayRelayOnionMessages());
        view.removeNode(a);
        assertEquals(Optional.empty(), view.node(a));
    }

    @Test
    void links_areSymmetric_andRemovedAtBothEnds() {
        view.addLink(a, b).addLink(b, c);
        assertEquals(Set.of(b), view.links(a));
        assertEquals(Set.of(a, c), view.links(b));
        assertEquals(Set.of(b), view.links(c));

        view.removeLink(b, a);
        assertEquals(Set.of(), view.links(a));
        assertEquals(Set.of(c), view.links(b));
    }

    @Test
    void aLinkToItself_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> view.addLink(a, a));
    }

    @Test
    void links_returnsASnapshot() {
        view.addLink(a, b);
        Set<PublicKey> snapshot = view.links(a);
        view.addLink(a, c);
        assertEquals(Set.of(b), snapshot);
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add(c));
    }

    @Test
    void concurrentAdds_allLand() {
        List<PublicKey> others = IntStream.range(0, 200).mapToObj(i -> PrivateKey.random(RANDOM).publicKey()).toList();
        others.parallelStream().forEach(o -> view.addLink(a, o));
        assertEquals(Set.copyOf(others), view.links(a));
        others.forEach(o -> assertEquals(Set.of(a), view.links(o)));
    }

    @Test
    void address_refusesAPortOutOfRange_andPrintsIpv6InBrackets() {
        assertThrows(IllegalArgumentException.class, () -> new NetworkView.Address("h", 0));
        assertThrows(IllegalArgumentException.class, () -> new NetworkView.Address("h", 65536));
        assertThrows(IllegalArgumentException.class, () -> new NetworkView.Address(" ", 1));
        assertEquals("[::1]:9735", new NetworkView.Address("::1", 9735).toString());
    }

    /** Every change returns the view, so a test network is written as one chain of calls. */
    @Test
    void changes_chain() {
        InMemoryNetworkView same = view.addNode(a, List.of(), Features.EMPTY)
                .addNode(b, List.of(), Optional.empty())
                .addLink(a, b).addLink(b, c)
                .removeLink(b, c)
                .removeNode(b);
        assertTrue(same == view);
        assertEquals(java.util.Set.of(b), view.links(a));
        assertEquals(java.util.Set.of(), view.links(c));
        assertEquals(Optional.empty(), view.node(b));
        assertEquals("InMemoryNetworkView[1 nodes]", view.toString());
    }
}
