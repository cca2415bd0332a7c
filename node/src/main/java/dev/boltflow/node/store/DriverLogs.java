package dev.boltflow.node.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The database drivers print the values bound to a statement when their loggers are at DEBUG:
 * r2dbc-h2 logs each command with its parameters, r2dbc-postgresql logs every bind parameter and
 * every protocol message. Among those values is each invoice's {@code payment_preimage}. So
 * whatever the logging configuration says ({@code BOLTFLOW_LOG_LEVEL=DEBUG}, a root logger at
 * TRACE), these loggers are held at INFO; the statements themselves are not worth a secret.
 */
final class DriverLogs {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(DriverLogs.class);
    /** Loggers (and their children) that print bound values below INFO. */
    static final List<String> PRINTING_BOUND_VALUES = List.of(
            "io.r2dbc.h2", "io.r2dbc.postgresql.PARAM", "io.r2dbc.postgresql.client");

    private DriverLogs() {
    }

    /** Raises each of those loggers, and any child set lower, to INFO; idempotent. */
    static void capAtInfo() {
        try {
            Logback.cap(LoggerFactory.getILoggerFactory());
        } catch (LinkageError noLogback) {
            // An embedder that left logback out: its own backend's configuration must keep them quiet.
        }
    }

    /** Apart, so that nothing here is loaded unless logback is on the class path. */
    private static final class Logback {
        static void cap(ILoggerFactory factory) {
            if (!(factory instanceof LoggerContext context)) {
                return;
            }
            for (String name : PRINTING_BOUND_VALUES) {
                Logger top = context.getLogger(name);
                if (!top.getEffectiveLevel().isGreaterOrEqual(Level.INFO)) {
                    LOG.warn("holding {} at INFO: below it, the driver logs bound values (preimages)", name);
                }
                top.setLevel(Level.INFO);
                for (Logger l : context.getLoggerList()) {
                    if (l.getName().startsWith(name + ".") && l.getLevel() != null
                            && !l.getLevel().isGreaterOrEqual(Level.INFO)) {
                        l.setLevel(Level.INFO);
                    }
                }
            }
        }
    }
}
