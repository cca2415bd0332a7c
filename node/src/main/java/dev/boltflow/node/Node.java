package dev.boltflow.node;

import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.payer.InvoiceRequestStore;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.payer.PaymentSender;
import dev.boltflow.core.payer.memory.InMemoryInvoiceRequestStore;
import dev.boltflow.core.sendinvoice.BlockHeight;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.gossip.ChannelGraph;
import dev.boltflow.core.gossip.FundingOutputs;
import dev.boltflow.core.gossip.GossipIngest;
import dev.boltflow.core.gossip.GraphLimits;
import dev.boltflow.core.gossip.GraphNetworkView;
import dev.boltflow.node.addressbook.PersistentNetworkView;
import dev.boltflow.node.gossip.FileGossipStore;
import dev.boltflow.node.gossip.GossipManager;
import dev.boltflow.core.payer.PayerMetrics;
import dev.boltflow.core.sendinvoice.SendInvoiceMetrics;
import dev.boltflow.node.config.DataDirectory;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.node.metrics.NodeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import dev.boltflow.node.config.NodeIdentity;
import dev.boltflow.node.messaging.PeerOnionMessenger;
import dev.boltflow.node.payments.SimulatedPaymentLink;
import dev.boltflow.node.store.R2dbcInvoiceStore;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One boltflow node: its key, its invoice store, its BOLT 8 peers, the onion messenger over them,
 * and the two use cases — {@link SendInvoice} (we are paid) and {@link Payer} (we pay). The JSON-RPC
 * server and the command line sit on top of this class; tests and embedders can use it directly.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** Longest sleep of the expiry sweeper, so invoices created meanwhile are seen. */
    private static final Duration MAX_SWEEP_WAIT = Duration.ofSeconds(60);

    private final NodeConfig config;
    private final PublicKey nodeId;
    private final R2dbcInvoiceStore store;
    private final NettyPeerManager peers;
    private final PersistentNetworkView network;
    private final GraphNetworkView view;
    private final GossipManager gossip;
    private final FileGossipStore gossipStore;
    private final PeerOnionMessenger messenger;
    private final SendInvoice sendInvoice;
    private final Payer payer;
    private final PaymentSender payments;
    private final Disposable expirySweeper;
    private final Optional<InetSocketAddress> listening;
    private final BlockHeight blockHeight;
    private final DataDirectory directory;
    private final Optional<NodeMetrics> metrics;

    private Node(NodeConfig config, PublicKey nodeId, R2dbcInvoiceStore store, NettyPeerManager peers,
            PersistentNetworkView network, GraphNetworkView view, GossipManager gossip, FileGossipStore gossipStore,
            PeerOnionMessenger messenger, SendInvoice sendInvoice, Payer payer,
            PaymentSender payments, Disposable expirySweeper, Optional<InetSocketAddress> listening,
            BlockHeight blockHeight, DataDirectory directory, Optional<NodeMetrics> metrics) {
        this.directory = directory;
        this.metrics = metrics;
        this.config = config;
        this.nodeId = nodeId;
        this.store = store;
        this.peers = peers;
        this.network = network;
        this.view = view;
        this.gossip = gossip;
        this.gossipStore = gossipStore;
        this.messenger = messenger;
        this.sendInvoice = sendInvoice;
        this.payer = payer;
        this.payments = payments;
        this.expirySweeper = expirySweeper;
        this.listening = listening;
        this.blockHeight = blockHeight;
    }

    /** What the host gives the node beyond its configuration. */
    public interface Host {
        /** The payment link: the host's HTLC layer, or the simulated link for tests and the demo. */
        PaymentSender paymentSender(NodeParts parts);

        /**
         * The feature bits of our {@code init}, given the transport's defaults: the simulated link
         * adds its own bit, so peers know they can be paid over it.
         */
        default Features initFeatures(Features defaults) {
            return defaults;
        }

        /** The best block height (the node has no chain backend of its own). */
        BlockHeight blockHeight();

        /** The payer's last say over invoices that pass every rule: empty pays, an error refuses. */
        default Function<Invoice, Optional<InvoiceError>> invoicePolicy() {
            return invoice -> Optional.empty();
        }

        /**
         * Opens (and migrates) the invoice store: by default the configured R2DBC URL, else the H2 file
         * {@code DIR/NETWORK/invoices}. Tests put a fault-injecting connection factory here.
         */
        default Mono<R2dbcInvoiceStore> openStore(NodeConfig config) {
            return config.database().isPresent()
                    ? R2dbcInvoiceStore.open(config.database().get())
                    : R2dbcInvoiceStore.openH2File(config.networkDir().resolve("invoices"));
        }

        /**
         * The chain check of {@code channel_announcement}s (BOLT 7). Without a chain source every
         * well-signed announcement is accepted, as LDK does without UTXO lookups (README, "Gossip").
         */
        default FundingOutputs fundingOutputs() {
            return FundingOutputs.unchecked();
        }

        /** Where the payer side keeps the invoice_requests it wrote (in memory by default). */
        default InvoiceRequestStore invoiceRequestStore() {
            return new InMemoryInvoiceRequestStore();
        }

        /**
         * A host whose payments go over the simulated link when {@code simulated} (tests, demos),
         * else nowhere: a node without channels or an HTLC layer cannot pay.
         */
        static Host of(boolean simulated, BlockHeight blockHeight, Function<Invoice, Optional<InvoiceError>> policy,
                SecureRandom random) {
            return new Host() {
                @Override
                public PaymentSender paymentSender(NodeParts parts) {
                    if (!simulated) {
                        return SimulatedPaymentLink.disabled();
                    }
                    return new SimulatedPaymentLink(parts.peers(), parts.messenger(), parts.nodeKey(), parts.network(),
                            parts.sendInvoice()::acceptPayment, blockHeight, SimulatedPaymentLink.Config.defaults(),
                            Schedulers.parallel(), Schedulers.parallel(), random);
                }

                @Override
                public Features initFeatures(Features defaults) {
                    return simulated ? SimulatedPaymentLink.advertise(defaults) : defaults;
                }

                @Override
                public BlockHeight blockHeight() {
                    return blockHeight;
                }

                @Override
                public Function<Invoice, Optional<InvoiceError>> invoicePolicy() {
                    return policy;
                }
            };
        }
    }

    /** The parts a {@link Host} may need to build its payment link. */
    public record NodeParts(PublicKey nodeId, PrivateKey nodeKey, NettyPeerManager peers, PeerOnionMessenger messenger,
            NetworkView network, SendInvoice sendInvoice) {
    }

    /**
     * Starts a node without metrics: see {@link #start(NodeConfig, Host, SecureRandom, MeterRegistry)}.
     */
    public static Mono<Node> start(NodeConfig config, Host host, SecureRandom random) {
        return start(config, host, random, Optional.empty());
    }

    /**
     * Starts a node whose meters ({@link NodeMetrics}, tagged with its node id) go to {@code registry};
     * they are removed from it when the node stops.
     */
    public static Mono<Node> start(NodeConfig config, Host host, SecureRandom random, MeterRegistry registry) {
        return start(config, host, random, Optional.of(Objects.requireNonNull(registry, "registry")));
    }

    /**
     * Locks its directory ({@link DataDirectory}: a second node on it is refused before anything
     * there is touched), loads or creates its key, opens its address book, opens (and migrates) its
     * store, makes every file there owner-only, listens if asked, and wires the use cases. A start
     * that fails releases the directory and removes a key it created. Blocking start-up work runs
     * on {@code boundedElastic}.
     */
    private static Mono<Node> start(NodeConfig config, Host host, SecureRandom random, Optional<MeterRegistry> registry) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(host, "host");
        return Mono.fromCallable(() -> {
                    // The secp256k1 provider is picked (libsecp256k1 loaded from a file) here, on
                    // boundedElastic, before anything runs on an event loop or the parallel scheduler.
                    dev.boltflow.core.crypto.Secp256k1Providers.current();
                    return DataDirectory.lock(config.networkDir());
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(directory -> {
                    Path keyFile = config.networkDir().resolve(NodeIdentity.FILE_NAME);
                    boolean freshKey = !Files.exists(keyFile);
                    return Mono.fromCallable(() -> NodeIdentity.loadOrCreate(config.networkDir(), random))
                            .flatMap(key -> PersistentNetworkView.open(
                                    config.networkDir().resolve(PersistentNetworkView.FILE_NAME)).flatMap(network ->
                                    openGraph(config).flatMap(graph -> host.openStore(config)
                                            .flatMap(store -> Mono.fromRunnable(directory::restrictFiles)
                                                    .subscribeOn(Schedulers.boundedElastic())
                                                    .then(assemble(config, host, random, key, store, network, graph,
                                                            directory, registry.map(r -> new NodeMetrics(r,
                                                                    key.publicKey().toHex()))))
                                                    .onErrorResume(e -> store.close().then(Mono.error(e))))
                                            .onErrorResume(e -> graph.store().close().then(Mono.error(e))))))
                            .onErrorResume(e -> Mono.fromRunnable(() -> {
                                if (freshKey) {
                                    deleteQuietly(keyFile); // a failed first start leaves no identity behind
                                }
                                directory.close();
                            }).subscribeOn(Schedulers.boundedElastic()).then(Mono.error(e)));
                });
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            LOG.warn("could not remove {} after a failed start: {}", file, e.getMessage());
        }
    }

    /** The graph and its store, read back from {@code DIR/NETWORK/gossip_store}. */
    private record OpenedGraph(ChannelGraph graph, FileGossipStore store, boolean compact) {
    }

    /**
     * Reads the gossip store into a fresh graph (our own file: signatures are not checked again,
     * every other rule is), prunes what went stale while we were away, on {@code boundedElastic}.
     */
    private static Mono<OpenedGraph> openGraph(NodeConfig config) {
        GraphLimits limits = GraphLimits.defaults(config.network().chainHash())
                .withMaxChannels(config.gossip().maxChannels()).withMaxNodes(config.gossip().maxNodes());
        return FileGossipStore.open(config.networkDir().resolve(FileGossipStore.FILE_NAME), Schedulers.boundedElastic())
                .map(opened -> {
                    ChannelGraph graph = new ChannelGraph(limits);
                    long now = Clock.systemUTC().millis() / 1000;
                    for (byte[] m : opened.messages()) {
                        graph.restore(m, now);
                    }
                    graph.prune(now, -1);
                    LOG.info("gossip store read: {} records, {}", opened.messages().size(), graph);
                    return new OpenedGraph(graph, opened.store(), opened.damaged());
                });
    }

    private static Mono<Node> assemble(NodeConfig config, Host host, SecureRandom random, PrivateKey key,
            R2dbcInvoiceStore store, PersistentNetworkView network, OpenedGraph opened, DataDirectory directory,
            Optional<NodeMetrics> metrics) {
        TransportConfig transport = TransportConfig.defaults()
                .withFeatures(host.initFeatures(TransportConfig.DEFAULT_FEATURES))
                .withChainHash(config.network().chainHash())
                .withHandshakeTimeout(config.handshakeTimeout())
                .withMaxInboundConnections(config.maxInboundConnections())
                .withMaxMessageLength(config.maxMessageLength());
        NettyPeerManager peers = NettyPeerManager.create(key, transport);
        Mono<Optional<InetSocketAddress>> listen = config.listen().isPresent()
                ? peers.listen(config.listen().get()).map(Optional::of)
                : Mono.just(Optional.empty());
        return listen.map(bound -> {
            Scheduler cpu = Schedulers.parallel();
            ChannelGraph graph = opened.graph();
            GossipIngest ingest = new GossipIngest(graph, host.fundingOutputs(), Clock.systemUTC(), cpu,
                    config.gossip().verifyParallelism());
            GossipManager gossip = new GossipManager(graph, ingest, Optional.of(opened.store()), config.gossip(),
                    Clock.systemUTC(), Schedulers.parallel(), cpu);
            gossip.compactIfLarge(opened.store()).subscribe(null, e -> LOG.warn("rewriting the gossip store: {}", e.toString()));
            GraphNetworkView view = new GraphNetworkView(graph, network);
            PeerOnionMessenger messenger = new PeerOnionMessenger(peers, key, view, config.fetchInvoiceNoconnect(),
                    config.onionMessageLimits(), cpu, cpu, random, gossip).relaying(config.relay());
            LocalNodeSigner signer = new LocalNodeSigner(key, random);
            SendInvoiceConfig sendConfig = SendInvoiceConfig.defaults(config.network().chainHash())
                    .withMaxPending(config.maxPendingInvoices());
            SendInvoice sendInvoice = new SendInvoice(sendConfig, store, messenger, signer, host.blockHeight(),
                    Clock.systemUTC(), Schedulers.parallel(), cpu, random,
                    metrics.map(NodeMetrics::sendInvoice).orElse(SendInvoiceMetrics.NONE));
            PaymentSender payments = host.paymentSender(new NodeParts(key.publicKey(), key, peers, messenger, view,
                    sendInvoice));
            Payer payer = new Payer(config.network().chainHash(), () -> pathIntermediates(bound, peers), signer,
                    host.invoiceRequestStore(), messenger, payments, host.invoicePolicy(), Clock.systemUTC(),
                    cpu, random, Payer.Limits.defaults(), metrics.map(NodeMetrics::payer).orElse(PayerMetrics.NONE));
            metrics.ifPresent(m -> m.bind(sendInvoice, messenger, peers));
            Disposable sweeper = expirySweeper(store, Clock.systemUTC()).subscribe();
            LOG.info("node {} on {} started{}", key.publicKey(), config.network().cliName(),
                    bound.map(a -> ", listening on " + a).orElse(""));
            return new Node(config, key.publicKey(), store, peers, network, view, gossip, opened.store(), messenger,
                    sendInvoice, payer, payments, sweeper, bound, host.blockHeight(), directory, metrics);
        }).onErrorResume(e -> peers.close().then(Mono.fromRunnable(() -> metrics.ifPresent(NodeMetrics::close)))
                .then(Mono.error(e)));
    }

    /**
     * BOLT 12: {@code invreq_paths} "as it would offer_paths": a node others can reach introduces its
     * own path; one that does not listen goes through a connected peer that relays onion messages.
     */
    private static List<PublicKey> pathIntermediates(Optional<InetSocketAddress> listening, NettyPeerManager peers) {
        if (listening.isPresent()) {
            return List.of();
        }
        for (PeerConnection c : peers.connections()) {
            if (c.isActive() && c.remoteInit().combinedFeatures().supports(Features.Feature.ONION_MESSAGES)) {
                return List.of(c.remoteNodeId());
            }
        }
        return List.of();
    }

    /**
     * Marks invoices expired when their time comes even when no sendinvoice waits for them (after a
     * restart, or once a caller cancelled): sleeps until the next expiry (at most a minute), expires
     * what is due, and again.
     */
    private static Mono<Void> expirySweeper(R2dbcInvoiceStore store, Clock clock) {
        return Mono.defer(() -> store.nextExpiry()
                        .map(at -> Duration.ofMillis(Math.max(0, at * 1000 - clock.millis())))
                        .defaultIfEmpty(MAX_SWEEP_WAIT)
                        .flatMap(wait -> Mono.delay(wait.compareTo(MAX_SWEEP_WAIT) > 0 ? MAX_SWEEP_WAIT : wait))
                        .then(Mono.defer(() -> store.expire(clock.millis() / 1000).then())))
                .onErrorResume(e -> {
                    LOG.warn("expiring invoices failed, trying again: {}", e.toString());
                    return Mono.delay(Duration.ofSeconds(5)).then();
                })
                .repeat()
                .then();
    }

    public PublicKey nodeId() {
        return nodeId;
    }

    public NodeConfig config() {
        return config;
    }

    public SendInvoice sendInvoice() {
        return sendInvoice;
    }

    public Payer payer() {
        return payer;
    }

    public R2dbcInvoiceStore store() {
        return store;
    }

    public NettyPeerManager peers() {
        return peers;
    }

    public PeerOnionMessenger messenger() {
        return messenger;
    }

    /** The address book: the addresses we dialled successfully, kept across restarts. */
    public PersistentNetworkView network() {
        return network;
    }

    /** The best block height the node works with (its host's). */
    public BlockHeight blockHeight() {
        return blockHeight;
    }

    /** What the messenger routes and dials with: the channel graph, then the address book. */
    public GraphNetworkView view() {
        return view;
    }

    /** The channel graph built from gossip (BOLT 7). */
    public ChannelGraph graph() {
        return view.graph();
    }

    public GossipManager gossip() {
        return gossip;
    }

    /** Where we accept BOLT 8 connections, if we do. */
    public Optional<InetSocketAddress> listening() {
        return listening;
    }

    /**
     * connect {@code id@host:port}: dials, exchanges {@code init}, and once that succeeded records
     * the address in the address book (a failure to write it is logged, the connection stands).
     */
    public Mono<PeerConnection> connect(PublicKey id, String host, int port) {
        NetworkView.Address address = new NetworkView.Address(host, port);
        return messenger.connect(id, InetSocketAddress.createUnresolved(host, port))
                .flatMap(c -> network.remember(id, address)
                        .onErrorResume(e -> {
                            LOG.warn("connected to {} at {} but could not record it: {}", id, address, e.getMessage());
                            return Mono.empty();
                        })
                        .thenReturn(c));
    }

    /**
     * connect {@code id} with no address: a live connection, or one dialled at the addresses its
     * {@code node_announcement} gave (then those in the address book). Fails with
     * {@link NoAddressException} when no address is known.
     */
    public Mono<PeerConnection> connect(PublicKey id) {
        return Mono.defer(() -> {
            if (peers.connection(id).isEmpty()
                    && view.node(id).map(n -> n.addresses().isEmpty()).orElse(true)) {
                return Mono.error(new NoAddressException(id));
            }
            return messenger.connect(id);
        });
    }

    /** No address is known for a node we were asked to connect to. */
    public static final class NoAddressException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoAddressException(PublicKey id) {
            super("no address known for " + id);
        }
    }

    /**
     * Stops everything, in the reverse order of start: sends still waiting end at once (-1), peers
     * close, gossip drains into its store, the stores close, their files are left owner-only, the
     * meters are removed and the directory is released. Once is enough: a second call finds
     * everything stopped.
     */
    public Mono<Void> stop() {
        return Mono.defer(() -> {
            expirySweeper.dispose();
            payer.dispose();
            if (payments instanceof Disposable d) {
                d.dispose();
            }
            sendInvoice.dispose();
            messenger.dispose();
            gossip.dispose();
            return peers.close().then(gossip.drain()).then(gossipStore.close()).then(store.close())
                    .then(Mono.fromRunnable(() -> {
                        metrics.ifPresent(NodeMetrics::close);
                        directory.restrictFiles();
                        directory.close();
                    }).subscribeOn(Schedulers.boundedElastic())).then();
        });
    }

    @Override
    public void close() {
        stop().block(Duration.ofSeconds(30));
    }
}
