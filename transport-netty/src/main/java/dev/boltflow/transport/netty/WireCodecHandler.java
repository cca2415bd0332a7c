package dev.boltflow.transport.netty;

import dev.boltflow.core.wire.WireCodec;
import dev.boltflow.core.wire.WireDecodeException;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.CloseReason.Kind;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypted message bytes ({@code byte[]} from {@link NoiseHandler}) to {@link WireMessage} records
 * and back (BOLT 1, Lightning Message Format). A message BOLT 1 says to close on (unknown even
 * type, too short, invalid extension) closes the connection with its reason; a known message with
 * an invalid field is logged and dropped. {@code byte[]} written outbound passes through unchanged
 * (already encoded). Per channel (it remembers that it closed); never {@code @Sharable}.
 */
public final class WireCodecHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(WireCodecHandler.class);

    private boolean closing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof byte[])) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) {
            return; // frames decoded in the same read after we decided to close
        }
        WireMessage message;
        try {
            message = WireCodec.decode((byte[]) msg);
        } catch (WireDecodeException e) {
            if (e.mustCloseConnection()) {
                closing = true;
                Kind kind = e.kind() == WireDecodeException.Kind.UNKNOWN_EVEN_TYPE
                        ? Kind.UNKNOWN_EVEN_MESSAGE : Kind.MALFORMED_MESSAGE;
                PeerChannels.close(ctx.channel(), CloseReason.of(kind, e.getMessage()));
            } else {
                log.warn("ignoring message from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            }
            return;
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof WireMessage) {
            byte[] encoded;
            try {
                encoded = WireCodec.encode((WireMessage) msg);
            } catch (IllegalArgumentException e) {
                promise.tryFailure(e); // longer than 65535 bytes: refused, the connection stays
                return;
            }
            ctx.write(encoded, promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
