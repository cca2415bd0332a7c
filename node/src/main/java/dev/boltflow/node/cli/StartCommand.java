package dev.boltflow.node.cli;

import dev.boltflow.node.Node;
import dev.boltflow.node.chain.ChainTip;
import dev.boltflow.node.config.ConfigException;
import dev.boltflow.node.config.ConfigFile;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.node.gossip.GossipConfig;
import dev.boltflow.node.config.PeerAddress;
import dev.boltflow.node.messaging.OnionMessageLimits;
import dev.boltflow.node.rpc.JsonRpcServer;
import dev.boltflow.node.rpc.NodeRpc;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Mono;

/**
 * {@code start}: runs a node until {@code stop} (RPC) or SIGTERM. Options come from the command
 * line, then {@code DIR/NETWORK/config}, then {@code DIR/config} (Core Lightning's order and
 * format: {@code name=value} lines, names without dashes); an unknown or invalid option is a clear
 * error at start-up.
 */
@Command(name = "start",
        description = {"Run a boltflow node: BOLT 8 peers, onion messages, sendinvoice and invoicerequest, "
                + "JSON-RPC on DIR/NETWORK/lightning-rpc."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            " 0:stopped cleanly (stop, SIGTERM)",
            " 1:could not start (the message says why)",
            "64:usage error"})
public final class StartCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(StartCommand.class);
    /** How long answers being written get before the RPC server closes on stop. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    Secp256k1Option secp256k1 = new Secp256k1Option();

    @Option(names = "--network", description = "bitcoin, testnet, signet or regtest (default: ${DEFAULT-VALUE})",
            defaultValue = "bitcoin")
    String network;

    @Option(names = "--data-dir", description = "Where the key, the database and the RPC socket live (default: ~/.boltflow)")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Accept BOLT 8 connections here")
    String listen;

    @Option(names = "--database", paramLabel = "R2DBC-URL",
            description = "r2dbc:postgresql://… for production (default: embedded H2 file DIR/NETWORK/invoices)")
    String database;

    @Option(names = "--fetchinvoice-noconnect", description = "Never connect to a node just to send it an onion message")
    boolean noConnect;

    @Option(names = "--default-timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "sendinvoice timeout when the call gives none (default: ${DEFAULT-VALUE})")
    long defaultTimeout;

    @Option(names = "--connect", paramLabel = "ID@HOST:PORT", split = ",",
            description = "Peer to connect to at start (repeatable)")
    List<String> connect = new ArrayList<>();

    @Option(names = "--max-pending-invoices", defaultValue = "100000",
            description = "sendinvoice calls waiting at once (default: ${DEFAULT-VALUE})")
    int maxPending;

    @Option(names = "--max-inbound-connections", defaultValue = "256",
            description = "Accepted BOLT 8 connections at once (default: ${DEFAULT-VALUE})")
    int maxInbound;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "BOLT 8 handshake deadline (default: ${DEFAULT-VALUE})")
    long handshakeTimeout;

    @Option(names = "--simulated-payments",
            description = "Pay and get paid over boltflow's channel-less simulated link (tests and demos only; logged)")
    boolean simulatedPayments;

    @Option(names = "--relay", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Relay onion messages for others to connected peers (default: on; --no-relay turns it off)")
    boolean relay;

    @Option(names = "--onion-message-burst", defaultValue = "4",
            description = "Onion messages a peer connection may send at once (default: ${DEFAULT-VALUE}, Core Lightning's)")
    int onionBurst;

    @Option(names = "--onion-message-interval-ms", defaultValue = "250",
            description = "One more onion message per this many ms, per peer connection (default: ${DEFAULT-VALUE})")
    long onionIntervalMs;

    @Option(names = "--max-message-length", defaultValue = "65535",
            description = "Longest BOLT 8 message a peer may send; a longer one closes its connection "
                    + "(default: ${DEFAULT-VALUE}, BOLT 8's maximum)")
    int maxMessageLength;

    @Option(names = "--rpc-max-request-bytes", defaultValue = "" + JsonRpcServer.DEFAULT_MAX_REQUEST_BYTES,
            description = "Largest JSON-RPC request; a larger one is refused and its connection closed "
                    + "(default: ${DEFAULT-VALUE})")
    int rpcMaxRequestBytes;

    @Option(names = "--rpc-max-concurrent-requests", defaultValue = "" + JsonRpcServer.DEFAULT_MAX_CONCURRENT_REQUESTS,
            description = "JSON-RPC requests run at once per connection; more wait (default: ${DEFAULT-VALUE})")
    int rpcMaxConcurrent;

    @Option(names = "--rpc-max-connections", defaultValue = "" + JsonRpcServer.DEFAULT_MAX_CONNECTIONS,
            description = "JSON-RPC connections open at once; one more is answered with error -32000 and closed "
                    + "(default: ${DEFAULT-VALUE})")
    int rpcMaxConnections;

    @Option(names = "--gossip-sync-peers", defaultValue = "3",
            description = "Peers offering gossip_queries we ask for gossip with gossip_timestamp_filter "
                    + "(default: ${DEFAULT-VALUE}; 0: receive none)")
    int gossipSyncPeers;

    @Option(names = "--gossip-max-channels", defaultValue = "200000",
            description = "Channels the channel graph keeps; beyond, new announcements are refused (default: ${DEFAULT-VALUE})")
    int gossipMaxChannels;

    @Option(names = "--gossip-max-nodes", defaultValue = "100000",
            description = "Nodes the channel graph keeps (default: ${DEFAULT-VALUE})")
    int gossipMaxNodes;

    @Option(names = "--block-height",
            description = "The best block height, for our payment paths' max_cltv_expiry (the node has no chain "
                    + "backend). Default: read from --block-height-url if given; else on bitcoin an estimate from a "
                    + "checkpoint that errs high; on regtest 0; testnet and signet need this or --block-height-url")
    Long blockHeight;

    @Option(names = "--block-height-url",
            description = "An HTTP(S) URL that answers the best block height as plain text, e.g. Esplora's "
                    + "/blocks/tip/height; read at start and every 60 s (--block-height, or the estimate, until then)")
    java.net.URI blockHeightUrl;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        // First: every key parsed from here on (--connect node ids too) uses the chosen provider.
        if (secp256k1.installOrReport(err).isEmpty()) {
            return 1;
        }
        NodeConfig config;
        try {
            config = config();
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("boltflow: " + e.getMessage());
            err.flush();
            return 1;
        }
        ChainTip tip;
        try {
            tip = chainTip(config.network());
        } catch (ConfigException e) {
            err.println("boltflow: " + e.getMessage());
            err.flush();
            return 1;
        }
        LOG.info("block height {} ({})", tip.current(), tip.source());
        CountDownLatch stopped = new CountDownLatch(1);
        SecureRandom random = new SecureRandom();
        Node node;
        JsonRpcServer rpc;
        try {
            node = Node.start(config, host(tip), random).block(Duration.ofMinutes(2));
            rpc = JsonRpcServer.start(config.rpcFile(),
                    new NodeRpc(node, Clock.systemUTC(), stopped::countDown, versionString()).methods(), config.rpcLimits())
                    .onErrorResume(e -> node.stop().then(Mono.error(e)))
                    .block(Duration.ofMinutes(1));
            for (String peer : config.connect()) {
                connectAtStart(node, peer);
            }
        } catch (RuntimeException e) {
            tip.dispose();
            err.println("boltflow: could not start: " + e.getMessage());
            err.flush();
            return 1;
        }
        Thread hook = new Thread(stopped::countDown, "boltflow-sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("ready: {} on {}, rpc {}, secp256k1 {}", node.nodeId(), config.network().cliName(), config.rpcFile(),
                dev.boltflow.core.crypto.Secp256k1Providers.current().name());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGTERM: the JVM is already shutting down; clean up all the same.
        }
        // Closing the RPC server cancels requests in flight: give the answer to `stop` (and any
        // other answer being written) a moment to leave first.
        Mono.delay(STOP_GRACE).block();
        rpc.close().block(Duration.ofSeconds(10));
        node.close();
        tip.dispose();
        LOG.info("stopped");
        return 0;
    }

    private static void connectAtStart(Node node, String peer) {
        PeerAddress address;
        try {
            address = PeerAddress.parse(peer);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--connect " + peer + ": " + e.getMessage());
        }
        if (address.host().isEmpty()) {
            throw new ConfigException("--connect " + peer + ": expected ID@HOST[:PORT]");
        }
        node.connect(address.nodeId(), address.host().get(), address.port())
                .doOnError(e -> LOG.warn("could not connect to {}: {}", peer, e.getMessage()))
                .onErrorResume(e -> Mono.empty())
                .block(Duration.ofMinutes(1));
    }

    private NodeConfig config() {
        Network net = Network.parse(network);
        for (String peer : connect) {
            // Refuse a bad --connect before anything starts.
            try {
                if (PeerAddress.parse(peer).host().isEmpty()) {
                    throw new IllegalArgumentException("expected ID@HOST[:PORT]");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--connect " + peer + ": " + e.getMessage());
            }
        }
        Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".boltflow");
        NodeConfig c = NodeConfig.defaults(net, dir);
        Optional<InetSocketAddress> listenAddress = Optional.ofNullable(listen).map(StartCommand::hostPort);
        return new NodeConfig(net, dir, listenAddress, Optional.ofNullable(database), noConnect,
                Duration.ofSeconds(defaultTimeout), connect, simulatedPayments, maxPending, maxInbound,
                Duration.ofSeconds(handshakeTimeout))
                .withOnionMessageLimits(new OnionMessageLimits(onionBurst, Duration.ofMillis(onionIntervalMs)))
                .withRelay(relay)
                .withRpcLimits(new JsonRpcServer.Limits(rpcMaxRequestBytes, rpcMaxConcurrent, rpcMaxConnections))
                .withMaxMessageLength(maxMessageLength)
                .withGossip(gossip());
    }

    private GossipConfig gossip() {
        try {
            return GossipConfig.defaults().withSyncPeers(gossipSyncPeers).withCaps(gossipMaxChannels, gossipMaxNodes);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--gossip-sync-peers, --gossip-max-channels, --gossip-max-nodes: " + e.getMessage());
        }
    }

    static InetSocketAddress hostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException("--listen " + s + ": expected HOST:PORT");
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(s.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException e) {
            throw new ConfigException("--listen " + s + ": bad port");
        }
    }

    private Node.Host host(ChainTip tip) {
        return Node.Host.of(simulatedPayments, tip, invoice -> Optional.empty(), new SecureRandom());
    }

    /**
     * Where the block height comes from: the URL if given (--block-height, else the estimate, until it
     * answers); else --block-height; else regtest's 0, or the network's checkpoint estimate.
     */
    ChainTip chainTip(Network network) {
        if (blockHeightUrl != null) {
            String scheme = String.valueOf(blockHeightUrl.getScheme());
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new ConfigException("--block-height-url " + blockHeightUrl + ": expected an http or https URL");
            }
            dev.boltflow.core.sendinvoice.BlockHeight fallback = blockHeight != null ? ChainTip.fixed(blockHeight)
                    : network == Network.REGTEST ? ChainTip.fixed(0) : ChainTip.estimate(network, Clock.systemUTC());
            return ChainTip.polling(blockHeightUrl, fallback, reactor.core.scheduler.Schedulers.parallel());
        }
        if (blockHeight != null) {
            return ChainTip.fixed(blockHeight);
        }
        return network == Network.REGTEST ? ChainTip.fixed(0) : ChainTip.estimate(network, Clock.systemUTC());
    }

    private static String versionString() {
        String v = StartCommand.class.getPackage().getImplementationVersion();
        return "boltflow-" + (v == null ? "dev" : v);
    }

    /**
     * Supplies option values from the configuration files for options the command line left out.
     * The data directory and network are found in {@code args} first, since they say where the
     * files are.
     */
    static final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
        private final ConfigFile base;
        private final ConfigFile perNetwork;

        ConfigDefaults(ConfigFile base, ConfigFile perNetwork) {
            this.base = base;
            this.perNetwork = perNetwork;
        }

        static ConfigDefaults forArgs(String[] args, Set<String> known) {
            String dir = argValue(args, "--data-dir");
            Path dataDir = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".boltflow");
            ConfigFile base = ConfigFile.read(dataDir.resolve("config"), known);
            String net = argValue(args, "--network");
            if (net == null && base.has("network")) {
                net = base.values("network").get(base.values("network").size() - 1);
            }
            Network network = Network.parse(net == null ? "bitcoin" : net);
            return new ConfigDefaults(base, ConfigFile.read(dataDir.resolve(network.cliName()).resolve("config"), known));
        }

        private static String argValue(String[] args, String name) {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals(name) && i + 1 < args.length) {
                    return args[i + 1];
                }
                if (args[i].startsWith(name + "=")) {
                    return args[i].substring(name.length() + 1);
                }
            }
            return null;
        }

        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            String name = option.longestName().replaceFirst("^--", "");
            for (ConfigFile f : List.of(perNetwork, base)) {
                if (f.has(name)) {
                    List<String> values = f.values(name);
                    String v = option.isMultiValue() ? String.join(",", values) : values.get(values.size() - 1);
                    return v.isEmpty() && option.type() == boolean.class ? "true" : v;
                }
            }
            return null;
        }
    }

    /** The option names a config file may use: the long options without their dashes. */
    static Set<String> optionNames(CommandSpec spec) {
        Set<String> names = new HashSet<>();
        for (OptionSpec o : spec.options()) {
            names.add(o.longestName().replaceFirst("^--", ""));
        }
        return names;
    }
}
