package dev.boltflow.transport.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves that {@link NoLeaks} would see a leak: one buffer is dropped on purpose. */
class LeakDetectionSelfTest {

    @Test
    void droppedBuffer_isReported() {
        NoLeaks.collect(); // start clean
        leakOne();
        List<String> leaks = List.of();
        for (int attempt = 0; attempt < 20 && leaks.isEmpty(); attempt++) {
            leaks = NoLeaks.collect();
        }
        assertFalse(leaks.isEmpty(), "the leak detector reported nothing");
        assertTrue(leaks.get(0).contains("LEAK"), leaks.get(0));
    }

    private static void leakOne() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        b.writeInt(42);
        // never released
    }
}
