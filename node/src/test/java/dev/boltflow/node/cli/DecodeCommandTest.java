package dev.boltflow.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.node.testing.ClnSchemas;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code decode}: Core Lightning's field names, the 0/1/2 exit codes, and the line mode; on each secp256k1 provider. */
class DecodeCommandTest extends OnEachSecp256k1Provider {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }
    }

    private static JsonNode example() {
        return ClnSchemas.raw("sendinvoice").get("json_example").get(0);
    }

    /** The moment Core Lightning's example was paid: its invoice is not yet expired then. */
    private static Clock exampleClock() {
        return Clock.fixed(Instant.ofEpochSecond(example().get("response").get("paid_at").asLong()), ZoneOffset.UTC);
    }

    private static Run run(Clock clock, String stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        CommandLine cl = new CommandLine(new DecodeCommand(clock, in));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void cln_invoice_request_decodes_valid_with_cln_field_names() {
        String lnr = example().get("request").get("params").get("invreq").asText();
        Run r = run(exampleClock(), "", lnr);
        assertEquals(DecodeCommand.VALID, r.exit(), r.out());
        JsonNode j = r.json();
        assertEquals("bolt12 invoice_request", j.get("type").asText());
        assertTrue(j.get("valid").asBoolean());
        assertEquals(2, j.get("invreq_amount_msat").asLong());
        assertEquals("simple test", j.get("offer_description").asText());
        assertEquals(List.of(), ClnSchemas.validateResponse("decode", j));
    }

    @Test
    void cln_invoice_decodes_valid_and_matches_sendinvoice_answer() {
        JsonNode response = example().get("response");
        Run r = run(exampleClock(), "", response.get("bolt12").asText());
        assertEquals(DecodeCommand.VALID, r.exit(), r.out());
        JsonNode j = r.json();
        assertEquals("bolt12 invoice", j.get("type").asText());
        assertEquals(response.get("payment_hash").asText(), j.get("invoice_payment_hash").asText());
        assertEquals(response.get("amount_msat").asLong(), j.get("invoice_amount_msat").asLong());
        assertEquals(response.get("expires_at").asLong(),
                j.get("invoice_created_at").asLong() + j.get("invoice_relative_expiry").asLong());
        assertFalse(j.has("warning_invoice_expired"));
        assertEquals(List.of(), ClnSchemas.validateResponse("decode", j));
    }

    /** Core Lightning's schema has no expiry field: the answer stays within it, the note goes to stderr. */
    @Test
    void expired_invoice_is_still_valid_with_a_note_on_stderr() {
        String lni = example().get("response").get("bolt12").asText();
        Clock later = Clock.offset(exampleClock(), java.time.Duration.ofDays(1));
        Run r = run(later, "", lni);
        assertEquals(DecodeCommand.VALID, r.exit());
        assertTrue(r.json().get("valid").asBoolean());
        assertFalse(r.json().has("warning_invoice_expired"));
        assertEquals(List.of(), ClnSchemas.validateResponse("decode", r.json()));
        assertTrue(r.err().startsWith("note: invoice expired:"), r.err());
    }

    @Test
    void tampered_signature_breaks_a_rule() {
        String lni = example().get("response").get("bolt12").asText();
        Bolt12String s = Bolt12String.decode(lni);
        byte[] data = s.data().toArray();
        data[data.length - 1] ^= 1; // the signature is the last record
        String tampered = Bolt12String.encode(s.hrp(), Bytes.wrap(data));
        Run r = run(exampleClock(), "", tampered);
        assertEquals(DecodeCommand.BREAKS_A_RULE, r.exit(), r.out());
        assertFalse(r.json().get("valid").asBoolean());
        assertTrue(r.json().get("warning_invalid_invoice_signature").asText().contains("does not verify"), r.out());
        assertEquals(List.of(), ClnSchemas.validateResponse("decode", r.json()));
    }

    @Test
    void truncated_string_cannot_be_decoded_and_is_core_lightnings_error_object() {
        String lni = example().get("response").get("bolt12").asText();
        Run r = run(exampleClock(), "", lni.substring(0, 100));
        assertEquals(DecodeCommand.UNDECODABLE, r.exit());
        assertEquals(-32602, r.json().get("code").asInt());
        assertTrue(r.json().get("message").asText().contains("truncated"), r.out());
    }

    @Test
    void lightning_uri_prefix_is_accepted() {
        String lnr = example().get("request").get("params").get("invreq").asText();
        assertEquals(DecodeCommand.VALID, run(exampleClock(), "", "LIGHTNING:" + lnr).exit());
    }

    /** One output line per input line, blank lines included (as an error object), so a script can zip them. */
    @Test
    void stdin_mode_prints_one_compact_line_per_input_line_and_exits_with_the_worst() throws Exception {
        String lnr = example().get("request").get("params").get("invreq").asText();
        Run r = run(exampleClock(), lnr + "\n\nlno1qgsqvgnwgcg35z6ee2h3yczraddm72xrfua9uve2rlrm9deu7xyfzr\n" + lnr + "\n", "-");
        String[] lines = r.out().strip().split("\n");
        assertEquals(4, lines.length, r.out());
        for (String line : lines) {
            assertFalse(line.contains("\n  "), "compact");
        }
        assertTrue(JSON.readTree(lines[0]).get("valid").asBoolean());
        assertEquals(-32602, JSON.readTree(lines[1]).get("code").asInt(), "the blank line keeps its place");
        assertTrue(JSON.readTree(lines[2]).has("code") || !JSON.readTree(lines[2]).get("valid").asBoolean(), lines[2]);
        assertTrue(JSON.readTree(lines[3]).get("valid").asBoolean());
        assertTrue(r.exit() >= DecodeCommand.BREAKS_A_RULE);
        assertEquals(DecodeCommand.VALID, run(exampleClock(), lnr + "\n" + lnr + "\n", "-").exit());
    }

    @Test
    void missing_argument_is_a_usage_error() {
        assertEquals(Main.EXIT_USAGE, Main.commandLine().execute("decode"));
    }

    static Stream<Arguments> offers() {
        return Vectors.elements(Vectors.json("bolt12/offers-test.json")).stream()
                .map(n -> Arguments.of(n.get("description").asText(), n));
    }

    /** Every official offer vector through the command: valid ones exit 0 and match CLN's schema. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("offers")
    void offers_vectors_through_the_command(String description, JsonNode vector) throws Exception {
        Run r = run(exampleClock(), "", vector.get("bolt12").asText());
        JsonNode j = r.json();
        if (vector.get("valid").asBoolean()) {
            assertEquals(DecodeCommand.VALID, r.exit(), r.out());
            assertEquals("bolt12 offer", j.get("type").asText());
            assertEquals(List.of(), ClnSchemas.validateResponse("decode", j), r.out());
        } else {
            assertTrue(r.exit() == DecodeCommand.BREAKS_A_RULE || r.exit() == DecodeCommand.UNDECODABLE, r.out());
            if (j.has("valid")) {
                assertFalse(j.get("valid").asBoolean());
                assertEquals(List.of(), ClnSchemas.validateResponse("decode", j), r.out());
            } else {
                assertEquals(-32602, j.get("code").asInt(), r.out());
            }
        }
    }
}
