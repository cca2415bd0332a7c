package dev.boltflow.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.payer.PaymentSender;
import dev.boltflow.core.sendinvoice.BlockHeight;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.core.testing.TestSecrets;
import dev.boltflow.node.Node;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.node.config.NodeIdentity;
import dev.boltflow.node.rpc.JsonRpcClient;
import dev.boltflow.node.rpc.JsonRpcServer;
import dev.boltflow.node.rpc.NodeRpc;
import dev.boltflow.node.rpc.RpcException;
import dev.boltflow.transport.testing.NettyLeaks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * With every logger at TRACE and all output captured ({@link LogTap}), two real nodes (JSON-RPC,
 * BOLT 8, the simulated payment link, H2 stores) go through paid invoices, a refused invoice (1004),
 * a payment that never comes (1005), bad JSON-RPC requests and a refused key file; then neither node
 * key nor any preimage (from the payee's listinvoices and the payer's events) occurs in the output,
 * in the exceptions the test saw, or in the {@code toString} of what holds them. The secrets are
 * also registered ({@link TestSecrets}) for the CI-wide check of the whole build output.
 */
@ExtendWith(NettyLeaks.class)
@Timeout(120)
class SecretLeakTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PAID = 5_000;
    private static final long REFUSED = 6_000;
    private static final long UNPAID = 7_000;

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    /** The payer's link, failing (without an invoice_error) every payment of {@link #UNPAID} msat. */
    private static final class FailingSome implements PaymentSender, Disposable {
        private final PaymentSender link;

        FailingSome(PaymentSender link) {
            this.link = link;
        }

        @Override
        public Mono<Bytes32> pay(Invoice invoice) {
            if (invoice.invoiceAmount().orElse(0) == UNPAID) {
                return Mono.error(new IllegalStateException("no route to the payee (test)"));
            }
            return link.pay(invoice);
        }

        @Override
        public void dispose() {
            if (link instanceof Disposable d) {
                d.dispose();
            }
        }
    }

    private Node.Host host(Function<Invoice, Optional<InvoiceError>> policy) {
        Node.Host simulated = Node.Host.of(true, () -> 0, policy, random);
        return new Node.Host() {
            @Override
            public PaymentSender paymentSender(Node.NodeParts parts) {
                return new FailingSome(simulated.paymentSender(parts));
            }

            @Override
            public dev.boltflow.core.features.Features initFeatures(dev.boltflow.core.features.Features defaults) {
                return simulated.initFeatures(defaults);
            }

            @Override
            public BlockHeight blockHeight() {
                return simulated.blockHeight();
            }

            @Override
            public Function<Invoice, Optional<InvoiceError>> invoicePolicy() {
                return simulated.invoicePolicy();
            }
        };
    }

    private static ObjectNode params() {
        return JSON.createObjectNode();
    }

    private static byte[] nodeKey(Node node) throws IOException {
        return Files.readAllBytes(node.config().networkDir().resolve(NodeIdentity.FILE_NAME));
    }

    private static void sendRaw(Path socket, String text) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer answer = ByteBuffer.allocate(4096);
            while (ch.read(answer) >= 0 && answer.hasRemaining()) {
                // read until the server closes (it does after a framing error)
            }
        }
    }

    @Test
    void noNodeKeyOrPreimage_inAnyLogExceptionOrToString_withEveryLoggerAtTrace() throws Exception {
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>(); // exception messages and toString()s the test came across
        String output;
        String payeeId;
        try (LogTap tap = new LogTap()) {
            // A key file others may read is refused, and the refusal does not print the key.
            Path exposed = dir.resolve("exposed");
            Path exposedNet = exposed.resolve("regtest");
            Files.createDirectories(exposedNet);
            PrivateKey exposedKey = PrivateKey.random(random);
            Files.write(exposedNet.resolve(NodeIdentity.FILE_NAME), exposedKey.toBytes());
            Files.setPosixFilePermissions(exposedNet.resolve(NodeIdentity.FILE_NAME),
                    PosixFilePermissions.fromString("rw-r--r--"));
            secrets.put("refused node key", exposedKey.toBytes());
            RuntimeException refused = assertThrows(RuntimeException.class,
                    () -> Node.start(NodeConfig.defaults(Network.REGTEST, exposed), host(i -> Optional.empty()), random)
                            .block(WAIT));
            assertTrue(refused.getMessage().contains("readable by others"), refused.getMessage());
            seen.add(refused.toString());
            seen.add(exposedKey.toString());

            InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
            Node payee = Node.start(NodeConfig.defaults(Network.REGTEST, dir.resolve("payee")).withListen(loopback)
                    .withSimulatedPayments(true), host(i -> Optional.empty()), random).block(WAIT);
            Node payer = Node.start(NodeConfig.defaults(Network.REGTEST, dir.resolve("payer")).withListen(loopback)
                    .withSimulatedPayments(true), host(invoice -> invoice.invoiceAmount().orElse(0) == REFUSED
                            ? Optional.of(InvoiceError.of("this one is refused (test)"))
                            : Optional.empty()), random).block(WAIT);
            payeeId = payee.nodeId().toHex();
            secrets.put("payee node key", nodeKey(payee));
            secrets.put("payer node key", nodeKey(payer));
            List<Payer.Event> events = new CopyOnWriteArrayList<>();
            Disposable watching = payer.payer().events().subscribe(events::add);
            JsonRpcServer payeeRpc = JsonRpcServer.start(payee.config().rpcFile(),
                    new NodeRpc(payee, Clock.systemUTC(), () -> { }, "test").methods()).block(WAIT);
            JsonRpcServer payerRpc = JsonRpcServer.start(payer.config().rpcFile(),
                    new NodeRpc(payer, Clock.systemUTC(), () -> { }, "test").methods()).block(WAIT);
            JsonRpcClient toPayee = JsonRpcClient.create(payee.config().rpcFile());
            JsonRpcClient toPayer = JsonRpcClient.create(payer.config().rpcFile());
            try {
                toPayee.call("connect", params().put("id", payer.nodeId().toHex() + "@127.0.0.1:"
                        + payer.listening().orElseThrow().getPort())).block(WAIT);
                toPayer.call("connect", params().put("id", payee.nodeId().toHex() + "@127.0.0.1:"
                        + payee.listening().orElseThrow().getPort())).block(WAIT);

                for (int i = 0; i < 3; i++) {
                    JsonNode invreq = toPayer.call("invoicerequest", params().put("amount", PAID + "msat")
                            .put("description", "paid " + i)).block(WAIT);
                    JsonNode paid = toPayee.call("sendinvoice", params().put("invreq", invreq.get("bolt12").asText())
                            .put("label", "paid-" + i)).block(WAIT);
                    assertEquals("paid", paid.get("status").asText(), paid.toString());
                    seen.add(payee.store().findByLabel("paid-" + i).block(WAIT).toString());
                    seen.add(SendInvoiceResult.of(payee.store().findByLabel("paid-" + i).block(WAIT)).toString());
                }

                JsonNode toRefuse = toPayer.call("invoicerequest", params().put("amount", REFUSED + "msat")
                        .put("description", "refused")).block(WAIT);
                RpcException e1004 = assertThrows(RpcException.class, () -> toPayee.call("sendinvoice", params()
                        .put("invreq", toRefuse.get("bolt12").asText()).put("label", "refused")).block(WAIT));
                assertEquals(1004, e1004.code());
                seen.add(e1004.toString() + " " + e1004.toJson());

                JsonNode neverPaid = toPayer.call("invoicerequest", params().put("amount", UNPAID + "msat")
                        .put("description", "never paid")).block(WAIT);
                RpcException e1005 = assertThrows(RpcException.class, () -> toPayee.call("sendinvoice", params()
                        .put("invreq", neverPaid.get("bolt12").asText()).put("label", "unpaid").put("timeout", 1))
                        .block(WAIT));
                assertEquals(1005, e1005.code());
                seen.add(e1005.toString() + " " + e1005.toJson());

                // Bad requests: not JSON (closes the connection), unknown method, bad parameters.
                sendRaw(payee.config().rpcFile(), "{\"id\":1,\"method\":\"getinfo\"} ]garbage[");
                RpcException unknown = assertThrows(RpcException.class,
                        () -> toPayee.call("dumpprivkey", params()).block(WAIT));
                assertEquals(RpcException.METHOD_NOT_FOUND, unknown.code());
                RpcException badParams = assertThrows(RpcException.class, () -> toPayee.call("sendinvoice",
                        params().put("invreq", "lnr1notaninvoicerequest").put("label", "bad")).block(WAIT));
                assertEquals(RpcException.INVALID_PARAMS, badParams.code());
                seen.add(unknown.toString());
                seen.add(badParams.toString());

                // Every preimage: the payee's listinvoices and the payer's events must agree.
                List<String> listed = new ArrayList<>();
                for (JsonNode invoice : toPayee.call("listinvoices", params()).block(WAIT).get("invoices")) {
                    if ("paid".equals(invoice.get("status").asText())) {
                        listed.add(invoice.get("payment_preimage").asText());
                    }
                }
                List<String> payerSide = new ArrayList<>();
                for (Payer.Event e : events) {
                    seen.add(e.toString());
                    if (e instanceof Payer.Event.Paid p) {
                        payerSide.add(p.preimage().toHex());
                        seen.add(PaymentPreimage.of(p.preimage()).toString());
                    }
                }
                assertEquals(3, listed.size(), listed.toString());
                assertEquals(listed.stream().sorted().toList(), payerSide.stream().sorted().toList());
                for (String hex : listed) {
                    byte[] preimage = HexFormat.of().parseHex(hex);
                    assertTrue(events.stream().anyMatch(e -> e instanceof Payer.Event.Paid p
                            && p.paymentHash().equals(Hashes.sha256Of(preimage))));
                    secrets.put("preimage " + hex.substring(0, 8), preimage);
                }
            } finally {
                watching.dispose();
                toPayee.close().block(WAIT);
                toPayer.close().block(WAIT);
                payeeRpc.close().block(WAIT);
                payerRpc.close().block(WAIT);
                payer.close();
                payee.close();
            }

            // The capture works on every channel: a marker through slf4j, JUL and System.err is seen.
            byte[] planted = Bytes32.random(random).toArray();
            String marker = HexFormat.of().formatHex(planted);
            LoggerFactory.getLogger("boltflow.leaktest").trace("planted {}", marker);
            java.util.logging.Logger.getLogger("boltflow.leaktest").finest("planted "
                    + java.util.Base64.getEncoder().encodeToString(planted));
            System.err.println("planted " + Bytes32.wrap(reverse(planted)).toHex());
            output = tap.text();
            // Hex through slf4j, base64 through JUL, reversed hex through System.err: each must be found.
            assertTrue(TestSecrets.findIn(output, planted).containsAll(TestSecrets.forms(planted).subList(0, 3)),
                    "slf4j, JUL and System.err all captured");
        }
        secrets.forEach(TestSecrets::register);

        assertTrue(output.contains(payeeId), "the capture holds the nodes' logs");
        assertTrue(output.lines().anyMatch(l -> l.startsWith("DEBUG") || l.startsWith("TRACE")),
                "loggers ran below INFO");
        String everything = output + "\n" + String.join("\n", seen);
        List<String> leaks = new ArrayList<>();
        secrets.forEach((what, secret) -> {
            List<String> forms = TestSecrets.findIn(everything, secret);
            if (!forms.isEmpty()) {
                String lower = everything.toLowerCase(java.util.Locale.ROOT);
                int at = lower.indexOf(forms.get(0).toLowerCase(java.util.Locale.ROOT));
                int from = Math.max(0, lower.lastIndexOf('\n', at) + 1);
                // Where it leaked (the start of that line, cut before the secret itself).
                leaks.add(what + " (" + forms.size() + " forms) in: " + everything.substring(from, Math.min(at, from + 200)));
            }
        });
        assertEquals(List.of(), leaks, "secrets in the output");
        assertFalse(secrets.size() < 6, "3 node keys and 3 preimages checked: " + secrets.keySet());
    }

    private static byte[] reverse(byte[] a) {
        byte[] r = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }
}
