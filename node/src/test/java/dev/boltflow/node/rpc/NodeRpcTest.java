package dev.boltflow.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.payer.PaymentSender;
import dev.boltflow.core.payer.memory.DirectPaymentSender;
import dev.boltflow.core.sendinvoice.BlockHeight;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.node.Node;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.node.testing.ClnSchemas;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes, each with its JSON-RPC socket: the whole exchange through RPC calls, and every answer
 * checked against Core Lightning's schema for that command.
 */
class NodeRpcTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Node payee;
    private Node payer;
    private JsonRpcServer payeeRpc;
    private JsonRpcServer payerRpc;
    private JsonRpcClient toPayee;
    private JsonRpcClient toPayer;

    @BeforeEach
    void start() {
        SecureRandom random = new SecureRandom();
        AtomicReference<SendInvoice> payeeService = new AtomicReference<>();
        Node.Host host = new Node.Host() {
            @Override
            public PaymentSender paymentSender(Node.NodeParts parts) {
                return new DirectPaymentSender(htlc -> payeeService.get().acceptPayment(htlc), 10);
            }

            @Override
            public BlockHeight blockHeight() {
                return () -> 0;
            }
        };
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        payee = Node.start(NodeConfig.defaults(Network.REGTEST, dir.resolve("payee")).withListen(loopback), host, random).block(WAIT);
        payer = Node.start(NodeConfig.defaults(Network.REGTEST, dir.resolve("payer")).withListen(loopback), host, random).block(WAIT);
        payeeService.set(payee.sendInvoice());
        payeeRpc = JsonRpcServer.start(payee.config().rpcFile(), new NodeRpc(payee, Clock.systemUTC(), () -> { }, "test").methods()).block(WAIT);
        payerRpc = JsonRpcServer.start(payer.config().rpcFile(), new NodeRpc(payer, Clock.systemUTC(), () -> { }, "test").methods()).block(WAIT);
        toPayee = JsonRpcClient.create(payee.config().rpcFile());
        toPayer = JsonRpcClient.create(payer.config().rpcFile());
    }

    @AfterEach
    void stop() {
        toPayee.close().block(WAIT);
        toPayer.close().block(WAIT);
        payeeRpc.close().block(WAIT);
        payerRpc.close().block(WAIT);
        payer.close();
        payee.close();
    }

    private static JsonNode valid(String command, JsonNode answer) {
        assertEquals(List.of(), ClnSchemas.validateResponse(command, answer), command + ": " + answer);
        return answer;
    }

    private static ObjectNode params() {
        return JSON.createObjectNode();
    }

    @Test
    void the_whole_exchange_through_rpc_matches_core_lightnings_schemas() {
        JsonNode info = valid("getinfo", toPayee.call("getinfo", params()).block(WAIT));
        // boltflow's field: the secp256k1 provider in use.
        assertEquals(dev.boltflow.core.crypto.Secp256k1Providers.current().name(), info.get("boltflow").get("secp256k1").asText());
        JsonNode invreq = valid("invoicerequest", toPayer.call("invoicerequest",
                params().put("amount", "21000msat").put("description", "rpc test").put("label", "r1")).block(WAIT));
        InetSocketAddress at = payer.listening().orElseThrow();
        valid("connect", toPayee.call("connect",
                params().put("id", payer.nodeId().toHex() + "@127.0.0.1:" + at.getPort())).block(WAIT));

        JsonNode paid = valid("sendinvoice", toPayee.call("sendinvoice",
                params().put("invreq", invreq.get("bolt12").asText()).put("label", "inv1")).block(WAIT));
        assertEquals("paid", paid.get("status").asText());
        assertEquals(21000, paid.get("amount_received_msat").asLong());

        JsonNode list = valid("listinvoices", toPayee.call("listinvoices", params()).block(WAIT));
        assertEquals(1, list.get("invoices").size());
        valid("waitinvoice", toPayee.call("waitinvoice", params().put("label", "inv1")).block(WAIT));
        valid("waitanyinvoice", toPayee.call("waitanyinvoice", params().put("lastpay_index", 0)).block(WAIT));
        JsonNode reqs = valid("listinvoicerequests", toPayer.call("listinvoicerequests", params()).block(WAIT));
        assertTrue(reqs.get("invoicerequests").get(0).get("used").asBoolean());
        // boltflow's addition: what last happened to an invoice for the request, with unsigned numbers.
        JsonNode outcome = reqs.get("invoicerequests").get(0).get("last_outcome");
        assertEquals("paid", outcome.get("status").asText());
        assertEquals(paid.get("payment_hash").asText(), outcome.get("payment_hash").asText());
        assertTrue(outcome.get("amount_msat").isIntegralNumber());
        assertEquals(21000, outcome.get("amount_msat").asLong());
        assertEquals(payee.nodeId().toHex(), outcome.get("invoice_node_id").asText());
        valid("disableinvoicerequest", toPayer.call("disableinvoicerequest",
                params().put("invreq_id", invreq.get("invreq_id").asText())).block(WAIT));

        RpcException mismatch = assertThrows(RpcException.class, () -> toPayee.call("delinvoice",
                params().put("label", "inv1").put("status", "unpaid")).block(WAIT));
        assertEquals(906, mismatch.code());
        assertEquals("paid", mismatch.data().orElseThrow().get("current_status").asText());
        valid("delinvoice", toPayee.call("delinvoice", params().put("label", "inv1").put("status", "paid")).block(WAIT));
        assertEquals(905, assertThrows(RpcException.class, () -> toPayee.call("delinvoice",
                params().put("label", "inv1").put("status", "paid")).block(WAIT)).code());
    }

    private record Cli(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + out + " / " + err, e);
            }
        }
    }

    /** {@code boltflow-node cli --rpc-file SOCKET args…}, in-process. */
    private static Cli cli(Node node, String... args) {
        picocli.CommandLine cl = dev.boltflow.node.cli.Main.commandLine();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(err));
        List<String> all = new java.util.ArrayList<>(List.of("cli", "--rpc-file", node.config().rpcFile().toString()));
        all.addAll(List.of(args));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Cli(exit, out.toString(), err.toString());
    }

    /**
     * lightning-cli's rule, through cli and the node: an argument that is exactly one JSON value is
     * sent as that value, anything else as a string (issue 17's three cases); amounts take Core
     * Lightning's forms; a label may be a number.
     */
    @Test
    void cli_sends_anything_not_exactly_json_as_a_string_and_amounts_take_core_lightnings_forms() {
        Cli words = cli(payer, "invoicerequest", "5000 sat", "five thousand");
        assertEquals(1, words.exit(), words.out() + words.err());
        assertEquals(-32602, words.json().get("code").asInt());
        assertTrue(words.json().get("message").asText().startsWith("amount: should be a millisatoshi amount: "
                + "invalid token '\"5000 sat\"'"), words.out());
        Cli please = cli(payer, "-k", "invoicerequest", "amount=5000sat", "description=x", "single_use=false please");
        assertEquals(1, please.exit(), please.out());
        assertTrue(please.json().get("message").asText().startsWith("single_use: should be 'true' or 'false'"),
                please.out());

        for (String[] form : new String[][] {{"10000msat", "10000"}, {"10sat", "10000"}, {"0.0001btc", "10000000"},
                {"10000", "10000"}}) {
            Cli made = cli(payer, "invoicerequest", form[0], "amount " + form[0]);
            assertEquals(0, made.exit(), made.out() + made.err());
            Cli decoded = cli(payer, "decode", made.json().get("bolt12").asText());
            assertEquals(Long.parseLong(form[1]), decoded.json().get("invreq_amount_msat").asLong(), form[0]);
        }
        Cli bad = cli(payee, "sendinvoice", "lnr1x", "label", "5 sats");
        assertTrue(bad.json().get("message").asText().startsWith("amount_msat: should be a millisatoshi amount"),
                bad.out());

        Cli request = cli(payer, "invoicerequest", "21sat", "rent");
        InetSocketAddress at = payer.listening().orElseThrow();
        assertEquals(0, cli(payee, "connect", payer.nodeId().toHex() + "@127.0.0.1:" + at.getPort()).exit());
        Cli rent = cli(payee, "sendinvoice", request.json().get("bolt12").asText(), "2024 rent");
        assertEquals(0, rent.exit(), rent.out() + rent.err());
        assertEquals("paid", rent.json().get("status").asText());
        assertEquals("2024 rent", rent.json().get("label").asText());
        assertEquals(21000, rent.json().get("amount_received_msat").asLong());
        Cli numeric = cli(payee, "listinvoices", "2024");
        assertEquals(0, numeric.json().get("invoices").size(), "a number is a label too: none is called 2024");
    }

    /** help lists every method the node answers (Core Lightning's shape), help COMMAND one; cli help prints it for people. */
    @Test
    void help_lists_every_method_and_describes_one() {
        JsonNode all = toPayee.call("help", params()).block(WAIT);
        assertEquals("simple", all.get("format-hint").asText());
        java.util.Set<String> listed = new java.util.LinkedHashSet<>();
        for (JsonNode e : all.get("help")) {
            listed.add(e.get("command").asText().split(" ")[0]);
            for (String field : List.of("category", "description", "verbose")) {
                assertTrue(e.get(field).isTextual() && !e.get(field).asText().isEmpty(), field + " of " + e);
            }
        }
        assertEquals(new NodeRpc(payee, Clock.systemUTC(), () -> { }, "test").methods().names(), listed);
        JsonNode one = toPayee.call("help", params().put("command", "sendinvoice")).block(WAIT);
        assertEquals(1, one.get("help").size());
        assertEquals("sendinvoice invreq label [amount_msat] [timeout] [quantity]",
                one.get("help").get(0).get("command").asText());
        RpcException unknown = assertThrows(RpcException.class,
                () -> toPayee.call("help", params().put("command", "pay")).block(WAIT));
        assertEquals(-32601, unknown.code());

        Cli people = cli(payee, "help");
        assertEquals(0, people.exit(), people.err());
        assertTrue(people.out().contains("connect id [host] [port]\n    Connect to {id} at {host}:{port}"), people.out());
        assertTrue(people.out().contains("=== payment ==="), people.out());
        Cli json = cli(payee, "-J", "help", "decode");
        assertEquals("decode string", json.json().get("help").get(0).get("command").asText());
        assertEquals(1, cli(payee, "help", "pay").exit());
    }

    @Test
    void invoicerequest_is_signed_by_default_and_unsigned_on_request() {
        JsonNode signed = valid("invoicerequest", toPayer.call("invoicerequest",
                params().put("amount", 1000).put("description", "signed")).block(WAIT));
        JsonNode unsigned = valid("invoicerequest", toPayer.call("invoicerequest",
                params().put("amount", 1000).put("description", "unsigned").put("unsigned", true)).block(WAIT));
        assertTrue(dev.boltflow.core.bolt12.InvoiceRequest.decode(signed.get("bolt12").asText()).signature().isPresent());
        assertTrue(dev.boltflow.core.bolt12.InvoiceRequest.decode(unsigned.get("bolt12").asText()).signature().isEmpty());
    }

    /**
     * Parameters are checked before anything is decoded or signed, and a bad one is -32602 naming it,
     * never -1; a request's own text is stored whatever valid UTF-8 it holds (NUL included).
     */
    @Test
    void sendinvoice_parameter_errors_name_the_parameter_and_any_utf8_in_a_request_is_stored() {
        JsonNode invreq = valid("invoicerequest", toPayer.call("invoicerequest",
                params().put("amount", 5000).put("description", "nul \u0000 inside, \ud83d\udca1")).block(WAIT));
        String lnr = invreq.get("bolt12").asText();
        for (ObjectNode bad : List.of(params().put("invreq", lnr).put("label", "a\u0000b"),
                params().put("invreq", lnr).put("label", "x".repeat(1025)),
                params().put("invreq", lnr).put("label", "ok").put("amount_msat", 4000),
                params().put("invreq", lnr).put("label", "ok").put("amount_msat", "2100000000000000001msat"))) {
            RpcException e = assertThrows(RpcException.class, () -> toPayee.call("sendinvoice", bad).block(WAIT));
            assertEquals(-32602, e.code(), e.getMessage());
            String param = bad.has("amount_msat") ? "amount_msat" : "label";
            assertEquals(param, e.data().orElseThrow().get("param").asText(), e.getMessage());
        }
        InetSocketAddress at = payer.listening().orElseThrow();
        toPayee.call("connect", params().put("id", payer.nodeId().toHex() + "@127.0.0.1:" + at.getPort())).block(WAIT);
        JsonNode paid = valid("sendinvoice", toPayee.call("sendinvoice",
                params().put("invreq", lnr).put("label", "utf8")).block(WAIT));
        assertEquals("nul \u0000 inside, \ud83d\udca1", paid.get("description").asText());
        JsonNode listed = toPayee.call("listinvoices", params().put("label", "utf8")).block(WAIT);
        assertEquals("nul \u0000 inside, \ud83d\udca1", listed.get("invoices").get(0).get("description").asText());
    }

    @Test
    void sendinvoice_errors_are_core_lightnings() {
        RpcException bad = assertThrows(RpcException.class, () -> toPayee.call("sendinvoice",
                params().put("invreq", "lnr1qqqq").put("label", "x")).block(WAIT));
        assertEquals(-32602, bad.code());
        RpcException missing = assertThrows(RpcException.class, () -> toPayee.call("sendinvoice",
                params().put("label", "x")).block(WAIT));
        assertEquals(-32602, missing.code());
        assertEquals(904, assertThrows(RpcException.class, () -> toPayee.call("waitanyinvoice",
                params().put("lastpay_index", 0).put("timeout", 0)).block(WAIT)).code());
        assertEquals(400, assertThrows(RpcException.class, () -> toPayee.call("connect",
                params().put("id", payer.nodeId().toHex())).block(WAIT)).code());
    }
}
