package dev.boltflow.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client against a hand-written peer: answers it must refuse, and the server's limits seen from it. */
@Timeout(60)
class JsonRpcClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonRpcClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close().block(TIMEOUT);
        }
    }

    /** Accepts one connection, reads one request, answers {@code answer} (null: close without answering). */
    private Throwable callAgainst(String answerTemplate) throws Exception {
        Path socket = dir.resolve("peer");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            client = JsonRpcClient.create(socket);
            CompletableFuture<JsonNode> call = client.call("decode", JsonNodeFactory.instance.arrayNode()).toFuture();
            try (SocketChannel peer = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                JsonNode request = null;
                while (request == null) {
                    peer.read(buf);
                    try {
                        request = JSON.readTree(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                    } catch (Exception incomplete) {
                        // read more
                    }
                }
                assertEquals("2.0", request.get("jsonrpc").asText());
                assertEquals("decode", request.get("method").asText());
                if (answerTemplate != null) {
                    String answer = answerTemplate.replace("ID", request.get("id").toString());
                    peer.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                }
            }
            try {
                call.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                throw new AssertionError("the call succeeded");
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    @Test
    void serverClosesWithoutAnswering_connectionException() throws Exception {
        Throwable e = callAgainst(null);
        assertTrue(e instanceof RpcConnectionException, e.toString());
        assertTrue(e.getMessage().contains("without answering"), e.getMessage());
    }

    @Test
    void answerToAnotherId_connectionException() throws Exception {
        Throwable e = callAgainst("{\"jsonrpc\":\"2.0\",\"id\":12345,\"result\":{}}");
        assertTrue(e instanceof RpcConnectionException, e.toString());
    }

    @Test
    void errorWithData_rpcExceptionCarriesIt() throws Exception {
        Throwable e = callAgainst("{\"jsonrpc\":\"2.0\",\"id\":ID,\"error\":{\"code\":1005,\"message\":\"m\",\"data\":{\"invstring\":\"lni1\"}}}");
        RpcException rpc = (RpcException) e;
        assertEquals(1005, rpc.code());
        assertEquals("m", rpc.getMessage());
        assertEquals("lni1", rpc.data().orElseThrow().get("invstring").asText());
    }

    @Test
    void staleSocket_connectionRefused() throws Exception {
        Path socket = dir.resolve("stale");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        client = JsonRpcClient.create(socket);
        RpcConnectionException e = assertThrows(RpcConnectionException.class,
                () -> client.call("decode", null).block(TIMEOUT));
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    }

    @Test
    void requestOverTheServerLimit_invalidRequestError() {
        JsonRpcServer server = JsonRpcServer.start(dir.resolve("rpc"), new NodeRpcMethods(Clock.systemUTC(), reactor.core.scheduler.Schedulers.parallel())
                .builder().build(), JsonRpcServer.Limits.defaults().withMaxRequestBytes(256)).block(TIMEOUT);
        try {
            client = JsonRpcClient.create(server.socketFile());
            RpcException e = assertThrows(RpcException.class, () -> client.call("decode",
                    JsonNodeFactory.instance.arrayNode().add("x".repeat(300))).block(TIMEOUT));
            assertEquals(RpcException.INVALID_REQUEST, e.code());
        } finally {
            server.close().block(TIMEOUT);
        }
    }
}
