package dev.boltflow.transport.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Logback appender that keeps every leak report Netty's ResourceLeakDetector logs. */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.contains("LEAK")) {
            LEAKS.add(message);
        }
    }

    /** Reports recorded so far, and forgets them. */
    public static List<String> drain() {
        List<String> out = List.copyOf(LEAKS);
        LEAKS.removeAll(out);
        return out;
    }
}
