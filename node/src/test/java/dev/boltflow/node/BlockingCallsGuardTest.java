package dev.boltflow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.transport.testing.BlockingCallsGuard;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The guard every node and it test runs under sees a blocking call on a non-blocking thread. */
class BlockingCallsGuardTest {

    @Test
    void a_sleep_on_the_parallel_scheduler_is_caught_and_recorded() {
        Throwable e = Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return "slept";
                })
                .subscribeOn(Schedulers.parallel())
                .map(s -> (Throwable) null)
                .onErrorResume(x -> Mono.just(x))
                .block(Duration.ofSeconds(10));
        assertInstanceOf(BlockingOperationError.class, e);
        List<String> seen = BlockingCallsGuard.drain();
        assertEquals(1, seen.size(), seen.toString());
        assertTrue(seen.get(0).contains("sleep") && seen.get(0).contains("parallel"), seen.get(0));
    }

    @Test
    void the_same_sleep_on_bounded_elastic_is_allowed() {
        assertEquals("slept", Mono.fromCallable(() -> {
            Thread.sleep(1);
            return "slept";
        }).subscribeOn(Schedulers.boundedElastic()).block(Duration.ofSeconds(10)));
        assertEquals(List.of(), BlockingCallsGuard.drain());
    }
}
