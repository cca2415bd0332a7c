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
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code decode <bolt12 string>} prints the object as Core Lightning's {@code decode} does: an answer
 * within {@code decode.json} (with {@code valid: false} and Core Lightning's {@code warning_*} fields
 * when it breaks a rule Core Lightning names), or, for a string Core Lightning's decoder refuses, the
 * error object its RPC would answer ({@code code} -32602, {@code message}). Notes for a person (an
 * expiry passed) go to standard error. {@code decode -} reads standard input and prints exactly one
 * compact JSON line per input line, blank lines included (as an error), so the two can be zipped.
 */
@Command(name = "decode",
        description = {"Decode and check a BOLT 12 offer (lno1), invoice_request (lnr1) or invoice (lni1)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            " 0:valid (structure and signature; expiry is only a note on stderr)",
            " 1:decodes but breaks a rule (valid: false with warnings, or an error object)",
            " 2:cannot be decoded (an error object)",
            "64:usage error"},
        footer = {"With '-', one output line per input line; the exit code is the worst over all lines."})
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
        PrintWriter err = spec.commandLine().getErr();
        if (!"-".equals(input)) {
            Outcome o = decode(input);
            out.println(write(o.json, true));
            o.notes.forEach(n -> err.println("note: " + n));
            out.flush();
            err.flush();
            return o.exitCode;
        }
        int worst = VALID;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                Outcome o = line.isBlank() ? blank() : decode(line.strip());
                out.println(write(o.json, false));
                for (String n : o.notes) {
                    err.println("note: line " + number + ": " + n);
                }
                worst = Math.max(worst, o.exitCode);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
        err.flush();
        return worst;
    }

    record Outcome(ObjectNode json, int exitCode, List<String> notes) {
    }

    Outcome decode(String s) {
        Bolt12Decoding.Outcome o = Bolt12Decoding.decode(s, clock.instant().getEpochSecond());
        ObjectNode json = o.json().orElseGet(() -> error(o.error().orElseThrow()));
        return new Outcome(json, exitCode(o.verdict()), o.notes());
    }

    /** An empty line keeps its place in the output, as an error: there is nothing to decode. */
    private static Outcome blank() {
        return new Outcome(error("invalid string: empty line"), UNDECODABLE, List.of());
    }

    /** The error object Core Lightning's RPC answers for a string it cannot decode (as {@code cli} prints it). */
    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("code", -32602).put("message", message);
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
