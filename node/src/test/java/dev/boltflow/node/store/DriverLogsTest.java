package dev.boltflow.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The drivers' value-printing loggers end at INFO whatever they were set to. */
class DriverLogsTest {
    @Test
    void driver_loggers_set_to_debug_or_trace_are_held_at_info() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger h2 = context.getLogger("io.r2dbc.h2.client.SessionClient");
        Logger param = context.getLogger("io.r2dbc.postgresql.PARAM");
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level rootBefore = root.getLevel();
        try {
            root.setLevel(Level.TRACE);
            h2.setLevel(Level.DEBUG);
            param.setLevel(Level.TRACE);
            DriverLogs.capAtInfo();
            assertEquals(Level.INFO, h2.getEffectiveLevel());
            assertEquals(Level.INFO, param.getEffectiveLevel());
            // One made later inherits the cap.
            assertFalse(context.getLogger("io.r2dbc.postgresql.client.ReactorNettyClient").isDebugEnabled());
            assertEquals(Level.TRACE, root.getEffectiveLevel(), "only the drivers' loggers are touched");
        } finally {
            root.setLevel(rootBefore);
            h2.setLevel(null);
            param.setLevel(null);
        }
    }
}
