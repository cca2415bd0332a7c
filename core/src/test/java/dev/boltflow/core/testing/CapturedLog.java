package dev.boltflow.core.testing;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What one class logs (its {@code System.Logger}, which the JDK routes to java.util.logging) while
 * this is open: each line formatted as an operator reads it.
 */
public final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public CapturedLog(Class<?> of) {
        logger = Logger.getLogger(of.getName());
        logger.addHandler(handler);
    }

    /** The lines logged at {@code level}, their parameters filled in. */
    public List<String> lines(Level level) {
        return records.stream().filter(r -> r.getLevel() == level)
                .map(r -> r.getParameters() == null ? r.getMessage() : MessageFormat.format(r.getMessage(), r.getParameters()))
                .toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
