package dev.boltflow.transport.netty;

import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.noise.EphemeralKeySource;
import dev.boltflow.core.noise.HandshakeException;
import dev.boltflow.core.noise.HandshakeResult;
import dev.boltflow.core.noise.MessageTooLongException;
import dev.boltflow.core.noise.NoiseHandshake;
import dev.boltflow.core.noise.TransportCipher;
import dev.boltflow.transport.CloseReason;
import dev.boltflow.transport.CloseReason.Kind;
import dev.boltflow.transport.PeerClosedException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * BOLT 8 for one channel: runs the handshake as initiator or responder, then turns the byte stream
 * into decrypted Lightning messages and back. Holds cipher state, so one instance per channel;
 * never {@code @Sharable}. Everything runs on the channel's event loop.
 *
 * <p>Inbound it emits each decrypted message as a {@code byte[]} (type ‖ payload): there is no
 * buffer left to release downstream. Outbound it accepts {@code byte[]} messages (or a
 * {@link ByteBuf}, which it copies and releases) and writes one buffer per encrypted frame. Writes
 * made before the handshake completes are queued and sent, in order, right after it; once the
 * handshake is done it fires {@link NoiseHandshakeCompletedEvent}.
 *
 * <p>Any failure — a bad act, a bad MAC, a frame longer than allowed, the handshake timeout —
 * records a {@link CloseReason} (see {@link PeerChannels}) and closes the channel; nothing more is
 * read or written.
 */
public final class NoiseHandler extends ByteToMessageDecoder implements ChannelOutboundHandler {
    private static final byte[] NO_BYTES = new byte[0];

    private enum State {
        /** Not started: the channel is not active yet. */
        IDLE,
        /** Responder waiting for act one. */
        AWAIT_ACT_ONE,
        /** Initiator waiting for act two. */
        AWAIT_ACT_TWO,
        /** Responder waiting for act three. */
        AWAIT_ACT_THREE,
        /** Handshake done: encrypted frames. */
        FRAMES,
        /** Closed after a failure: everything is discarded. */
        FAILED
    }

    private final NoiseHandshake.Initiator initiator;
    private final NoiseHandshake.Responder responder;
    private final long handshakeTimeoutNanos;
    private final int maxMessageLength;
    /** Reused for every frame header. */
    private final byte[] header = new byte[TransportCipher.HEADER_LENGTH];
    /** Reused for frame bodies when the cumulation has no backing array; grows to the largest body. */
    private byte[] scratch = NO_BYTES;
    /** Writes made before the handshake completed; plaintext only, never a buffer. */
    private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();

    private State state = State.IDLE;
    private TransportCipher cipher;
    private int bodyLength = -1;
    private ScheduledFuture<?> timeout;

    private NoiseHandler(NoiseHandshake.Initiator initiator, NoiseHandshake.Responder responder,
                         Duration handshakeTimeout, int maxMessageLength) {
        this.initiator = initiator;
        this.responder = responder;
        this.handshakeTimeoutNanos = handshakeTimeout.toNanos();
        if (handshakeTimeoutNanos <= 0) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
        if (maxMessageLength < 0 || maxMessageLength > TransportCipher.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("maxMessageLength must be in [0, 65535]: " + maxMessageLength);
        }
        this.maxMessageLength = maxMessageLength;
    }

    /** The dialling side: it knows whom it calls, and sends act one as soon as the channel is active. */
    public static NoiseHandler initiator(PrivateKey localKey, PublicKey remoteNodeId, EphemeralKeySource ephemeral,
                                         Duration handshakeTimeout, int maxMessageLength) {
        return new NoiseHandler(NoiseHandshake.initiator(localKey, remoteNodeId, ephemeral), null,
                Objects.requireNonNull(handshakeTimeout, "handshakeTimeout"), maxMessageLength);
    }

    /** The accepting side: it learns who called in act three. */
    public static NoiseHandler responder(PrivateKey localKey, EphemeralKeySource ephemeral,
                                         Duration handshakeTimeout, int maxMessageLength) {
        return new NoiseHandler(null, NoiseHandshake.responder(localKey, ephemeral),
                Objects.requireNonNull(handshakeTimeout, "handshakeTimeout"), maxMessageLength);
    }

    /** True once the handshake has completed (and no failure happened since). */
    public boolean isHandshakeComplete() {
        return state == State.FRAMES;
    }

    // ---- lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // Let the rest of the pipeline see the channel first (reactor-netty switches auto-read off
        // there); then start, asking for reads ourselves while the handshake needs them.
        ctx.fireChannelActive();
        start(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (state != State.IDLE || !ctx.channel().isActive()) {
            return;
        }
        timeout = ctx.executor().schedule(
                () -> fail(ctx, CloseReason.of(Kind.HANDSHAKE_TIMEOUT,
                        "BOLT 8 handshake not complete after " + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos) + " ms")),
                handshakeTimeoutNanos, TimeUnit.NANOSECONDS);
        if (initiator != null) {
            state = State.AWAIT_ACT_TWO;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(initiator.actOne()))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } else {
            state = State.AWAIT_ACT_ONE;
        }
        readIfNeeded(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        if (state != State.FRAMES && state != State.FAILED) {
            readIfNeeded(ctx); // the handshake needs bytes whoever else is reading
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // Decodes what is left, then calls decodeLast, which names a handshake cut short.
        super.channelInactive(ctx);
        cancelTimeout();
        CloseReason reason = CloseReason.of(Kind.REMOTE_CLOSED, "peer closed the connection");
        PeerChannels.recordReason(ctx.channel(), reason);
        failPending(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
        failPending(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Socket errors arrive here first; the connection cannot continue.
        fail(ctx, CloseReason.of(Kind.IO_ERROR, String.valueOf(cause)));
    }

    // ---- inbound

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case AWAIT_ACT_ONE:
                    if (in.readableBytes() >= NoiseHandshake.ACT_ONE_LENGTH) {
                        byte[] actTwo = responder.actTwo(readArray(in, NoiseHandshake.ACT_ONE_LENGTH));
                        state = State.AWAIT_ACT_THREE;
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(actTwo)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                    }
                    break;
                case AWAIT_ACT_TWO:
                    if (in.readableBytes() >= NoiseHandshake.ACT_TWO_LENGTH) {
                        byte[] actThree = initiator.actThree(readArray(in, NoiseHandshake.ACT_TWO_LENGTH));
                        // BOLT 8: act three goes out before any message.
                        ctx.write(Unpooled.wrappedBuffer(actThree)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                        complete(ctx, initiator.result());
                    }
                    break;
                case AWAIT_ACT_THREE:
                    if (in.readableBytes() >= NoiseHandshake.ACT_THREE_LENGTH) {
                        complete(ctx, responder.complete(readArray(in, NoiseHandshake.ACT_THREE_LENGTH)));
                    }
                    break;
                case FRAMES:
                    decodeFrame(ctx, in, out);
                    break;
                case FAILED:
                    in.skipBytes(in.readableBytes());
                    break;
                default:
                    break; // IDLE: nothing can arrive before the channel is active
            }
        } catch (HandshakeException e) {
            // BOLT 8: a bad act aborts the connection attempt.
            fail(ctx, CloseReason.of(Kind.HANDSHAKE_FAILED, e.getMessage()));
            in.skipBytes(in.readableBytes());
        } catch (AuthenticationException e) {
            // BOLT 8, Receiving and Decrypting Messages: a MAC failure terminates the connection.
            fail(ctx, CloseReason.of(Kind.BAD_MAC, e.getMessage()));
            in.skipBytes(in.readableBytes());
        }
    }

    /** One frame: the 18-byte header, then {@code length + 16} bytes (BOLT 8). */
    private void decodeFrame(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (bodyLength < 0) {
            if (in.readableBytes() < TransportCipher.HEADER_LENGTH) {
                return;
            }
            in.readBytes(header);
            int length = cipher.decryptLength(header, 0);
            if (length > maxMessageLength) {
                fail(ctx, CloseReason.of(Kind.FRAME_TOO_LARGE,
                        "frame announces " + length + " bytes, more than " + maxMessageLength));
                in.skipBytes(in.readableBytes());
                return;
            }
            bodyLength = length;
        }
        int n = bodyLength + TransportCipher.MAC_LENGTH;
        if (in.readableBytes() < n) {
            return;
        }
        byte[] message;
        if (in.hasArray()) {
            message = cipher.decryptBody(in.array(), in.arrayOffset() + in.readerIndex(), n);
        } else {
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, Math.min(2 * scratch.length, TransportCipher.MAX_FRAME_LENGTH))];
            }
            in.getBytes(in.readerIndex(), scratch, 0, n);
            message = cipher.decryptBody(scratch, 0, n);
        }
        in.skipBytes(n);
        bodyLength = -1;
        out.add(message);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        // Complete frames were decoded before this call; what is left is a partial act or frame.
        switch (state) {
            case AWAIT_ACT_ONE:
                handshakeCutShort(ctx, in, "ACT1_READ_FAILED", "act one", NoiseHandshake.ACT_ONE_LENGTH);
                break;
            case AWAIT_ACT_TWO:
                handshakeCutShort(ctx, in, "ACT2_READ_FAILED", "act two", NoiseHandshake.ACT_TWO_LENGTH);
                break;
            case AWAIT_ACT_THREE:
                handshakeCutShort(ctx, in, "ACT3_READ_FAILED", "act three", NoiseHandshake.ACT_THREE_LENGTH);
                break;
            case FRAMES:
                if (in.isReadable() || bodyLength >= 0) {
                    PeerChannels.recordReason(ctx.channel(), CloseReason.of(Kind.REMOTE_CLOSED,
                            "peer closed the connection in the middle of a frame"));
                }
                break;
            default:
                break;
        }
        if (state != State.FRAMES) {
            state = State.FAILED;
        }
        in.skipBytes(in.readableBytes());
        // Before channelInactive travels on, so every later handler sees a reason.
        PeerChannels.recordReason(ctx.channel(), CloseReason.of(Kind.REMOTE_CLOSED, "peer closed the connection"));
    }

    private void handshakeCutShort(ChannelHandlerContext ctx, ByteBuf in, String code, String act, int length) {
        CloseReason reason = in.isReadable()
                ? CloseReason.of(Kind.HANDSHAKE_FAILED, code + ": connection closed after "
                        + in.readableBytes() + " of " + length + " bytes of " + act)
                : CloseReason.of(Kind.REMOTE_CLOSED, "peer closed the connection while we waited for " + act);
        PeerChannels.recordReason(ctx.channel(), reason);
    }

    private void complete(ChannelHandlerContext ctx, HandshakeResult result) {
        cancelTimeout();
        cipher = result.cipher();
        state = State.FRAMES;
        ctx.channel().attr(PeerChannels.REMOTE_NODE_ID).set(result.remoteStatic());
        PendingWrite w;
        while ((w = pending.poll()) != null) {
            encryptAndWrite(ctx, w.message, w.promise);
        }
        ctx.flush();
        ctx.fireUserEventTriggered(new NoiseHandshakeCompletedEvent(result.remoteStatic(), initiator != null));
    }

    private void fail(ChannelHandlerContext ctx, CloseReason reason) {
        if (state == State.FAILED) {
            return;
        }
        state = State.FAILED;
        cancelTimeout();
        PeerChannels.close(ctx.channel(), reason);
        failPending(ctx);
    }

    // ---- outbound

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        byte[] message;
        if (msg instanceof byte[]) {
            message = (byte[]) msg;
        } else if (msg instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                message = ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new UnsupportedMessageTypeException(msg, byte[].class, ByteBuf.class));
            return;
        }
        switch (state) {
            case FRAMES:
                encryptAndWrite(ctx, message, promise);
                break;
            case FAILED:
                promise.tryFailure(closed(ctx));
                break;
            default:
                pending.add(new PendingWrite(message, promise));
                break;
        }
    }

    /** BOLT 8, Encrypting and Sending Messages: one buffer per frame. */
    private void encryptAndWrite(ChannelHandlerContext ctx, byte[] message, ChannelPromise promise) {
        byte[] frame;
        try {
            frame = cipher.encrypt(message);
        } catch (MessageTooLongException e) {
            promise.tryFailure(e);
            return;
        }
        ctx.write(Unpooled.wrappedBuffer(frame), promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        // Before the handshake completes only the acts are on the wire, and they flush themselves.
        if (state == State.FRAMES || state == State.FAILED) {
            ctx.flush();
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        ctx.bind(localAddress, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
                        ChannelPromise promise) {
        ctx.connect(remoteAddress, localAddress, promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        // A close asked for through the pipeline with no reason recorded is a plain local close.
        PeerChannels.recordReason(ctx.channel(), CloseReason.of(Kind.LOCAL_DISCONNECT, "closed locally"));
        ctx.close(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    // ---- helpers

    private void failPending(ChannelHandlerContext ctx) {
        if (pending.isEmpty()) {
            return;
        }
        PeerClosedException e = closed(ctx);
        PendingWrite w;
        while ((w = pending.poll()) != null) {
            w.promise.tryFailure(e);
        }
    }

    private static PeerClosedException closed(ChannelHandlerContext ctx) {
        return new PeerClosedException(PeerChannels.closeReason(ctx.channel())
                .orElse(CloseReason.of(Kind.REMOTE_CLOSED, "connection closed")));
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private static void readIfNeeded(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    private static byte[] readArray(ByteBuf in, int length) {
        byte[] out = new byte[length];
        in.readBytes(out);
        return out;
    }

    /** A write waiting for the handshake. Holds plaintext bytes, never a buffer. */
    private static final class PendingWrite {
        final byte[] message;
        final ChannelPromise promise;

        PendingWrite(byte[] message, ChannelPromise promise) {
            this.message = message;
            this.promise = promise;
        }
    }
}
