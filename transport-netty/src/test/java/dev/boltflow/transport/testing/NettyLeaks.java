package dev.boltflow.transport.testing;

import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test if Netty reported a leaked buffer while it ran. The build runs Netty's leak
 * detector at {@code paranoid}; this hooks an appender onto its logger for the test class, and
 * after each test collects garbage and allocates a few buffers so that unreleased ones are
 * reported. Shared by the modules above transport-netty through its test-jar; it needs no
 * logging configuration of its own.
 */
public final class NettyLeaks implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private static final String DETECTOR = ResourceLeakDetector.class.getName();

    private static final class Recorder extends AppenderBase<ILoggingEvent> {
        final List<String> leaks = new ArrayList<>();

        @Override
        protected synchronized void append(ILoggingEvent event) {
            String message = event.getFormattedMessage();
            if (message != null && message.contains("LEAK")) {
                leaks.add(message);
            }
        }

        synchronized List<String> drain() {
            List<String> out = List.copyOf(leaks);
            leaks.clear();
            return out;
        }
    }

    private final Recorder recorder = new Recorder();

    @Override
    public void beforeAll(ExtensionContext context) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        Logger logger = (Logger) LoggerFactory.getLogger(DETECTOR);
        recorder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        recorder.start();
        logger.addAppender(recorder);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 32; i++) {
                // Each tracked allocation polls the detector's reference queue.
                ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                a.release();
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(8);
                b.release();
            }
        }
        List<String> leaks = recorder.drain();
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " buffer leak(s) reported during " + context.getDisplayName() + ":\n"
                    + String.join("\n", leaks));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ((Logger) LoggerFactory.getLogger(DETECTOR)).detachAppender(recorder);
        recorder.stop();
    }
}
