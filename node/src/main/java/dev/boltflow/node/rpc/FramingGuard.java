package dev.boltflow.node.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits after {@link RequestFramer}. When framing fails (bytes outside any JSON object, or a request
 * over the limit) the stream cannot be trusted any more: the rest of an oversized request could
 * even hold a well-formed object. So the failure becomes one {@link FramingError} message, passed
 * on in order after the requests framed before it, and everything read afterwards is dropped. The
 * server answers it and closes the connection. Likewise when the client shuts down its sending
 * side ({@link EndOfRequests}): the server answers what it has and closes. One per connection.
 */
final class FramingGuard extends ChannelInboundHandlerAdapter {
    /** The last inbound message of a connection whose framing broke. */
    record FramingError(RpcException error) {
    }

    /** The client shut down its sending side: no more requests, the answers are still due. */
    enum EndOfRequests {
        INSTANCE
    }

    private final int maxObjectLength;
    private boolean failed;

    FramingGuard(int maxObjectLength) {
        this.maxObjectLength = maxObjectLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !failed) {
            failed = true;
            ctx.fireChannelRead(EndOfRequests.INSTANCE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof DecoderException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (failed) {
            return;
        }
        failed = true;
        RpcException error = cause instanceof TooLongFrameException
                ? RpcException.invalidRequest("request too large: over " + maxObjectLength
                        + " bytes; closing the connection")
                : RpcException.parseError("not a JSON object where a request should start; closing the connection");
        ctx.fireChannelRead(new FramingError(error));
    }
}
