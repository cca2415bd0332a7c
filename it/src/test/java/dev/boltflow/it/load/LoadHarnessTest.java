package dev.boltflow.it.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.transport.testing.NettyLeaks;
import java.io.PrintWriter;
import java.io.StringWriter;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The load harness's small variant, for CI: 200 sendinvoice calls between three real nodes (BOLT 8
 * on loopback, the payee on an H2 file), 90 % paid, 5 % invoice_error, 5 % timeout, with the onion
 * message limit raised. Correctness only, no timing: every send resolves exactly once with the
 * outcome planned for it, the store agrees, nothing is left pending, and the nodes close.
 */
@ExtendWith(NettyLeaks.class)
class LoadHarnessTest {

    @Test
    void twoHundredSends_mixedOutcomes_eachResolvedOnceAsPlanned_storeAgrees() throws Exception {
        StringWriter progress = new StringWriter();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> scrapes = new CopyOnWriteArrayList<>();
        List<Thread> scrapers = new CopyOnWriteArrayList<>();
        LoadHarness.Result r;
        try {
            r = LoadHarness.run(LoadHarness.Config.small().withMetricsListen(new InetSocketAddress("127.0.0.1", 0)),
                    new PrintWriter(progress), at -> scrapers.add(startDaemon(() -> scrape(at, running, scrapes))));
        } finally {
            running.set(false);
            for (Thread t : scrapers) {
                t.join(30_000);
            }
        }
        // The Prometheus endpoint answered while sends were under way: a scrape saw some started.
        assertTrue(scrapes.stream().anyMatch(b -> Pattern.compile("(?m)^boltflow_sendinvoice_started_total\\{[^}]*\\} [1-9]")
                .matcher(b).find()), scrapes.size() + " scrapes, none during the sends");
        // The JSON carries the same counters, by node.
        JsonNode metrics = r.json().path("metrics");
        assertEquals(180, metrics.path("payee").path("boltflow.sendinvoice.outcomes outcome=paid").asLong(), metrics.toString());
        assertEquals(10, metrics.path("payee").path("boltflow.sendinvoice.outcomes outcome=1004").asLong());
        assertEquals(180, metrics.path("payee").path("boltflow.invoices.paid").asLong());
        assertEquals(10, metrics.path("payer").path("boltflow.payer.invoices event=refused").asLong());
        assertTrue(metrics.path("intro").path("boltflow.onion.messages.relayed").asLong() >= 200, metrics.toString());

        assertEquals(Map.of("paid", 180, "1004", 10, "1005", 10), r.expected());
        assertEquals(r.expected(), r.byOutcome(), r.json().toPrettyString());
        assertEquals(200, r.asPlanned(), "every send ended as planned for it");
        assertTrue(r.resolvedExactlyOnce(), "every send's Mono ended exactly once");
        assertEquals(180, r.paidInStore(), "every paid invoice is paid in the payee's store");
        assertEquals(180, r.distinctPayIndexes(), "each with its own pay_index");
        assertEquals(10, r.expiredInStore(), "every timed-out invoice is expired in the store");
        assertEquals(0, r.pendingAfter(), "nothing pending at the end");
        assertTrue(r.nodesClosed());
        assertTrue(r.json().path("checks").path("ok").asBoolean());
        // The report says which limits were used and that the requests were written beforehand.
        assertEquals(false, r.json().path("config").path("onion_message_limit_per_connection")
                .path("is_node_default").asBoolean(true));
        assertEquals(200 + 1, r.json().path("setup").path("invoice_requests_written_before_timed_phase").asInt());
        assertEquals(50, r.json().path("heap").path("pending").asInt());
        assertEquals(r.byOutcome().get("paid").intValue(),
                r.json().path("timed_phase").path("latency_ms").path("paid").path("count").asInt());
    }

    private static Thread startDaemon(Runnable r) {
        Thread t = new Thread(r, "metrics-scraper");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Scrapes {@code at} until the run ends (bounded: at most 10 minutes), keeping each 200 body. */
    private static void scrape(InetSocketAddress at, AtomicBoolean running, List<String> bodies) {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://" + at.getHostString() + ":" + at.getPort() + "/metrics");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (running.get() && System.nanoTime() < deadline) {
            try {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) {
                    bodies.add(res.body());
                }
                Thread.sleep(200); // a scrape interval, not a timing check
            } catch (java.io.IOException e) {
                // the endpoint is closing at the end of the run
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void mix_countsAddUpExactly_andPlanIsShuffledButComplete() {
        Mix mix = Mix.parse("paid=90,error=5,timeout=5");
        assertEquals(Map.of(Mix.Outcome.paid, 9, Mix.Outcome.error, 1, Mix.Outcome.timeout, 0),
                Mix.parse("paid=90,error=9,timeout=1").counts(10));
        assertEquals(Map.of(Mix.Outcome.paid, 901, Mix.Outcome.error, 50, Mix.Outcome.timeout, 50), mix.counts(1001));
        assertEquals(Map.of(Mix.Outcome.paid, 1, Mix.Outcome.error, 1, Mix.Outcome.timeout, 1),
                Mix.parse("paid=1,error=1,timeout=1").counts(3));
        assertEquals(1001, mix.plan(1001, 7).size());
        assertEquals(50, mix.plan(1001, 7).stream().filter(o -> o == Mix.Outcome.timeout).count());
    }
}
