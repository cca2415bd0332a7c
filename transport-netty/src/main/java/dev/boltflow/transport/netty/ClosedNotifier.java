package dev.boltflow.transport.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Signals the end of a connection once {@code channelInactive} has passed our handlers, so the
 * close reason they record is there to read. (A channel's close future completes earlier, before
 * {@code channelInactive} runs.) Per channel.
 */
final class ClosedNotifier extends ChannelInboundHandlerAdapter {
    private final Runnable onClosed;
    private final Sinks.Empty<Void> closed = Sinks.empty();

    ClosedNotifier(Runnable onClosed) {
        this.onClosed = Objects.requireNonNull(onClosed, "onClosed");
    }

    /** Completes once the channel is inactive and its reason is recorded. */
    Mono<Void> onClosed() {
        return closed.asMono();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        try {
            onClosed.run();
        } finally {
            closed.tryEmitEmpty();
            ctx.fireChannelInactive();
        }
    }
}
