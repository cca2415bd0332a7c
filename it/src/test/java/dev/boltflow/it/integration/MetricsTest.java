package dev.boltflow.it.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.transport.testing.NettyLeaks;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's Micrometer meters move by exactly one per event (issue 17, item 10): three whole nodes
 * (payee, introduction node, hidden payer) share one registry, each meter tagged with its node id;
 * every counter of every node is read before and after one paid send, one refused send (1004) and
 * one failed handshake, and the whole difference is compared, so a counter that moved when it
 * should not have fails too.
 */
@ExtendWith(NettyLeaks.class)
class MetricsTest {
    private static final long AMOUNT = 50_000;

    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Cluster cluster;
    private Cluster.TestNode payee;
    private Cluster.TestNode intro;
    private Cluster.TestNode payer;

    @BeforeEach
    void nodes() {
        cluster = new Cluster(dir, registry);
        payee = cluster.listening("payee");
        intro = cluster.listening("intro");
        payer = cluster.hidden("payer");
        payer.connect(intro);
        payee.knows(intro);
        payer.knows(payee);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Every count of every meter, by node name, meter name and tags (timers: their count; percentiles left out). */
    private Map<String, Double> counts() {
        Map<String, String> names = Map.of(payee.id().toHex(), "payee", intro.id().toHex(), "intro",
                payer.id().toHex(), "payer");
        Map<String, Double> out = new LinkedHashMap<>();
        for (Meter m : registry.getMeters()) {
            String node = names.get(m.getId().getTag("node"));
            if (node == null || !m.getId().getName().startsWith("boltflow.") || m.getId().getName().endsWith(".percentile")) {
                continue;
            }
            StringBuilder key = new StringBuilder(node).append(' ').append(m.getId().getName());
            m.getId().getTags().stream().filter(t -> !t.getKey().equals("node"))
                    .forEach(t -> key.append(' ').append(t.getKey()).append('=').append(t.getValue()));
            double v;
            if (m instanceof Timer t) {
                v = t.count();
            } else if (m instanceof Gauge g) {
                v = g.value();
            } else if (m instanceof FunctionCounter f) {
                v = f.count();
            } else {
                v = ((io.micrometer.core.instrument.Counter) m).count();
            }
            out.put(key.toString(), v);
        }
        return out;
    }

    /** What moved between two readings (zero differences left out). */
    private static Map<String, Double> moved(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new java.util.TreeMap<>();
        after.forEach((k, v) -> {
            double diff = v - before.getOrDefault(k, 0.0);
            if (diff != 0) {
                d.put(k, diff);
            }
        });
        return d;
    }

    /** The pending gauge drops once the send's Mono has finished, just after its answer went out. */
    private void awaitNothingPending() {
        Await.until("nothing pending", Cluster.WAIT, () -> counts().get("payee boltflow.sendinvoice.pending") == 0.0);
    }

    @Test
    void one_paid_send_moves_each_counter_it_touches_by_exactly_one() {
        String lnr = payer.invoiceRequest(AMOUNT);
        Map<String, Double> before = counts();
        payee.call("sendinvoice", "invreq", lnr, "label", "metrics-paid", "timeout", 30);
        Await.until("the payer counted its payment", Cluster.WAIT,
                () -> counts().getOrDefault("payer boltflow.payer.invoices event=paid", 0.0) == 1.0);
        Map<String, Double> expected = new java.util.TreeMap<>(Map.ofEntries(
                Map.entry("payee boltflow.sendinvoice.started", 1.0),
                Map.entry("payee boltflow.sendinvoice.outcomes outcome=paid", 1.0),
                Map.entry("payee boltflow.sendinvoice.time.to.outcome outcome=paid", 1.0),
                Map.entry("payee boltflow.invoices.paid", 1.0),
                Map.entry("payee boltflow.invoices.received.msat", (double) AMOUNT),
                Map.entry("payee boltflow.onion.messages.sent", 1.0),
                Map.entry("intro boltflow.onion.messages.received", 1.0),
                Map.entry("intro boltflow.onion.messages.relayed", 1.0),
                Map.entry("payer boltflow.onion.messages.received", 1.0),
                Map.entry("payer boltflow.onion.messages.delivered", 1.0),
                Map.entry("payer boltflow.payer.invoices event=received", 1.0),
                Map.entry("payer boltflow.payer.invoices event=paid", 1.0)));
        // The payee dialled the introduction node to send: one connection more on each side.
        awaitNothingPending();
        Map<String, Double> actual = moved(before, counts());
        actual.keySet().removeIf(k -> k.contains("boltflow.peers."));
        assertEquals(expected, actual);
    }

    @Test
    void one_refused_send_counts_1004_and_the_payers_refusal() {
        payer.host.policy = invoice -> Optional.of(InvoiceError.of(Bolt12Field.INVOICE_AMOUNT, "no"));
        String lnr = payer.invoiceRequest(AMOUNT);
        Map<String, Double> before = counts();
        payee.fails("sendinvoice", "invreq", lnr, "label", "metrics-1004", "timeout", 30);
        awaitNothingPending();
        Map<String, Double> actual = moved(before, counts());
        actual.keySet().removeIf(k -> k.contains("boltflow.peers."));
        assertEquals(new java.util.TreeMap<>(Map.ofEntries(
                Map.entry("payee boltflow.sendinvoice.started", 1.0),
                Map.entry("payee boltflow.sendinvoice.outcomes outcome=1004", 1.0),
                Map.entry("payee boltflow.sendinvoice.time.to.outcome outcome=1004", 1.0),
                Map.entry("payee boltflow.onion.messages.sent", 1.0),
                Map.entry("intro boltflow.onion.messages.received", 1.0),
                Map.entry("intro boltflow.onion.messages.relayed", 1.0),
                Map.entry("payer boltflow.onion.messages.received", 1.0),
                Map.entry("payer boltflow.onion.messages.delivered", 1.0),
                Map.entry("payer boltflow.payer.invoices event=received", 1.0),
                Map.entry("payer boltflow.payer.invoices event=refused", 1.0),
                // the invoice_error goes back straight to the payee, which introduces its reply path
                Map.entry("payer boltflow.onion.messages.sent", 1.0),
                Map.entry("payee boltflow.onion.messages.received", 1.0),
                Map.entry("payee boltflow.onion.messages.delivered", 1.0))), actual);
    }

    @Test
    void a_failed_handshake_and_a_connection_each_count_once() throws Exception {
        Map<String, Double> before = counts();
        try (Socket garbage = new Socket(payee.address().getAddress(), payee.address().getPort())) {
            OutputStream o = garbage.getOutputStream();
            o.write(new byte[50]); // act one with version 0 and a zero key: not a point, closed
            o.flush();
            Await.until("the payee counted the failed handshake", Cluster.WAIT, () ->
                    moved(before, counts()).getOrDefault("payee boltflow.peers.handshakes.failed", 0.0) == 1.0);
        }
        payee.connect(intro);
        Map<String, Double> actual = moved(before, counts());
        assertEquals(new java.util.TreeMap<>(Map.of(
                "payee boltflow.peers.handshakes.failed", 1.0,
                "payee boltflow.peers.connections.established", 1.0,
                "intro boltflow.peers.connections.established", 1.0,
                "payee boltflow.peers.connected", 1.0,
                "intro boltflow.peers.connected", 1.0)), actual);
    }
}
