package dev.boltflow.node.config;

import dev.boltflow.node.gossip.GossipConfig;
import dev.boltflow.node.messaging.OnionMessageLimits;
import dev.boltflow.node.rpc.JsonRpcServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a node is started with. Every limit is explicit here, with the defaults of
 * {@link #defaults}.
 *
 * @param database           an R2DBC URL (PostgreSQL in production); empty means the embedded H2
 *                           file {@code DIR/NETWORK/invoices}
 * @param fetchInvoiceNoconnect never dial a node just to deliver an onion message (Core Lightning's
 *                           {@code fetchinvoice-noconnect})
 * @param connect            peers to connect to at start, {@code node_id@host:port}
 * @param simulatedPayments  pay and get paid over the channel-less simulated link (tests, demo)
 * @param relay              forward onion messages for others (to connected next hops only)
 * @param onionMessageLimits how many onion messages each peer connection may send us (Core
 *                           Lightning's burst of 4, then one per 250 ms, by default)
 * @param rpcLimits          JSON-RPC request size, requests in flight per connection, connections
 *                           open at once ({@link JsonRpcServer.Limits#defaults()})
 * @param maxMessageLength   the longest BOLT 8 message a peer may send us (at most, and by
 *                           default, 65535); a frame announcing more closes that connection
 * @param gossip             BOLT 7: sync peers, graph caps, per-peer fault limit, relay flushes
 */
public record NodeConfig(
        Network network,
        Path dataDir,
        Optional<InetSocketAddress> listen,
        Optional<String> database,
        boolean fetchInvoiceNoconnect,
        Duration defaultTimeout,
        List<String> connect,
        boolean simulatedPayments,
        int maxPendingInvoices,
        int maxInboundConnections,
        Duration handshakeTimeout,
        OnionMessageLimits onionMessageLimits,
        boolean relay,
        JsonRpcServer.Limits rpcLimits,
        int maxMessageLength,
        GossipConfig gossip) {

    public NodeConfig {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        connect = List.copyOf(connect);
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new ConfigException("default-timeout must be positive");
        }
        if (maxPendingInvoices < 1) {
            throw new ConfigException("max-pending-invoices must be at least 1");
        }
        if (maxInboundConnections < 1) {
            throw new ConfigException("max-inbound-connections must be at least 1");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new ConfigException("handshake-timeout must be positive");
        }
        Objects.requireNonNull(onionMessageLimits, "onionMessageLimits");
        Objects.requireNonNull(rpcLimits, "rpcLimits");
        if (maxMessageLength < 2 || maxMessageLength > 65_535) {
            throw new ConfigException("max-message-length must be in [2, 65535]");
        }
        Objects.requireNonNull(gossip, "gossip");
    }

    /** Everything but the onion message limits, which take their defaults. */
    public NodeConfig(Network network, Path dataDir, Optional<InetSocketAddress> listen, Optional<String> database,
            boolean fetchInvoiceNoconnect, Duration defaultTimeout, List<String> connect, boolean simulatedPayments,
            int maxPendingInvoices, int maxInboundConnections, Duration handshakeTimeout) {
        this(network, dataDir, listen, database, fetchInvoiceNoconnect, defaultTimeout, connect, simulatedPayments,
                maxPendingInvoices, maxInboundConnections, handshakeTimeout, OnionMessageLimits.defaults(), true,
                JsonRpcServer.Limits.defaults(), 65_535, GossipConfig.defaults());
    }

    public static NodeConfig defaults(Network network, Path dataDir) {
        return new NodeConfig(network, dataDir, Optional.empty(), Optional.empty(), false, Duration.ofSeconds(90),
                List.of(), false, 100_000, 256, Duration.ofSeconds(10));
    }

    /** {@code DIR/NETWORK}: the key, the database, the address book and the RPC socket live here. */
    public Path networkDir() {
        return dataDir.resolve(network.cliName());
    }

    /** Core Lightning's layout: {@code DIR/NETWORK/lightning-rpc}. */
    public Path rpcFile() {
        return networkDir().resolve("lightning-rpc");
    }

    public NodeConfig withListen(InetSocketAddress address) {
        return new NodeConfig(network, dataDir, Optional.of(address), database, fetchInvoiceNoconnect, defaultTimeout,
                connect, simulatedPayments, maxPendingInvoices, maxInboundConnections, handshakeTimeout,
                onionMessageLimits, relay, rpcLimits, maxMessageLength, gossip);
    }

    public NodeConfig withFetchInvoiceNoconnect(boolean v) {
        return new NodeConfig(network, dataDir, listen, database, v, defaultTimeout, connect, simulatedPayments,
                maxPendingInvoices, maxInboundConnections, handshakeTimeout,
                onionMessageLimits, relay, rpcLimits, maxMessageLength, gossip);
    }

    public NodeConfig withSimulatedPayments(boolean v) {
        return new NodeConfig(network, dataDir, listen, database, fetchInvoiceNoconnect, defaultTimeout, connect, v,
                maxPendingInvoices, maxInboundConnections, handshakeTimeout,
                onionMessageLimits, relay, rpcLimits, maxMessageLength, gossip);
    }

    public NodeConfig withOnionMessageLimits(OnionMessageLimits limits) {
        return new NodeConfig(network, dataDir, listen, database, fetchInvoiceNoconnect, defaultTimeout, connect,
                simulatedPayments, maxPendingInvoices, maxInboundConnections, handshakeTimeout, limits, relay, rpcLimits,
                maxMessageLength, gossip);
    }

    /** Relay onion messages for others to connected next hops (on by default, as Core Lightning does). */
    public NodeConfig withRelay(boolean v) {
        return new NodeConfig(network, dataDir, listen, database, fetchInvoiceNoconnect, defaultTimeout, connect,
                simulatedPayments, maxPendingInvoices, maxInboundConnections, handshakeTimeout, onionMessageLimits, v,
                rpcLimits, maxMessageLength, gossip);
    }

    /** JSON-RPC limits: request size, requests in flight per connection, connections at once. */
    public NodeConfig withRpcLimits(JsonRpcServer.Limits limits) {
        return new NodeConfig(network, dataDir, listen, database, fetchInvoiceNoconnect, defaultTimeout, connect,
                simulatedPayments, maxPendingInvoices, maxInboundConnections, handshakeTimeout, onionMessageLimits, relay,
                limits, maxMessageLength, gossip);
    }

    /** The longest BOLT 8 message accepted from a peer (2 … 65535). */
    public NodeConfig withMaxMessageLength(int n) {
        return new NodeConfig(network, dataDir, listen, database, fetchInvoiceNoconnect, defaultTimeout, connect,
                simulatedPayments, maxPendingInvoices, maxInboundConnections, handshakeTimeout, onionMessageLimits, relay,
                rpcLimits, n, gossip);
    }

    public NodeConfig withMaxPendingInvoices(int n) {
        return new NodeConfig(network, dataDir, listen, database, fetchInvoiceNoconnect, defaultTimeout, connect,
                simulatedPayments, n, maxInboundConnections, handshakeTimeout, onionMessageLimits, relay, rpcLimits,
                maxMessageLength, gossip);
    }

    /** How the node takes part in gossip ({@link GossipConfig#defaults()} unless set). */
    public NodeConfig withGossip(GossipConfig g) {
        return new NodeConfig(network, dataDir, listen, database, fetchInvoiceNoconnect, defaultTimeout, connect,
                simulatedPayments, maxPendingInvoices, maxInboundConnections, handshakeTimeout, onionMessageLimits, relay,
                rpcLimits, maxMessageLength, g);
    }

    public NodeConfig withDatabase(String r2dbcUrl) {
        return new NodeConfig(network, dataDir, listen, Optional.of(r2dbcUrl), fetchInvoiceNoconnect, defaultTimeout,
                connect, simulatedPayments, maxPendingInvoices, maxInboundConnections, handshakeTimeout,
                onionMessageLimits, relay, rpcLimits, maxMessageLength, gossip);
    }
}
