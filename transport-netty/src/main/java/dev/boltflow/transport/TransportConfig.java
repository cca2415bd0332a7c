package dev.boltflow.transport;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.noise.TransportCipher;
import dev.boltflow.core.features.Features;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and identity of a node's transport.
 *
 * @param chainHash the chain we serve, sent in {@code init.networks}; a peer whose
 *     {@code networks} leave it out is refused (BOLT 1: "MAY close the connection")
 * @param features our {@code init} features
 * @param handshakeTimeout how long the BOLT 8 handshake may take, and again how long we wait for
 *     the peer's {@code init} after it
 * @param pingInterval send a {@code ping} after the peer has been silent this long
 * @param pongDeadline close if the {@code pong} does not come back within this
 * @param maxQueuedBytesPerPeer bytes accepted by {@code send} and not yet written to the socket,
 *     per peer; beyond it {@code send} fails with {@link PeerQueueFullException}
 * @param maxInboundConnections accepted connections open at once, including those still in
 *     their handshake
 * @param maxMessageLength the longest inbound message accepted; a frame announcing more closes
 *     the connection. BOLT 8 caps it at 65535 (the default); a node may choose less.
 */
public record TransportConfig(Bytes32 chainHash, Features features, Duration handshakeTimeout,
                              Duration pingInterval, Duration pongDeadline, long maxQueuedBytesPerPeer,
                              int maxInboundConnections, int maxMessageLength) {


    /**
     * {@code option_onion_messages} and {@code option_route_blinding} (optional), {@code gossip_queries}
     * and {@code gossip_queries_ex} (optional: we keep a graph and answer queries, BOLT 7), and the BOLT 9
     * features marked ASSUMED: {@code var_onion_optin}, {@code option_static_remotekey} and
     * {@code payment_secret} as compulsory like current nodes send them,
     * {@code option_data_loss_protect} and {@code option_channel_type} as optional (we open no
     * channels).
     */
    public static final Features DEFAULT_FEATURES = Features.of(
            Features.DATA_LOSS_PROTECT_OPT,
            Features.GOSSIP_QUERIES_OPT,
            Features.VAR_ONION_OPTIN_REQ,
            Features.GOSSIP_QUERIES_EX_OPT,
            Features.STATIC_REMOTEKEY_REQ,
            Features.PAYMENT_SECRET_REQ,
            Features.ROUTE_BLINDING_OPT,
            Features.ONION_MESSAGES_OPT,
            Features.CHANNEL_TYPE_OPT);

    public TransportConfig {
        Objects.requireNonNull(chainHash, "chainHash");
        Objects.requireNonNull(features, "features");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        requirePositive(pingInterval, "pingInterval");
        requirePositive(pongDeadline, "pongDeadline");
        if (maxQueuedBytesPerPeer <= 0) {
            throw new IllegalArgumentException("maxQueuedBytesPerPeer must be positive: " + maxQueuedBytesPerPeer);
        }
        if (maxInboundConnections < 0) {
            throw new IllegalArgumentException("maxInboundConnections must not be negative: " + maxInboundConnections);
        }
        if (maxMessageLength < 2 || maxMessageLength > TransportCipher.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("maxMessageLength must be in [2, 65535]: " + maxMessageLength);
        }
    }

    /**
     * Mainnet; 10 s handshake, ping after 60 s of silence, 30 s for the pong, 4 MiB queued per
     * peer, 256 inbound connections, messages up to 65535 bytes.
     */
    public static TransportConfig defaults() {
        return new TransportConfig(ChainHashes.BITCOIN, DEFAULT_FEATURES, Duration.ofSeconds(10),
                Duration.ofSeconds(60), Duration.ofSeconds(30), 4L << 20, 256, TransportCipher.MAX_MESSAGE_LENGTH);
    }

    public TransportConfig withChainHash(Bytes32 value) {
        return new TransportConfig(value, features, handshakeTimeout, pingInterval, pongDeadline,
                maxQueuedBytesPerPeer, maxInboundConnections, maxMessageLength);
    }

    public TransportConfig withFeatures(Features value) {
        return new TransportConfig(chainHash, value, handshakeTimeout, pingInterval, pongDeadline,
                maxQueuedBytesPerPeer, maxInboundConnections, maxMessageLength);
    }

    public TransportConfig withHandshakeTimeout(Duration value) {
        return new TransportConfig(chainHash, features, value, pingInterval, pongDeadline,
                maxQueuedBytesPerPeer, maxInboundConnections, maxMessageLength);
    }

    public TransportConfig withPingInterval(Duration value) {
        return new TransportConfig(chainHash, features, handshakeTimeout, value, pongDeadline,
                maxQueuedBytesPerPeer, maxInboundConnections, maxMessageLength);
    }

    public TransportConfig withPongDeadline(Duration value) {
        return new TransportConfig(chainHash, features, handshakeTimeout, pingInterval, value,
                maxQueuedBytesPerPeer, maxInboundConnections, maxMessageLength);
    }

    public TransportConfig withMaxQueuedBytesPerPeer(long value) {
        return new TransportConfig(chainHash, features, handshakeTimeout, pingInterval, pongDeadline,
                value, maxInboundConnections, maxMessageLength);
    }

    public TransportConfig withMaxInboundConnections(int value) {
        return new TransportConfig(chainHash, features, handshakeTimeout, pingInterval, pongDeadline,
                maxQueuedBytesPerPeer, value, maxMessageLength);
    }

    public TransportConfig withMaxMessageLength(int value) {
        return new TransportConfig(chainHash, features, handshakeTimeout, pingInterval, pongDeadline,
                maxQueuedBytesPerPeer, maxInboundConnections, value);
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }
}
