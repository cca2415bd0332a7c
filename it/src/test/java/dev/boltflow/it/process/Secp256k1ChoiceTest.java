package dev.boltflow.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --secp256k1} in real processes from the launcher ({@code bin/boltflow-node}): with the
 * native library loadable (this machine), {@code auto} and {@code native} use it and say so; where
 * it cannot load — made so here by pointing the binding's extraction directory
 * ({@code -Dfr.acinq.secp256k1.tmpdir}) at a directory that does not exist, as on a host whose
 * temporary directory is unusable — {@code auto} falls back to BouncyCastle with one WARN line and
 * {@code native} is a clear error and exit 1. {@code getinfo} shows the provider in use.
 */
class Secp256k1ChoiceTest extends ProcessTest {
    private static final ObjectMapper JSON = Launcher.JSON;

    private record Run(int exit, String out, String err) {
    }

    /** No library can be extracted there: the native provider does not load. */
    private String unusableTmpdir() {
        return "-Dfr.acinq.secp256k1.tmpdir=" + tmp.resolve("no-such-directory");
    }

    private static ProcessBuilder node(String javaOpts, String... args) {
        ProcessBuilder pb = Launcher.node(args);
        pb.environment().put("BOLTFLOW_JAVA_OPTS", javaOpts);
        return pb;
    }

    private Run run(String javaOpts, String... args) throws Exception {
        Path out = tmp.resolve("out-" + started.size());
        Path err = tmp.resolve("err-" + started.size());
        Process p = node(javaOpts, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        started.add(p);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + String.join(" ", args));
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static final String[] BENCH = {"bench", "--seconds", "0.01", "--warmup", "0"};

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static List<String> providers(String benchOut) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : benchOut.split("\n")) {
            out.add(JSON.readTree(line).get("provider").asText());
        }
        return out;
    }

    private static long warnLines(String err) {
        return err.lines().filter(l -> l.contains("WARN")).count();
    }

    @Test
    void auto_and_native_use_libsecp256k1_where_it_loads() throws Exception {
        Run auto = run("", BENCH);
        assertEquals(0, auto.exit(), auto.err());
        assertEquals(List.of("native", "native", "native", "native", "native", "native"), providers(auto.out()));
        assertTrue(auto.err().contains("secp256k1: native (libsecp256k1"), auto.err());
        assertEquals(0, warnLines(auto.err()), auto.err());

        Run bc = run("", with(BENCH, "--secp256k1", "bouncycastle"));
        assertEquals(0, bc.exit(), bc.err());
        assertEquals(6, providers(bc.out()).stream().filter("bouncycastle"::equals).count());
    }

    @Test
    void auto_falls_back_with_one_warning_and_native_is_an_error_where_it_does_not_load() throws Exception {
        Run auto = run(unusableTmpdir(), BENCH);
        assertEquals(0, auto.exit(), auto.err());
        assertEquals(6, providers(auto.out()).stream().filter("bouncycastle"::equals).count(), auto.out());
        assertEquals(1, warnLines(auto.err()), auto.err());
        assertTrue(auto.err().contains("falls back to the pure-Java bouncycastle provider"), auto.err());

        Run nat = run(unusableTmpdir(), with(BENCH, "--secp256k1", "native"));
        assertEquals(1, nat.exit(), nat.err());
        assertTrue(nat.err().contains("boltflow: --secp256k1 native: libsecp256k1"), nat.err());
        assertFalse(nat.err().contains("\tat "), "a message, not a stack trace: " + nat.err());
        assertEquals("", nat.out());

        Path dir = tmp.resolve("native-node");
        Run start = run(unusableTmpdir(), "start", "--network", "regtest", "--data-dir", dir.toString(),
                "--secp256k1", "native");
        assertEquals(1, start.exit(), start.err());
        assertTrue(start.err().contains("boltflow: --secp256k1 native"), start.err());
        assertFalse(Files.exists(dir.resolve("regtest").resolve("lightning-rpc")), "nothing started");

        // A bad value is an option error: one line naming the option, exit 1 (the rule of every command).
        Run bad = run("", with(BENCH, "--secp256k1", "openssl"));
        assertEquals(1, bad.exit(), bad.err());
        assertTrue(bad.err().contains("--secp256k1"), bad.err());
    }

    @Test
    void a_node_that_falls_back_logs_it_once_at_start_and_getinfo_says_bouncycastle() throws Exception {
        Path dir = tmp.resolve("node");
        Path log = tmp.resolve("node.log");
        Process p = node(unusableTmpdir(), "start", "--network", "regtest", "--data-dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        Launcher.awaitRpcSocket(p, dir, () -> Launcher.read(log));
        JsonNode info = cli(dir, "getinfo");
        assertEquals("bouncycastle", info.get("boltflow").get("secp256k1").asText(), info.toString());
        cli(dir, "stop");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(log);
        assertEquals(1, warnLines(text), text);
        assertTrue(text.contains("secp256k1: bouncycastle"), text);
    }

    private static JsonNode cli(Path dataDir, String... args) throws Exception {
        return Launcher.cli(dataDir, args);
    }
}
