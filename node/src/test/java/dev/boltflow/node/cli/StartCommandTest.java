package dev.boltflow.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.boltflow.core.crypto.Secp256k1Provider;
import dev.boltflow.core.crypto.Secp256k1Providers;
import dev.boltflow.node.rpc.JsonRpcClient;
import dev.boltflow.node.testing.ClnSchemas;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code start}: options from the command line and the config files, RPC up, {@code stop} ends it with 0. */
class StartCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits (bounded) for the node to create its RPC socket: readiness, not a timing check. */
    private static void awaitSocket(Path socket, CompletableFuture<Integer> exit) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket)) {
            if (exit.isDone()) {
                throw new AssertionError("start exited with " + exit.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no RPC socket at " + socket);
            }
            Thread.sleep(50);
        }
    }

    /** Runs {@code start --data-dir dir}, returns its getinfo answer (checked against the schema), stops it with exit 0. */
    private static JsonNode getinfoOfAStartedNode(Path dir) throws Exception {
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> Main.run("start", "--data-dir", dir.toString()));
        Path socket = dir.resolve("regtest").resolve("lightning-rpc");
        awaitSocket(socket, exit);
        JsonRpcClient client = JsonRpcClient.create(socket);
        JsonNode info;
        try {
            info = client.call("getinfo", JSON.createObjectNode()).block(Duration.ofSeconds(30));
            assertEquals(List.of(), ClnSchemas.validateResponse("getinfo", info));
            client.call("stop", JSON.createObjectNode()).block(Duration.ofSeconds(30));
        } finally {
            client.close().block(Duration.ofSeconds(10));
        }
        assertEquals(0, exit.get(60, TimeUnit.SECONDS));
        return info;
    }

    @Test
    void config_files_give_what_the_command_line_leaves_out_and_stop_exits_0(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config"), "# base\nnetwork=regtest\nlisten=127.0.0.1:0\n");
        Files.createDirectories(dir.resolve("regtest"));
        Files.writeString(dir.resolve("regtest").resolve("config"), "fetchinvoice-noconnect\ndefault-timeout=30\n");
        JsonNode info = getinfoOfAStartedNode(dir);
        assertEquals("regtest", info.get("network").asText());
        assertEquals("ipv4", info.get("binding").get(0).get("type").asText());
        assertTrue(Files.exists(dir.resolve("regtest").resolve("node_key")));
    }

    @Test
    void secp256k1_from_a_config_file_is_the_provider_getinfo_shows(@TempDir Path dir) throws Exception {
        Secp256k1Provider previous = Secp256k1Providers.current();
        try {
            Files.writeString(dir.resolve("config"), "network=regtest\nsecp256k1=bouncycastle\n");
            JsonNode info = getinfoOfAStartedNode(dir);
            assertEquals("bouncycastle", info.get("boltflow").get("secp256k1").asText(), info.toString());
            assertEquals(Main.EXIT_OPTION, Main.run("start", "--data-dir", dir.toString(), "--secp256k1", "fastest"));
        } finally {
            Secp256k1Providers.install(previous); // start installs its choice for the process
        }
    }

    @Test
    void unknown_option_in_a_config_file_is_a_clear_error(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config"), "network=regtest\nlisten-on=127.0.0.1:9735\n");
        assertEquals(1, runCapturingErr(dir, "start", "--data-dir", dir.toString()).exit);
    }

    @Test
    void invalid_values_are_clear_errors_not_stack_traces(@TempDir Path dir) throws Exception {
        Result bad = runCapturingErr(dir, "start", "--data-dir", dir.toString(), "--network", "mainnet");
        assertEquals(1, bad.exit);
        assertTrue(bad.err.contains("unknown network 'mainnet'"), bad.err);
        assertEquals(Main.EXIT_OPTION, Main.run("start", "--no-such-option"));
        assertEquals(Main.EXIT_USAGE, Main.run("start", "--network"));
        Result gossip = runCapturingErr(dir, "start", "--data-dir", dir.toString(), "--network", "regtest",
                "--gossip-max-nodes", "1");
        assertEquals(1, gossip.exit);
        assertTrue(gossip.err.contains("--gossip-max-nodes"), gossip.err);
    }

    @Test
    void rpc_limits_from_the_config_file_apply_to_the_running_node(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config"), "network=regtest\nrpc-max-connections=1\n");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> Main.run("start", "--data-dir", dir.toString()));
        Path socket = dir.resolve("regtest").resolve("lightning-rpc");
        awaitSocket(socket, exit);
        try (SocketChannel held = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            held.connect(UnixDomainSocketAddress.of(socket));
            held.write(ByteBuffer.wrap("{\"id\":1,\"method\":\"getinfo\"}".getBytes(StandardCharsets.UTF_8)));
            assertTrue(readUntilEnd(held).contains("\"result\""), "the first connection is served");
            try (SocketChannel second = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                second.connect(UnixDomainSocketAddress.of(socket));
                String refused = readUntilEnd(second);
                assertTrue(refused.contains("-32000"), refused);
            }
            held.write(ByteBuffer.wrap("{\"id\":2,\"method\":\"stop\"}".getBytes(StandardCharsets.UTF_8)));
            readUntilEnd(held);
        }
        assertEquals(0, exit.get(60, TimeUnit.SECONDS));
    }

    /** testnet and signet have no checkpoint: without a height or a URL the node refuses to start. */
    @Test
    void a_real_network_without_a_height_source_or_checkpoint_is_a_clear_error(@TempDir Path dir) {
        Result bad = runCapturingErr(dir, "start", "--data-dir", dir.toString(), "--network", "testnet");
        assertEquals(1, bad.exit);
        assertTrue(bad.err.contains("--block-height N or --block-height-url URL"), bad.err);
        Result negative = runCapturingErr(dir, "start", "--data-dir", dir.toString(), "--network", "regtest",
                "--block-height", "-1");
        assertEquals(1, negative.exit);
        assertTrue(negative.err.contains("'--block-height': must not be negative"), negative.err);
        assertTrue(!Files.exists(dir.resolve("testnet").resolve("node_key")), "refused before anything is written");
    }

    /** getinfo's blockheight: on bitcoin never 0 (the checkpoint estimate), and a URL's answer when one is given. */
    @Test
    void getinfo_reports_the_block_height_from_its_source(@TempDir Path dir) throws Exception {
        JsonNode mainnet = infoOfANodeStartedWith(dir.resolve("a"), "bitcoin");
        assertTrue(mainnet.get("blockheight").asLong() > 840_000, mainnet.toString());

        reactor.netty.DisposableServer esplora = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/blocks/tip/height", (req, res) -> res.sendString(reactor.core.publisher.Mono.just("123456"))))
                .bindNow();
        try {
            JsonNode regtest = infoOfANodeStartedWith(dir.resolve("b"), "regtest", "--block-height-url",
                    "http://127.0.0.1:" + esplora.port() + "/blocks/tip/height");
            assertEquals(123_456, regtest.get("blockheight").asLong(), regtest.toString());
        } finally {
            esplora.disposeNow();
        }
        assertEquals(7, infoOfANodeStartedWith(dir.resolve("c"), "regtest", "--block-height", "7").get("blockheight").asLong());
    }

    private static JsonNode infoOfANodeStartedWith(Path dir, String network, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("start", "--data-dir", dir.toString(), "--network", network));
        args.addAll(List.of(more));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(args.toArray(String[]::new)));
        Path socket = dir.resolve(network).resolve("lightning-rpc");
        awaitSocket(socket, exit);
        JsonRpcClient client = JsonRpcClient.create(socket);
        try {
            JsonNode info = client.call("getinfo", JSON.createObjectNode()).block(Duration.ofSeconds(30));
            assertEquals(List.of(), ClnSchemas.validateResponse("getinfo", info));
            client.call("stop", JSON.createObjectNode()).block(Duration.ofSeconds(30));
            return info;
        } finally {
            client.close().block(Duration.ofSeconds(10));
            assertEquals(0, exit.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void rpc_limit_below_its_minimum_is_a_clear_error(@TempDir Path dir) {
        Result bad = runCapturingErr(dir, "start", "--data-dir", dir.toString(), "--network", "regtest",
                "--rpc-max-connections", "0");
        assertEquals(1, bad.exit);
        assertTrue(bad.err.contains("--rpc-max-connections"), bad.err);
        assertEquals(1, bad.err.strip().lines().count(), bad.err);
    }

    /** Reads one answer (up to Core Lightning's "\n\n" end marker) or until the server closes. */
    private static String readUntilEnd(SocketChannel ch) throws java.io.IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8192);
        while (!all.toString(StandardCharsets.UTF_8).contains("\n\n") && ch.read(b) >= 0) {
            all.write(b.array(), 0, b.position());
            b.clear();
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    record Result(int exit, String err) {
    }

    private static Result runCapturingErr(Path dir, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Result(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }
}
