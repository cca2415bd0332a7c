package dev.boltflow.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench}: one valid JSON line per stage, in the stable order, with positive figures. No timing asserted. */
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

    @Test
    void bench_shortRun_printsEveryStageOnceAsCompactJson() throws Exception {
        Run run = new Run("--seconds", "0.05", "--warmup", "0.02");

        assertEquals(0, run.exit, run.err.toString());
        String[] lines = run.out.toString().split("\n");
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            JsonNode stage = JSON.readTree(line);
            assertEquals(3, stage.size(), line);
            names.add(stage.get("name").asText());
            assertTrue(stage.get("ops_per_s").isNumber() && stage.get("ops_per_s").asDouble() > 0, line);
            assertTrue(stage.get("us_per_op").isNumber() && stage.get("us_per_op").asDouble() > 0, line);
            // ops/s and µs/op describe the same measurement (to the printed precision).
            double product = stage.get("ops_per_s").asDouble() * stage.get("us_per_op").asDouble();
            assertEquals(1e6, product, 1e6 * 0.01, line);
        }
        assertEquals(List.of("invreq_decode_verify", "invoice_build_sign", "onion_build_3hop", "pipeline",
                "onion_peel_hop", "bolt8_encrypt_msg"), names);
        assertEquals(BenchCommand.STAGES, names);
    }

    /** The one rule: a bad value or an unknown option is exit 1 (a malformed command line alone is 64). */
    @Test
    void bench_badSeconds_isAnOptionError() {
        assertEquals(Main.EXIT_OPTION, new Run("--seconds", "0").exit);
        assertEquals(Main.EXIT_OPTION, new Run("--seconds", "-1").exit);
        assertEquals(Main.EXIT_OPTION, new Run("--seconds", "abc").exit);
        assertEquals(Main.EXIT_OPTION, new Run("--warmup", "-0.5").exit);
        assertEquals(Main.EXIT_OPTION, new Run("--no-such-option").exit);
        assertEquals(Main.EXIT_USAGE, new Run("--seconds").exit);
    }
}
