package dev.boltflow.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.sendinvoice.InvoiceStoreException;
import io.r2dbc.h2.H2ConnectionConfiguration;
import io.r2dbc.h2.H2ConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class SchemaMigratorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ConnectionFactory h2() {
        return new H2ConnectionFactory(H2ConnectionConfiguration.builder()
                .file(dir.resolve("db").toAbsolutePath().toString()).username("sa").build());
    }

    private List<List<Object>> query(String sql) {
        return Flux.usingWhen(h2().create(),
                        c -> Flux.from(c.createStatement(sql).execute())
                                .flatMap(r -> r.map((row, meta) -> meta.getColumnMetadatas().stream()
                                        .map(m -> row.get(m.getName())).collect(Collectors.toList()))),
                        Connection::close)
                .collectList().block(TIMEOUT);
    }

    private void execute(String sql) {
        Flux.usingWhen(h2().create(), c -> Flux.from(c.createStatement(sql).execute()).flatMap(Result::getRowsUpdated),
                Connection::close).blockLast(TIMEOUT);
    }

    @Test
    void statements_commentsAndSeveralStatements_areSplitOnSemicolons() {
        String script = "-- heading\nCREATE TABLE a (x INT);\n  -- indented comment\nINSERT INTO a VALUES (1);\n\n"
                + "CREATE TABLE b (\n  y INT -- not a line comment start\n);\n";

        assertEquals(List.of("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)",
                "CREATE TABLE b (\n  y INT -- not a line comment start\n)"), SchemaMigrator.statements(script));
    }

    @Test
    void scripts_listedInOrder_matchTheMigrationFolder() throws IOException, URISyntaxException {
        URL folder = SchemaMigrator.class.getClassLoader().getResource("db/migration");
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            assertEquals(files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
                    SchemaMigrator.SCRIPTS.stream().sorted().collect(Collectors.toList()));
        }
        assertEquals(SchemaMigrator.SCRIPTS.size(), new SchemaMigrator().latestVersion());
    }

    @Test
    void migrate_freshDatabase_appliesEachScriptOnceAndRecordsIt() {
        SchemaMigrator migrator = new SchemaMigrator();

        StepVerifier.create(migrator.migrate(h2())).expectNext(1, 2).expectComplete().verify(TIMEOUT);
        StepVerifier.create(migrator.migrate(h2())).expectComplete().verify(TIMEOUT);

        List<List<Object>> rows = query("SELECT version, description, checksum FROM schema_version ORDER BY version");
        assertEquals(2, rows.size());
        assertEquals(List.of(1, "invoices", SchemaMigrator.load("V1__invoices.sql").checksum()), rows.get(0));
        assertEquals(List.of(2, "utf8_text", SchemaMigrator.load("V2__utf8_text.sql").checksum()), rows.get(1));
        assertEquals(List.of(List.of("created", 0L), List.of("pay", 0L), List.of("updated", 0L)),
                query("SELECT counter_name, counter_value FROM invoice_counters ORDER BY counter_name"));
    }

    /** A row written before V2 keeps its text in the old columns, and the store still reads it there. */
    @Test
    void migrate_rowsWrittenBeforeV2_keepTheirText() {
        new SchemaMigrator(List.of("V1__invoices.sql")).migrate(h2()).blockLast(TIMEOUT);
        execute("UPDATE invoice_counters SET counter_value = 1 WHERE counter_name = 'created'");
        execute("INSERT INTO invoices (created_index, label, description, payment_hash, payment_preimage, status, "
                + "expires_at, amount_msat, bolt12, bolt12_hash, invreq_payer_note) VALUES (1, 'old', 'old text', "
                + "X'" + "01".repeat(32) + "', X'" + "02".repeat(32) + "', 'unpaid', 4000000000, 1000, 'lni1old', "
                + "X'" + "03".repeat(32) + "', 'old note')");
        R2dbcInvoiceStore store = R2dbcInvoiceStore.openH2File(dir.resolve("db")).block(TIMEOUT);
        try {
            var old = store.findByLabel("old").block(TIMEOUT);
            assertEquals(java.util.Optional.of("old text"), old.description());
            assertEquals(java.util.Optional.of("old note"), old.invreqPayerNote());
        } finally {
            store.close().block(TIMEOUT);
        }
    }

    @Test
    void migrate_appliedScriptChangedSince_isRefused() {
        new SchemaMigrator().migrate(h2()).blockLast(TIMEOUT);
        execute("UPDATE schema_version SET checksum = 1 WHERE version = 1");

        StepVerifier.create(new SchemaMigrator().migrate(h2()))
                .expectErrorSatisfies(e -> {
                    assertInstanceOf(IllegalStateException.class, e);
                    assertTrue(e.getMessage().contains("V1__invoices was changed after it was applied"), e.getMessage());
                })
                .verify(TIMEOUT);
    }

    @Test
    void open_databaseNewerThanThisBuild_isRefusedUntilRepaired() {
        new SchemaMigrator().migrate(h2()).blockLast(TIMEOUT);
        execute("INSERT INTO schema_version (version, description, checksum) VALUES (99, 'future', 0)");

        StepVerifier.create(R2dbcInvoiceStore.openH2File(dir.resolve("db")))
                .expectErrorSatisfies(e -> {
                    assertInstanceOf(InvoiceStoreException.class, e);
                    assertTrue(e.getMessage().contains("version 99, newer than this build"), e.getMessage());
                })
                .verify(TIMEOUT);

        // Repaired, the same file opens.
        execute("DELETE FROM schema_version WHERE version = 99");
        R2dbcInvoiceStore store = R2dbcInvoiceStore.openH2File(dir.resolve("db")).block(TIMEOUT);
        store.close().block(TIMEOUT);
    }
}
