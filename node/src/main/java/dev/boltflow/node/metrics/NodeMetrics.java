package dev.boltflow.node.metrics;

import dev.boltflow.core.payer.PayerMetrics;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceMetrics;
import dev.boltflow.node.messaging.PeerOnionMessenger;
import dev.boltflow.transport.netty.NettyPeerManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * One node's meters in a Micrometer {@link MeterRegistry}, every one tagged {@code node=<node id>}
 * (so several nodes can share a registry, as the load harness's do). Names, in Micrometer's dotted
 * form (Prometheus: dots become underscores, counters end in {@code _total}, timers in
 * {@code _seconds}):
 *
 * <ul>
 * <li>{@code boltflow.sendinvoice.started}, {@code boltflow.sendinvoice.outcomes{outcome}} (paid, 900,
 *     1002 … 1005, -32602, -1, cancelled), {@code boltflow.sendinvoice.pending} (gauge),
 *     {@code boltflow.sendinvoice.time.to.outcome{outcome}} (timer, 0.5/0.9/0.99 percentiles);
 *     {@code boltflow.invoices.paid}, {@code boltflow.invoices.received.msat} (amount received);
 * <li>{@code boltflow.onion.messages.received} (read from peers), {@code .sent} (ours),
 *     {@code .delivered} (to us), {@code .relayed}, {@code .rate.limited},
 *     {@code .dropped{reason}};
 * <li>{@code boltflow.peers.connected} (gauge), {@code boltflow.peers.connections.established},
 *     {@code boltflow.peers.handshakes.failed};
 * <li>{@code boltflow.payer.invoices{event}}: received, refused, paid, payment_failed.
 * </ul>
 *
 * <p>Counters the node already keeps (onion messages, peers) are read by function counters when
 * scraped, and the core use cases report through their ports ({@link SendInvoiceMetrics},
 * {@link PayerMetrics}); without a registry the node uses their {@code NONE}, so metrics cost
 * nothing. {@link #close()} removes every meter this node registered.
 */
public final class NodeMetrics implements AutoCloseable {
    /** The outcomes registered up front, so a scrape shows them at 0 before the first send. */
    static final List<String> OUTCOMES = List.of("paid", "900", "1002", "1003", "1004", "1005", "-32602", "-1",
            "cancelled");

    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    public NodeMetrics(MeterRegistry registry, String nodeId) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of("node", Objects.requireNonNull(nodeId, "nodeId"));
    }

    /** The sendinvoice port: started, outcomes and their times, payments received. */
    public SendInvoiceMetrics sendInvoice() {
        Counter started = counter("boltflow.sendinvoice.started", "sendinvoice calls started", Tags.empty());
        Map<String, Counter> outcomes = new ConcurrentHashMap<>();
        Map<String, Timer> times = new ConcurrentHashMap<>();
        for (String o : OUTCOMES) {
            outcomes.put(o, outcome(o));
            times.put(o, timeToOutcome(o));
        }
        Counter paid = counter("boltflow.invoices.paid", "our invoices paid", Tags.empty());
        Counter received = counter("boltflow.invoices.received.msat", "msat received for our invoices", Tags.empty());
        return new SendInvoiceMetrics() {
            @Override
            public void started() {
                started.increment();
            }

            @Override
            public void outcome(String outcome, long nanos) {
                outcomes.computeIfAbsent(outcome, NodeMetrics.this::outcome).increment();
                times.computeIfAbsent(outcome, NodeMetrics.this::timeToOutcome).record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void invoicePaid(long amountReceivedMsat) {
                paid.increment();
                received.increment(amountReceivedMsat);
            }
        };
    }

    private Counter outcome(String outcome) {
        return counter("boltflow.sendinvoice.outcomes", "sendinvoice calls ended, by outcome", Tags.of("outcome", outcome));
    }

    private Timer timeToOutcome(String outcome) {
        return keep(Timer.builder("boltflow.sendinvoice.time.to.outcome")
                .description("from sendinvoice to its outcome")
                .tags(tags).tag("outcome", outcome)
                .publishPercentiles(0.5, 0.9, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(2))
                .register(registry));
    }

    /** The payer port: invoices received, refused, paid, payments failed. */
    public PayerMetrics payer() {
        Counter received = payerEvent("received");
        Counter refused = payerEvent("refused");
        Counter paid = payerEvent("paid");
        Counter failed = payerEvent("payment_failed");
        return new PayerMetrics() {
            @Override
            public void invoiceReceived() {
                received.increment();
            }

            @Override
            public void invoiceRefused() {
                refused.increment();
            }

            @Override
            public void invoicePaid() {
                paid.increment();
            }

            @Override
            public void paymentFailed() {
                failed.increment();
            }
        };
    }

    private Counter payerEvent(String event) {
        return counter("boltflow.payer.invoices", "invoices for our invoice_requests, by what became of them",
                Tags.of("event", event));
    }

    /** Gauges and function counters over what the running parts count themselves. */
    public void bind(SendInvoice sendInvoice, PeerOnionMessenger messenger, NettyPeerManager peers) {
        gauge("boltflow.sendinvoice.pending", "sendinvoice calls waiting for an outcome", sendInvoice,
                SendInvoice::pending);
        function("boltflow.onion.messages.received", "onion messages read from peers", messenger,
                PeerOnionMessenger::received, Tags.empty());
        function("boltflow.onion.messages.sent", "our own onion messages written to a first hop", messenger,
                PeerOnionMessenger::sent, Tags.empty());
        function("boltflow.onion.messages.delivered", "onion messages for us", messenger,
                PeerOnionMessenger::delivered, Tags.empty());
        function("boltflow.onion.messages.relayed", "onion messages relayed to a next hop", messenger,
                PeerOnionMessenger::relayed, Tags.empty());
        function("boltflow.onion.messages.rate.limited", "onion messages dropped unpeeled by the per-peer limit",
                messenger, PeerOnionMessenger::rateLimited, Tags.empty());
        for (PeerOnionMessenger.DropReason reason : PeerOnionMessenger.DropReason.values()) {
            function("boltflow.onion.messages.dropped", "onion messages dropped, by reason", messenger,
                    m -> m.dropped(reason), Tags.of("reason", reason.tag()));
        }
        gauge("boltflow.peers.connected", "peers connected now (BOLT 8 and init done)", peers,
                p -> p.connections().size());
        function("boltflow.peers.connections.established", "connections that completed BOLT 8 and init", peers,
                NettyPeerManager::connectionsEstablished, Tags.empty());
        function("boltflow.peers.handshakes.failed", "connections closed before BOLT 8 and init completed", peers,
                NettyPeerManager::handshakesFailed, Tags.empty());
    }

    private Counter counter(String name, String description, Tags more) {
        return keep(Counter.builder(name).description(description).tags(tags).tags(more).register(registry));
    }

    private <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> f) {
        keep(Gauge.builder(name, obj, f).description(description).tags(tags).register(registry));
    }

    private <T> void function(String name, String description, T obj, ToDoubleFunction<T> f, Tags more) {
        keep(FunctionCounter.builder(name, obj, f).description(description).tags(tags).tags(more).register(registry));
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    /** Removes this node's meters from the registry. */
    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }
}
