package dev.boltflow.transport.netty;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.CloseReason.Kind;
import dev.boltflow.transport.PeerClosedException;
import dev.boltflow.transport.TransportConfig;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BOLT 1 connection behaviour above {@link WireCodecHandler}: once {@link NoiseHandshakeCompletedEvent}
 * arrives it sends our {@code init}, waits for the peer's and checks it; then answers {@code ping}s,
 * pings the peer when an {@link IdleStateEvent} ({@link IdleState#READER_IDLE}) says it has been
 * silent and closes it if the {@code pong} misses the deadline. {@code warning} and {@code error}
 * are logged; they, {@code onion_message}s, the BOLT 7 messages and unknown odd messages travel on. {@code init},
 * {@code ping} and {@code pong} stop here.
 *
 * <p>Writes from above wait until both {@code init}s have been exchanged (BOLT 1: "MUST wait to
 * receive init before sending any other messages"). When that happens {@link #initFuture()}
 * succeeds and {@link PeerInitializedEvent} is fired; if the channel closes first the future
 * fails with {@link PeerClosedException}. Per channel; never {@code @Sharable}.
 */
public final class Bolt1Handler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(Bolt1Handler.class);
    /** num_pong_bytes of our pings; the pong must carry exactly this many ignored bytes. */
    static final int PING_PONG_BYTES = 8;

    private enum State { AWAIT_TRANSPORT, AWAIT_INIT, READY, CLOSED }

    private final WireMessage.Init ourInit;
    private final Bytes32 chainHash;
    private final long initTimeoutNanos;
    private final long pongDeadlineNanos;

    private State state = State.AWAIT_TRANSPORT;
    private PublicKey remoteNodeId;
    private Promise<PeerInitializedEvent> initFuture;
    private PendingWriteQueue pending;
    private ScheduledFuture<?> initTimer;
    private ScheduledFuture<?> pongTimer;

    public Bolt1Handler(TransportConfig config) {
        Objects.requireNonNull(config, "config");
        this.chainHash = config.chainHash();
        this.ourInit = WireMessage.Init.of(config.features()).withNetworks(List.of(config.chainHash()));
        this.initTimeoutNanos = config.handshakeTimeout().toNanos();
        this.pongDeadlineNanos = config.pongDeadline().toNanos();
    }

    /**
     * Succeeds with the peer's id and {@code init} once both {@code init}s are exchanged; fails
     * with {@link PeerClosedException} if the channel closes before. Available once the handler
     * is in a pipeline.
     */
    public Future<PeerInitializedEvent> initFuture() {
        if (initFuture == null) {
            throw new IllegalStateException("not added to a pipeline yet");
        }
        return initFuture;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        initFuture = ctx.executor().newPromise();
        pending = new PendingWriteQueue(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        shutdown(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        shutdown(ctx);
        ctx.fireChannelInactive();
    }

    private void shutdown(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        cancelTimers();
        if (!initFuture.isDone() || !pending.isEmpty()) {
            PeerClosedException e = new PeerClosedException(PeerChannels.closeReason(ctx.channel())
                    .orElse(CloseReason.of(Kind.REMOTE_CLOSED, "connection closed")));
            initFuture.tryFailure(e);
            pending.removeAndFailAll(e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.error("unexpected error on {}", ctx.channel(), cause);
        close(ctx, Kind.INTERNAL_ERROR, String.valueOf(cause));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof NoiseHandshakeCompletedEvent && state == State.AWAIT_TRANSPORT) {
            remoteNodeId = ((NoiseHandshakeCompletedEvent) evt).remoteNodeId();
            state = State.AWAIT_INIT;
            // BOLT 1: "MUST send init as the first Lightning message for any connection."
            ctx.writeAndFlush(ourInit).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            initTimer = ctx.executor().schedule(
                    () -> close(ctx, Kind.INIT_TIMEOUT, "no init within " + initTimeoutNanos / 1_000_000 + " ms"),
                    initTimeoutNanos, TimeUnit.NANOSECONDS);
            ctx.fireUserEventTriggered(evt);
            readIfNeeded(ctx);
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (state == State.READY && ((IdleStateEvent) evt).state() == IdleState.READER_IDLE) {
                sendPing(ctx);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WireMessage)) {
            ctx.fireChannelRead(msg);
            return;
        }
        WireMessage message = (WireMessage) msg;
        switch (state) {
            case AWAIT_INIT:
                if (message.type() != WireMessage.INIT) {
                    close(ctx, Kind.PROTOCOL_VIOLATION, "expected init first, got message type " + message.type());
                } else {
                    onInit(ctx, (WireMessage.Init) message);
                }
                break;
            case READY:
                onMessage(ctx, message);
                break;
            default:
                break; // closing: drop what is still arriving
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == State.AWAIT_INIT) {
            readIfNeeded(ctx); // we need the peer's init whoever else is reading
        }
        ctx.fireChannelReadComplete();
    }

    private void onInit(ChannelHandlerContext ctx, WireMessage.Init init) {
        // BOLT 1: "MUST combine (bitwise OR) the two feature bitmaps into one logical features map."
        Features features = init.combinedFeatures();
        List<Integer> unknownEven = features.unknownEvenBits();
        if (!unknownEven.isEmpty()) {
            // BOLT 1: "upon receiving unknown even feature bits that are non-zero: MUST close the connection."
            refuse(ctx, Kind.INCOMPATIBLE_FEATURES, "unknown even feature bits " + unknownEven);
            return;
        }
        Set<Features.Feature> missing = features.missingDependencies();
        if (!missing.isEmpty()) {
            // BOLT 1: "if the feature vector does not set all known, transitive dependencies: MUST close."
            refuse(ctx, Kind.INCOMPATIBLE_FEATURES, "features without their dependencies: " + missing);
            return;
        }
        if (init.networks().isPresent() && !init.networks().get().contains(chainHash)) {
            // BOLT 1: "upon receiving networks containing no common chains: MAY close the connection."
            refuse(ctx, Kind.INCOMPATIBLE_CHAIN, "peer's networks " + init.networks().get() + " lack " + chainHash);
            return;
        }
        cancelTimers();
        state = State.READY;
        PeerInitializedEvent event = new PeerInitializedEvent(remoteNodeId, init);
        pending.removeAndWriteAll();
        ctx.flush();
        initFuture.trySuccess(event);
        ctx.fireUserEventTriggered(event);
    }

    private void onMessage(ChannelHandlerContext ctx, WireMessage message) {
        switch (message.type()) {
            case WireMessage.INIT:
                log.debug("ignoring a second init from {}", remoteNodeId);
                break;
            case WireMessage.PING: {
                WireMessage.Ping ping = (WireMessage.Ping) message;
                // BOLT 1: answer with num_pong_bytes zeros if below 65532, else ignore.
                if (ping.expectsPong()) {
                    if (ctx.channel().isWritable()) {
                        ctx.writeAndFlush(ping.pong());
                    } else {
                        // BOLT 1 allows "limited precautions against ping flooding": a peer that
                        // pings but does not read gets no more pongs piled up in our buffer.
                        log.debug("not answering a ping from {}: outbound buffer full", remoteNodeId);
                    }
                }
                break;
            }
            case WireMessage.PONG:
                if (pongTimer != null && ((WireMessage.Pong) message).ignoredLength() == PING_PONG_BYTES) {
                    pongTimer.cancel(false);
                    pongTimer = null;
                } else {
                    // BOLT 1: a pong matching no ping "MAY close"; we only note it.
                    log.debug("unsolicited pong from {}", remoteNodeId);
                }
                break;
            case WireMessage.WARNING:
                // BOLT 1: "SHOULD log the message for later diagnosis"; printableData never prints raw bytes.
                log.warn("warning from {}: {}", remoteNodeId, ((WireMessage.Warning) message).printableData());
                ctx.fireChannelRead(message);
                break;
            case WireMessage.ERROR:
                log.warn("error from {}: {}", remoteNodeId, ((WireMessage.Error) message).printableData());
                ctx.fireChannelRead(message);
                break;
            default:
                ctx.fireChannelRead(message);
                break;
        }
    }

    private void sendPing(ChannelHandlerContext ctx) {
        if (pongTimer != null) {
            return; // one outstanding ping at a time
        }
        ctx.writeAndFlush(new WireMessage.Ping(PING_PONG_BYTES, 0));
        pongTimer = ctx.executor().schedule(
                () -> close(ctx, Kind.PONG_TIMEOUT, "no pong within " + pongDeadlineNanos / 1_000_000 + " ms"),
                pongDeadlineNanos, TimeUnit.NANOSECONDS);
    }

    /** Tells the peer why in a {@code warning}, then closes. */
    private void refuse(ChannelHandlerContext ctx, Kind kind, String detail) {
        state = State.CLOSED;
        cancelTimers();
        PeerChannels.recordReason(ctx.channel(), CloseReason.of(kind, detail));
        ctx.writeAndFlush(WireMessage.Warning.of(detail)).addListener(ChannelFutureListener.CLOSE);
    }

    private void close(ChannelHandlerContext ctx, Kind kind, String detail) {
        state = State.CLOSED;
        cancelTimers();
        PeerChannels.close(ctx.channel(), CloseReason.of(kind, detail));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        switch (state) {
            case READY:
                ctx.write(msg, promise);
                break;
            case CLOSED:
                ReferenceCountUtil.release(msg);
                promise.tryFailure(new PeerClosedException(PeerChannels.closeReason(ctx.channel())
                        .orElse(CloseReason.of(Kind.REMOTE_CLOSED, "connection closed"))));
                break;
            default:
                pending.add(msg, promise);
                break;
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (state == State.READY || state == State.CLOSED) {
            ctx.flush();
        }
    }

    private void cancelTimers() {
        if (initTimer != null) {
            initTimer.cancel(false);
            initTimer = null;
        }
        if (pongTimer != null) {
            pongTimer.cancel(false);
            pongTimer = null;
        }
    }

    private static void readIfNeeded(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }
}
