package dev.boltflow.node.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.json.JsonObjectDecoder;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;

/**
 * A client for {@link JsonRpcServer} (or Core Lightning): each {@link #call} opens a connection to
 * the socket, sends one request with the next {@code id}, reads one response and closes. Owns its
 * event loop, released by {@link #close()}.
 */
public final class JsonRpcClient {
    /** Responses can be large (listinvoices): 64 MiB before we give up. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final int maxResponseBytes;
    private final LoopResources loops;
    private final TcpClient client;
    private final AtomicLong ids = new AtomicLong();
    private final Mono<Void> closing;

    private JsonRpcClient(Path socket, int maxResponseBytes) {
        this.socket = Objects.requireNonNull(socket, "socket");
        if (maxResponseBytes < 64) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 64, got " + maxResponseBytes);
        }
        this.maxResponseBytes = maxResponseBytes;
        this.loops = LoopResources.create("boltflow-rpc-client", 1, true);
        this.client = TcpClient.newConnection()
                .runOn(loops, true)
                .remoteAddress(() -> new DomainSocketAddress(socket.toString()))
                .doOnChannelInit((observer, channel, remote) -> channel.pipeline()
                        .addBefore(NettyPipeline.ReactiveBridge, "rpc.framer", new JsonObjectDecoder(this.maxResponseBytes)));
        this.closing = loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).cache();
    }

    public static JsonRpcClient create(Path socket) {
        return new JsonRpcClient(socket, DEFAULT_MAX_RESPONSE_BYTES);
    }

    public static JsonRpcClient create(Path socket, int maxResponseBytes) {
        return new JsonRpcClient(socket, maxResponseBytes);
    }

    public Path socketFile() {
        return socket;
    }

    /**
     * Calls {@code method} with {@code params} (an object for params by name, an array for params by
     * position, or null for none). Emits the {@code result}; fails with {@link RpcException} when
     * the server answers with an error, with {@link RpcConnectionException} when it cannot be
     * reached or the connection ends without an answer.
     */
    public Mono<JsonNode> call(String method, JsonNode params) {
        Objects.requireNonNull(method, "method");
        return Mono.defer(() -> {
            long id = ids.incrementAndGet();
            ObjectNode request = JsonNodeFactory.instance.objectNode();
            request.put("jsonrpc", "2.0");
            request.put("id", id);
            request.put("method", method);
            request.set("params", params == null ? JsonNodeFactory.instance.objectNode() : params);
            byte[] bytes;
            try {
                bytes = JSON.writeValueAsBytes(request);
            } catch (JsonProcessingException e) {
                return Mono.error(new IllegalArgumentException("params cannot be written as JSON", e));
            }
            return Mono.usingWhen(
                    client.connect().onErrorMap(e -> new RpcConnectionException(
                            "cannot connect to " + socket + ": " + why(e), e)),
                    c -> exchange(c, bytes, id),
                    c -> dispose(c));
        });
    }

    private Mono<JsonNode> exchange(Connection c, byte[] request, long id) {
        Mono<JsonNode> answer = c.inbound().receiveObject()
                .map(JsonRpcClient::read)
                .next()
                .switchIfEmpty(Mono.error(() -> new RpcConnectionException(
                        "the server at " + socket + " closed the connection without answering")))
                .onErrorMap(e -> e instanceof io.netty.handler.codec.TooLongFrameException,
                        e -> new RpcConnectionException("response over " + maxResponseBytes + " bytes", e))
                .map(response -> result(response, id));
        return c.outbound().sendByteArray(Mono.just(request)).then().then(answer);
    }

    private static String why(Throwable e) {
        if (e instanceof FileNotFoundException) {
            return "no such socket file (is the node running?)";
        }
        String m = e.getMessage();
        if (m != null && m.contains("Connection refused")) {
            return "connection refused (is the node running?)";
        }
        return m != null ? m : e.getClass().getSimpleName();
    }

    private static Mono<Void> dispose(Connection c) {
        c.dispose();
        return c.onDispose();
    }

    private static JsonNode read(Object message) {
        if (!(message instanceof ByteBuf frame)) {
            throw new RpcConnectionException("unexpected inbound message " + message.getClass().getName());
        }
        try (InputStream s = new ByteBufInputStream(frame.duplicate())) {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new RpcConnectionException("the answer is not JSON: " + e.getMessage(), e);
        }
    }

    private JsonNode result(JsonNode response, long id) {
        JsonNode error = response.get("error");
        if (error != null && error.isObject()) {
            JsonNode code = error.get("code");
            JsonNode message = error.get("message");
            if (code == null || !code.canConvertToInt() || message == null || !message.isTextual()) {
                throw new RpcConnectionException("malformed error object from " + socket + ": " + error);
            }
            throw new RpcException(code.intValue(), message.textValue(), error.get("data"));
        }
        JsonNode responseId = response.get("id");
        if (responseId == null || !responseId.canConvertToLong() || responseId.longValue() != id) {
            throw new RpcConnectionException("answer to another request (id " + responseId + ", expected " + id + ")");
        }
        if (!response.has("result")) {
            throw new RpcConnectionException("response from " + socket + " has neither result nor error");
        }
        return response.get("result");
    }

    /** Releases the event loop. Calls in flight fail. Idempotent. */
    public Mono<Void> close() {
        return closing;
    }
}
