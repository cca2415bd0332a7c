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
