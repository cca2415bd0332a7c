package dev.boltflow.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.boltflow.core.crypto.Secp256k1Provider;
import dev.boltflow.core.crypto.Secp256k1Providers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench}: one valid JSON line per stage, in the stable order, naming the provider, with positive figures. No timing asserted. */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final class Run {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit;

        Run(String... args) {
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            String[] all = new String[args.length + 1];
            all[0] = "bench";
            System.arraycopy(args, 0, all, 1, args.length);
            exit = cl.execute(all);
        }
    }

    private final Secp256k1Provider previous = Secp256k1Providers.current();

    @AfterEach
    void restoreProvider() {
        Secp256k1Providers.install(previous); // bench installs its --secp256k1 choice for the process
    }

    /** Every stage once, in the stable order, with the stable fields; returns the providers named. */
    private static List<String> checkLines(Run run, int threads) throws Exception {
        assertEquals(0, run.exit, run.err.toString());
        String[] lines = run.out.toString().split("\n");
        List<String> names = new ArrayList<>();
        List<String> providers = new ArrayList<>();
        for (String line : lines) {
            JsonNode stage = JSON.readTree(line);
            assertEquals(List.of("name", "provider", "ops_per_s", "us_per_op"), fieldNames(stage), line);
            names.add(stage.get("name").asText());
            providers.add(stage.get("provider").asText());
            assertTrue(stage.get("ops_per_s").isNumber() && stage.get("ops_per_s").asDouble() > 0, line);
            assertTrue(stage.get("us_per_op").isNumber() && stage.get("us_per_op").asDouble() > 0, line);
            // ops/s (all threads) and µs/op (one thread) describe the same measurement, to the printed precision.
            double product = stage.get("ops_per_s").asDouble() * stage.get("us_per_op").asDouble();
            assertEquals(threads * 1e6, product, threads * 1e6 * 0.01, line);
        }
        assertEquals(List.of("invreq_decode_verify", "invoice_build_sign", "onion_build_3hop", "pipeline",
                "onion_peel_hop", "bolt8_encrypt_msg"), names);
        assertEquals(BenchCommand.STAGES, names);
        return providers;
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void bench_shortRun_printsEveryStageOnceAsCompactJson_namingTheProvider() throws Exception {
        List<String> providers = checkLines(new Run("--seconds", "0.05", "--warmup", "0.02"), 1);
        // auto: libsecp256k1 where it loads, which it does wherever the tests run.
        assertEquals(java.util.Collections.nCopies(6, "native"), providers);
        assertEquals(java.util.Collections.nCopies(6, "bouncycastle"),
                checkLines(new Run("--seconds", "0.05", "--warmup", "0.02", "--secp256k1", "bouncycastle"), 1));
    }

    @Test
    void bench_threads_reportsTheTotalOverAllThreads() throws Exception {
        Run run = new Run("--seconds", "0.05", "--warmup", "0.02", "--threads", "2");
        checkLines(run, 2);
        assertTrue(run.err.toString().contains("2 threads"), run.err.toString());
        assertTrue(run.err.toString().contains("per second of thread CPU time"), run.err.toString());
    }

    @Test
    void bench_elapsed_dividesByWallClockTime() throws Exception {
        Run run = new Run("--seconds", "0.05", "--warmup", "0.02", "--elapsed");
        checkLines(run, 1);
        assertTrue(run.err.toString().contains("per second of wall-clock time"), run.err.toString());
    }

    /** The one rule: a bad value or an unknown option is exit 1 (a malformed command line alone is 64). */
    @Test
    void bench_badSeconds_isAnOptionError() {
        assertEquals(Main.EXIT_OPTION, new Run("--seconds", "0").exit);
        assertEquals(Main.EXIT_OPTION, new Run("--seconds", "-1").exit);
        assertEquals(Main.EXIT_OPTION, new Run("--seconds", "abc").exit);
        assertEquals(Main.EXIT_OPTION, new Run("--warmup", "-0.5").exit);
        assertEquals(Main.EXIT_OPTION, new Run("--no-such-option").exit);
        assertEquals(Main.EXIT_OPTION, new Run("--threads", "0").exit);
        assertEquals(Main.EXIT_OPTION, new Run("--secp256k1", "openssl").exit);
        assertEquals(Main.EXIT_USAGE, new Run("--seconds").exit);
    }
}
