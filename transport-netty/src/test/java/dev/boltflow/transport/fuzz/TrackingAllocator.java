package dev.boltflow.transport.fuzz;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so a fuzz execution can check that each
 * one was released exactly to zero once the channel is finished: a per-input leak check, sharper
 * than the leak detector (which reports only after a collection, and not which input leaked).
 * Give it to the channel ({@code config().setAllocator}) and allocate the inbound buffers from it.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> handedOut = new ArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private <T extends ByteBuf> T track(T buf) {
        handedOut.add(buf);
        return buf;
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return track(super.compositeHeapBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return track(super.compositeDirectBuffer(maxNumComponents));
    }

    /** A buffer holding {@code bytes[from, to)}, allocated (and tracked) here. */
    public ByteBuf copy(byte[] bytes, int from, int to) {
        return heapBuffer(to - from, to - from).writeBytes(bytes, from, to - from);
    }

    /** The buffers handed out and not released; the message names the first few. */
    public List<String> unreleased() {
        List<String> out = new ArrayList<>();
        for (ByteBuf b : handedOut) {
            if (b.refCnt() != 0) {
                out.add(b.getClass().getSimpleName() + " refCnt=" + b.refCnt() + " capacity=" + b.capacity());
            }
        }
        return out;
    }

    int handedOutCount() {
        return handedOut.size();
    }
}
