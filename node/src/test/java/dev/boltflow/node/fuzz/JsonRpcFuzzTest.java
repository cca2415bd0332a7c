package dev.boltflow.node.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.fuzz.FuzzChecks;
import dev.boltflow.core.fuzz.FuzzSeeds;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.node.rpc.RpcException;
import dev.boltflow.node.rpc.RpcRequestPath;
import dev.boltflow.transport.fuzz.TrackingAllocator;
import dev.boltflow.transport.testing.NoLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JSON-RPC requests from a hostile client, through the server's request path (framing, the framing
 * guard, parsing, dispatch and the response encoding; see {@link RpcRequestPath}). Input: one byte
 * (low 7 bits: read size, 0 = one read; high bit: the client shuts its sending side at the end),
 * then the bytes of the connection. Invariant: every answer is a JSON-RPC 2.0 response object with
 * exactly one of {@code result} and {@code error}, ending in a blank line; an error is parse error,
 * invalid request, method not found, invalid params, or sendinvoice's 900, 1002 and 1003, never the
 * catch-all -1 (an unexpected exception, or a parameter error reported as ours); nothing is
 * answered after the connection's last answer; every buffer is released. {@code sendinvoice} runs
 * as the node runs it (parameters, reader rules, build, sign, store) up to a send that cannot go
 * anywhere (1003). Seeds: the
 * request of every example in {@code ../shared/cln-schemas} (under {@code examples} or, as
 * sendinvoice's, {@code json_example}), one by one and back to back, and {@code decode} of every
 * string of {@code bolt12/offers-test.json}.
 */
@ExtendWith(NoLeaks.class)
class JsonRpcFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> CODES = Set.of(RpcException.PARSE_ERROR, RpcException.INVALID_REQUEST,
            RpcException.METHOD_NOT_FOUND, RpcException.INVALID_PARAMS, SendInvoiceException.DUPLICATE_LABEL,
            SendInvoiceException.OFFER_EXPIRED, SendInvoiceException.UNREACHABLE);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static RpcRequestPath path;

    static Stream<Arguments> seeds() throws IOException {
        FuzzSeeds seeds = FuzzSeeds.builder();
        byte[] all = new byte[0];
        List<Path> schemas;
        try (Stream<Path> files = Files.list(Vectors.clnSchemasDir())) {
            schemas = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path schema : schemas) {
            int i = 0;
            JsonNode doc = Vectors.readJson(schema);
            List<JsonNode> examples = new ArrayList<>();
            doc.path("examples").forEach(examples::add);
            doc.path("json_example").forEach(examples::add);
            for (JsonNode example : examples) {
                if (example.has("request")) {
                    byte[] request = JSON.writeValueAsBytes(example.get("request"));
                    seeds.add(schema.getFileName() + " example " + i++, FuzzSeeds.concat(new byte[] {0}, request));
                    all = FuzzSeeds.concat(all, request);
                }
            }
        }
        // sendinvoice with each parameter wrong in a way a caller gets wrong: each must be -32602.
        String invreq = Vectors.readJson(Vectors.clnSchemasDir().resolve("sendinvoice.json")).path("json_example").path(0)
                .path("request").path("params").path("invreq").asText();
        String[] bad = {"{\"invreq\":\"" + invreq + "\",\"label\":\"nul\\u0000\"}",
            "{\"invreq\":\"" + invreq + "\",\"label\":\"" + "x".repeat(1025) + "\"}",
            "{\"invreq\":\"" + invreq + "\",\"label\":\"l\",\"amount_msat\":1}",
            "{\"invreq\":\"" + invreq + "\",\"label\":\"l\",\"timeout\":0}",
            "{\"invreq\":\"" + invreq.substring(0, 40) + "\",\"label\":\"l\"}"};
        for (int b = 0; b < bad.length; b++) {
            seeds.addText("sendinvoice with a bad parameter " + b,
                    "\0{\"id\":" + b + ",\"method\":\"sendinvoice\",\"params\":" + bad[b] + "}");
        }
        seeds.add("every example back to back, 13-byte reads", FuzzSeeds.concat(new byte[] {13}, all));
        seeds.add("every example, then the client shuts its side", FuzzSeeds.concat(new byte[] {(byte) 0x80}, all));
        int i = 0;
        for (JsonNode v : FuzzSeeds.vector("bolt12/offers-test.json")) {
            ObjectNode request = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0").put("id", i++)
                    .put("method", "decode");
            request.putArray("params").add(v.path("bolt12").asText());
            seeds.add("decode offers-test " + i, FuzzSeeds.concat(new byte[] {0}, JSON.writeValueAsBytes(request)));
        }
        seeds.addText("params by name", "\0{\"id\":\"p\",\"method\":\"params\",\"params\":{\"s\":\"x\","
                + "\"n\":\"18446744073709551615\",\"t\":4294967295,\"amount\":\"5sat\",\"flag\":true}}");
        seeds.addText("params by position", "\0{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"params\",\"params\":[\"x\",1,2,\"3msat\",\"false\"]}");
        return seeds.arguments();
    }

    private static synchronized RpcRequestPath path() {
        if (path == null) {
            path = new RpcRequestPath();
            // Load and initialise the decode path once, outside any allocation budget.
            ObjectNode decode = JsonNodeFactory.instance.objectNode().put("id", 0).put("method", "decode");
            decode.putArray("params").add(FuzzSeeds.vector("bolt12/offers-test.json").get(0).path("bolt12").asText());
            try {
                run(path, FuzzSeeds.concat(new byte[] {0}, JSON.writeValueAsBytes(decode)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return path;
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void jsonRpc(byte[] input) {
        RpcRequestPath p = path();
        if (input.length == 0) {
            return;
        }
        FuzzChecks.withinAllocation(FuzzChecks.CRYPTO_ALLOWANCE + 2048L * input.length, input, () -> run(p, input));
    }

    private static void run(RpcRequestPath p, byte[] input) {
        int chunk = input[0] & 0x7f;
        boolean shutdown = (input[0] & 0x80) != 0;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        List<Object> framed = new ArrayList<>();
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = p.channel(framed::add);
        ch.config().setAllocator(alloc);
        int step = chunk == 0 ? Math.max(1, stream.length) : chunk;
        try {
            for (int at = 0; at < stream.length; at += step) {
                ch.writeInbound(alloc.copy(stream, at, Math.min(stream.length, at + step)));
            }
            if (shutdown) {
                ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
        } catch (RuntimeException e) {
            throw FuzzChecks.untyped(e, input);
        }

        boolean ended = false;
        for (Object message : framed) {
            if (ended) {
                ReferenceCountUtil.release(message); // the server stops reading after its last answer
                continue;
            }
            assertTrue(message instanceof ByteBuf || message instanceof Record || message instanceof Enum,
                    "framed " + message.getClass());
            RpcRequestPath.Answer a;
            try {
                a = p.answer(message);
            } catch (RuntimeException e) {
                throw FuzzChecks.untyped(e, input);
            }
            if (a.json() != null) {
                checkResponse(a, input);
            }
            ended = a.last();
        }
        try {
            ch.finishAndReleaseAll();
        } catch (RuntimeException e) {
            throw FuzzChecks.untyped(e, input);
        }
        List<String> leaked = alloc.unreleased();
        assertTrue(leaked.isEmpty(), "unreleased buffers " + leaked + " for " + FuzzChecks.describe(input));
    }

    private static void checkResponse(RpcRequestPath.Answer a, byte[] input) {
        ObjectNode r = a.json();
        assertEquals("2.0", r.path("jsonrpc").asText(), "jsonrpc in " + r);
        assertTrue(r.has("id"), "id in " + r);
        assertTrue(r.has("result") != r.has("error"), "exactly one of result and error: " + r);
        if (r.has("error")) {
            int code = r.path("error").path("code").asInt(Integer.MIN_VALUE);
            assertTrue(CODES.contains(code), "error code " + code + " in " + r + " for " + FuzzChecks.describe(input));
            assertTrue(r.path("error").path("message").isTextual(), "error message in " + r);
        }
        byte[] wire = a.wire();
        assertTrue(wire.length > END.length && Arrays.equals(END, Arrays.copyOfRange(wire, wire.length - 2, wire.length)),
                "a response ends with a blank line");
        try {
            assertEquals(r.toString(), JSON.readTree(Arrays.copyOfRange(wire, 0, wire.length - 2)).toString(),
                    "the wire form reads back");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
