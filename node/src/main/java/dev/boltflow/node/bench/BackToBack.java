package dev.boltflow.node.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * The timing loop of {@code bench} and the benchmark harnesses: one operation run back to back on
 * the calling thread for a fixed (wall-clock) time, its results kept reachable so the JIT cannot
 * drop it. A run reports both the wall-clock time and the CPU time the thread used: on a machine
 * others share, CPU time is what one operation costs (what {@code openssl speed} divides by), wall
 * time also counts the time the thread waited for a CPU.
 */
public final class BackToBack {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Every result goes here, so no operation is dead code to the JIT. */
    private static volatile Object sink;

    private BackToBack() {
    }

    /** Which time an operation's cost is divided by. */
    public enum Time {
        /** The measuring thread's CPU time (user + system); wall time where the JVM cannot tell. */
        CPU,
        /** Wall-clock time. */
        ELAPSED
    }

    /** {@code count} operations in {@code wallNanos} of wall time, of which the thread ran {@code cpuNanos}. */
    public record Run(long count, long wallNanos, long cpuNanos) {
        public long nanos(Time time) {
            return time == Time.CPU && cpuNanos > 0 ? cpuNanos : wallNanos;
        }

        /** Operations per second of {@code time}. */
        public double opsPerSecond(Time time) {
            return count / (nanos(time) / 1e9);
        }

        /** Mean µs of {@code time} per operation. */
        public double microsPerOp(Time time) {
            return nanos(time) / 1e3 / count;
        }
    }

    /** Whether {@link Time#CPU} is measured here (else it falls back to wall time). */
    public static boolean cpuTimeSupported() {
        return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    }

    private static long cpuNow() {
        return cpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** Runs {@code op} until {@code nanos} of wall time have passed (at least once). */
    public static Run measure(Supplier<Object> op, long nanos) {
        long cpu = cpuNow();
        long start = System.nanoTime();
        long n = 0;
        long wall;
        do {
            sink = op.get();
            n++;
            wall = System.nanoTime() - start;
        } while (wall < nanos);
        long cpuEnd = cpuNow();
        return new Run(n, wall, cpu < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpu);
    }

    /** Warms {@code op} up for {@code warmupNanos}, then measures it for {@code measureNanos}. */
    public static Run measure(Supplier<Object> op, long warmupNanos, long measureNanos) {
        measure(op, warmupNanos);
        return measure(op, measureNanos);
    }
}
