package dev.boltflow.node.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.node.config.ConfigException;
import dev.boltflow.node.config.Network;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Where the node's block height comes from: a fixed value, a checkpoint estimate, or a polled URL. */
class ChainTipTest {
    private static final Instant CHECKPOINT = Instant.parse("2024-04-20T00:09:27Z");

    /** Waits (bounded) for a condition the event loops bring about: readiness, not a timing check. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void the_mainnet_estimate_counts_from_its_checkpoint_one_block_per_540_s_begun() {
        ChainTip.HeightEstimate e = ChainTip.HeightEstimate.of(Network.BITCOIN).orElseThrow();
        assertEquals(840_000, e.at(CHECKPOINT));
        assertEquals(840_000, e.at(CHECKPOINT.minusSeconds(3600)), "never below the checkpoint");
        assertEquals(840_001, e.at(CHECKPOINT.plusSeconds(1)));
        assertEquals(840_001, e.at(CHECKPOINT.plusSeconds(540)));
        assertEquals(840_002, e.at(CHECKPOINT.plusSeconds(541)));
        // It errs high: a year on it is ahead of the 600 s target by a tenth.
        long year = 365L * 24 * 3600;
        assertTrue(e.at(CHECKPOINT.plusSeconds(year)) - 840_000 >= year / 600 * 11 / 10, "runs ahead");
        ChainTip tip = ChainTip.estimate(Network.BITCOIN, Clock.fixed(CHECKPOINT.plusSeconds(5400), ZoneOffset.UTC));
        assertEquals(840_010, tip.current());
        assertTrue(tip.source().startsWith("estimate: block 840000"), tip.source());
    }

    @Test
    void testnet_and_signet_have_no_estimate_and_a_negative_height_is_refused() {
        for (Network n : new Network[] {Network.TESTNET, Network.SIGNET}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ChainTip.estimate(n, Clock.systemUTC()));
            assertTrue(e.getMessage().contains("--block-height N or --block-height-url URL"), e.getMessage());
        }
        assertTrue(assertThrows(ConfigException.class, () -> ChainTip.fixed(-1)).getMessage().startsWith("--block-height"));
        assertEquals(123, ChainTip.fixed(123).current());
    }

    @Test
    void heights_are_plain_decimal_text() {
        assertEquals(871_234, ChainTip.parseHeight("871234\n"));
        for (String bad : new String[] {"", "abc", "-5", "12.5", "99999999999", "{\"height\":5}"}) {
            assertThrows(IllegalStateException.class, () -> ChainTip.parseHeight(bad), bad);
        }
    }

    /**
     * Read at start, then every 60 s (virtual time drives the polls, loopback HTTP answers them); the
     * fallback until the first answer; a failed read or a lower height keeps the highest read.
     */
    @Test
    void a_polled_height_is_read_at_start_and_every_minute() throws Exception {
        AtomicReference<String> answer = new AtomicReference<>("900000");
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/blocks/tip/height", (req, res) -> {
                    String a = answer.get();
                    return a.equals("fail") ? res.status(500).send() : res.sendString(Mono.just(a));
                }))
                .bindNow();
        VirtualTimeScheduler timers = VirtualTimeScheduler.create();
        URI url = URI.create("http://127.0.0.1:" + server.port() + "/blocks/tip/height");
        ChainTip tip = ChainTip.polling(url, () -> 5, timers);
        try {
            assertEquals(url.toString(), tip.source());
            timers.advanceTime();
            await(tip::known, "the first read");
            assertEquals(900_000, tip.current());

            answer.set("900007");
            timers.advanceTimeBy(Duration.ofSeconds(59));
            assertEquals(900_000, tip.current(), "not read again before a minute");
            timers.advanceTimeBy(Duration.ofSeconds(1));
            await(() -> tip.current() == 900_007, "the second read");

            answer.set("fail");
            timers.advanceTimeBy(ChainTip.POLL_EVERY);
            answer.set("899999");
            timers.advanceTimeBy(ChainTip.POLL_EVERY);
            answer.set("900008");
            timers.advanceTimeBy(ChainTip.POLL_EVERY);
            await(() -> tip.current() == 900_008, "a read after a failed one and a lower one");
        } finally {
            tip.dispose();
            server.disposeNow();
            timers.dispose();
        }
        assertTrue(tip.isDisposed());
    }

    @Test
    void an_unreachable_url_leaves_the_fallback() throws Exception {
        VirtualTimeScheduler timers = VirtualTimeScheduler.create();
        ChainTip tip = ChainTip.polling(URI.create("http://127.0.0.1:1/none"), () -> 42, timers);
        try {
            timers.advanceTime();
            assertEquals(42, tip.current());
            assertFalse(tip.known());
        } finally {
            tip.dispose();
            timers.dispose();
        }
    }
}
