package dev.boltflow.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.boltflow.node.rpc.JsonRpcServer;
import dev.boltflow.node.rpc.NodeRpcMethods;
import dev.boltflow.node.rpc.RpcMethod;
import dev.boltflow.node.rpc.RpcMethods;
import dev.boltflow.node.testing.ClnSchemas;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import reactor.core.publisher.Mono;

/** {@code cli}, end to end against a server on a real socket, run in-process through {@link Main}. */
@Timeout(60)
class CliCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonRpcServer server;

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + out + " / " + err, e);
            }
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close().block(TIMEOUT);
        }
    }

    private static String invoiceRequest() {
        return ClnSchemas.raw("sendinvoice").get("json_example").get(0).get("request").get("params").get("invreq").asText();
    }

    private void startServer(Path socket) {
        long paidAt = ClnSchemas.raw("sendinvoice").get("json_example").get(0).get("response").get("paid_at").asLong();
        RpcMethods methods = new NodeRpcMethods(Clock.fixed(Instant.ofEpochSecond(paidAt), ZoneOffset.UTC), reactor.core.scheduler.Schedulers.parallel()).builder()
                .add(RpcMethod.of("echo", List.of("a", "b"), p -> Mono.just(
                        JsonNodeFactory.instance.objectNode()
                                .set("a", p.raw("a").orElse(JsonNodeFactory.instance.missingNode()))
                                .deepCopy())))
                .build();
        server = JsonRpcServer.start(socket, methods).block(TIMEOUT);
    }

    private void startServer() {
        startServer(JsonRpcServer.socketPath(dir, "regtest"));
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String[] cli(String... rest) {
        String[] head = {"cli", "--data-dir", dir.toString(), "--network", "regtest"};
        String[] all = new String[head.length + rest.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    @Test
    void decode_positional_printsResultAndExits0() {
        startServer();
        Run r = run(cli("decode", invoiceRequest()));
        assertEquals(CliCommand.SUCCESS, r.exit(), r.err());
        JsonNode j = r.json();
        assertEquals("bolt12 invoice_request", j.get("type").asText());
        assertEquals(List.of(), ClnSchemas.validateResponse("decode", j));
        assertTrue(r.out().contains("\n  \""), "pretty-printed");
    }

    @Test
    void decode_keywords_sameResult() {
        startServer();
        Run positional = run(cli("decode", invoiceRequest()));
        Run named = run(cli("-k", "decode", "string=" + invoiceRequest()));
        assertEquals(CliCommand.SUCCESS, named.exit(), named.err());
        assertEquals(positional.json(), named.json());
    }

    @Test
    void rpcFileOption_overridesTheDataDirLayout() {
        Path socket = dir.resolve("elsewhere").resolve("rpc");
        startServer(socket);
        Run r = run("cli", "--rpc-file", socket.toString(), "decode", invoiceRequest());
        assertEquals(CliCommand.SUCCESS, r.exit(), r.err());
    }

    @Test
    void rpcError_printsErrorObjectAndExits1() {
        startServer();
        Run r = run(cli("decode", "123"));
        assertEquals(CliCommand.RPC_ERROR, r.exit());
        assertEquals(-32602, r.json().get("code").asInt());
        assertTrue(r.json().get("message").asText().startsWith("string: should be a string"), r.out());
        Run unknown = run(cli("getinfo"));
        assertEquals(CliCommand.RPC_ERROR, unknown.exit());
        assertEquals(-32601, unknown.json().get("code").asInt());
    }

    @Test
    void noServer_exits2WithMessageOnStderr() {
        Run r = run(cli("decode", invoiceRequest()));
        assertEquals(CliCommand.CANNOT_CONNECT, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains(JsonRpcServer.socketPath(dir, "regtest").toString()), r.err());
        assertTrue(r.err().contains("no such socket file"), r.err());
    }

    @Test
    void values_sentAsJsonWhenTheyParse_elseAsStrings() {
        startServer();
        assertEquals(JSON.valueToTree(Map.of("x", 1)),
                run(cli("-k", "echo", "a={\"x\":1}")).json().get("a"));
        assertTrue(run(cli("echo", "42")).json().get("a").isInt());
        assertTrue(run(cli("echo", "true")).json().get("a").isBoolean());
        assertEquals("lno1abc", run(cli("echo", "lno1abc")).json().get("a").asText());
        assertEquals("42", run(cli("echo", "\"42\"")).json().get("a").asText());
        // After METHOD everything is a parameter, even '-5'.
        assertEquals(-5, run(cli("echo", "-5")).json().get("a").asInt());
    }

    @Test
    void keywordsWithoutEquals_usageError() {
        Run r = run(cli("-k", "decode", invoiceRequest()));
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertTrue(r.err().contains("key=value"), r.err());
    }

    @Test
    void help_listsTheExitCodes() {
        Run r = run("cli", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("1   the node answered with an error"), r.out());
        assertTrue(r.out().contains("2   cannot talk to the node"), r.out());
    }
}
