package dev.boltflow.node.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@link BackToBack} on N threads at once: each thread warms up and then runs its own operation
 * (its own state: the benchmarked stages are not thread-safe) back to back for the same time,
 * starting together. The result is the total throughput over all threads, each thread's
 * operations divided by its own CPU time or by the wall time ({@link BackToBack.Time}).
 */
public final class Parallel implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;

    /** The total of one measurement: operations per second (of the chosen time) over all threads. */
    public record Throughput(int threads, double opsPerSecond) {
        /** One operation's mean time on one thread, in µs: threads ÷ total ops/s. */
        public double microsPerOp() {
            return threads * 1e6 / opsPerSecond;
        }
    }

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "boltflow-bench");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code ops.get(i)} on thread i: warm-up for {@code warmupNanos}, then all threads start
     * together and each runs back to back for {@code measureNanos}.
     */
    public Throughput measure(List<Supplier<Object>> ops, long warmupNanos, long measureNanos, BackToBack.Time time) {
        if (ops.size() != threads) {
            throw new IllegalArgumentException("one operation per thread: " + ops.size() + " for " + threads);
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Double>> rates = new ArrayList<>(threads);
        for (Supplier<Object> op : ops) {
            rates.add(pool.submit(() -> {
                BackToBack.measure(op, warmupNanos);
                start.await();
                return BackToBack.measure(op, measureNanos).opsPerSecond(time);
            }));
        }
        double total = 0;
        try {
            for (Future<Double> r : rates) {
                total += r.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        }
        return new Throughput(threads, total);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
