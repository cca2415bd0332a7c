package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Outbound port: what we know of other nodes, for an {@link OnionMessenger} that has to find a
 * first hop. Per node: the addresses it can be reached at and its features, when known (from
 * {@code node_announcement}s, configuration, or an earlier connection); and the links between
 * other nodes over which onion messages travel (their channels or connections, both ends
 * advertising {@code option_onion_messages}).
 *
 * <p>Our own links are not asked for here: a connected peer of ours that advertises
 * {@code option_onion_messages} is a link from us, and the messenger knows its connections. The
 * reads are synchronous: implementations answer from a snapshot in memory (a gossip store keeps
 * one up to date in the background), never with I/O.
 */
public interface NetworkView {

    /** What we know of {@code nodeId}; empty if nothing. */
    Optional<NodeInfo> node(PublicKey nodeId);

    /**
     * The nodes with a known link to {@code nodeId} usable for onion messages (both directions:
     * {@code b} is in {@code links(a)} exactly when {@code a} is in {@code links(b)}); empty if none.
     */
    Set<PublicKey> links(PublicKey nodeId);

    /**
     * The node at end {@code direction} (0: {@code node_id_1}, 1: {@code node_id_2}) of the announced
     * channel {@code scid}: what a {@code sciddir_or_pubkey} (BOLT 1) names. Empty when the channel
     * is unknown; a view without a channel graph knows none.
     */
    default Optional<PublicKey> channelEnd(dev.boltflow.core.wire.ShortChannelId scid, int direction) {
        return Optional.empty();
    }

    /**
     * A network address as a node announces it (BOLT 7 {@code node_announcement} addresses: IPv4,
     * IPv6, Tor or a DNS host name). A host name, not a resolved address: resolving is I/O, which
     * is the adapter's when it connects.
     */
    record Address(String host, int port) {
        public Address {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            if (port < 1 || port > 0xffff) {
                throw new IllegalArgumentException("port must be in [1, 65535]: " + port);
            }
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A node: its addresses in order of preference (may be empty) and its features, if known
     * ({@code node_announcement} features or those of its {@code init}).
     */
    record NodeInfo(PublicKey nodeId, List<Address> addresses, Optional<Features> features) {
        public NodeInfo {
            Objects.requireNonNull(nodeId, "nodeId");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(features, "features");
        }

        /**
         * False only when its features are known and lack {@code option_onion_messages} (BOLT 9:
         * only peers that advertise it handle {@code onion_message}); unknown features may still.
         */
        public boolean mayRelayOnionMessages() {
            return features.map(f -> f.supports(Features.Feature.ONION_MESSAGES)).orElse(true);
        }
    }
}
