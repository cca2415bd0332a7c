package dev.boltflow.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The launchers in {@code bin/} as the process tests use them: the node jar built, {@code boltflow-cli} calls. */
final class Launcher {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private Launcher() {
    }

    /** {@code bin/boltflow-node ARGS}, after checking the jar it runs is built. */
    static ProcessBuilder node(String... args) {
        Path jar = ROOT.resolve("node/target/boltflow-node.jar");
        assertTrue(Files.exists(jar), "build the node jar first (mvn verify does): " + jar);
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/boltflow-node").toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** Waits (bounded) until a started node's RPC socket exists: readiness, not a timing check. */
    static void awaitRpcSocket(Process p, Path dataDir, Supplier<String> log) {
        Path socket = dataDir.resolve("regtest").resolve("lightning-rpc");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket)) {
            assertTrue(p.isAlive(), "node exited: " + log.get());
            assertTrue(System.nanoTime() < deadline, "no RPC socket: " + log.get());
            try {
                Thread.sleep(100); // waiting for a child process to come up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** {@code bin/boltflow-cli --network regtest --data-dir DIR ARGS}: its JSON answer, exit 0 required. */
    static JsonNode cli(Path dataDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/boltflow-cli").toString(),
                "--network", "regtest", "--data-dir", dataDir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "cli did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", args) + " -> " + out);
        return JSON.readTree(out);
    }

    /** A file's text, or a placeholder when it is not there (for failure messages). */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }
}
