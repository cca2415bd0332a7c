package dev.boltflow.it.bench;

import dev.boltflow.node.bench.BenchFixtures;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.sendinvoice.InvoiceStore;
import dev.boltflow.core.sendinvoice.MarkPaidOutcome;
import dev.boltflow.core.sendinvoice.NewInvoice;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import dev.boltflow.node.store.R2dbcInvoiceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;

/**
 * Invoice store throughput: inserts and paid-marks per second, with {@code concurrency} calls in
 * flight, for the in-memory store, the embedded H2 file (the node's default) and PostgreSQL when
 * {@code BOLTFLOW_TEST_PG_URL} names one (e.g. the server {@code .ci/run} starts).
 *
 * <p>{@code java -cp it/target/boltflow-benchmarks.jar dev.boltflow.it.bench.StoreBench [invoices] [concurrency]}
 */
public final class StoreBench {
    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        String invoiceString = new BenchFixtures().invreqString.replace("lnr1", "lni1"); // a realistic length
        run("memory", new InMemoryInvoiceStore(), n, concurrency, invoiceString, null);
        Path dir = Files.createTempDirectory("boltflow-storebench");
        R2dbcInvoiceStore h2 = R2dbcInvoiceStore.openH2File(dir.resolve("invoices")).block(Duration.ofMinutes(1));
        run("h2_file", h2, n, concurrency, invoiceString, h2);
        String pg = System.getenv("BOLTFLOW_TEST_PG_URL");
        if (pg != null && !pg.isBlank()) {
            R2dbcInvoiceStore postgres = R2dbcInvoiceStore.open(pg).block(Duration.ofMinutes(1));
            run("postgresql", postgres, n, concurrency, invoiceString, postgres);
        }
        System.exit(0);
    }

    private static void run(String name, InvoiceStore store, int n, int concurrency, String bolt12,
            R2dbcInvoiceStore closeable) {
        SecureRandom random = new SecureRandom();
        String run = Long.toHexString(random.nextLong());
        List<NewInvoice> invoices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            invoices.add(new NewInvoice("bench-" + run + "-" + i, Optional.of("bench"), PaymentPreimage.random(random),
                    4_000_000_000L, 1_000, bolt12 + run + i, Optional.empty(), Optional.empty()));
        }
        long t0 = System.nanoTime();
        Flux.fromIterable(invoices).flatMap(store::create, concurrency).blockLast(Duration.ofMinutes(10));
        long t1 = System.nanoTime();
        long paid = Flux.fromIterable(invoices)
                .flatMap(i -> store.markPaid(i.paymentHash(), 1_000, 1_800_000_000L), concurrency)
                .filter(o -> o.kind() == MarkPaidOutcome.Kind.PAID)
                .count().block(Duration.ofMinutes(10));
        long t2 = System.nanoTime();
        if (paid != n) {
            throw new IllegalStateException(name + ": " + paid + " of " + n + " paid");
        }
        print("store_" + name + "_insert", n, t1 - t0);
        print("store_" + name + "_mark_paid", n, t2 - t1);
        if (closeable != null) {
            closeable.close().block(Duration.ofMinutes(1));
        }
    }

    private static void print(String name, int n, long nanos) {
        double ops = n / (nanos / 1e9);
        System.out.printf("{\"name\":\"%s\",\"ops_per_s\":%.1f,\"us_per_op\":%.1f}%n", name, ops, 1e6 / ops);
    }
}
