package dev.boltflow.it.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Everything this JVM prints while it is open: every slf4j/logback logger at TRACE (formatted with
 * message, arguments and full stack traces), every {@code java.util.logging} logger (where core's
 * {@code System.Logger} goes) at ALL, and {@code System.out} / {@code System.err}. The console
 * appenders are detached meanwhile (TRACE output would flood the build log); {@link #close()} puts
 * everything back.
 */
final class LogTap implements AutoCloseable {
    private final StringBuffer captured = new StringBuffer();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final java.util.List<Logger> nonAdditive = new java.util.ArrayList<>();
    private final Map<Logger, Level> levels = new HashMap<>();
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender;
    private final java.util.logging.Logger julRoot = LogManager.getLogManager().getLogger("");
    private final java.util.logging.Level julLevel = julRoot.getLevel();
    private final Handler julHandler;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    LogTap() {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%level %logger %msg%n%ex{full}");
        layout.start();
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                captured.append(layout.doLayout(event));
            }
        };
        appender.setContext(context);
        appender.start();
        for (Logger l : context.getLoggerList()) {
            levels.put(l, l.getLevel());
            l.setLevel(Level.TRACE);
            if (!l.isAdditive()) {
                // a logger the configuration keeps off the root (to a file only) is heard here too
                nonAdditive.add(l);
                l.setAdditive(true);
            }
        }
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            detached.add(it.next());
        }
        detached.forEach(root::detachAppender);
        root.addAppender(appender);

        SimpleFormatter format = new SimpleFormatter();
        julHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                captured.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(' ')
                        .append(format.formatMessage(record)).append('\n');
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    captured.append(trace);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        julHandler.setLevel(java.util.logging.Level.ALL);
        julRoot.setLevel(java.util.logging.Level.ALL);
        julRoot.addHandler(julHandler);

        System.setOut(tee(out));
        System.setErr(tee(err));
    }

    private PrintStream tee(PrintStream original) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                original.write(b);
                line.write(b);
                if (b == '\n') {
                    captured.append(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                }
            }

            @Override
            public synchronized void flush() {
                captured.append(line.toString(StandardCharsets.UTF_8));
                line.reset();
                original.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** Everything captured so far. */
    String text() {
        System.out.flush();
        System.err.flush();
        return captured.toString();
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
        julRoot.removeHandler(julHandler);
        julRoot.setLevel(julLevel);
        root.detachAppender(appender);
        appender.stop();
        detached.forEach(root::addAppender);
        for (Logger l : context.getLoggerList()) {
            l.setLevel(levels.get(l)); // loggers made meanwhile had none: back to inheriting
        }
        nonAdditive.forEach(l -> l.setAdditive(false));
    }
}
