package dev.boltflow.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.boltflow.node.testing.ClnSchemas;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The README's main command: each outcome happens, and a paid answer is Core Lightning's shape. */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"paid,", "error,1004", "timeout,1005"})
    void demo_outcome(String outcome, Integer code) throws Exception {
        CommandLine cl = new CommandLine(new DemoCommand());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int exit = cl.execute("--outcome", outcome, "--timeout", outcome.equals("timeout") ? "2" : "60");
        assertEquals(0, exit, out.toString());
        JsonNode answer = JSON.readTree(out.toString());
        if (code == null) {
            assertEquals("paid", answer.get("status").asText());
            assertEquals(List.of(), ClnSchemas.validateResponse("sendinvoice", answer));
        } else {
            assertEquals(code.intValue(), answer.get("code").asInt());
        }
    }
}
