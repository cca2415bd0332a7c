package dev.boltflow.it.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.testing.TestSecrets;
import dev.boltflow.node.rpc.JsonRpcClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Two node processes from {@code bin/boltflow-node} (H2 store, simulated payments), driven over
 * their JSON-RPC sockets. The payee gets a burst of sendinvoice calls, the payer pays each invoice
 * as it arrives, and once some are paid the payee is killed with SIGKILL in the middle of it. After
 * a restart of the payee:
 * <ul>
 * <li>every sendinvoice answered {@code paid} before the kill is there, paid, unchanged;</li>
 * <li>every payment acknowledged to the payer (its invoice_request marked used: the payee sent the
 * preimage) is marked paid at the payee;</li>
 * <li>no {@code pay_index} and no {@code created_index} appears twice;</li>
 * <li>the restarted payee carries on: a new sendinvoice is paid with the next {@code pay_index}.</li>
 * </ul>
 * The node logs go to {@code target/crash-logs} (searched by {@code .ci/check-secrets}).
 */
@Timeout(120)
class PayeeKilledMidBurstTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path LOGS = Path.of("target", "crash-logs").toAbsolutePath();
    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(30);
    private static final int BURST = 32;
    private static final int KILL_AFTER_PAID = 8;

    private final List<Process> started = new ArrayList<>();
    private final List<JsonRpcClient> clients = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void stopAll() {
        clients.forEach(c -> c.close().onErrorResume(e -> Mono.empty()).block(WAIT));
        started.forEach(Process::destroyForcibly);
    }

    private Process start(Path dataDir, String logName) throws IOException {
        return awaitReady(launch(dataDir, logName), dataDir, logName);
    }

    private Process launch(Path dataDir, String logName) throws IOException {
        Path jar = ROOT.resolve("node/target/boltflow-node.jar");
        assertTrue(Files.exists(jar), "build the node jar first (mvn verify does): " + jar);
        Files.createDirectories(dataDir);
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(logName + ".log");
        Process p = new ProcessBuilder(ROOT.resolve("bin/boltflow-node").toString(), "start", "--network", "regtest",
                "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:0", "--simulated-payments")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    private static Process awaitReady(Process p, Path dataDir, String logName) throws IOException {
        Path log = LOGS.resolve(logName + ".log");
        // Ready once getinfo answers (after a kill the old socket file is still there, so its
        // existence says nothing).
        Path socket = dataDir.resolve("regtest").resolve("lightning-rpc");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertTrue(p.isAlive(), "node exited: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "node not ready: " + Files.readString(log));
            if (Files.exists(socket)) {
                JsonRpcClient probe = JsonRpcClient.create(socket);
                try {
                    probe.call("getinfo", JSON.createObjectNode()).block(WAIT);
                    return p;
                } catch (RuntimeException notYet) {
                    // a stale socket file, or not listening yet
                } finally {
                    probe.close().onErrorResume(e -> Mono.empty()).block(WAIT);
                }
            }
            Mono.delay(java.time.Duration.ofMillis(100)).block(); // waiting for a child process: readiness only
        }
    }

    private JsonRpcClient rpc(Path dataDir) {
        JsonRpcClient c = JsonRpcClient.create(dataDir.resolve("regtest").resolve("lightning-rpc"));
        clients.add(c);
        return c;
    }

    private static ObjectNode params() {
        return JSON.createObjectNode();
    }

    private static void connect(JsonRpcClient from, JsonRpcClient to) {
        JsonNode info = to.call("getinfo", params()).block(WAIT);
        JsonNode b = info.get("binding").get(0);
        from.call("connect", params().put("id", info.get("id").asText() + "@" + b.get("address").asText() + ":"
                + b.get("port").asInt())).block(WAIT);
    }

    @Test
    void killedPayee_restarts_withEveryStoredAndAcknowledgedInvoice_andUniqueIndexes() throws Exception {
        Path payeeDir = tmp.resolve("payee");
        Path payerDir = tmp.resolve("payer");
        Process payee = launch(payeeDir, "payee-1");
        awaitReady(launch(payerDir, "payer"), payerDir, "payer"); // both JVMs start at once
        awaitReady(payee, payeeDir, "payee-1");
        JsonRpcClient toPayee = rpc(payeeDir);
        JsonRpcClient toPayer = rpc(payerDir);
        connect(toPayee, toPayer);
        connect(toPayer, toPayee);
        TestSecrets.register("payee node key", Files.readAllBytes(payeeDir.resolve("regtest").resolve("node_key")));
        TestSecrets.register("payer node key", Files.readAllBytes(payerDir.resolve("regtest").resolve("node_key")));

        Map<String, String> labelByInvreqId = new HashMap<>();
        List<JsonNode> made = Flux.range(0, BURST)
                .flatMapSequential(i -> toPayer.call("invoicerequest", params().put("amount", (10_000 + i) + "msat")
                        .put("description", "burst " + i)), 8)
                .collectList().block(WAIT);
        List<String> invreqs = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            invreqs.add(made.get(i).get("bolt12").asText());
            labelByInvreqId.put(made.get(i).get("invreq_id").asText(), "burst-" + i);
        }

        // The burst: eight sendinvoice calls at a time; the payee dies once enough are paid.
        Queue<JsonNode> paidBeforeKill = new ConcurrentLinkedQueue<>();
        AtomicBoolean killed = new AtomicBoolean();
        Flux.range(0, BURST)
                .flatMap(i -> toPayee.call("sendinvoice", params().put("invreq", invreqs.get(i))
                                .put("label", "burst-" + i).put("timeout", 60))
                        .doOnNext(r -> {
                            paidBeforeKill.add(r); // answered: stored paid before the process died
                            if (paidBeforeKill.size() >= KILL_AFTER_PAID && killed.compareAndSet(false, true)) {
                                payee.destroyForcibly(); // SIGKILL
                            }
                        })
                        .onErrorResume(e -> Mono.empty()), 8)
                .then().block(java.time.Duration.ofSeconds(90));
        assertTrue(killed.get(), "the payee was killed mid-burst");
        assertTrue(payee.waitFor(30, TimeUnit.SECONDS));
        assertTrue(paidBeforeKill.size() < BURST, "some calls were still in flight at the kill");
        for (JsonNode r : paidBeforeKill) {
            TestSecrets.register("preimage", HexFormat.of().parseHex(r.get("payment_preimage").asText()));
        }

        // What the payer was told: the requests it paid (it marks one used once it has the preimage).
        Set<String> acknowledged = new HashSet<>();
        for (JsonNode r : toPayer.call("listinvoicerequests", params()).block(WAIT).get("invoicerequests")) {
            if (r.get("used").asBoolean()) {
                acknowledged.add(labelByInvreqId.get(r.get("invreq_id").asText()));
            }
        }
        // (Not necessarily every answered one: the kill may beat the preimage on its way to the payer.)
        assertFalse(acknowledged.isEmpty(), "the payer had been paid for some before the kill");

        Process restarted = start(payeeDir, "payee-2");
        JsonRpcClient again = rpc(payeeDir);
        Map<String, JsonNode> byLabel = new HashMap<>();
        for (JsonNode inv : again.call("listinvoices", params()).block(WAIT).get("invoices")) {
            byLabel.put(inv.get("label").asText(), inv);
        }
        for (JsonNode before : paidBeforeKill) {
            JsonNode after = byLabel.get(before.get("label").asText());
            assertTrue(after != null, "lost " + before.get("label"));
            assertEquals("paid", after.get("status").asText(), after.toString());
            for (String field : List.of("payment_hash", "created_index", "pay_index", "amount_received_msat", "bolt12")) {
                assertEquals(before.get(field), after.get(field), field + " of " + before.get("label"));
            }
        }
        for (String label : acknowledged) {
            JsonNode after = byLabel.get(label);
            assertTrue(after != null, "the payer was paid for " + label + " but the payee lost it");
            assertEquals("paid", after.get("status").asText(), "acknowledged to the payer, not paid: " + after);
        }
        assertUnique(byLabel.values(), "created_index");
        assertUnique(byLabel.values(), "pay_index");

        // The restarted payee carries on.
        connect(again, toPayer);
        connect(toPayer, again);
        JsonNode fresh = toPayer.call("invoicerequest", params().put("amount", "5000msat")
                .put("description", "after the crash")).block(WAIT);
        JsonNode paid = again.call("sendinvoice", params().put("invreq", fresh.get("bolt12").asText())
                .put("label", "after")).block(WAIT);
        assertEquals("paid", paid.get("status").asText(), paid.toString());
        long maxBefore = byLabel.values().stream().filter(i -> i.has("pay_index"))
                .mapToLong(i -> i.get("pay_index").asLong()).max().orElse(0);
        assertEquals(maxBefore + 1, paid.get("pay_index").asLong());
        TestSecrets.register("preimage", HexFormat.of().parseHex(paid.get("payment_preimage").asText()));
        again.call("stop", params()).onErrorResume(e -> Mono.empty()).block(WAIT);
        assertTrue(restarted.waitFor(30, TimeUnit.SECONDS));
        assertFalse(restarted.isAlive());
    }

    private static void assertUnique(Iterable<JsonNode> invoices, String field) {
        Set<Long> seen = new HashSet<>();
        for (JsonNode i : invoices) {
            if (i.has(field)) {
                assertTrue(seen.add(i.get(field).asLong()), field + " " + i.get(field) + " appears twice");
            }
        }
    }
}
