package dev.boltflow.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.node.json.Bolt12Decoding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code decode <bolt12 string>} prints the object as Core Lightning's {@code decode} does, plus
 * {@code valid} and, when invalid, {@code reasons}. {@code decode -} reads one string per line from
 * standard input and prints one compact JSON object per line.
 */
@Command(name = "decode",
        description = {"Decode and check a BOLT 12 offer (lno1), invoice_request (lnr1) or invoice (lni1)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            " 0:valid (structure and signature; expiry is only a warning)",
            " 1:decodes but breaks a rule (reasons say which)",
            " 2:cannot be decoded",
            "64:usage error"},
        footer = {"With '-', the exit code is the worst over all lines."})
public final class DecodeCommand implements Callable<Integer> {
    public static final int VALID = 0;
    public static final int BREAKS_A_RULE = 1;
    public static final int UNDECODABLE = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "STRING", description = "The bolt12 string, or '-' for one per line on stdin.")
    String input;

    @Spec
    CommandSpec spec;

    private final Clock clock;
    private final InputStream stdin;

    public DecodeCommand() {
        this(Clock.systemUTC(), System.in);
    }

    /** For tests and embedding: the time expiry is judged at, and where '-' reads from. */
    public DecodeCommand(Clock clock, InputStream stdin) {
        this.clock = clock;
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!"-".equals(input)) {
            Outcome o = decode(input);
            out.println(write(o.json, true));
            out.flush();
            return o.exitCode;
        }
        int worst = VALID;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Outcome o = decode(line.strip());
                out.println(write(o.json, false));
                worst = Math.max(worst, o.exitCode);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
        return worst;
    }

    record Outcome(ObjectNode json, int exitCode) {
    }

    Outcome decode(String s) {
        Bolt12Decoding.Outcome o = Bolt12Decoding.decode(s, clock.instant().getEpochSecond());
        return new Outcome(o.json(), exitCode(o.verdict()));
    }

    private static int exitCode(Bolt12Decoding.Verdict verdict) {
        switch (verdict) {
            case VALID:
                return VALID;
            case BREAKS_A_RULE:
                return BREAKS_A_RULE;
            default:
                return UNDECODABLE;
        }
    }

    private static String write(ObjectNode json, boolean pretty) {
        try {
            return pretty ? JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json)
                    : JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
