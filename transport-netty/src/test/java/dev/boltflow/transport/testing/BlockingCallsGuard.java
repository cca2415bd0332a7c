package dev.boltflow.transport.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Fails a test in which something blocked a thread that must never block: Reactor's non-blocking
 * schedulers ({@code parallel}, {@code single}) and Netty's event loops, as Reactor's and Netty's
 * own BlockHound integrations mark them. Installed once per JVM with every integration on the class
 * path; the blocking call itself throws BlockHound's {@link BlockingOperationError} where it
 * happens, and is also recorded here, so a pipeline that swallows the error still fails the test.
 *
 * <p>Registered for every test of the modules whose {@code junit-platform.properties} turns on
 * extension autodetection (node, it). They run with {@code -XX:+AllowRedefinitionToAddDeleteMethods}
 * (BlockHound's agent needs it from JDK 13).
 *
 * <p>Allowed, each for a reason: writing a log line (logback's and java.util.logging's console and
 * file output; a test's log is not the product's hot path and every logger does it); reading
 * {@code /dev/urandom} for {@code SecureRandom} (it never blocks once the kernel is seeded, and key
 * material must come from it).
 */
public final class BlockingCallsGuard implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private static final List<String> SEEN = new ArrayList<>();
    private static boolean installed;

    static synchronized void install() {
        if (installed) {
            return;
        }
        BlockHound.Builder builder = BlockHound.builder();
        ServiceLoader.load(BlockHoundIntegration.class).forEach(builder::with);
        builder.allowBlockingCallsInside("ch.qos.logback.core.UnsynchronizedAppenderBase", "doAppend")
                .allowBlockingCallsInside("java.util.logging.StreamHandler", "publish")
                .allowBlockingCallsInside("java.security.SecureRandom", "nextBytes")
                .allowBlockingCallsInside("java.security.SecureRandom", "generateSeed")
                .blockingMethodCallback(method -> {
                    String where = method + " on " + Thread.currentThread().getName();
                    synchronized (SEEN) {
                        SEEN.add(where);
                    }
                    throw new BlockingOperationError(method);
                })
                .install();
        installed = true;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context.getDisplayName() + " (after all its tests)");
    }

    /** The blocking calls recorded since the last check, now cleared (for a test of this guard). */
    public static List<String> drain() {
        synchronized (SEEN) {
            List<String> seen = new ArrayList<>(SEEN);
            SEEN.clear();
            return seen;
        }
    }

    private static void check(String test) {
        List<String> seen = drain();
        if (!seen.isEmpty()) {
            throw new AssertionError(test + ": blocking call(s) on a non-blocking thread: " + seen);
        }
    }
}
