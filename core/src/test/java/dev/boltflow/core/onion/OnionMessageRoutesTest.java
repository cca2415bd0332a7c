package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.OnionMessagesPropertiesTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.boltflow.core.crypto.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The breadth-first onion-message route search: fewest hops, in order, at most MAX_HOPS links. */
class OnionMessageRoutesTest {

    /** Nodes 0..n linked in a line, both ways. */
    private static List<PublicKey> line(int n) {
        List<PublicKey> nodes = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            nodes.add(key(77, i).publicKey());
        }
        return nodes;
    }

    private static Function<PublicKey, List<PublicKey>> linksOf(List<PublicKey> nodes) {
        return at -> {
            int i = nodes.indexOf(at);
            List<PublicKey> out = new ArrayList<>();
            if (i > 0) {
                out.add(nodes.get(i - 1));
            }
            if (i < nodes.size() - 1) {
                out.add(nodes.get(i + 1));
            }
            return out;
        };
    }

    @Test
    void aLine_isRouted_inOrder_withoutItsEnds() {
        List<PublicKey> nodes = line(4);
        assertEquals(Optional.of(nodes.subList(1, 4)),
                OnionMessageRoutes.shortest(nodes.get(0), nodes.get(4), linksOf(nodes), n -> true));
        assertEquals(Optional.of(List.of()),
                OnionMessageRoutes.shortest(nodes.get(0), nodes.get(1), linksOf(nodes), n -> true));
    }

    @Test
    void aRouteOfMaxHopsLinks_isFound_oneMoreIsNot() {
        List<PublicKey> nodes = line(OnionMessageRoutes.MAX_HOPS + 1);
        Function<PublicKey, List<PublicKey>> links = linksOf(nodes);
        assertEquals(Optional.of(nodes.subList(1, OnionMessageRoutes.MAX_HOPS)), OnionMessageRoutes.shortest(
                nodes.get(0), nodes.get(OnionMessageRoutes.MAX_HOPS), links, n -> true));
        assertEquals(Optional.empty(), OnionMessageRoutes.shortest(nodes.get(0),
                nodes.get(OnionMessageRoutes.MAX_HOPS + 1), links, n -> true));
    }

    @Test
    void theShorterOfTwoRoutes_avoidingNodesThatMayNotRelay() {
        List<PublicKey> n = line(5);
        // 0 - 1 - 2 - 5 and 0 - 3 - 5; 3 may not relay.
        Map<PublicKey, List<PublicKey>> graph = Map.of(n.get(0), List.of(n.get(1), n.get(3)),
                n.get(1), List.of(n.get(2)), n.get(2), List.of(n.get(5)), n.get(3), List.of(n.get(5)));
        Set<PublicKey> noRelay = new HashSet<>(List.of(n.get(3)));
        assertEquals(Optional.of(List.of(n.get(3))), OnionMessageRoutes.shortest(n.get(0), n.get(5),
                at -> graph.getOrDefault(at, List.of()), x -> true));
        assertEquals(Optional.of(List.of(n.get(1), n.get(2))), OnionMessageRoutes.shortest(n.get(0), n.get(5),
                at -> graph.getOrDefault(at, List.of()), x -> !noRelay.contains(x)));
    }
}
