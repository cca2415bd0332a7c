package dev.boltflow.node.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.json.JsonObjectDecoder;
import java.util.List;

/**
 * Splits the byte stream into JSON objects sent back to back, with or without whitespace between
 * them (Core Lightning's clients send no newline). Netty's {@link JsonObjectDecoder} only matches
 * braces; the JSON itself is parsed later. Not {@code @Sharable}: one per connection.
 *
 * <p>The limit is on one request: at most {@code maxObjectLength} bytes from the end of the
 * previous request (whitespace included) to its closing brace. {@link JsonObjectDecoder} alone
 * compares its whole buffer with the limit, so many small requests arriving in one read would
 * count as one large one; we hand it a window of at most {@code maxObjectLength} unread bytes
 * instead, and declare the request too long when the window is full, more bytes wait, and no
 * request ended in it. From then on every byte is discarded: the tail of an oversized request can
 * look like requests, so there is no resynchronising.
 */
final class RequestFramer extends JsonObjectDecoder {
    private final int maxObjectLength;
    private boolean discarding;

    RequestFramer(int maxObjectLength) {
        super(maxObjectLength);
        this.maxObjectLength = maxObjectLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int window = Math.min(in.readableBytes(), maxObjectLength);
        ByteBuf view = in.slice(in.readerIndex(), window);
        int before = out.size();
        try {
            super.decode(ctx, view, out);
        } finally {
            // The decoder tracks its scan position relative to the reader index, so windows that
            // start where the last one stopped reading continue its scan.
            in.skipBytes(view.readerIndex());
        }
        if (out.size() == before && view.readerIndex() == 0 && window == maxObjectLength
                && in.readableBytes() > maxObjectLength) {
            discarding = true;
            in.skipBytes(in.readableBytes());
            throw new TooLongFrameException("request over " + maxObjectLength + " bytes");
        }
    }
}
