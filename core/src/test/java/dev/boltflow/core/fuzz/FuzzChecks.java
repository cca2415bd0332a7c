package dev.boltflow.core.fuzz;

import dev.boltflow.core.bytes.DecodeException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The invariants every fuzz target shares: a typed error or a correct result, and no allocation out
 * of proportion to the input (a length field read from hostile bytes must not size a buffer before
 * it is checked). Allocation is measured per thread with HotSpot's
 * {@code com.sun.management.ThreadMXBean}, so it needs the code under test to run on the calling
 * thread (true for core's codecs and for Netty's {@code EmbeddedChannel}).
 */
public final class FuzzChecks {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();
    private static final int SHOWN = 512;
    private static final Set<Object> WARMED_UP = ConcurrentHashMap.newKeySet();
    /**
     * Per call, for codecs without public-key crypto: what a typed error costs (a stack trace
     * through JUnit and Jazzer) plus ordinary garbage, with a wide margin.
     */
    public static final long FIXED_ALLOWANCE = 4L << 20;
    /**
     * Per call, where secp256k1 work runs (ECDH, signatures, key tweaks): BouncyCastle's point
     * arithmetic and its per-point precomputation make tens of MB of short-lived garbage, the first
     * time a point is used. An allocation sized by an unchecked length field goes beyond this, or
     * fails outright under the small heap of the fuzzing runs.
     */
    public static final long CRYPTO_ALLOWANCE = 64L << 20;

    private FuzzChecks() {
    }

    /** Bytes allocated so far by the current thread (monotonic), or -1 where unsupported. */
    public static long allocatedBytes() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled()
                ? THREADS.getCurrentThreadAllocatedBytes()
                : -1;
    }

    /**
     * Runs {@code body} and fails if it allocated more than {@code budget} bytes: budgets are a
     * fixed allowance plus a multiple of the input length, measured on the vector seeds with a wide
     * margin, so that only an allocation sized by an unchecked length field trips them.
     */
    public static <T> T withinAllocation(long budget, byte[] input, Supplier<T> body) {
        Object site = body instanceof RunnableBody r ? r.body.getClass() : body.getClass();
        if (WARMED_UP.add(site)) {
            // The first call of a target loads and initialises classes: not the input's doing.
            return body.get();
        }
        long classesBefore = CLASSES.getTotalLoadedClassCount();
        long before = allocatedBytes();
        T result = body.get();
        long after = allocatedBytes();
        // Loading a class (and, when fuzzing, instrumenting it) allocates megabytes on the thread
        // that needs it: a first visit to a code path, not the input's doing. Those calls are not
        // measured; the next input down the same path is.
        boolean loadedClasses = CLASSES.getTotalLoadedClassCount() != classesBefore;
        if (before >= 0 && !loadedClasses && after - before > budget) {
            throw new AssertionError("allocated " + (after - before) + " bytes (budget " + budget + ") for "
                    + describe(input));
        }
        return result;
    }

    public static void withinAllocation(long budget, byte[] input, Runnable body) {
        withinAllocation(budget, input, new RunnableBody(body));
    }

    /** One class per call site of the Runnable form, so each site is warmed up on its own. */
    private static final class RunnableBody implements Supplier<Object> {
        private final Runnable body;

        RunnableBody(Runnable body) {
            this.body = body;
        }

        @Override
        public Object get() {
            body.run();
            return null;
        }
    }

    /**
     * Turns anything but the decoders' own {@link DecodeException} family into a failure that names
     * the input. Use around a decode whose typed rejection is an acceptable outcome.
     */
    public static AssertionError untyped(Throwable t, byte[] input) {
        return new AssertionError("untyped " + t.getClass().getName() + " (" + t.getMessage() + ") for "
                + describe(input), t);
    }

    /** True for a typed decoding error; throws {@link #untyped} for anything else. */
    public static boolean isTypedDecodeError(RuntimeException e, byte[] input) {
        if (e instanceof DecodeException) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("typed error without a message for " + describe(input), e);
            }
            return true;
        }
        throw untyped(e, input);
    }

    /** The input for a failure message: its length and the first bytes in hex. */
    public static String describe(byte[] input) {
        String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, SHOWN));
        return input.length + " bytes: " + hex + (input.length > SHOWN ? "…" : "");
    }
}
