package dev.boltflow.node.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.sendinvoice.InvoiceStore;
import dev.boltflow.core.sendinvoice.InvoiceStoreContract;
import dev.boltflow.core.sendinvoice.StoredInvoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The contract on the node's default store: an embedded H2 file. */
class H2InvoiceStoreTest extends InvoiceStoreContract {
    @TempDir
    Path dir;

    private Path database() {
        return dir.resolve("invoices");
    }

    @Override
    protected InvoiceStore openStore() {
        return R2dbcInvoiceStore.openH2File(database()).block(TIMEOUT);
    }

    @Override
    protected InvoiceStore reopenStore(InvoiceStore store) {
        ((R2dbcInvoiceStore) store).close().block(TIMEOUT);
        return openStore();
    }

    @Override
    protected void closeStore(InvoiceStore store) {
        ((R2dbcInvoiceStore) store).close().block(TIMEOUT);
    }

    @Test
    void openH2File_newDatabase_createsTheFile() {
        assertTrue(Files.exists(dir.resolve("invoices.mv.db")));
    }

    /** H2 blocks its caller under r2dbc-pool too: a pooled URL must not be taken as non-blocking. */
    @Test
    void blockingDriver_h2DirectOrPooled_isBlocking_postgresqlIsNot() {
        assertTrue(R2dbcInvoiceStore.blockingDriver("r2dbc:h2:file:///tmp/x"));
        assertTrue(R2dbcInvoiceStore.blockingDriver("r2dbc:h2:mem:///x"));
        assertTrue(R2dbcInvoiceStore.blockingDriver("r2dbc:pool:h2:file:///tmp/x"));
        assertTrue(R2dbcInvoiceStore.blockingDriver("r2dbc:pool:h2:mem:///x?maxSize=4"));
        org.junit.jupiter.api.Assertions.assertFalse(R2dbcInvoiceStore.blockingDriver("r2dbc:postgresql://u:p@h:5432/db"));
        org.junit.jupiter.api.Assertions.assertFalse(R2dbcInvoiceStore.blockingDriver("r2dbc:pool:postgresql://u:p@h/db"));
    }

    /** A pooled H2 URL opens, and its driver runs on boundedElastic, never on the caller's thread. */
    @Test
    void open_pooledH2Url_runsTheDriverOnBoundedElastic() {
        R2dbcInvoiceStore pooled = R2dbcInvoiceStore.open("r2dbc:pool:h2:file:///" + dir.resolve("pooled").toAbsolutePath()
                + "?maxSize=2").block(TIMEOUT);
        try {
            AtomicReference<String> on = new AtomicReference<>();
            Mono.defer(() -> pooled.create(invoice("p", LATER)))
                    .doOnNext(i -> on.set(Thread.currentThread().getName()))
                    .subscribeOn(Schedulers.parallel())
                    .block(TIMEOUT);
            assertTrue(on.get().startsWith("boundedElastic"), on.get());
        } finally {
            pooled.close().block(TIMEOUT);
        }
    }

    @Test
    void operations_subscribedFromANonBlockingThread_runTheDriverOnBoundedElastic() {
        AtomicReference<String> createdOn = new AtomicReference<>();
        AtomicReference<String> foundOn = new AtomicReference<>();
        StoredInvoice created = Mono.defer(() -> store.create(invoice("a", LATER)))
                .doOnNext(i -> createdOn.set(Thread.currentThread().getName()))
                .subscribeOn(Schedulers.parallel())
                .block(TIMEOUT);
        Mono.defer(() -> store.findByLabel(created.label()))
                .doOnNext(i -> foundOn.set(Thread.currentThread().getName()))
                .subscribeOn(Schedulers.parallel())
                .block(TIMEOUT);

        assertTrue(createdOn.get().startsWith("boundedElastic"), createdOn.get());
        assertTrue(foundOn.get().startsWith("boundedElastic"), foundOn.get());
    }
}
