package dev.boltflow.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two node processes started from the launcher ({@code bin/boltflow-node}) on loopback, driven
 * only through {@code bin/boltflow-cli}: connect, invoicerequest, sendinvoice (paid over the
 * simulated link), listinvoices; then the payee restarts and still has its identity and the same
 * listinvoices.
 */
class TwoProcessesTest extends ProcessTest {

    private Process start(Path dataDir) throws IOException {
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        ProcessBuilder pb = Launcher.node("start", "--network", "regtest", "--data-dir", dataDir.toString(),
                "--listen", "127.0.0.1:0", "--simulated-payments")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Files.createDirectories(dataDir);
        Process p = pb.start();
        started.add(p);
        Launcher.awaitRpcSocket(p, dataDir, () -> Launcher.read(log));
        return p;
    }

    private static String log(Path dataDir) {
        return Launcher.read(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    private static JsonNode cli(Path dataDir, String... args) throws Exception {
        return Launcher.cli(dataDir, args);
    }

    private static String address(JsonNode getinfo) {
        JsonNode b = getinfo.get("binding").get(0);
        return getinfo.get("id").asText() + "@" + b.get("address").asText() + ":" + b.get("port").asInt();
    }

    @Test
    void sendinvoice_between_two_node_processes_through_the_cli() throws Exception {
        Path payee = tmp.resolve("payee");
        Path payer = tmp.resolve("payer");
        Process payeeProcess = start(payee);
        Process payerProcess = start(payer);

        JsonNode payeeInfo = cli(payee, "getinfo");
        JsonNode payerInfo = cli(payer, "getinfo");
        cli(payee, "connect", address(payerInfo));
        cli(payer, "connect", address(payeeInfo)); // the payer pays the payee over this link

        JsonNode invreq = cli(payer, "-k", "invoicerequest", "amount=50000msat", "description=two processes");
        JsonNode paid = cli(payee, "sendinvoice", invreq.get("bolt12").asText(), "twoproc");
        assertEquals("paid", paid.get("status").asText(), paid.toString());
        assertEquals(50000, paid.get("amount_received_msat").asLong());
        JsonNode before = cli(payee, "listinvoices");
        assertEquals(1, before.get("invoices").size());

        cli(payer, "stop");
        cli(payee, "stop");
        assertTrue(payeeProcess.waitFor(60, TimeUnit.SECONDS));
        assertTrue(payerProcess.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, payeeProcess.exitValue(), log(payee));

        start(payee);
        assertEquals(payeeInfo.get("id"), cli(payee, "getinfo").get("id"), "identity kept");
        assertEquals(before, cli(payee, "listinvoices"), "listinvoices after restart matches before");
        cli(payee, "stop");
    }
}
