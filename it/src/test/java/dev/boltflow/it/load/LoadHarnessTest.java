package dev.boltflow.it.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.transport.testing.NettyLeaks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
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
        LoadHarness.Result r = LoadHarness.run(LoadHarness.Config.small(), new PrintWriter(progress));

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
