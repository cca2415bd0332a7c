package dev.boltflow.node.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.payer.OurInvoiceRequest;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.node.Node;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo}: the whole of sendinvoice on this machine, nothing to install. Three nodes on
 * loopback with temporary data directories — a payee, a payer that does not listen, and an
 * introduction node that relays for it — over real BOLT 8 connections; the payer writes an
 * invoice_request, the payee answers it with {@code sendinvoice}, the payer checks the invoice and
 * pays it over the simulated payment link (a real blinded payment onion, no channels). Prints one
 * timing line per step on stderr and the {@code sendinvoice} answer (or error) as JSON on stdout.
 */
@Command(name = "demo",
        description = {"Run sendinvoice end to end between three local nodes and print its JSON answer."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            " 0:the outcome asked for happened (paid, error 1004 or timeout 1005)",
            " 1:something else happened (printed)",
            "64:usage error"})
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Duration WAIT = Duration.ofSeconds(60);

    enum Outcome { paid, error, timeout }

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    Secp256k1Option secp256k1 = new Secp256k1Option();

    @Option(names = "--outcome", defaultValue = "paid",
            description = "paid, error (the payer answers invoice_error: 1004) or timeout (it stays silent: 1005)")
    Outcome outcome;

    @Option(names = "--amount-msat", paramLabel = "MSAT", defaultValue = "100000", converter = OptionTypes.Positive.class,
            description = "The invoice_request's amount")
    long amountMsat;

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = OptionTypes.Seconds.class,
            description = "sendinvoice timeout (default: 90 s, or 5 s with --outcome timeout)")
    Duration timeoutOption;

    private final List<String> timings = new ArrayList<>();
    private long last = System.nanoTime();

    private void step(PrintWriter err, String what) {
        long now = System.nanoTime();
        String line = String.format("# %-58s %8.1f ms", what, (now - last) / 1e6);
        err.println(line);
        err.flush();
        timings.add(line);
        last = now;
    }

    @Override
    public Integer call() throws IOException {
        quietLogs();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<dev.boltflow.core.crypto.Secp256k1Provider> provider = secp256k1.installOrReport(err);
        if (provider.isEmpty()) {
            return 1;
        }
        err.println("# secp256k1: " + provider.get().description());
        Path root = Files.createTempDirectory("boltflow-demo");
        SecureRandom random = new SecureRandom();
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        List<Node> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Killed (SIGTERM, SIGINT, Ctrl-C) or not, the temporary keys and databases go.
        Thread cleanup = new Thread(() -> closeAndDelete(nodes, root), "boltflow-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Node payee = start(nodes, NodeConfig.defaults(Network.REGTEST, root.resolve("payee")).withListen(loopback),
                    invoice -> Optional.empty(), random);
            Node intro = start(nodes, NodeConfig.defaults(Network.REGTEST, root.resolve("intro")).withListen(loopback),
                    invoice -> Optional.empty(), random);
            Function<Invoice, Optional<InvoiceError>> payerPolicy = outcome == Outcome.error
                    ? invoice -> Optional.of(InvoiceError.of(Bolt12Field.INVOICE_AMOUNT, "demo: the payer refuses this invoice"))
                    : invoice -> Optional.empty();
            Node payer = start(nodes, NodeConfig.defaults(Network.REGTEST, root.resolve("payer")), payerPolicy, random);
            step(err, "started payee, introduction node and payer (regtest, loopback)");

            InetSocketAddress introAt = intro.listening().orElseThrow();
            payer.connect(intro.nodeId(), introAt.getHostString(), introAt.getPort()).block(WAIT);
            step(err, "payer connected to the introduction node (BOLT 8 + init)");

            OurInvoiceRequest invreq = payer.payer().createInvoiceRequest(
                    Payer.Params.of(amountMsat, "boltflow demo").withLabel("demo")).block(WAIT);
            step(err, "payer wrote an invoice_request via the introduction node");
            err.println("# " + invreq.bolt12());
            if (outcome == Outcome.timeout) {
                payer.payer().disable(invreq.invreqId()).block(WAIT);
                step(err, "payer disabled it: it will stay silent");
            }

            // What each side would learn from gossip: where the other listens.
            payee.network().remember(intro.nodeId(), new NetworkView.Address(introAt.getHostString(),
                    introAt.getPort())).block(WAIT);
            InetSocketAddress payeeAt = payee.listening().orElseThrow();
            payer.network().remember(payee.nodeId(), new NetworkView.Address(payeeAt.getHostString(),
                    payeeAt.getPort())).block(WAIT);

            Duration timeout = timeoutOption != null ? timeoutOption
                    : Duration.ofSeconds(outcome == Outcome.timeout ? 5 : 90);
            SendInvoiceRequest request = SendInvoiceRequest.of(invreq.bolt12(), "demo").withTimeout(timeout);
            try {
                SendInvoiceResult result = payee.sendInvoice().send(request).block(timeout.plus(WAIT));
                step(err, "sendinvoice: built, signed, stored, sent, paid");
                out.println(JSON.writeValueAsString(JSON.valueToTree(result.toMap())));
                out.flush();
                return outcome == Outcome.paid ? 0 : 1;
            } catch (SendInvoiceException e) {
                step(err, "sendinvoice ended with " + e.code());
                ObjectNode error = JSON.createObjectNode().put("code", e.code()).put("message", e.getMessage());
                e.data().ifPresent(d -> error.set("data", JSON.valueToTree(d.toMap())));
                out.println(JSON.writeValueAsString(error));
                out.flush();
                boolean expected = (outcome == Outcome.error && e.code() == SendInvoiceException.INVOICE_ERROR_RECEIVED)
                        || (outcome == Outcome.timeout && e.code() == SendInvoiceException.TIMEOUT);
                return expected ? 0 : 1;
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) the cleanup
            }
            closeAndDelete(nodes, root);
        }
    }

    /** Stops the nodes (newest first, each bounded) and deletes the temporary directory; idempotent. */
    private static void closeAndDelete(List<Node> nodes, Path root) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).stop().block(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                // going on: the files are removed either way
            }
        }
        deleteTree(root);
    }

    private Node start(List<Node> nodes, NodeConfig config, Function<Invoice, Optional<InvoiceError>> policy,
            SecureRandom random) {
        Node node = Node.start(config.withSimulatedPayments(true), Node.Host.of(true, () -> 0, policy, random), random)
                .block(WAIT);
        nodes.add(node);
        return node;
    }

    /** The demo's output is its steps and its answer: node logs below WARN only if asked for. */
    private static void quietLogs() {
        if (System.getenv("BOLTFLOW_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it up eventually
        }
    }
}
