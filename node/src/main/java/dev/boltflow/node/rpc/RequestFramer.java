package dev.boltflow.node.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.json.JsonObjectDecoder;
import java.util.List;

/**
 * Splits the byte stream into JSON objects sent back to back, with or without whitespace between
 * them (Core Lightning's clients send no newline). Netty's {@link JsonObjectDecoder} only matches
 * braces; the JSON itself is parsed later. Not {@code @Sharable}: one per connection.
 *
 * <p>The limit: {@link JsonObjectDecoder} refuses once its buffer's writer index passes
 * {@code maxObjectLength}, which would count requests already consumed from the same buffer; we
 * compact the buffer first, so the limit applies to the bytes received and not yet framed (the
 * current request, plus whatever part of the next one came in the same socket read).
 */
final class RequestFramer extends JsonObjectDecoder {
    private final int maxObjectLength;

    RequestFramer(int maxObjectLength) {
        super(maxObjectLength);
        this.maxObjectLength = maxObjectLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (in.writerIndex() > maxObjectLength && in.readerIndex() > 0) {
            in.discardReadBytes();
        }
        super.decode(ctx, in, out);
    }
}
