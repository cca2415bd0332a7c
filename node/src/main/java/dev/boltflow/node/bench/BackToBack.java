package dev.boltflow.node.bench;

import java.util.function.Supplier;

/**
 * The timing loop of {@code bench} and the benchmark harnesses: one operation run back to back on
 * the calling thread for a fixed time, its results kept reachable so the JIT cannot drop it.
 */
public final class BackToBack {
    /** Every result goes here, so no operation is dead code to the JIT. */
    private static volatile Object sink;

    private BackToBack() {
    }

    /** Runs {@code op} until {@code nanos} have passed (at least once); returns how many times it ran. */
    public static long run(Supplier<Object> op, long nanos) {
        long start = System.nanoTime();
        long n = 0;
        do {
            sink = op.get();
            n++;
        } while (System.nanoTime() - start < nanos);
        return n;
    }

    /** Warms {@code op} up for {@code warmupNanos}, then returns its mean time in µs over {@code measureNanos}. */
    public static double microsPerOp(Supplier<Object> op, long warmupNanos, long measureNanos) {
        run(op, warmupNanos);
        long start = System.nanoTime();
        long n = run(op, measureNanos);
        return (System.nanoTime() - start) / 1e3 / n;
    }
}
