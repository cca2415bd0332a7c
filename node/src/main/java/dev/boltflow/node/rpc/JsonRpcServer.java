package dev.boltflow.node.rpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.FutureMono;
import reactor.netty.NettyInbound;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * Core Lightning's JSON-RPC 2.0 interface on a Unix domain socket ({@code DIR/NETWORK/lightning-rpc}).
 *
 * <ul>
 * <li><b>Framing.</b> Requests are JSON objects sent back to back, newlines optional
 * ({@link RequestFramer}). Each response is one JSON object followed by {@code "\n\n"}, the end
 * marker Core Lightning writes and pyln-client waits for.</li>
 * <li><b>Errors that keep the connection.</b> A framed request that is not valid JSON: -32700.
 * Valid JSON that is not a request object (an array, no {@code id}, no {@code method},
 * {@code jsonrpc} present but not {@code "2.0"}): -32600. A missing {@code jsonrpc} is accepted, as
 * Core Lightning does; a request needs an {@code id} (string or number), as in Core Lightning, so
 * there are no notifications. Unknown method -32601; bad params -32602; a
 * {@link dev.boltflow.core.sendinvoice.SendInvoiceException} gives its own code, message and data;
 * anything else -1 with a short message (the stack trace goes to the log only). Errors about the
 * request itself answer {@code "id": null} when no usable id was read.</li>
 * <li><b>Errors that close the connection.</b> When the stream cannot be framed any more, after
 * the responses to the requests before it: bytes outside any JSON object (-32700), or a request
 * over {@link Limits#maxRequestBytes()} (-32600: the rest of it cannot be told apart from
 * requests, so there is no resynchronising). Clients reconnect; the server keeps serving.</li>
 * <li><b>Concurrency.</b> Like Core Lightning, requests on one connection run concurrently and
 * answer in completion order, matched by {@code id}; at most
 * {@link Limits#maxConcurrentRequests()} run at once per connection, after which the connection
 * stops being read until one finishes. At most {@link Limits#maxConnections()} connections are
 * served at once; one more is answered with a single error ({@value #TOO_MANY_CONNECTIONS},
 * {@code "id": null}), logged, and closed, while the others carry on.</li>
 * <li><b>The socket file.</b> Bound inside a fresh 0700 directory, set to 0600, then hard-linked
 * to its name, so it is never reachable with wider permissions. A socket file nobody listens on is
 * deleted at start; a live one (or a non-socket file) makes start fail with
 * {@link SocketInUseException}. {@link #close()} deletes the file if it is still ours.</li>
 * <li><b>Half-closure.</b> A client may shut down its sending side after its requests
 * ({@code socat}, {@code nc -N}): the server answers them, then closes.</li>
 * <li><b>Threads.</b> Own {@link LoopResources} on the native transport (epoll, or kqueue on macOS), disposed by
 * {@link #close()}. Handlers run on the connection's event loop: they must not block.</li>
 * </ul>
 */
public final class JsonRpcServer {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcServer.class);

    /** The socket's file name, as Core Lightning's. */
    public static final String SOCKET_NAME = "lightning-rpc";
    public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    /** JSON-RPC's implementation-defined server error range: the server refuses this connection. */
    public static final int TOO_MANY_CONNECTIONS = -32000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final byte[] END = {'\n', '\n'};
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("boltflow.rpc.refused");

    /**
     * What one client may take: the size of a request, the requests in flight per connection, and
     * the connections open at once (all clients together).
     */
    public record Limits(int maxRequestBytes, int maxConcurrentRequests, int maxConnections) {
        public Limits {
            if (maxRequestBytes < 64) {
                throw new IllegalArgumentException("maxRequestBytes must be at least 64, got " + maxRequestBytes);
            }
            if (maxConcurrentRequests < 1) {
                throw new IllegalArgumentException("maxConcurrentRequests must be at least 1, got " + maxConcurrentRequests);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
            }
        }

        /** 4 MiB per request, 64 requests in flight per connection, 64 connections. */
        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_CONNECTIONS);
        }

        public Limits withMaxRequestBytes(int n) {
            return new Limits(n, maxConcurrentRequests, maxConnections);
        }

        public Limits withMaxConcurrentRequests(int n) {
            return new Limits(maxRequestBytes, n, maxConnections);
        }

        public Limits withMaxConnections(int n) {
            return new Limits(maxRequestBytes, maxConcurrentRequests, n);
        }
    }

    /** The socket file is taken: another server listens on it, or it is not a socket. */
    public static final class SocketInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public SocketInUseException(String message) {
            super(message);
        }
    }

    private final Path socket;
    private final Object inode;
    private final LoopResources loops;
    private final DisposableServer server;
    private final Set<Channel> channels;
    private final Mono<Void> closing;

    private JsonRpcServer(Path socket, Object inode, LoopResources loops, DisposableServer server, Set<Channel> channels) {
        this.socket = socket;
        this.inode = inode;
        this.loops = loops;
        this.server = server;
        this.channels = channels;
        this.closing = Mono.defer(this::doClose).cache();
    }

    /** Core Lightning's socket location: {@code dataDir/network/lightning-rpc}. */
    public static Path socketPath(Path dataDir, String network) {
        return dataDir.resolve(network).resolve(SOCKET_NAME);
    }

    /** Starts serving {@code methods} on {@code socket} with the default limits. */
    public static Mono<JsonRpcServer> start(Path socket, RpcMethods methods) {
        return start(socket, methods, Limits.defaults());
    }

    /**
     * Starts serving {@code methods} on {@code socket}; emits once the socket file is in place.
     * Fails with {@link SocketInUseException} if another server listens there.
     */
    public static Mono<JsonRpcServer> start(Path socket, RpcMethods methods, Limits limits) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(methods, "methods");
        Objects.requireNonNull(limits, "limits");
        Path target = socket.toAbsolutePath();
        return Mono.fromCallable(() -> {
            if (!LoopResources.hasNativeSupport()) {
                // Netty 4.1 serves Unix domain sockets only natively (epoll on Linux, kqueue on macOS).
                throw new IllegalStateException("the JSON-RPC socket needs Netty's native transport (epoll or "
                        + "kqueue), which this build does not carry for " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"));
            }
            SocketFiles.prepare(target);
            return SocketFiles.privateBindPath(target);
        }).subscribeOn(Schedulers.boundedElastic()).flatMap(bindPath -> bind(target, bindPath, methods, limits));
    }

    private static Mono<JsonRpcServer> bind(Path target, Path bindPath, RpcMethods methods, Limits limits) {
        LoopResources loops = LoopResources.create("boltflow-rpc", 1,
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), true);
        Set<Channel> channels = ConcurrentHashMap.newKeySet();
        AtomicInteger open = new AtomicInteger();
        RpcDispatcher dispatcher = new RpcDispatcher(methods);
        return TcpServer.create()
                .runOn(loops, true)
                .bindAddress(() -> new DomainSocketAddress(bindPath.toString()))
                // A client that shuts down its sending side (echo … | socat, nc -N) still gets its answers.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .doOnChannelInit((observer, channel, remote) -> {
                    channels.add(channel);
                    channel.closeFuture().addListener(f -> channels.remove(channel));
                    if (open.incrementAndGet() > limits.maxConnections()) {
                        open.decrementAndGet();
                        channel.attr(REFUSED).set(Boolean.TRUE);
                        log.warn("JSON-RPC: refusing a connection, {} already open (the limit)", limits.maxConnections());
                        return; // not framed: its input is never read as requests
                    }
                    channel.closeFuture().addListener(f -> open.decrementAndGet());
                    channel.pipeline()
                            .addBefore(NettyPipeline.ReactiveBridge, "rpc.framer", new RequestFramer(limits.maxRequestBytes()))
                            .addBefore(NettyPipeline.ReactiveBridge, "rpc.guard", new FramingGuard(limits.maxRequestBytes()));
                })
                .handle((in, out) -> {
                    Channel[] channel = new Channel[1];
                    in.withConnection(c -> channel[0] = c.channel());
                    if (channel[0].hasAttr(REFUSED)) {
                        return out.sendByteArray(Mono.just(encode(RpcDispatcher.error(NullNode.instance,
                                new RpcException(TOO_MANY_CONNECTIONS, "too many JSON-RPC connections (over "
                                        + limits.maxConnections() + "); closing this one")))));
                    }
                    return out.sendByteArray(responses(in, dispatcher, limits));
                })
                .bind()
                .flatMap(s -> Mono.fromCallable(() -> SocketFiles.publish(bindPath, target))
                        .subscribeOn(Schedulers.boundedElastic())
                        .map(inode -> new JsonRpcServer(target, inode, loops, s, channels))
                        .onErrorResume(e -> {
                            s.dispose();
                            return s.onDispose().onErrorResume(x -> Mono.empty()).then(Mono.error(e));
                        }))
                .doOnNext(server -> log.info("JSON-RPC listening on {}", target))
                .onErrorResume(e -> {
                    SocketFiles.discardBindPath(bindPath);
                    return loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5))
                            .onErrorResume(x -> Mono.empty()).then(Mono.error(e));
                });
    }

    /**
     * One request as read from the connection: a JSON value, or an error to answer instead, or
     * neither (the end of the requests); {@code last} ends the connection's requests.
     */
    private record Incoming(JsonNode request, RpcException error, boolean last) {
        Mono<ObjectNode> respond(RpcDispatcher dispatcher) {
            if (request != null) {
                return dispatcher.respond(request);
            }
            return error != null ? Mono.just(RpcDispatcher.error(NullNode.instance, error)) : Mono.empty();
        }
    }

    private static Flux<byte[]> responses(NettyInbound in, RpcDispatcher dispatcher, Limits limits) {
        return in.receiveObject()
                .map(JsonRpcServer::incoming)
                .takeUntil(Incoming::last)
                .flatMap(i -> i.respond(dispatcher), limits.maxConcurrentRequests())
                .map(JsonRpcServer::encode);
    }

    /** Runs in the inbound onNext: the frame is read here and released by reactor-netty afterwards. */
    private static Incoming incoming(Object message) {
        if (message instanceof FramingGuard.FramingError f) {
            return new Incoming(null, f.error(), true);
        }
        if (message == FramingGuard.EndOfRequests.INSTANCE) {
            return new Incoming(null, null, true);
        }
        if (!(message instanceof ByteBuf frame)) {
            ReferenceCountUtil.release(message);
            return new Incoming(null, RpcException.invalidRequest("unexpected inbound message"), true);
        }
        try (InputStream s = new ByteBufInputStream(frame.duplicate())) {
            return new Incoming(JSON.readTree(s), null, false);
        } catch (JsonProcessingException e) {
            return new Incoming(null, RpcException.parseError(e.getOriginalMessage()), false);
        } catch (IOException e) {
            // The bytes are in memory, so this is the parser refusing them, not I/O: Jackson guesses
            // the encoding from the first bytes ("{" and three NULs read as UTF-32) and throws a
            // CharConversionException when they are no text in it. A parse error, like any bad JSON.
            return new Incoming(null, RpcException.parseError("not JSON text in UTF-8, UTF-16 or UTF-32"), false);
        }
    }

    private static byte[] encode(ObjectNode response) {
        try {
            byte[] json = JSON.writeValueAsBytes(response);
            byte[] out = new byte[json.length + END.length];
            System.arraycopy(json, 0, out, 0, json.length);
            System.arraycopy(END, 0, out, json.length, END.length);
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON response", e);
        }
    }

    /** The socket file clients connect to. */
    public Path socketFile() {
        return socket;
    }

    /**
     * Stops listening, closes every connection (in-flight requests are cancelled), releases the
     * event loops and deletes the socket file if it is still ours. Idempotent.
     */
    public Mono<Void> close() {
        return closing;
    }

    private Mono<Void> doClose() {
        server.dispose();
        List<Mono<Void>> closed = new ArrayList<>();
        for (Channel ch : channels) {
            closed.add(FutureMono.from(ch.close()));
        }
        return server.onDispose()
                .then(Mono.when(closed))
                .onErrorResume(e -> Mono.empty())
                .then(Mono.fromRunnable(() -> SocketFiles.unpublish(socket, inode))
                        .subscribeOn(Schedulers.boundedElastic()))
                .then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)))
                .doFinally(s -> log.info("JSON-RPC on {} closed", socket));
    }

    @Override
    public String toString() {
        return "JsonRpcServer[" + socket + ", " + channels.size() + " connections]";
    }
}
