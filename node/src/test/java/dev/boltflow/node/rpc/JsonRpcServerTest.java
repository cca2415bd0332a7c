package dev.boltflow.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.boltflow.core.sendinvoice.InvoiceStoreException;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.node.testing.ClnSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The JSON-RPC server on a real Unix socket: framing, errors, concurrency, the socket file. */
@Timeout(60)
class JsonRpcServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    private final List<JsonRpcServer> servers = new ArrayList<>();
    private final List<JsonRpcClient> clients = new ArrayList<>();
    private final Map<String, Sinks.One<JsonNode>> gates = new ConcurrentHashMap<>();

    @AfterEach
    void closeAll() {
        clients.forEach(c -> c.close().block(TIMEOUT));
        servers.forEach(s -> s.close().block(TIMEOUT));
    }

    static String invoiceRequest() {
        return ClnSchemas.raw("sendinvoice").get("json_example").get(0).get("request").get("params").get("invreq").asText();
    }

    /**
     * When Core Lightning's example was paid: its objects are valid then. Read on first use, so
     * only the tests that decode need {@code ../shared/cln-schemas} (the others run on a bare clone).
     */
    static Clock exampleClock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            /** Read once, on first use; never again on the thread that asks (a non-blocking one). */
            private volatile Instant paidAt;

            @Override
            public Instant instant() {
                Instant at = paidAt;
                if (at == null) {
                    at = readPaidAt();
                    paidAt = at;
                }
                return at;
            }
        };
    }

    private static Instant readPaidAt() {
        try {
            return Instant.ofEpochSecond(ClnSchemas.raw("sendinvoice").get("json_example").get(0)
                    .get("response").get("paid_at").asLong());
        } catch (org.opentest4j.TestAbortedException noSchemas) {
            // A bare clone: the tests that depend on the example's time were skipped already.
            return Instant.now();
        }
    }

    private Path socket() {
        return JsonRpcServer.socketPath(dir, "regtest");
    }

    /** decode plus test methods: fail_sendinvoice, fail_unexpected, gate (waits for its key), echo. */
    private RpcMethods methods() {
        Clock clock = exampleClock();
        clock.instant(); // read the example's time here, on the test's thread
        return new NodeRpcMethods(clock, reactor.core.scheduler.Schedulers.parallel()).builder()
                .add(RpcMethod.of("fail_sendinvoice", List.of(), p -> Mono.error(SendInvoiceException.timeout("lni1xyz"))))
                .add(RpcMethod.of("fail_unexpected", List.of(), p -> {
                    throw new IllegalStateException("secret detail");
                }))
                .add(RpcMethod.of("gate", List.of("key"), p -> gate(p.string("key")).asMono()))
                .add(RpcMethod.of("echo", List.of("value"), p -> Mono.just(p.raw("value").orElse(F.nullNode()))))
                .build();
    }

    private Sinks.One<JsonNode> gate(String key) {
        return gates.computeIfAbsent(key, k -> Sinks.one());
    }

    private JsonRpcServer start(JsonRpcServer.Limits limits) {
        JsonRpcServer s = JsonRpcServer.start(socket(), methods(), limits).block(TIMEOUT);
        servers.add(s);
        return s;
    }

    private JsonRpcServer start() {
        return start(JsonRpcServer.Limits.defaults());
    }

    private JsonRpcClient client() {
        JsonRpcClient c = JsonRpcClient.create(socket());
        clients.add(c);
        return c;
    }

    private static String request(Object id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    private static String decodeRequest(int id) {
        return request(id, "decode", "{\"string\":\"" + invoiceRequest() + "\"}");
    }

    private static int errorCode(JsonNode response) {
        assertTrue(response.has("error"), response.toString());
        return response.get("error").get("code").asInt();
    }

    // ---- decode

    @Test
    void decode_paramsByName_answersClnDecodeSchema() {
        start();
        JsonNode result = client().call("decode", F.objectNode().put("string", invoiceRequest())).block(TIMEOUT);
        assertEquals("bolt12 invoice_request", result.get("type").asText());
        assertTrue(result.get("valid").asBoolean());
        assertEquals(List.of(), ClnSchemas.validateResponse("decode", result));
        assertEquals(List.of(), ClnSchemas.validateRequest("decode", F.objectNode().put("string", invoiceRequest())));
    }

    @Test
    void decode_paramsByPosition_answersTheSame() {
        start();
        JsonRpcClient c = client();
        JsonNode byPosition = c.call("decode", F.arrayNode().add(invoiceRequest())).block(TIMEOUT);
        JsonNode byName = c.call("decode", F.objectNode().put("string", invoiceRequest())).block(TIMEOUT);
        assertEquals(byName, byPosition);
        assertEquals(List.of(), ClnSchemas.validateResponse("decode", byPosition));
    }

    @Test
    void decode_undecodableString_isInvalidParamsOnString() {
        start();
        RpcException e = assertThrows(RpcException.class,
                () -> client().call("decode", F.arrayNode().add("lno1notbech32")).block(TIMEOUT));
        assertEquals(RpcException.INVALID_PARAMS, e.code());
        assertTrue(e.getMessage().startsWith("string: "), e.getMessage());
        assertEquals("string", e.data().orElseThrow().get("param").asText());
    }

    // ---- request errors; the connection keeps serving

    @Test
    void malformedJson_parseError_sameConnectionKeepsServing() {
        start();
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send("{\"id\":1,\"method\":}");
            JsonNode r = s.read();
            assertEquals(RpcException.PARSE_ERROR, errorCode(r));
            assertTrue(r.get("id").isNull());
            assertEquals("2.0", r.get("jsonrpc").asText());
            s.send(decodeRequest(2));
            assertEquals(2, s.read().get("id").asInt());
        }
    }

    @Test
    void textInAnEncodingJacksonRefuses_parseError_sameConnectionKeepsServing() {
        // Found by JsonRpcFuzzTest: "{" and three NULs make Jackson read the object as UTF-32, and
        // the next four bytes are no UTF-32 character, a CharConversionException (an IOException
        // but not a JsonProcessingException) that used to end the connection without an answer.
        start();
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send("{\u0000\u0000\u0000\"ab\"}");
            JsonNode r = s.read();
            assertEquals(RpcException.PARSE_ERROR, errorCode(r));
            assertTrue(r.get("id").isNull());
            s.send(decodeRequest(2));
            assertEquals(2, s.read().get("id").asInt());
        }
    }

    @Test
    void arrayRequest_invalidRequest_sameConnectionKeepsServing() {
        start();
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send("[" + decodeRequest(1) + "]");
            JsonNode r = s.read();
            assertEquals(RpcException.INVALID_REQUEST, errorCode(r));
            assertTrue(r.get("id").isNull());
            s.send(decodeRequest(2));
            assertTrue(s.read().has("result"));
        }
    }

    @Test
    void bareValueRequest_parseErrorAndClose_newConnectionServed() {
        start();
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send(decodeRequest(1) + " 42 " + decodeRequest(3));
            // Requests run concurrently and are answered as they finish: decode (on the CPU
            // scheduler) may come after the parse error, which is answered at once.
            JsonNode a = s.read();
            JsonNode b = s.read();
            JsonNode answer = a.has("result") ? a : b;
            JsonNode error = a.has("result") ? b : a;
            assertEquals(1, answer.get("id").asInt());
            assertTrue(answer.has("result"));
            assertEquals(RpcException.PARSE_ERROR, errorCode(error));
            assertTrue(s.closedByServer());
        }
        assertTrue(client().call("decode", F.arrayNode().add(invoiceRequest())).block(TIMEOUT).has("type"));
    }

    @Test
    void requestWithoutIdOrMethodOrWithWrongVersion_invalidRequest() {
        start();
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send("{\"jsonrpc\":\"2.0\",\"method\":\"decode\",\"params\":[]}");
            JsonNode noId = s.read();
            assertEquals(RpcException.INVALID_REQUEST, errorCode(noId));
            assertTrue(noId.get("id").isNull());
            s.send("{\"id\":\"a\",\"params\":[]}");
            JsonNode noMethod = s.read();
            assertEquals(RpcException.INVALID_REQUEST, errorCode(noMethod));
            assertEquals("a", noMethod.get("id").asText());
            s.send("{\"jsonrpc\":\"1.0\",\"id\":4,\"method\":\"decode\"}");
            assertEquals(RpcException.INVALID_REQUEST, errorCode(s.read()));
            s.send("{\"id\":{},\"method\":\"decode\"}");
            assertEquals(RpcException.INVALID_REQUEST, errorCode(s.read()));
            // Core Lightning's clients may leave out "jsonrpc": accepted.
            s.send("{\"id\":\"cli:decode#5\",\"method\":\"decode\",\"params\":[\"" + invoiceRequest() + "\"]}");
            JsonNode lenient = s.read();
            assertEquals("cli:decode#5", lenient.get("id").asText());
            assertTrue(lenient.has("result"));
        }
    }

    @Test
    void unknownMethod_methodNotFound() {
        start();
        RpcException e = assertThrows(RpcException.class, () -> client().call("getinfo", null).block(TIMEOUT));
        assertEquals(RpcException.METHOD_NOT_FOUND, e.code());
        assertEquals("Unknown command 'getinfo'", e.getMessage());
    }

    @Test
    void wrongParamType_invalidParamsNamingIt() {
        start();
        RpcException e = assertThrows(RpcException.class,
                () -> client().call("decode", F.objectNode().put("string", 123)).block(TIMEOUT));
        assertEquals(RpcException.INVALID_PARAMS, e.code());
        assertEquals("string: should be a string: invalid token '123'", e.getMessage());
        assertEquals("string", e.data().orElseThrow().get("param").asText());
    }

    @Test
    void missingParam_invalidParams() {
        start();
        RpcException e = assertThrows(RpcException.class,
                () -> client().call("decode", F.objectNode()).block(TIMEOUT));
        assertEquals(RpcException.INVALID_PARAMS, e.code());
        assertEquals("missing required parameter: string", e.getMessage());
    }

    @Test
    void unknownNamedParamOrTooManyPositional_invalidParams() {
        start();
        JsonRpcClient c = client();
        RpcException unknown = assertThrows(RpcException.class,
                () -> c.call("decode", F.objectNode().put("string", "x").put("strng", "y")).block(TIMEOUT));
        assertEquals(RpcException.INVALID_PARAMS, unknown.code());
        assertTrue(unknown.getMessage().contains("strng"), unknown.getMessage());
        RpcException tooMany = assertThrows(RpcException.class,
                () -> c.call("decode", F.arrayNode().add("x").add("y")).block(TIMEOUT));
        assertEquals(RpcException.INVALID_PARAMS, tooMany.code());
        RpcException notContainer = assertThrows(RpcException.class,
                () -> c.call("decode", TextNode.valueOf("x")).block(TIMEOUT));
        assertEquals(RpcException.INVALID_PARAMS, notContainer.code());
    }

    @Test
    void sendInvoiceException_mapsToItsCodeMessageAndData() {
        start();
        RpcException e = assertThrows(RpcException.class, () -> client().call("fail_sendinvoice", null).block(TIMEOUT));
        SendInvoiceException expected = SendInvoiceException.timeout("lni1xyz");
        assertEquals(SendInvoiceException.TIMEOUT, e.code());
        assertEquals(expected.getMessage(), e.getMessage());
        assertEquals(JSON.valueToTree(expected.data().orElseThrow().toMap()), e.data().orElseThrow());
    }

    @Test
    void storeFailure_catchAllWithTheStoresMessage() {
        RpcException e = RpcDispatcher.toRpcError("listinvoices",
                new InvoiceStoreException("invoice database: connection refused", new IllegalStateException("x")));
        assertEquals(RpcException.CATCH_ALL, e.code());
        assertEquals("invoice database: connection refused", e.getMessage());
        assertTrue(e.data().isEmpty());
    }

    @Test
    void unexpectedException_catchAllWithoutDetails() {
        start();
        RpcException e = assertThrows(RpcException.class, () -> client().call("fail_unexpected", null).block(TIMEOUT));
        assertEquals(RpcException.CATCH_ALL, e.code());
        assertFalse(e.getMessage().contains("secret detail"), e.getMessage());
        assertFalse(e.getMessage().contains("\tat "), e.getMessage());
        assertTrue(e.data().isEmpty());
    }

    // ---- framing

    @Test
    void twoRequestsBackToBackWithoutNewline_bothAnswered() {
        start();
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send(decodeRequest(1) + decodeRequest(2));
            Set<Integer> ids = new HashSet<>();
            ids.add(s.read().get("id").asInt());
            ids.add(s.read().get("id").asInt());
            assertEquals(Set.of(1, 2), ids);
        }
    }

    @Test
    void requestSplitAcrossWrites_answeredOnceComplete() {
        start();
        try (RawSocket s = RawSocket.connect(socket())) {
            String r = decodeRequest(7);
            s.send(r.substring(0, 10));
            s.send(r.substring(10, 200));
            s.send(r.substring(200) + "\n");
            assertEquals(7, s.read().get("id").asInt());
        }
    }

    @Test
    void oversizedRequest_invalidRequestAndClose_newConnectionServed() {
        start(JsonRpcServer.Limits.defaults().withMaxRequestBytes(1024));
        try (RawSocket s = RawSocket.connect(socket())) {
            String big = request(1, "echo", "[\"" + "A".repeat(3000) + "\"]");
            s.send(big);
            JsonNode r = s.read();
            assertEquals(RpcException.INVALID_REQUEST, errorCode(r));
            assertTrue(r.get("error").get("message").asText().contains("1024"), r.toString());
            assertTrue(s.closedByServer());
        }
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send(request(2, "echo", "[\"small\"]"));
            assertEquals("small", s.read().get("result").asText());
        }
    }

    @Test
    void oversizedRequestHidingARequest_hiddenRequestNeverRuns() {
        start(JsonRpcServer.Limits.defaults().withMaxRequestBytes(1024));
        try (RawSocket s = RawSocket.connect(socket())) {
            // The tail of the oversized request is a well-formed request: it must not be executed.
            String hidden = request(99, "gate", "[\"hidden\"]").replace("\"", "\\\"");
            s.send(request(1, "echo", "[\"" + "A".repeat(2000) + hidden + "\"]"));
            assertEquals(RpcException.INVALID_REQUEST, errorCode(s.read()));
            assertTrue(s.closedByServer());
        }
        assertFalse(gates.containsKey("hidden"));
    }

    @Test
    void manySmallRequestsInOneWriteOverTheLimitInTotal_allAnswered() {
        start(JsonRpcServer.Limits.defaults().withMaxRequestBytes(1024));
        String many = IntStream.range(0, 40).mapToObj(i -> request(i, "echo", "[" + i + "]"))
                .collect(Collectors.joining());
        assertTrue(many.length() > 1024);
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send(many);
            Set<Integer> ids = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                JsonNode r = s.read();
                assertEquals(r.get("id").asInt(), r.get("result").asInt(), r.toString());
                ids.add(r.get("id").asInt());
            }
            assertEquals(40, ids.size());
        }
    }

    @Test
    void clientHalfClosesWhileRequestRuns_stillAnswered() {
        start();
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send(request(1, "gate", "[\"half\"]"));
            s.shutdownOutput();
            // Answered by a well-formed request on a new connection: the server has read the first.
            try (RawSocket other = RawSocket.connect(socket())) {
                other.send(request(2, "echo", "[2]"));
                assertEquals(2, other.read().get("result").asInt());
            }
            gate("half").tryEmitValue(TextNode.valueOf("late"));
            assertEquals("late", s.read().get("result").asText());
            assertTrue(s.closedByServer());
        }
    }

    @Test
    void clientHalfCloses_stillAnswered() {
        start();
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send(decodeRequest(1));
            s.shutdownOutput();
            assertEquals(1, s.read().get("id").asInt());
            assertTrue(s.closedByServer());
        }
    }

    // ---- concurrency

    @Test
    void concurrentClients_allAnswered() {
        start();
        JsonRpcClient c = client();
        List<JsonNode> results = Flux.range(0, 32)
                .flatMap(i -> c.call("decode", F.arrayNode().add(invoiceRequest())), 32)
                .collectList()
                .block(TIMEOUT);
        assertEquals(32, results.size());
        results.forEach(r -> assertTrue(r.get("valid").asBoolean()));
    }

    @Test
    void slowRequestOnAConnection_laterRequestAnsweredFirst() {
        start();
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send(request(1, "gate", "[\"slow\"]") + request(2, "echo", "[\"fast\"]"));
            assertEquals(2, s.read().get("id").asInt());
            gate("slow").tryEmitValue(TextNode.valueOf("done"));
            JsonNode slow = s.read();
            assertEquals(1, slow.get("id").asInt());
            assertEquals("done", slow.get("result").asText());
        }
    }

    @Test
    void concurrencyCapOfOne_requestsAnsweredInOrder() {
        start(JsonRpcServer.Limits.defaults().withMaxConcurrentRequests(1));
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send(request(1, "gate", "[\"first\"]") + request(2, "echo", "[\"second\"]"));
            gate("first").tryEmitValue(IntNode.valueOf(1));
            assertEquals(1, s.read().get("id").asInt());
            assertEquals(2, s.read().get("id").asInt());
        }
    }

    @Test
    void concurrencyCapReached_laterRequestsWait_whileAnotherConnectionIsServed() {
        start(JsonRpcServer.Limits.defaults().withMaxConcurrentRequests(2));
        try (RawSocket busy = RawSocket.connect(socket()); RawSocket other = RawSocket.connect(socket())) {
            busy.send(request(1, "gate", "[\"a\"]") + request(2, "gate", "[\"b\"]") + request(3, "echo", "[\"c\"]"));
            other.send(request(9, "echo", "[\"other\"]"));
            assertEquals("other", other.read().get("result").asText());
            gate("a").tryEmitValue(IntNode.valueOf(1));
            // The third request only started once the first finished: it cannot come back before it.
            assertEquals(1, busy.read().get("id").asInt());
            assertEquals(3, busy.read().get("id").asInt());
            gate("b").tryEmitValue(IntNode.valueOf(2));
            assertEquals(2, busy.read().get("id").asInt());
        }
    }

    @Test
    void connectionOverTheLimit_refusedWithAnErrorAndClosed_othersKeepServing() {
        start(JsonRpcServer.Limits.defaults().withMaxConnections(2));
        try (RawSocket first = RawSocket.connect(socket()); RawSocket second = RawSocket.connect(socket())) {
            first.send(request(1, "echo", "[\"one\"]"));
            assertEquals("one", first.read().get("result").asText());
            second.send(request(2, "echo", "[\"two\"]"));
            assertEquals("two", second.read().get("result").asText());
            try (RawSocket third = RawSocket.connect(socket())) {
                // The server answers and closes as it accepts: nothing to send (a write could race the close).
                JsonNode refused = third.read();
                assertEquals(JsonRpcServer.TOO_MANY_CONNECTIONS, errorCode(refused));
                assertTrue(refused.get("id").isNull(), refused.toString());
                assertTrue(refused.get("error").get("message").asText().contains("too many"), refused.toString());
                assertTrue(third.closedByServer());
            }
            first.send(request(4, "echo", "[\"still\"]"));
            assertEquals("still", first.read().get("result").asText());
        }
        // Both closed: the slots free up (asynchronously, as the server sees the closes).
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try (RawSocket again = RawSocket.connect(socket())) {
                JsonNode r;
                try {
                    again.send(request(5, "echo", "[\"again\"]"));
                    r = again.read();
                } catch (UncheckedIOException refusedAndClosed) {
                    // Still over the limit: the server answered and closed before our write.
                    assertTrue(System.nanoTime() < deadline, "no connection slot freed: " + refusedAndClosed);
                    continue;
                }
                if (r.has("result")) {
                    assertEquals("again", r.get("result").asText());
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "no connection slot freed: " + r);
            }
        }
    }

    @Test
    void limitsBelowTheirMinimum_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> JsonRpcServer.Limits.defaults().withMaxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> JsonRpcServer.Limits.defaults().withMaxConcurrentRequests(0));
        assertThrows(IllegalArgumentException.class, () -> JsonRpcServer.Limits.defaults().withMaxRequestBytes(10));
    }

    // ---- the socket file

    @Test
    void socketFile_ownerOnlyAndAtClnPath() throws IOException {
        JsonRpcServer s = start();
        assertEquals(dir.resolve("regtest").resolve("lightning-rpc").toAbsolutePath(), s.socketFile());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(s.socketFile()));
        Set<PosixFilePermission> dirPerms = Files.getPosixFilePermissions(s.socketFile().getParent());
        assertEquals(PosixFilePermissions.fromString("rwx------"), dirPerms);
        try (var listing = Files.list(s.socketFile().getParent())) {
            assertEquals(List.of(s.socketFile()), listing.collect(Collectors.toList()), "no private bind directory left");
        }
    }

    @Test
    void close_deletesTheSocketFile() {
        JsonRpcServer s = start();
        s.close().block(TIMEOUT);
        assertFalse(Files.exists(s.socketFile()));
        RpcConnectionException e = assertThrows(RpcConnectionException.class,
                () -> client().call("decode", F.arrayNode().add("x")).block(TIMEOUT));
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
    }

    @Test
    void close_withRequestInFlight_connectionClosedAndEventLoopsEnd() throws InterruptedException {
        JsonRpcServer server = start();
        try (RawSocket s = RawSocket.connect(socket())) {
            s.send(request(1, "gate", "[\"never\"]"));
            s.send(request(2, "echo", "[2]"));
            assertEquals(2, s.read().get("id").asInt());
            server.close().block(TIMEOUT);
            assertTrue(s.closedByServer());
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("boltflow-rpc-epoll")) {
                t.join(TIMEOUT.toMillis());
                assertFalse(t.isAlive(), t.getName());
            }
        }
    }

    @Test
    void staleSocketFile_replaced() throws IOException {
        Files.createDirectories(socket().getParent());
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket()));
        }
        assertTrue(Files.exists(socket()), "closing a Java server socket leaves its file");
        start();
        assertTrue(client().call("echo", F.arrayNode().add(1)).block(TIMEOUT).isInt());
    }

    @Test
    void anotherServerListening_refusesToStart_firstKeepsServing() {
        start();
        Throwable e = assertThrows(Throwable.class,
                () -> JsonRpcServer.start(socket(), methods()).block(TIMEOUT));
        assertTrue(e instanceof JsonRpcServer.SocketInUseException, e.toString());
        assertTrue(client().call("echo", F.arrayNode().add(1)).block(TIMEOUT).isInt());
    }

    @Test
    void regularFileAtSocketPath_refusesToStartAndLeavesIt() throws IOException {
        Files.createDirectories(socket().getParent());
        Files.writeString(socket(), "not a socket");
        assertThrows(JsonRpcServer.SocketInUseException.class,
                () -> JsonRpcServer.start(socket(), methods()).block(TIMEOUT));
        assertEquals("not a socket", Files.readString(socket()));
    }

    @Test
    void echo_roundTripsJsonValues() {
        start();
        ObjectNode value = F.objectNode().put("a", 1).put("b", "x");
        value.putArray("c").add(true).add(F.nullNode());
        assertEquals(value, client().call("echo", F.objectNode().set("value", value)).block(TIMEOUT));
    }
}
