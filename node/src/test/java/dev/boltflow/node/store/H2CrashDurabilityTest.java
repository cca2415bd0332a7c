package dev.boltflow.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.MarkPaidOutcome;
import dev.boltflow.core.sendinvoice.NewInvoice;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.sendinvoice.StoredInvoice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed right after it recorded a payment still has the payment when it comes back: another
 * JVM creates and pays an invoice, then halts at once (as kill -9 would), and this one reopens the
 * H2 file.
 */
class H2CrashDurabilityTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Runs in the child JVM: args[0] is the database path. */
    public static final class CrashingWriter {
        public static void main(String[] args) {
            R2dbcInvoiceStore store = R2dbcInvoiceStore.openH2File(Path.of(args[0])).block(TIMEOUT);
            PaymentPreimage preimage = preimage();
            store.create(new NewInvoice("crash", Optional.empty(), preimage, 2_000, 1_000, "lni1crash",
                    Optional.empty(), Optional.empty())).block(TIMEOUT);
            MarkPaidOutcome paid = store.markPaid(preimage.paymentHash(), 1_000, 1_000).block(TIMEOUT);
            System.out.println(paid.kind());
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    private static PaymentPreimage preimage() {
        return PaymentPreimage.of(Hashes.sha256Of("crash".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void markPaid_processKilledRightAfter_paymentSurvives(@TempDir Path dir) throws Exception {
        Path database = dir.resolve("invoices");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), database.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("PAID", output.strip().lines().reduce((a, b) -> b).orElse(""), output);

        R2dbcInvoiceStore store = R2dbcInvoiceStore.openH2File(database).block(TIMEOUT);
        try {
            Bytes32 hash = preimage().paymentHash();
            StoredInvoice found = store.findByPaymentHash(hash).block(TIMEOUT);
            assertEquals(InvoiceStatus.PAID, found.status());
            assertEquals(OptionalLong.of(1), found.payIndex());
            assertEquals(Optional.of(preimage().reveal()), found.paymentPreimage());
        } finally {
            store.close().block(TIMEOUT);
        }
    }
}
