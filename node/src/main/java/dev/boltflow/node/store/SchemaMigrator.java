package dev.boltflow.node.store;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Versioned schema migrations on R2DBC (Flyway needs JDBC). Scripts live on the classpath as
 * {@code db/migration/V<n>__<description>.sql}, are applied in version order, each in its own
 * transaction together with its row in {@code schema_version} (version, description, CRC-32 of the
 * script). A script that was applied and has since changed, or a database newer than this build, is
 * refused rather than guessed at.
 *
 * <p>Two nodes migrating one PostgreSQL database at once: the loser's insert of the version row
 * conflicts with the winner's, its transaction (DDL included) rolls back and it re-reads what is
 * applied. On H2, DDL commits by itself, but an H2 file is opened by one process only.
 */
public final class SchemaMigrator {
    private static final String LOCATION = "db/migration/";
    /** Every script, in order. Add new ones at the end; never edit an applied one. */
    static final List<String> SCRIPTS = List.of("V1__invoices.sql", "V2__utf8_text.sql");

    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
    private static final int ATTEMPTS = 3;

    /** A script: its version, description, statements and checksum. */
    record Migration(int version, String description, List<String> statements, long checksum) {
    }

    private final List<Migration> migrations;

    public SchemaMigrator() {
        this(SCRIPTS);
    }

    SchemaMigrator(List<String> scripts) {
        List<Migration> loaded = new ArrayList<>();
        for (String script : scripts) {
            loaded.add(load(script));
        }
        for (int i = 0; i < loaded.size(); i++) {
            if (loaded.get(i).version() != i + 1) {
                throw new IllegalStateException("migration versions must run 1, 2, 3...: " + scripts);
            }
        }
        this.migrations = List.copyOf(loaded);
    }

    /** The newest version this build knows. */
    public int latestVersion() {
        return migrations.size();
    }

    /** Brings the database to {@link #latestVersion()}; emits the versions it applied. */
    public Flux<Integer> migrate(ConnectionFactory factory) {
        return Flux.usingWhen(factory.create(), c -> migrate(c, ATTEMPTS), Connection::close);
    }

    private Flux<Integer> migrate(Connection c, int attemptsLeft) {
        return execute(c, "CREATE TABLE IF NOT EXISTS schema_version ("
                        + "version INTEGER NOT NULL PRIMARY KEY, "
                        + "description VARCHAR(200) NOT NULL, "
                        + "checksum BIGINT NOT NULL, "
                        + "installed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)")
                .thenMany(applied(c))
                .collectList()
                .flatMapMany(rows -> {
                    Map<Integer, Long> done = new LinkedHashMap<>();
                    rows.forEach(r -> done.put(r[0].intValue(), r[1]));
                    check(done);
                    return Flux.fromIterable(migrations)
                            .filter(m -> !done.containsKey(m.version()))
                            .concatMap(m -> apply(c, m));
                })
                .onErrorResume(R2dbcDataIntegrityViolationException.class, e -> attemptsLeft > 1
                        ? migrate(c, attemptsLeft - 1) // another node applied it first: look again
                        : Flux.error(e));
    }

    private static Flux<Long[]> applied(Connection c) {
        return Flux.from(c.createStatement("SELECT version, checksum FROM schema_version ORDER BY version").execute())
                .flatMap(r -> r.map((row, meta) -> new Long[] {
                        row.get(0, Integer.class).longValue(), row.get(1, Long.class)}));
    }

    private void check(Map<Integer, Long> applied) {
        for (Map.Entry<Integer, Long> e : applied.entrySet()) {
            int version = e.getKey();
            if (version < 1 || version > migrations.size()) {
                throw new IllegalStateException("the database schema has version " + version
                        + ", newer than this build (" + migrations.size() + "): upgrade boltflow");
            }
            Migration m = migrations.get(version - 1);
            if (m.checksum() != e.getValue()) {
                throw new IllegalStateException("migration V" + version + "__" + m.description()
                        + " was changed after it was applied (checksum " + e.getValue() + ", now " + m.checksum() + ")");
            }
        }
    }

    private static Mono<Integer> apply(Connection c, Migration m) {
        Mono<Void> work = execute(c, "INSERT INTO schema_version (version, description, checksum) VALUES ("
                        + m.version() + ", '" + m.description() + "', " + m.checksum() + ")")
                .then(Flux.fromIterable(m.statements()).concatMap(sql -> execute(c, sql)).then());
        return Mono.usingWhen(Mono.from(c.beginTransaction()).thenReturn(c), ignored -> work,
                        tx -> tx.commitTransaction(),
                        (tx, error) -> tx.rollbackTransaction(),
                        tx -> tx.rollbackTransaction())
                .thenReturn(m.version());
    }

    private static Mono<Void> execute(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute()).flatMap(Result::getRowsUpdated).then();
    }

    static Migration load(String script) {
        Matcher name = NAME.matcher(script);
        if (!name.matches()) {
            throw new IllegalStateException("migration script names read V<n>__<description>.sql, not " + script);
        }
        byte[] bytes;
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(LOCATION + script)) {
            if (in == null) {
                throw new IllegalStateException("missing migration script " + LOCATION + script);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LOCATION + script, e);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return new Migration(Integer.parseInt(name.group(1)), name.group(2),
                statements(new String(bytes, StandardCharsets.UTF_8)), crc.getValue());
    }

    /** Statements end with ';'. Lines starting with '--' are comments. No ';' inside literals. */
    static List<String> statements(String script) {
        StringBuilder text = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            if (!line.strip().startsWith("--")) {
                text.append(line).append('\n');
            }
        }
        return Arrays.stream(text.toString().split(";"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
