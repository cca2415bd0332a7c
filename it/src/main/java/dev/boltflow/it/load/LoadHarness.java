package dev.boltflow.it.load;

import dev.boltflow.node.metrics.PrometheusEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.crypto.Secp256k1Providers;
import dev.boltflow.core.payer.OurInvoiceRequest;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.sendinvoice.InvoiceListQuery;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.StoredInvoice;
import dev.boltflow.it.load.Mix.Outcome;
import dev.boltflow.node.Node;
import dev.boltflow.node.cli.Secp256k1Option;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.node.messaging.OnionMessageLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Stream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The load harness: real nodes in this process ({@link Node}: BOLT 8 over loopback, a real invoice
 * store, the simulated payment link), and N {@code sendinvoice} calls from the payee to invoice
 * requests the payer wrote, at most C in flight, ending in a chosen mix of paid, {@code invoice_error}
 * (1004) and timeout (1005). Reports throughput, latency percentiles (HdrHistogram), CPU per send,
 * heap per pending invoice and outcomes by code, checks that every send resolved exactly once as
 * planned and that the store agrees, and writes it all as JSON.
 *
 * <pre>
 * java -cp it/target/boltflow-benchmarks.jar dev.boltflow.it.load.LoadHarness --invoices 10000 \
 *     --concurrency 64 --mix paid=90,error=5,timeout=5 --store memory \
 *     --onion-burst 100000 --onion-interval-ms 0.01 --out result.json
 * </pre>
 *
 * <p>Topology {@code intro} (the default, as the demo): payee, an introduction node, and a payer that
 * does not listen, whose {@code invreq_paths} start at the introduction node; the payee's invoices
 * are relayed by it, the payer pays (and sends {@code invoice_error}s) straight to the payee.
 * Topology {@code direct}: payee and a listening payer that introduces its own paths.
 *
 * <p>The invoice requests are written before the timed phase (their signing is the payer's work,
 * not sendinvoice's). Those meant to time out are disabled: the payer ignores their invoices.
 * Everything — three nodes and the harness — shares this process, so CPU per send counts both sides.
 */
@Command(name = "LoadHarness", mixinStandardHelpOptions = true,
        description = {"Drive N parallel sendinvoice calls between real in-process nodes and report JSON."})
public final class LoadHarness implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PAY = "boltflow load: pay";
    private static final String REFUSE = "boltflow load: refuse";
    private static final String SILENT = "boltflow load: silent";
    private static final long AMOUNT_MSAT = 100_000;
    /** Heap phase: sends started but not yet waiting, at most. */
    private static final int HEAP_AHEAD = 256;

    /** Which nodes take part. */
    public enum Topology {
        /** payee, introduction node, payer behind it (3 nodes) */
        intro,
        /** payee and a listening payer (2 nodes) */
        direct
    }

    /** Everything a run is made with. */
    public record Config(int invoices, int concurrency, Mix mix, long seed, Topology topology, String store,
            Duration timeout, Duration sendTimeout, OnionMessageLimits onionLimits, int warmup, int heapPending,
            boolean progress, Optional<InetSocketAddress> metricsListen) {
        public Config {
            java.util.Objects.requireNonNull(metricsListen, "metricsListen");
            if (invoices < 1 || concurrency < 1 || warmup < 0 || heapPending < 0) {
                throw new IllegalArgumentException("invoices and concurrency must be positive, warm-up and heap pending not negative");
            }
        }

        /** CI's run: 200 sends, 16 in flight, 90/5/5, intro topology, H2 file, raised limits, 1 s timeouts, no warm-up, 50 held pending for the heap figure. */
        public static Config small() {
            return new Config(200, 16, Mix.parse("paid=90,error=5,timeout=5"), 1, Topology.intro, "h2",
                    Duration.ofSeconds(1), Duration.ofSeconds(60), raisedLimits(), 0, 50, false, Optional.empty());
        }

        /** Serves the nodes' meters as Prometheus text at {@code address} while the run lasts. */
        public Config withMetricsListen(InetSocketAddress address) {
            return new Config(invoices, concurrency, mix, seed, topology, store, timeout, sendTimeout, onionLimits,
                    warmup, heapPending, progress, Optional.of(address));
        }

        public Config withStore(String s) {
            return new Config(invoices, concurrency, mix, seed, topology, s, timeout, sendTimeout, onionLimits,
                    warmup, heapPending, progress, metricsListen);
        }

        public Config withTopology(Topology t) {
            return new Config(invoices, concurrency, mix, seed, t, store, timeout, sendTimeout, onionLimits,
                    warmup, heapPending, progress, metricsListen);
        }
    }

    /** A limit that no run of the harness reaches: a burst of 100,000, then one every 10 µs. */
    public static OnionMessageLimits raisedLimits() {
        return new OnionMessageLimits(100_000, Duration.ofNanos(10_000));
    }

    /**
     * What a run found. {@code json} is the whole report; the rest repeats its checks for tests.
     *
     * @param byOutcome   completed sends by "paid" or error code (as strings)
     * @param expected    what the mix asked for, same keys
     * @param asPlanned   sends whose outcome was the one planned for them
     * @param resolvedExactlyOnce every send's Mono ended exactly once
     * @param paidInStore planned-paid invoices found {@code paid} in the payee's store
     * @param distinctPayIndexes distinct {@code pay_index} values among them
     * @param pendingAfter sendinvoice calls the payee still counted as pending at the end
     * @param nodesClosed every node stopped without error
     */
    public record Result(ObjectNode json, Map<String, Integer> byOutcome, Map<String, Integer> expected, int asPlanned,
            boolean resolvedExactlyOnce, int paidInStore, int distinctPayIndexes, int expiredInStore, int pendingAfter,
            boolean nodesClosed) {
    }

    // ---- command line

    @Option(names = "--invoices", defaultValue = "1000", description = "sendinvoice calls in the timed phase (default: ${DEFAULT-VALUE})")
    int invoices;

    @Option(names = "--concurrency", defaultValue = "64", description = "at most this many in flight (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--mix", defaultValue = "paid=90,error=5,timeout=5",
            description = "weights of the outcomes paid, error (1004) and timeout (1005) (default: ${DEFAULT-VALUE})")
    String mix;

    @Option(names = "--seed", defaultValue = "1", description = "order of the outcomes (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--topology", defaultValue = "intro", description = "intro (3 nodes) or direct (2) (default: ${DEFAULT-VALUE})")
    Topology topology;

    @Option(names = "--store", defaultValue = "h2",
            description = "the payee's store: h2 (file, the node's default), memory (H2 in memory), or an R2DBC URL (default: ${DEFAULT-VALUE})")
    String store;

    @Option(names = "--timeout", defaultValue = "2", paramLabel = "SECONDS",
            description = "sendinvoice timeout of the sends meant to time out (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--send-timeout", defaultValue = "90", paramLabel = "SECONDS",
            description = "sendinvoice timeout of the other sends (default: ${DEFAULT-VALUE})")
    long sendTimeoutSeconds;

    @Option(names = "--onion-burst", description = "per-connection onion_message burst (default: the node's, 4)")
    Integer onionBurst;

    @Option(names = "--onion-interval-ms", description = "per-connection onion_message refill interval in ms, fractions allowed (default: the node's, 250)")
    Double onionIntervalMs;

    @Option(names = "--warmup", defaultValue = "500",
            description = "paid sends before the timed phase, not counted (JIT warm-up) (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--heap-pending", defaultValue = "1000",
            description = "sends held pending after the timed phase to measure heap per pending invoice; 0 skips (default: ${DEFAULT-VALUE})")
    int heapPending;

    @Option(names = "--out", description = "also write the JSON result to this file")
    Path out;

    @Option(names = "--quiet", description = "no progress line on stderr")
    boolean quiet;

    @CommandLine.Mixin
    Secp256k1Option secp256k1 = new Secp256k1Option();

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "serve the nodes' metrics as Prometheus text at http://HOST:PORT/metrics during the run (default: off)")
    String metricsListen;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new LoadHarness());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println(ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return 64;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        OnionMessageLimits defaults = OnionMessageLimits.defaults();
        Config config;
        try {
            OnionMessageLimits limits = new OnionMessageLimits(onionBurst != null ? onionBurst : defaults.burst(),
                    onionIntervalMs != null ? Duration.ofNanos(Math.round(onionIntervalMs * 1e6)) : defaults.refillInterval());
            config = new Config(invoices, concurrency, Mix.parse(mix), seed, topology, store,
                    Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(sendTimeoutSeconds), limits, warmup, heapPending,
                    !quiet, Optional.ofNullable(metricsListen).map(LoadHarness::hostPort));
        } catch (IllegalArgumentException e) {
            System.err.println("LoadHarness: " + e.getMessage());
            return 64;
        }
        try {
            secp256k1.install();
        } catch (Secp256k1Option.UnavailableException e) {
            System.err.println("LoadHarness: " + e.getMessage());
            return 1;
        }
        quietLogs();
        PrintWriter err = new PrintWriter(System.err, true);
        Result result = run(config, err);
        String text = JSON.writeValueAsString(result.json());
        System.out.println(text);
        if (out != null) {
            Files.writeString(out, text + "\n", StandardCharsets.UTF_8);
        }
        return result.json().path("checks").path("ok").asBoolean() ? 0 : 1;
    }

    private static InetSocketAddress hostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--metrics-listen: expected HOST:PORT, got '" + s + "'");
        }
        try {
            return new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--metrics-listen: bad port in '" + s + "'");
        }
    }

    private static void quietLogs() {
        if (System.getenv("BOLTFLOW_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.ERROR); // stdout carries the JSON result
        }
    }

    // ---- the run

    /** Runs the harness: starts the nodes, writes the requests, drives the sends, checks, closes. */
    public static Result run(Config config, PrintWriter err) throws IOException {
        return new Run(config, err, address -> { }).run();
    }

    /** As {@link #run(Config, PrintWriter)}; {@code metricsAt} is told where the metrics endpoint listens, once it does. */
    public static Result run(Config config, PrintWriter err, java.util.function.Consumer<InetSocketAddress> metricsAt)
            throws IOException {
        return new Run(config, err, metricsAt).run();
    }

    private static final class Run {
        final Config config;
        final PrintWriter err;
        final SecureRandom random = new SecureRandom();
        final String prefix;
        final List<Node> nodes = new ArrayList<>();
        final ObjectNode json = JSON.createObjectNode();

        final ConcurrentHistogram all = histogram();
        final Map<String, ConcurrentHistogram> byKey = new ConcurrentHashMap<>();
        final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        final AtomicInteger asPlanned = new AtomicInteger();
        final AtomicLong completed = new AtomicLong();
        final AtomicInteger inFlight = new AtomicInteger();

        final Map<String, LongAdder> payerEvents = new ConcurrentHashMap<>();
        final Map<String, Integer> paymentFailures = new ConcurrentHashMap<>();

        /** Every node's meters (tagged with its node id): printed in the JSON, served at --metrics-listen. */
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final java.util.function.Consumer<InetSocketAddress> metricsAt;
        final Map<String, String> roles = new ConcurrentHashMap<>();

        Run(Config config, PrintWriter err, java.util.function.Consumer<InetSocketAddress> metricsAt) {
            this.config = config;
            this.err = err;
            this.metricsAt = metricsAt;
            byte[] id = new byte[4];
            random.nextBytes(id);
            this.prefix = "load-" + HexFormat.of().formatHex(id) + "-";
        }

        Result run() throws IOException {
            Path root = Files.createTempDirectory("boltflow-load");
            PrometheusEndpoint endpoint = null;
            if (config.metricsListen().isPresent()) {
                endpoint = PrometheusEndpoint.start(config.metricsListen().get(), registry).block(WAIT);
                InetSocketAddress at = endpoint.address();
                err.println("# metrics on http://" + at.getHostString() + ":" + at.getPort() + "/metrics");
                metricsAt.accept(at);
            }
            Map<String, Integer> byOutcome = new TreeMap<>();
            Map<String, Integer> expected = new TreeMap<>();
            boolean exactlyOnce = false;
            int paidInStore = 0;
            int distinctPayIndexes = 0;
            int expiredInStore = 0;
            int pendingAfter = -1;
            boolean closed = false;
            try {
                describe();
                List<Outcome> plan = config.mix().plan(config.invoices(), config.seed());
                config.mix().counts(config.invoices()).forEach((o, c) -> expected.put(o.key(), c));

                long t = System.nanoTime();
                Node payee = start(root, "payee", true, true, invoice -> Optional.empty());
                Node intro = config.topology() == Topology.intro ? start(root, "intro", true, false, i -> Optional.empty()) : null;
                Node payer = start(root, "payer", config.topology() == Topology.direct, false, LoadHarness::payerPolicy);
                payer.payer().events().subscribe(this::onPayerEvent);
                if (intro != null) {
                    // The payer's invreq_paths start at the node it is connected to (as in the demo).
                    connect(payer, intro);
                }
                double startSeconds = (System.nanoTime() - t) / 1e9;

                t = System.nanoTime();
                List<String> invreqs = invoiceRequests(payer, plan);
                List<String> warmups = invoiceRequests(payer, java.util.Collections.nCopies(config.warmup(), Outcome.paid));
                String silent = invoiceRequests(payer, List.of(Outcome.timeout)).get(0);
                double invreqSeconds = (System.nanoTime() - t) / 1e9;
                // Connected before the clock starts: the payee to the path's introduction node, the
                // payer to the payee (it pays and sends invoice_errors there).
                connect(payee, intro != null ? intro : payer);
                remember(payer, payee);
                if (intro != null) {
                    connect(payer, payee);
                }
                ObjectNode setup = json.putObject("setup");
                setup.put("nodes_started_s", round(startSeconds, 3));
                setup.put("invoice_requests_written_before_timed_phase", config.invoices() + config.warmup() + 1);
                setup.put("invoice_requests_s", round(invreqSeconds, 3));
                setup.put("warmup_sends", config.warmup());
                setup.put("warmup_paid", warmup(payee, warmups));

                AtomicIntegerArray resolved = timedPhase(payee, plan, invreqs);
                exactlyOnce = true;
                for (int i = 0; i < resolved.length(); i++) {
                    exactlyOnce &= resolved.get(i) == 1;
                }
                outcomes.forEach((k, v) -> byOutcome.put(k, v.intValue()));

                if (config.heapPending() > 0) {
                    heapPhase(payee, silent);
                }

                // The store agrees: every planned-paid invoice paid once, with its own pay_index;
                // every timed-out one expired.
                Set<Long> payIndexes = new HashSet<>();
                Map<String, StoredInvoice> stored = new ConcurrentHashMap<>();
                payee.store().list(InvoiceListQuery.all())
                        .filter(s -> s.label().startsWith(prefix + "s"))
                        .doOnNext(s -> stored.put(s.label(), s))
                        .blockLast(WAIT.multipliedBy(5));
                for (int i = 0; i < plan.size(); i++) {
                    StoredInvoice s = stored.get(label(i));
                    if (s == null) {
                        continue;
                    }
                    if (plan.get(i) == Outcome.paid && s.status() == InvoiceStatus.PAID && s.payIndex().isPresent()) {
                        paidInStore++;
                        payIndexes.add(s.payIndex().getAsLong());
                    }
                    if (plan.get(i) == Outcome.timeout && s.status() == InvoiceStatus.EXPIRED) {
                        expiredInStore++;
                    }
                }
                distinctPayIndexes = payIndexes.size();
                pendingAfter = payee.sendInvoice().pending();
                ObjectNode messages = json.putObject("onion_messages");
                for (Node n : nodes) {
                    ObjectNode m = messages.putObject(n.config().dataDir().getFileName().toString());
                    m.put("delivered", n.messenger().delivered());
                    m.put("relayed", n.messenger().relayed());
                    m.put("rate_limited", n.messenger().rateLimited());
                    m.put("dropped", n.messenger().dropped());
                }
                json.set("metrics", metrics());
                ObjectNode payerJson = json.putObject("payer_events");
                payerEvents.forEach((k, v) -> payerJson.put(k, v.longValue()));
                if (!paymentFailures.isEmpty()) {
                    payerJson.set("payment_failures", JSON.valueToTree(new TreeMap<>(paymentFailures)));
                }
            } finally {
                closed = closeAll();
                deleteTree(root);
                if (endpoint != null) {
                    endpoint.close();
                }
            }

            ObjectNode outcomeJson = json.putObject("outcomes");
            outcomeJson.set("expected", JSON.valueToTree(expected));
            outcomeJson.set("by_code", JSON.valueToTree(byOutcome));
            Map<String, Integer> errors = new TreeMap<>(byOutcome);
            errors.remove("paid");
            outcomeJson.set("errors_by_code", JSON.valueToTree(errors));
            outcomeJson.put("as_planned", asPlanned.get());

            ObjectNode checks = json.putObject("checks");
            checks.put("resolved_exactly_once", exactlyOnce);
            checks.put("outcomes_match_mix", byOutcome.equals(expected));
            checks.put("every_send_as_planned", asPlanned.get() == config.invoices());
            int paidPlanned = expected.getOrDefault("paid", 0);
            checks.put("paid_in_store", paidInStore);
            checks.put("distinct_pay_index", distinctPayIndexes);
            checks.put("expired_in_store", expiredInStore);
            checks.put("pending_after", pendingAfter);
            checks.put("nodes_closed", closed);
            boolean ok = exactlyOnce && byOutcome.equals(expected) && asPlanned.get() == config.invoices()
                    && paidInStore == paidPlanned && distinctPayIndexes == paidPlanned
                    && expiredInStore == expected.getOrDefault("1005", 0) && pendingAfter == 0 && closed;
            checks.put("ok", ok);
            return new Result(json, byOutcome, expected, asPlanned.get(), exactlyOnce, paidInStore, distinctPayIndexes,
                    expiredInStore, pendingAfter, closed);
        }

        void describe() {
            json.put("harness", "dev.boltflow.it.load.LoadHarness");
            json.put("started_at", Instant.now().toString());
            ObjectNode machine = json.putObject("machine");
            machine.put("cpus", Runtime.getRuntime().availableProcessors());
            machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            machine.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
            ObjectNode c = json.putObject("config");
            c.put("invoices", config.invoices());
            c.put("concurrency", config.concurrency());
            c.put("mix", config.mix().toString());
            c.put("seed", config.seed());
            c.put("topology", config.topology().name());
            c.put("nodes", config.topology() == Topology.intro ? 3 : 2);
            c.put("payee_store", storeDescription(config.store()));
            c.put("secp256k1", Secp256k1Providers.current().name());
            c.put("timeout_s", config.timeout().toSeconds());
            c.put("send_timeout_s", config.sendTimeout().toSeconds());
            ObjectNode limits = c.putObject("onion_message_limit_per_connection");
            limits.put("burst", config.onionLimits().burst());
            limits.put("refill_interval_ms", config.onionLimits().refillInterval().toNanos() / 1e6);
            limits.put("is_node_default", config.onionLimits().equals(OnionMessageLimits.defaults()));
            c.put("warmup_sends", config.warmup());
            c.put("heap_pending", config.heapPending());
            c.put("payment_link", "simulated (boltflow-private messages over BOLT 8)");
            c.put("cpu_accounting", "whole process: every node and the harness");
            c.put("metrics_listen", config.metricsListen().map(a -> a.getHostString() + ":" + a.getPort()).orElse("off"));
        }

        Node start(Path root, String name, boolean listen, boolean isPayee, Function<Invoice, Optional<InvoiceError>> policy) {
            NodeConfig c = NodeConfig.defaults(Network.REGTEST, root.resolve(name))
                    .withSimulatedPayments(true)
                    .withOnionMessageLimits(config.onionLimits());
            if (listen) {
                c = c.withListen(new InetSocketAddress("127.0.0.1", 0));
            }
            if (isPayee) {
                c = c.withMaxPendingInvoices(Math.max(c.maxPendingInvoices(), config.concurrency() + config.heapPending()));
                if (config.store().equals("memory")) {
                    c = c.withDatabase("r2dbc:h2:mem:///" + prefix + "payee?options=DB_CLOSE_DELAY=-1");
                } else if (!config.store().equals("h2")) {
                    c = c.withDatabase(config.store());
                }
            }
            Node node = Node.start(c, Node.Host.of(true, () -> 0, policy, random), random, registry).block(WAIT);
            roles.put(node.nodeId().toHex(), name);
            nodes.add(node);
            return node;
        }

        /**
         * The nodes' counters and gauges, as the node's Prometheus endpoint has them, by node:
         * {@code "boltflow.sendinvoice.outcomes outcome=paid": 180} (timers: their count; percentiles left out).
         */
        ObjectNode metrics() {
            Map<String, Map<String, Double>> byNode = new TreeMap<>();
            for (io.micrometer.core.instrument.Meter m : registry.getMeters()) {
                String role = roles.get(String.valueOf(m.getId().getTag("node")));
                String name = m.getId().getName();
                if (role == null || name.endsWith(".percentile")) {
                    continue;
                }
                StringBuilder key = new StringBuilder(name);
                m.getId().getTags().stream().filter(t -> !t.getKey().equals("node"))
                        .forEach(t -> key.append(' ').append(t.getKey()).append('=').append(t.getValue()));
                double v = 0;
                for (io.micrometer.core.instrument.Measurement x : m.measure()) {
                    if (x.getStatistic() == io.micrometer.core.instrument.Statistic.COUNT
                            || x.getStatistic() == io.micrometer.core.instrument.Statistic.VALUE) {
                        v = x.getValue();
                        break;
                    }
                }
                byNode.computeIfAbsent(role, r -> new TreeMap<>()).put(key.toString(), v);
            }
            ObjectNode out = JSON.createObjectNode();
            byNode.forEach((role, values) -> {
                ObjectNode n = out.putObject(role);
                values.forEach((k, v) -> {
                    if (v == Math.rint(v)) {
                        n.put(k, v.longValue());
                    } else {
                        n.put(k, v);
                    }
                });
            });
            return out;
        }

        List<String> invoiceRequests(Node payer, List<Outcome> plan) {
            int parallel = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
            return Flux.range(0, plan.size())
                    .flatMapSequential(i -> {
                        Outcome o = plan.get(i);
                        String description = o == Outcome.paid ? PAY : o == Outcome.error ? REFUSE : SILENT;
                        Mono<OurInvoiceRequest> created = payer.payer().createInvoiceRequest(
                                Payer.Params.of(AMOUNT_MSAT, description));
                        return o == Outcome.timeout
                                ? created.flatMap(r -> payer.payer().disable(r.invreqId()).thenReturn(r))
                                : created;
                    }, parallel)
                    .map(OurInvoiceRequest::bolt12)
                    .collectList()
                    .block(WAIT.multipliedBy(1 + plan.size() / 1000));
        }

        /** Paid sends before the clock starts, so the JIT has compiled the hot paths; returns how many were paid. */
        long warmup(Node payee, List<String> invreqs) {
            Long paid = Flux.range(0, invreqs.size())
                    .flatMap(i -> payee.sendInvoice().send(SendInvoiceRequest.of(invreqs.get(i), prefix + "warm-" + i)
                                    .withTimeout(config.sendTimeout()))
                            .onErrorResume(e -> Mono.empty()), config.concurrency())
                    .count()
                    // Each send ends within its timeout and at most `concurrency` run at once, so the
                    // whole warm-up ends within one timeout per wave (slow when the onion-message
                    // limit is the node default and throttles every wave).
                    .block(config.sendTimeout().multipliedBy(2L + invreqs.size() / Math.max(1, config.concurrency()))
                            .plus(WAIT));
            return paid == null ? 0 : paid;
        }

        AtomicIntegerArray timedPhase(Node payee, List<Outcome> plan, List<String> invreqs) {
            int n = plan.size();
            AtomicIntegerArray resolved = new AtomicIntegerArray(n);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread th = new Thread(r, "load-progress");
                th.setDaemon(true);
                return th;
            });
            long t0 = System.nanoTime();
            AtomicLong lastDone = new AtomicLong();
            if (config.progress()) {
                ticker.scheduleAtFixedRate(() -> {
                    long done = completed.get();
                    err.printf(Locale.ROOT, "[%6.1fs] %d/%d done, %d in flight, %d/s in the last second, %s%n",
                            (System.nanoTime() - t0) / 1e9, done, n, inFlight.get(), done - lastDone.getAndSet(done),
                            new TreeMap<>(outcomes));
                }, 1, 1, TimeUnit.SECONDS);
            }
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long[] gc0 = gc();
            long start = System.nanoTime();
            Duration longest = config.timeout().compareTo(config.sendTimeout()) > 0 ? config.timeout() : config.sendTimeout();
            try {
                Flux.range(0, n)
                        .flatMap(i -> send(payee, i, plan.get(i), invreqs.get(i), resolved), config.concurrency())
                        .blockLast(longest.multipliedBy(2).plus(WAIT).plus(Duration.ofMillis(n * 100L)));
            } finally {
                ticker.shutdownNow();
            }
            long elapsed = System.nanoTime() - start;
            long cpu = os.getProcessCpuTime() - cpu0;
            long[] gc1 = gc();

            ObjectNode timed = json.putObject("timed_phase");
            timed.put("completed", completed.get());
            timed.put("duration_s", round(elapsed / 1e9, 3));
            timed.put("throughput_per_s", round(completed.get() / (elapsed / 1e9), 1));
            ObjectNode latency = timed.putObject("latency_ms");
            latency.set("all", percentiles(all));
            new TreeMap<>(byKey).forEach((k, h) -> latency.set(k, percentiles(h)));
            ObjectNode cpuJson = timed.putObject("cpu");
            cpuJson.put("process_cpu_s", round(cpu / 1e9, 3));
            cpuJson.put("cpu_ms_per_send", round(cpu / 1e6 / Math.max(1, completed.get()), 3));
            cpuJson.put("utilisation_of_all_cpus", round(cpu / (double) elapsed / Runtime.getRuntime().availableProcessors(), 3));
            ObjectNode gcJson = timed.putObject("gc");
            gcJson.put("collections", gc1[0] - gc0[0]);
            gcJson.put("time_ms", gc1[1] - gc0[1]);
            return resolved;
        }

        Mono<String> send(Node payee, int i, Outcome planned, String invreq, AtomicIntegerArray resolved) {
            return Mono.defer(() -> {
                inFlight.incrementAndGet();
                long start = System.nanoTime();
                Duration timeout = planned == Outcome.timeout ? config.timeout() : config.sendTimeout();
                return payee.sendInvoice().send(SendInvoiceRequest.of(invreq, label(i)).withTimeout(timeout))
                        .doOnEach(s -> {
                            if (s.isOnNext() || s.isOnError()) {
                                resolved.incrementAndGet(i);
                            }
                        })
                        .map(r -> r.status() == InvoiceStatus.PAID ? "paid" : "status-" + r.status())
                        .onErrorResume(SendInvoiceException.class, e -> Mono.just(Integer.toString(e.code())))
                        .onErrorResume(e -> Mono.just("exception-" + e.getClass().getSimpleName()))
                        .doOnNext(key -> {
                            long micros = (System.nanoTime() - start) / 1000;
                            all.recordValue(Math.min(micros, all.getHighestTrackableValue()));
                            ConcurrentHistogram h = byKey.computeIfAbsent(key, k -> histogram());
                            h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
                            outcomes.computeIfAbsent(key, k -> new LongAdder()).increment();
                            if (key.equals(planned.key())) {
                                asPlanned.incrementAndGet();
                            }
                            completed.incrementAndGet();
                        })
                        .doFinally(s -> inFlight.decrementAndGet());
            });
        }

        /**
         * Heap per pending invoice: K sends to one request the payer ignores, each stored and waiting;
         * live heap after a full GC with them pending, against before. Includes everything the
         * process holds for them: the waiter, the stored invoice (in the heap for an in-memory store).
         */
        void heapPhase(Node payee, String silent) {
            int k = config.heapPending();
            long before = liveHeap();
            List<Disposable> held = new ArrayList<>(k);
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            AtomicInteger failed = new AtomicInteger();
            long deadline = System.nanoTime() + WAIT.multipliedBy(1 + k / 500).toNanos();
            for (int i = 0; i < k; i++) {
                // At most HEAP_AHEAD not yet waiting: firing all at once overflows the 4 MiB queue to the peer.
                while (payee.sendInvoice().waiters() + failed.get() < i - HEAP_AHEAD && System.nanoTime() < deadline) {
                    pause(5);
                }
                held.add(payee.sendInvoice().send(SendInvoiceRequest.of(silent, prefix + "heap-" + i)
                                .withTimeout(Duration.ofHours(1)))
                        .subscribe(r -> { }, e -> {
                            failed.incrementAndGet();
                            failures.merge(e instanceof SendInvoiceException x ? Integer.toString(x.code())
                                    : e.getClass().getSimpleName(), 1, Integer::sum);
                        }));
            }
            while (payee.sendInvoice().waiters() + failed.get() < k && System.nanoTime() < deadline) {
                pause(50);
            }
            pause(500); // let the last onion messages leave the queues
            int waiting = payee.sendInvoice().waiters();
            long after = liveHeap();
            int stillWaiting = payee.sendInvoice().waiters();
            held.forEach(Disposable::dispose);
            while (payee.sendInvoice().pending() > 0 && System.nanoTime() < deadline) {
                pause(20);
            }
            ObjectNode heap = json.putObject("heap");
            heap.put("pending", Math.min(waiting, stillWaiting));
            heap.put("failed", failed.get());
            if (!failures.isEmpty()) {
                heap.set("failed_by_code", JSON.valueToTree(new TreeMap<>(failures)));
            }
            heap.put("live_heap_before_bytes", before);
            heap.put("live_heap_with_pending_bytes", after);
            int n = Math.min(waiting, stillWaiting);
            heap.put("bytes_per_pending", n == 0 ? 0 : (after - before) / n);
            heap.put("store_in_heap", config.store().equals("memory"));
        }

        void onPayerEvent(Payer.Event e) {
            payerEvents.computeIfAbsent(e.getClass().getSimpleName().toLowerCase(Locale.ROOT), k -> new LongAdder())
                    .increment();
            if (e instanceof Payer.Event.PaymentFailed f) {
                paymentFailures.merge(f.reason(), 1, Integer::sum);
            }
        }

        void connect(Node from, Node to) {
            InetSocketAddress at = to.listening().orElseThrow();
            from.connect(to.nodeId(), at.getHostString(), at.getPort()).block(WAIT);
        }

        void remember(Node who, Node of) {
            InetSocketAddress at = of.listening().orElseThrow();
            who.network().remember(of.nodeId(), new NetworkView.Address(at.getHostString(), at.getPort())).block(WAIT);
        }

        String label(int i) {
            return prefix + "s" + i;
        }

        boolean closeAll() {
            boolean ok = true;
            for (int i = nodes.size() - 1; i >= 0; i--) {
                try {
                    nodes.get(i).close();
                } catch (RuntimeException e) {
                    err.println("closing a node failed: " + e);
                    ok = false;
                }
            }
            return ok;
        }
    }

    /** The payer pays invoices for PAY requests and refuses those for REFUSE requests with an invoice_error. */
    private static Optional<InvoiceError> payerPolicy(Invoice invoice) {
        return invoice.offerDescription().filter(REFUSE::equals)
                .map(d -> InvoiceError.of("load harness: the payer refuses this invoice"));
    }

    private static String storeDescription(String store) {
        if (store.equals("h2")) {
            return "h2 file (the node's default, every commit durable)";
        }
        if (store.equals("memory")) {
            return "h2 in memory (R2DBC, same SQL, no disk)";
        }
        return store.replaceAll("//[^@/]*@", "//***@"); // no password in the report
    }

    private static ConcurrentHistogram histogram() {
        return new ConcurrentHistogram(TimeUnit.HOURS.toMicros(2), 3);
    }

    private static ObjectNode percentiles(Histogram h) {
        ObjectNode o = JSON.createObjectNode();
        o.put("count", h.getTotalCount());
        o.put("p50", h.getValueAtPercentile(50) / 1000.0);
        o.put("p90", h.getValueAtPercentile(90) / 1000.0);
        o.put("p99", h.getValueAtPercentile(99) / 1000.0);
        o.put("max", h.getMaxValue() / 1000.0);
        o.put("mean", round(h.getMean() / 1000.0, 3));
        return o;
    }

    private static long[] gc() {
        long count = 0;
        long time = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            time += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, time};
    }

    private static long liveHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            pause(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Waits between polls of a condition (never to synchronise with another thread). */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it up eventually
        }
    }
}
