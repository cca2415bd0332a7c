package dev.boltflow.node.store;

import static org.junit.jupiter.api.Assertions.fail;

import dev.boltflow.core.sendinvoice.InvoiceStore;
import dev.boltflow.core.sendinvoice.InvoiceStoreContract;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import reactor.core.publisher.Flux;

/**
 * The contract on PostgreSQL, at {@code BOLTFLOW_TEST_PG_URL} (e.g.
 * {@code r2dbc:postgresql://boltflow:boltflow@127.0.0.1:5432/boltflow}; .ci/run starts a server and
 * sets it). Without it the test is skipped, except under {@code CI=true}, where it fails. Each test
 * drops the tables, so the database must be a scratch one.
 */
class PostgresInvoiceStoreTest extends InvoiceStoreContract {
    static final String URL_VARIABLE = "BOLTFLOW_TEST_PG_URL";
    private static String url;

    private static final String WHY_SKIPPED = URL_VARIABLE + " is not set, so the PostgreSQL store is not tested "
            + "(set it to an r2dbc:postgresql:// URL of a scratch database; .ci/run does)";

    @BeforeAll
    static void requirePostgresUnderCi() {
        url = System.getenv(URL_VARIABLE);
        if ((url == null || url.isBlank()) && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(WHY_SKIPPED + ". CI=true: PostgreSQL is required here.");
        }
    }

    @Override
    protected InvoiceStore openStore() {
        // Per test, so each one reports itself skipped, with the reason.
        Assumptions.assumeTrue(url != null && !url.isBlank(), WHY_SKIPPED);
        Flux.usingWhen(ConnectionFactories.get(url).create(),
                        c -> Flux.just("DROP TABLE IF EXISTS invoices", "DROP TABLE IF EXISTS invoice_counters",
                                        "DROP TABLE IF EXISTS schema_version")
                                .concatMap(sql -> Flux.from(c.createStatement(sql).execute()).flatMap(Result::getRowsUpdated)),
                        Connection::close)
                .blockLast(TIMEOUT);
        return R2dbcInvoiceStore.open(url).block(TIMEOUT);
    }

    @Override
    protected InvoiceStore reopenStore(InvoiceStore store) {
        ((R2dbcInvoiceStore) store).close().block(TIMEOUT);
        return R2dbcInvoiceStore.open(url).block(TIMEOUT);
    }

    @Override
    protected void closeStore(InvoiceStore store) {
        ((R2dbcInvoiceStore) store).close().block(TIMEOUT);
    }
}
