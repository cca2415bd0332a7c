package dev.boltflow.core.onion;

import dev.boltflow.core.crypto.PublicKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one route search for onion messages: breadth first, so the route with the fewest hops (every
 * hop costs the same: onion messages pay no fees). Used by the BOLT 8 messenger over the channel
 * graph and by the in-memory network.
 */
public final class OnionMessageRoutes {
    /** Longer routes are not looked for: their payloads would not fit a packet anyway. */
    public static final int MAX_HOPS = 20;

    private OnionMessageRoutes() {
    }

    /**
     * The nodes between {@code from} and {@code to}, both excluded, in order (empty when they are
     * linked directly); empty {@code Optional} when no route of at most {@link #MAX_HOPS} links is
     * known.
     *
     * @param links    the nodes a node has a link to
     * @param mayRelay false for a node that must not be an intermediate hop (e.g. its features lack
     *                 {@code option_onion_messages})
     */
    public static Optional<List<PublicKey>> shortest(PublicKey from, PublicKey to,
            Function<PublicKey, ? extends Collection<PublicKey>> links, Predicate<PublicKey> mayRelay) {
        Map<PublicKey, PublicKey> previous = new HashMap<>();
        Map<PublicKey, Integer> depth = new HashMap<>();
        Deque<PublicKey> queue = new ArrayDeque<>();
        previous.put(from, from);
        depth.put(from, 0);
        queue.add(from);
        while (!queue.isEmpty()) {
            PublicKey at = queue.poll();
            int d = depth.get(at);
            for (PublicKey next : links.apply(at)) {
                if (next.equals(to)) {
                    List<PublicKey> hops = new ArrayList<>(d);
                    for (PublicKey p = at; !p.equals(from); p = previous.get(p)) {
                        hops.add(p);
                    }
                    Collections.reverse(hops);
                    return Optional.of(List.copyOf(hops));
                }
                if (previous.containsKey(next) || d + 1 >= MAX_HOPS || !mayRelay.test(next)) {
                    continue;
                }
                previous.put(next, at);
                depth.put(next, d + 1);
                queue.add(next);
            }
        }
        return Optional.empty();
    }
}
