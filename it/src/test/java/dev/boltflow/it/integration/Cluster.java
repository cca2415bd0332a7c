package dev.boltflow.it.integration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.payer.InvoiceRequestStore;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.payer.PaymentSender;
import dev.boltflow.core.payer.memory.InMemoryInvoiceRequestStore;
import dev.boltflow.core.sendinvoice.BlockHeight;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.node.Node;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.node.payments.SimulatedPaymentLink;
import dev.boltflow.node.rpc.JsonRpcClient;
import dev.boltflow.node.rpc.JsonRpcServer;
import dev.boltflow.node.rpc.NodeRpc;
import dev.boltflow.node.rpc.RpcException;
import dev.boltflow.node.store.R2dbcInvoiceStore;
import dev.boltflow.transport.PeerConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Whole boltflow nodes ({@link Node}) in this JVM, each with its own data directory under a test's
 * temporary folder (key file, address book, H2 invoice file), listening for BOLT 8 on loopback when
 * asked, and driven through its JSON-RPC server on its Unix socket, as {@code boltflow-cli} drives
 * it. Payments go over the simulated payment link (real blinded payment onions over BOLT 8).
 *
 * <p>{@link #close()} stops every node still running and then checks that every node this cluster
 * ever started released what it held: its event loop threads, its RPC socket and its H2 file.
 */
final class Cluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    final SecureRandom random = new SecureRandom();
    private final Path root;
    private final List<TestNode> started = new ArrayList<>();
    private final List<Runnable> extraCleanup = new ArrayList<>();
    private final List<Runnable> releaseChecks = new ArrayList<>();
    private boolean closed;

    private final io.micrometer.core.instrument.MeterRegistry registry;

    Cluster(Path root) {
        this(root, null);
    }

    /** Nodes whose meters go to {@code registry} (each tagged with its node id). */
    Cluster(Path root, io.micrometer.core.instrument.MeterRegistry registry) {
        this.root = root;
        this.registry = registry;
    }

    /** A listening node (it introduces its own invreq_paths). */
    TestNode listening(String name) {
        return start(name, c -> c.withListen(LOOPBACK), h -> { });
    }

    /** A node that does not listen (its invreq_paths go through a connected peer). */
    TestNode hidden(String name) {
        return start(name, c -> c, h -> { });
    }

    TestNode start(String name, UnaryOperator<NodeConfig> config, Consumer<TestHost> host) {
        NodeConfig c = config.apply(NodeConfig.defaults(Network.REGTEST, root.resolve(name)).withSimulatedPayments(true));
        TestHost h = new TestHost(random);
        host.accept(h);
        TestNode n = new TestNode(name, c, h);
        started.add(n);
        n.boot();
        return n;
    }

    /** Something else a test opened (a bare peer manager): closed before the nodes. */
    void onClose(Runnable r) {
        extraCleanup.add(r);
    }

    /** A check that what a test opened itself was released, run once everything is stopped. */
    void onReleased(Runnable check) {
        releaseChecks.add(check);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Throwable> failures = new ArrayList<>();
        for (int i = extraCleanup.size() - 1; i >= 0; i--) {
            try {
                extraCleanup.get(i).run();
            } catch (Throwable t) {
                failures.add(t);
            }
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).stop();
            } catch (Throwable t) {
                failures.add(t);
            }
        }
        for (TestNode n : started) {
            try {
                n.assertReleased();
            } catch (Throwable t) {
                failures.add(t);
            }
        }
        try {
            // JsonRpcServer and JsonRpcClient name their event loops so; each closed its own.
            Await.until("the RPC servers' and clients' event loop threads end", WAIT,
                    () -> threadsNamed("boltflow-rpc") == 0);
        } catch (Throwable t) {
            failures.add(t);
        }
        for (Runnable check : releaseChecks) {
            try {
                check.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("closing the cluster: " + failures.get(0), failures.get(0));
            failures.subList(1, failures.size()).forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Threads of the event loops of the node with this id (NettyPeerManager names them after it). */
    static long threadsOf(PublicKey id) {
        return threadsNamed("boltflow-" + id.toHex().substring(0, 8));
    }

    static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .count();
    }

    /** What the test's host gives a node: the simulated payment link, gated; a policy; a store. */
    static final class TestHost implements Node.Host {
        private final SecureRandom random;
        volatile Function<Invoice, Optional<InvoiceError>> policy = invoice -> Optional.empty();
        volatile Function<NodeConfig, Mono<R2dbcInvoiceStore>> store;
        volatile Supplier<InvoiceRequestStore> requests = InMemoryInvoiceRequestStore::new;
        /** Payments of this node wait for this to complete before they leave (open by default). */
        volatile Mono<Void> hold = Mono.empty();
        /** Invoices this node's payer side decided to pay (before the hold), in order. */
        final Sinks.Many<Invoice> toPay = Sinks.many().replay().all();
        volatile SimulatedPaymentLink link;

        TestHost(SecureRandom random) {
            this.random = random;
        }

        /** Holds this node's payments until the returned sink completes. */
        Sinks.Empty<Void> holdPayments() {
            Sinks.Empty<Void> gate = Sinks.empty();
            hold = gate.asMono();
            return gate;
        }

        @Override
        public PaymentSender paymentSender(Node.NodeParts parts) {
            SimulatedPaymentLink l = new SimulatedPaymentLink(parts.peers(), parts.messenger(), parts.nodeKey(),
                    parts.network(), parts.sendInvoice()::acceptPayment, blockHeight(),
                    new SimulatedPaymentLink.Config(Duration.ofSeconds(10), 18), Schedulers.parallel(),
                    Schedulers.parallel(), random);
            link = l;
            return new Gated(l);
        }

        @Override
        public dev.boltflow.core.features.Features initFeatures(dev.boltflow.core.features.Features defaults) {
            return SimulatedPaymentLink.advertise(defaults);
        }

        @Override
        public BlockHeight blockHeight() {
            return () -> 800_000;
        }

        @Override
        public Function<Invoice, Optional<InvoiceError>> invoicePolicy() {
            return invoice -> policy.apply(invoice);
        }

        @Override
        public Mono<R2dbcInvoiceStore> openStore(NodeConfig config) {
            Function<NodeConfig, Mono<R2dbcInvoiceStore>> s = store;
            return s != null ? s.apply(config) : Node.Host.super.openStore(config);
        }

        @Override
        public InvoiceRequestStore invoiceRequestStore() {
            return requests.get();
        }

        /** The payment sender the node's payer uses: the link, after the hold. Disposed with the node. */
        private final class Gated implements PaymentSender, Disposable {
            private final SimulatedPaymentLink link;

            Gated(SimulatedPaymentLink link) {
                this.link = link;
            }

            @Override
            public Mono<Bytes32> pay(Invoice invoice) {
                synchronized (toPay) {
                    toPay.tryEmitNext(invoice);
                }
                return Mono.defer(() -> hold).then(link.pay(invoice));
            }

            @Override
            public void dispose() {
                link.dispose();
            }

            @Override
            public boolean isDisposed() {
                return link.isDisposed();
            }
        }
    }

    /** One node of the cluster, with its RPC server and a client on its socket. */
    final class TestNode {
        final String name;
        final NodeConfig config;
        final TestHost host;
        volatile Node node;
        private JsonRpcServer server;
        private JsonRpcClient client;
        private final Sinks.Many<Payer.Event> events = Sinks.many().replay().all();
        private final List<PublicKey> ids = new ArrayList<>();
        private boolean running;

        TestNode(String name, NodeConfig config, TestHost host) {
            this.name = name;
            this.config = config;
            this.host = host;
        }

        private void boot() {
            node = (registry == null ? Node.start(config, host, random) : Node.start(config, host, random, registry))
                    .block(WAIT);
            ids.add(node.nodeId());
            running = true;
            node.payer().events().subscribe(e -> {
                synchronized (events) {
                    events.tryEmitNext(e);
                }
            });
            server = JsonRpcServer.start(config.rpcFile(), new NodeRpc(node, Clock.systemUTC(), () -> { }, "it")
                    .methods()).block(WAIT);
            client = JsonRpcClient.create(config.rpcFile());
        }

        /** Stops the node the way {@code stop} does: its RPC server first, then the node; then our client. Idempotent. */
        void stop() {
            if (!running) {
                return;
            }
            running = false;
            try {
                server.close().block(WAIT);
                node.stop().block(WAIT);
            } finally {
                client.close().block(WAIT);
            }
        }

        /** Starts the node again on the same data directory (same key, store and address book; a new port). */
        TestNode restart() {
            stop();
            boot();
            return this;
        }

        PublicKey id() {
            return node.nodeId();
        }

        InetSocketAddress address() {
            return node.listening().orElseThrow(() -> new AssertionError(name + " does not listen"));
        }

        String connectString() {
            InetSocketAddress a = address();
            return id().toHex() + "@" + a.getHostString() + ":" + a.getPort();
        }

        /** Records where {@code other} listens in this node's address book (what gossip would tell it). */
        void knows(TestNode other) {
            InetSocketAddress a = other.address();
            node.network().remember(other.id(), new NetworkView.Address(a.getHostString(), a.getPort())).block(WAIT);
        }

        /** {@code connect id@host:port} over RPC; returns once {@code other} has the connection too. */
        JsonNode connect(TestNode other) {
            JsonNode answer = call("connect", "id", other.connectString());
            Await.until(other.name + " sees " + name, WAIT, () -> other.node.peers().connection(id())
                    .filter(PeerConnection::isActive).isPresent());
            return answer;
        }

        /** Calls an RPC method with params by name ({@code key, value, key, value, …}). */
        JsonNode call(String method, Object... params) {
            return callAsync(method, params).block(WAIT);
        }

        /** The RPC call, not yet waited for (sendinvoice and waitinvoice take their time). */
        Mono<JsonNode> callAsync(String method, Object... params) {
            return client.call(method, params(params));
        }

        CompletableFuture<JsonNode> start(String method, Object... params) {
            return callAsync(method, params).toFuture();
        }

        /** Calls an RPC method that must fail, and returns its error. */
        RpcException fails(String method, Object... params) {
            try {
                JsonNode r = call(method, params);
                throw new AssertionError(method + " answered " + r + " where an error was expected");
            } catch (RpcException e) {
                return e;
            }
        }

        /** {@code invoicerequest}: an lnr1 from this node's payer side. */
        String invoiceRequest(long amountMsat, Object... extra) {
            Object[] params = new Object[4 + extra.length];
            params[0] = "amount";
            params[1] = amountMsat + "msat";
            params[2] = "description";
            params[3] = name + " wants to pay";
            System.arraycopy(extra, 0, params, 4, extra.length);
            return call("invoicerequest", params).get("bolt12").asText();
        }

        /** The payer-side events of this node (paid, refused, payment failed), from its start. */
        Payer.Event nextEvent(int index) {
            return events.asFlux().skip(index).next().block(WAIT);
        }

        /** The first payer-side event that matches. */
        Payer.Event event(Predicate<Payer.Event> which) {
            return events.asFlux().filter(which).next().block(WAIT);
        }

        /** The first invoice the payer side decided to pay for the request {@code lnr} (same invreq_metadata). */
        Invoice invoiceToPay(String lnr) {
            Bytes metadata = InvoiceRequest.decode(lnr).invreqMetadata().orElseThrow();
            return host.toPay.asFlux().filter(i -> i.invreqMetadata().equals(Optional.of(metadata))).next().block(WAIT);
        }

        /** Invoices the payer side decided to pay, in order. */
        Invoice invoiceToPay(int index) {
            return host.toPay.asFlux().skip(index).next().block(WAIT);
        }

        void assertReleased() {
            for (PublicKey id : ids) {
                Await.until(name + "'s event loop threads end", WAIT, () -> threadsOf(id) == 0);
            }
            assertTrue(Files.notExists(config.rpcFile()), name + "'s RPC socket file is removed");
            if (config.database().isEmpty() && host.store == null) {
                Path h2 = config.networkDir().resolve("invoices.mv.db");
                assertTrue(Files.exists(h2), name + "'s H2 file exists");
                assertTrue(unlocked(h2), name + "'s H2 file is released");
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** True when nobody in this JVM holds a lock on {@code file} (H2 locks its file while open). */
    static boolean unlocked(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static ObjectNode params(Object... kv) {
        ObjectNode o = F.objectNode();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            Object v = kv[i + 1];
            String k = (String) kv[i];
            if (v instanceof Number n) {
                o.put(k, n.longValue());
            } else if (v instanceof Boolean b) {
                o.put(k, b);
            } else {
                o.put(k, String.valueOf(v));
            }
        }
        return o;
    }
}
