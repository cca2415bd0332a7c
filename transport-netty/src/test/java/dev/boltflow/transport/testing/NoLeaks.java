package dev.boltflow.transport.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test if Netty reported a leaked buffer while it ran. The build runs with
 * {@code -Dio.netty.leakDetectionLevel=paranoid}, so every buffer is tracked; after each test this
 * collects garbage and allocates a few buffers, which makes the detector report collected buffers
 * that were never released (through {@link LeakRecorder}).
 */
public final class NoLeaks implements BeforeAllCallback, AfterEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        LeakRecorder.drain();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " buffer leak(s) reported during " + context.getDisplayName() + ":\n"
                    + String.join("\n", leaks));
        }
    }

    /** Runs the collector and the detector; returns (and forgets) what it reported. */
    public static List<String> collect() {
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
        return LeakRecorder.drain();
    }
}
