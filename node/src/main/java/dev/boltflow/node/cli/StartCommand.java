package dev.boltflow.node.cli;

import dev.boltflow.core.gossip.GraphLimits;
import dev.boltflow.node.BuildInfo;
import dev.boltflow.node.Node;
import dev.boltflow.node.chain.ChainTip;
import dev.boltflow.node.config.ConfigException;
import dev.boltflow.node.config.ConfigFile;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.node.gossip.GossipConfig;
import dev.boltflow.node.config.PeerAddress;
import dev.boltflow.node.messaging.OnionMessageLimits;
import dev.boltflow.node.metrics.PrometheusEndpoint;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import java.util.concurrent.TimeUnit;
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
 * error at start-up. {@code stop}, SIGTERM and SIGINT run the same bounded shutdown and exit 0.
 */
@Command(name = "start",
        description = {"Run a boltflow node: BOLT 8 peers, onion messages, sendinvoice and invoicerequest, "
                + "JSON-RPC on DIR/NETWORK/lightning-rpc."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            " 0:stopped cleanly (stop, SIGTERM, SIGINT)",
            " 1:could not start, or a bad option (the message says why)",
            "64:usage error"})
public final class StartCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(StartCommand.class);
    /** How long answers being written get before the RPC server closes on stop. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);
    /** The longest a shutdown may take (RPC, node, store); past it a signalled process exits 1. */
    static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    Secp256k1Option secp256k1 = new Secp256k1Option();

    @Option(names = "--network", paramLabel = "NETWORK", defaultValue = "bitcoin", converter = OptionTypes.NetworkName.class,
            description = "bitcoin, testnet, signet or regtest")
    Network network;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.boltflow",
            description = "Where the key, the database and the RPC socket live (in DIR/NETWORK)")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = OptionTypes.HostPort.class,
            description = "Accept BOLT 8 connections here (default: none, the node only dials)")
    InetSocketAddress listen;

    @Option(names = "--database", paramLabel = "R2DBC-URL",
            description = "r2dbc:postgresql://… for production (default: the embedded H2 file DIR/NETWORK/invoices)")
    String database;

    @Option(names = "--fetchinvoice-noconnect", defaultValue = "false",
            description = "Never connect to a node just to send it an onion message (default: off)")
    boolean noConnect;

    @Option(names = "--default-timeout", paramLabel = "SECONDS", defaultValue = "90 s", converter = OptionTypes.Seconds.class,
            description = "sendinvoice timeout when the call gives none")
    Duration defaultTimeout;

    @Option(names = "--connect", paramLabel = "ID@HOST:PORT", split = ",",
            description = "Peer to connect to at start (repeatable; default: none)")
    List<String> connect = new ArrayList<>();

    @Option(names = "--max-pending-invoices", paramLabel = "N", defaultValue = "100000",
            converter = OptionTypes.AtLeastOne.class, description = "sendinvoice calls waiting at once")
    int maxPending;

    @Option(names = "--max-inbound-connections", paramLabel = "N", defaultValue = "256",
            converter = OptionTypes.AtLeastOne.class, description = "Accepted BOLT 8 connections at once")
    int maxInbound;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", defaultValue = "10 s",
            converter = OptionTypes.Seconds.class, description = "BOLT 8 handshake deadline")
    Duration handshakeTimeout;

    @Option(names = "--simulated-payments", defaultValue = "false",
            description = "Pay and get paid over boltflow's channel-less simulated link (tests and demos only; logged; "
                    + "default: off)")
    boolean simulatedPayments;

    @Option(names = "--relay", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Relay onion messages for others to connected peers (default: on; --no-relay turns it off)")
    boolean relay;

    @Option(names = "--onion-message-burst", paramLabel = "N", defaultValue = "4", converter = OptionTypes.AtLeastOne.class,
            description = "Onion messages a peer connection may send at once (Core Lightning's default)")
    int onionBurst;

    @Option(names = "--onion-message-interval-ms", paramLabel = "MS", defaultValue = "250",
            converter = OptionTypes.Millis.class,
            description = "One more onion message per this many ms, per peer connection")
    Duration onionInterval;

    @Option(names = "--max-message-length", paramLabel = "BYTES", defaultValue = "65535",
            converter = OptionTypes.MessageLength.class,
            description = "Longest BOLT 8 message a peer may send (2 to 65535, BOLT 8's maximum); a longer one "
                    + "closes its connection")
    int maxMessageLength;

    @Option(names = "--rpc-max-request-bytes", paramLabel = "BYTES",
            defaultValue = "" + JsonRpcServer.DEFAULT_MAX_REQUEST_BYTES, converter = OptionTypes.RequestBytes.class,
            description = "Largest JSON-RPC request; a larger one is refused and its connection closed")
    int rpcMaxRequestBytes;

    @Option(names = "--rpc-max-concurrent-requests", paramLabel = "N",
            defaultValue = "" + JsonRpcServer.DEFAULT_MAX_CONCURRENT_REQUESTS, converter = OptionTypes.AtLeastOne.class,
            description = "JSON-RPC requests run at once per connection; more wait")
    int rpcMaxConcurrent;

    @Option(names = "--rpc-max-connections", paramLabel = "N", defaultValue = "" + JsonRpcServer.DEFAULT_MAX_CONNECTIONS,
            converter = OptionTypes.AtLeastOne.class,
            description = "JSON-RPC connections open at once; one more is answered with error -32000 and closed")
    int rpcMaxConnections;

    @Option(names = "--gossip-sync-peers", paramLabel = "N", defaultValue = "" + GossipConfig.DEFAULT_SYNC_PEERS,
            converter = OptionTypes.NonNegative.class,
            description = "Peers offering gossip_queries we ask for gossip with gossip_timestamp_filter (0: receive none)")
    long gossipSyncPeers;

    @Option(names = "--gossip-max-channels", paramLabel = "N", defaultValue = "" + GraphLimits.DEFAULT_MAX_CHANNELS,
            converter = OptionTypes.AtLeastOne.class,
            description = "Channels the channel graph keeps; beyond, new announcements are refused")
    int gossipMaxChannels;

    @Option(names = "--gossip-max-nodes", paramLabel = "N", defaultValue = "" + GraphLimits.DEFAULT_MAX_NODES,
            converter = OptionTypes.AtLeastOne.class,
            description = "Nodes the channel graph keeps")
    int gossipMaxNodes;

    @Option(names = "--block-height", paramLabel = "N", converter = OptionTypes.NonNegative.class,
            description = "The best block height, for our payment paths' max_cltv_expiry (the node has no chain "
                    + "backend). Default: read from --block-height-url if given; else on bitcoin an estimate from a "
                    + "checkpoint that errs high; on regtest 0; testnet and signet need this or --block-height-url")
    Long blockHeight;

    @Option(names = "--block-height-url", paramLabel = "URL",
            description = "An HTTP(S) URL that answers the best block height as plain text, e.g. Esplora's "
                    + "/blocks/tip/height; read at start and every 60 s (default: none)")
    java.net.URI blockHeightUrl;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", converter = OptionTypes.HostPort.class,
            description = "Serve Prometheus metrics (text format) at http://HOST:PORT/metrics (default: off)")
    InetSocketAddress metricsListen;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        // First: every key parsed from here on (--connect node ids too) uses the chosen provider.
        if (secp256k1.installOrReport(err).isEmpty()) {
            return 1;
        }
        NodeConfig config = config();
        ChainTip tip = chainTip(config.network());
        // A height URL is read once before the node starts (bounded by its read timeout).
        tip.firstRead().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(15));
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        SecureRandom random = new SecureRandom();
        Optional<PrometheusMeterRegistry> registry = Optional.ofNullable(metricsListen).map(a -> prometheus());
        Node node = null;
        JsonRpcServer rpc = null;
        PrometheusEndpoint metrics = null;
        try {
            node = (registry.isPresent() ? Node.start(config, host(tip), random, registry.get())
                    : Node.start(config, host(tip), random)).block(Duration.ofMinutes(2));
            Node started = node;
            rpc = JsonRpcServer.start(config.rpcFile(),
                    new NodeRpc(node, Clock.systemUTC(), stopped::countDown, BuildInfo.current().rpcVersion()).methods(),
                    config.rpcLimits())
                    .block(Duration.ofMinutes(1));
            if (registry.isPresent()) {
                metrics = PrometheusEndpoint.start(metricsListen, registry.get()).block(Duration.ofMinutes(1));
                LOG.info("metrics on http://{}:{}/metrics", metrics.address().getHostString(), metrics.address().getPort());
            }
            for (String peer : config.connect()) {
                connectAtStart(started, peer);
            }
        } catch (RuntimeException e) {
            shutDown(rpc, node, metrics, tip);
            err.println(Main.prefix(spec.commandLine()) + "could not start: " + rootMessage(e));
            err.flush();
            return 1;
        }
        // SIGTERM and SIGINT run the same shutdown as `stop`, on this thread: the hook releases the
        // wait, then holds the JVM until the cleanup is done (bounded) and ends it with exit 0.
        Thread hook = new Thread(() -> {
            stopped.countDown();
            boolean done = false;
            try {
                done = cleanedUp.await(SHUTDOWN_BOUND.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(done ? 0 : 1);
        }, "boltflow-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("block height {} ({})", tip.current(), tip.source());
        LOG.info("ready: {} on {}, rpc {}, secp256k1: {}", node.nodeId(), config.network().cliName(), config.rpcFile(),
                dev.boltflow.core.crypto.Secp256k1Providers.current().description());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException signalled) {
            LOG.info("signal received: stopping");
        }
        // Sends still waiting end now (-1, "the node is shutting down"), while their callers are
        // still connected; closing the RPC server cancels requests in flight, so the answers (and
        // the answer to `stop`) get a moment to leave first.
        node.sendInvoice().dispose();
        Mono.delay(STOP_GRACE).block();
        shutDown(rpc, node, metrics, tip);
        LOG.info("stopped");
        cleanedUp.countDown();
        return 0;
    }

    /** The one shutdown (stop, SIGTERM, SIGINT, a failed start): each part bounded, in reverse order. */
    private static void shutDown(JsonRpcServer rpc, Node node, PrometheusEndpoint metrics, ChainTip tip) {
        if (rpc != null) {
            rpc.close().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(10));
        }
        if (node != null) {
            node.stop().timeout(SHUTDOWN_BOUND.minusSeconds(10))
                    .doOnError(e -> LOG.warn("stopping the node: {}", e.toString()))
                    .onErrorResume(e -> Mono.empty())
                    .block();
        }
        if (metrics != null) {
            metrics.close();
        }
        tip.dispose();
    }

    /** The message of what went wrong, not of the wrappers {@code block()} puts around it. */
    private static String rootMessage(Throwable e) {
        Throwable t = reactor.core.Exceptions.unwrap(e);
        while (t.getCause() != null && (t.getMessage() == null || t.getClass() == RuntimeException.class)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** Prometheus's registry, with the JVM's own meters (memory, GC, threads, CPU) beside the node's. */
    private static PrometheusMeterRegistry prometheus() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(r);
        new JvmGcMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        return r;
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
        for (String peer : connect) {
            // Refuse a bad --connect before anything starts.
            try {
                if (PeerAddress.parse(peer).host().isEmpty()) {
                    throw new IllegalArgumentException("expected ID@HOST[:PORT]");
                }
            } catch (IllegalArgumentException e) {
                throw badValue("--connect", "'" + peer + "': " + e.getMessage());
            }
        }
        return new NodeConfig(network, dataDir, Optional.ofNullable(listen), Optional.ofNullable(database), noConnect,
                defaultTimeout, connect, simulatedPayments, maxPending, maxInbound, handshakeTimeout)
                .withOnionMessageLimits(new OnionMessageLimits(onionBurst, onionInterval))
                .withRelay(relay)
                .withRpcLimits(new JsonRpcServer.Limits(rpcMaxRequestBytes, rpcMaxConcurrent, rpcMaxConnections))
                .withMaxMessageLength(maxMessageLength)
                .withGossip(gossip());
    }

    private GossipConfig gossip() {
        if (gossipMaxNodes < 2) {
            throw badValue("--gossip-max-nodes", "must be at least 2 (a channel has two ends), got " + gossipMaxNodes);
        }
        try {
            return GossipConfig.defaults().withSyncPeers((int) Math.min(Integer.MAX_VALUE, gossipSyncPeers))
                    .withCaps(gossipMaxChannels, gossipMaxNodes);
        } catch (IllegalArgumentException e) {
            throw badValue("--gossip-max-channels", e.getMessage());
        }
    }

    /** A value the converters let through but the node cannot use: the same one-line error (exit 1). */
    private CommandLine.ParameterException badValue(String option, String problem) {
        return new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': "
                + problem, spec.findOption(option), null);
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
                throw badValue("--block-height-url", "'" + blockHeightUrl + "': expected an http or https URL");
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

        /** {@code FILE:LINE} of the config line that gives {@code option} its value, if one does. */
        Optional<String> origin(OptionSpec option) {
            String name = option.longestName().replaceFirst("^--", "");
            return perNetwork.has(name) ? perNetwork.origin(name) : base.origin(name);
        }

        static ConfigDefaults forArgs(String[] args, Set<String> known) {
            String dir = argValue(args, "--data-dir");
            Path dataDir = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".boltflow");
            ConfigFile base = ConfigFile.read(dataDir.resolve("config"), known);
            String net = argValue(args, "--network");
            if (net == null && base.has("network")) {
                net = base.values("network").get(base.values("network").size() - 1);
            }
            Network network;
            try {
                network = Network.parse(net == null ? "bitcoin" : net);
            } catch (IllegalArgumentException e) {
                network = Network.BITCOIN; // the option's converter reports the bad value itself
            }
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
