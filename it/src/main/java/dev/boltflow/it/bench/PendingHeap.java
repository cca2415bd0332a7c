package dev.boltflow.it.bench;

import dev.boltflow.node.bench.BenchFixtures;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * Heap held per pending invoice: starts N sends that nobody answers (in-memory store and
 * messenger), and compares the live heap after a full GC with the heap before. The figure
 * includes the stored invoice (its {@code lni1} string) as well as the waiter.
 *
 * <p>{@code java -cp it/target/boltflow-benchmarks.jar dev.boltflow.it.bench.PendingHeap [N]}
 */
public final class PendingHeap {
    private PendingHeap() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        BenchFixtures f = new BenchFixtures();
        InMemoryInvoiceStore store = new InMemoryInvoiceStore();
        SendInvoice service = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.BITCOIN).withMaxPending(n),
                store, new PipelineBench.LastPayload(), new LocalNodeSigner(f.payee, f.random), () -> 900_000,
                Clock.systemUTC(), Schedulers.parallel(), Schedulers.immediate(), f.random);
        // Warm up the code paths, then measure from a clean heap.
        for (int i = 0; i < 200; i++) {
            service.send(SendInvoiceRequest.of(f.invreqString, "warm" + i)).subscribe().dispose();
        }
        long before = liveHeap();
        List<Disposable> pending = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            pending.add(service.send(SendInvoiceRequest.of(f.invreqString, "p" + i)).subscribe());
        }
        long t1 = System.nanoTime();
        long after = liveHeap();
        System.out.printf("{\"pending\":%d,\"waiters\":%d,\"heap_bytes_per_pending\":%d,\"sends_per_s\":%.0f}%n",
                service.pending(), service.waiters(), (after - before) / n, n / ((t1 - t0) / 1e9));
        pending.forEach(Disposable::dispose);
        service.dispose();
        System.exit(0);
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
