package dev.boltflow.node.store;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.sendinvoice.DuplicateLabelException;
import dev.boltflow.core.sendinvoice.InvoiceChange;
import dev.boltflow.core.sendinvoice.InvoiceChangeBus;
import dev.boltflow.core.sendinvoice.InvoiceListQuery;
import dev.boltflow.core.sendinvoice.InvoiceNotFoundException;
import dev.boltflow.core.sendinvoice.InvoicePayment;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.InvoiceStatusMismatchException;
import dev.boltflow.core.sendinvoice.InvoiceStore;
import dev.boltflow.core.sendinvoice.InvoiceStoreException;
import dev.boltflow.core.sendinvoice.MarkPaidOutcome;
import dev.boltflow.core.sendinvoice.NewInvoice;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.sendinvoice.StoredInvoice;
import io.r2dbc.h2.H2ConnectionConfiguration;
import io.r2dbc.h2.H2ConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The invoice store on R2DBC: an H2 file (the node's default) or PostgreSQL (production), behind an
 * r2dbc-pool. The schema comes from {@link SchemaMigrator}, applied when the store opens.
 *
 * <p><b>Atomicity.</b> Each index has a row in {@code invoice_counters}. A writer first increments
 * the row(s) it needs in its transaction, which locks them until commit, then writes the invoice
 * with a conditional statement ({@code ... WHERE status = 'unpaid'}); if that touches no row the
 * transaction rolls back and the counters with it. So indexes are gap-free and committed in their
 * own order, and {@code markPaid} pays once however many race: the losers wait for the counter
 * lock, then find the invoice paid. Locks are always taken in the order pay, updated, invoice rows
 * (created stands alone), so writers cannot deadlock. Unique constraints (label, payment_hash, the
 * SHA-256 of the bolt12 string, updated_index, pay_index) back all of this up.
 *
 * <p><b>Threads.</b> PostgreSQL's driver is non-blocking. H2's R2DBC driver runs the embedded engine
 * on the calling thread, so for H2 every operation is subscribed on {@code boundedElastic()} and no
 * event loop ever waits for a disk.
 *
 * <p>Changes are announced once committed, from the commit's completion.
 */
public final class R2dbcInvoiceStore implements InvoiceStore {

    private static final String COLUMNS = "created_index, label, description, payment_hash, payment_preimage, status, "
            + "updated_index, expires_at, amount_msat, bolt12, local_offer_id, invreq_payer_note, pay_index, "
            + "amount_received_msat, paid_at, description_utf8, invreq_payer_note_utf8";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM invoices";
    private static final String BUMP = "UPDATE invoice_counters SET counter_value = counter_value + 1 WHERE counter_name = ";
    private static final String UNBUMP = "UPDATE invoice_counters SET counter_value = counter_value - 1 WHERE counter_name = ";
    private static final String COUNTER = "(SELECT counter_value FROM invoice_counters WHERE counter_name = ";

    /** Rolls a transaction back when its conditional write found nothing to change. */
    private static final class NothingChanged extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NothingChanged() {
            super("nothing changed", null, false, false);
        }
    }

    private final ConnectionPool pool;
    private final Scheduler scheduler;
    private final InvoiceChangeBus bus = new InvoiceChangeBus();

    private R2dbcInvoiceStore(ConnectionPool pool, Scheduler scheduler) {
        this.pool = pool;
        this.scheduler = scheduler;
    }

    // ---- opening ----------------------------------------------------------------------------------

    /**
     * The node's default: an embedded H2 database in the file {@code <database>.mv.db}, created and
     * migrated if needed. Only one process may open it at a time.
     */
    public static Mono<R2dbcInvoiceStore> openH2File(Path database) {
        Objects.requireNonNull(database, "database");
        return Mono.fromCallable(() -> new H2ConnectionFactory(H2ConnectionConfiguration.builder()
                        .file(database.toAbsolutePath().toString())
                        .username("sa")
                        // Wait for a contended row lock (the counters) rather than fail under load.
                        .property("LOCK_TIMEOUT", "10000")
                        // Write each commit to the file as it happens. H2's default (a background
                        // writer, up to a second late) loses recent commits, paid invoices included,
                        // when the process dies: H2CrashDurabilityTest shows it.
                        .property("WRITE_DELAY", "0")
                        // No DIR/NETWORK/invoices.trace.db: errors reach the caller and the log.
                        .property("TRACE_LEVEL_FILE", "0")
                        // Closed by the node, in order (on stop and on SIGTERM), not by H2's own
                        // shutdown hook racing it.
                        .property("DB_CLOSE_ON_EXIT", "FALSE")
                        .build()))
                .flatMap(factory -> open(factory, 4, true));
    }

    /**
     * A store at an R2DBC URL, e.g. {@code r2dbc:postgresql://user:password@host:5432/boltflow} or
     * {@code r2dbc:h2:file:////absolute/path/to/db} (H2 behind its own r2dbc-pool: {@code r2dbc:pool:h2:file:////...}); migrated before it is handed out.
     */
    public static Mono<R2dbcInvoiceStore> open(String r2dbcUrl) {
        Objects.requireNonNull(r2dbcUrl, "r2dbcUrl");
        boolean h2;
        try {
            h2 = blockingDriver(r2dbcUrl);
        } catch (IllegalArgumentException e) {
            return Mono.error(new InvoiceStoreException("not an R2DBC URL: " + e.getMessage(), e));
        }
        return Mono.fromCallable(() -> ConnectionFactories.get(r2dbcUrl))
                .onErrorMap(e -> new InvoiceStoreException("no R2DBC driver for this URL", e))
                .flatMap(factory -> open(factory, h2 ? 4 : 10, h2));
    }

    /**
     * Whether the driver of {@code r2dbcUrl} blocks its caller: H2's does, whether named directly
     * ({@code r2dbc:h2:...}) or under r2dbc-pool ({@code r2dbc:pool:h2:...}).
     */
    static boolean blockingDriver(String r2dbcUrl) {
        ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(r2dbcUrl);
        Object driver = options.getValue(ConnectionFactoryOptions.DRIVER);
        Object protocol = options.hasOption(ConnectionFactoryOptions.PROTOCOL)
                ? options.getValue(ConnectionFactoryOptions.PROTOCOL) : "";
        return "h2".equals(driver) || ("pool".equals(driver) && String.valueOf(protocol).startsWith("h2"));
    }

    /**
     * A store on {@code factory} with a pool of at most {@code maxConnections}. Set
     * {@code blockingDriver} for drivers that block their caller (H2): every operation then runs on
     * {@code boundedElastic()}.
     */
    public static Mono<R2dbcInvoiceStore> open(ConnectionFactory factory, int maxConnections, boolean blockingDriver) {
        DriverLogs.capAtInfo();
        Scheduler scheduler = blockingDriver ? Schedulers.boundedElastic() : Schedulers.immediate();
        ConnectionPoolConfiguration.Builder config = ConnectionPoolConfiguration.builder(factory)
                .name("boltflow-invoices")
                .initialSize(1)
                .maxSize(maxConnections);
        if (blockingDriver) {
            config.allocatorSubscribeOn(scheduler);
        }
        ConnectionPool pool = new ConnectionPool(config.build());
        return new SchemaMigrator().migrate(pool)
                .then(Mono.fromSupplier(() -> new R2dbcInvoiceStore(pool, scheduler)))
                .subscribeOn(scheduler)
                .onErrorResume(e -> pool.disposeLater().then(Mono.error(wrap(e))));
    }

    /** Completes {@link #changes()} and closes every connection (an H2 file is then released). */
    public Mono<Void> close() {
        return Mono.fromRunnable(bus::close).then(pool.disposeLater()).subscribeOn(scheduler);
    }

    // ---- the port -----------------------------------------------------------------------------------

    @Override
    public Mono<StoredInvoice> create(NewInvoice n) {
        Objects.requireNonNull(n, "invoice");
        Mono<StoredInvoice> insert = inTransaction(c -> update(c, BUMP + "'created'")
                .then(update(c, "INSERT INTO invoices (created_index, label, description_utf8, payment_hash, "
                                + "payment_preimage, status, expires_at, amount_msat, bolt12, bolt12_hash, local_offer_id, "
                                + "invreq_payer_note_utf8) "
                                + "VALUES (" + COUNTER + "'created'), $1, $2, $3, $4, 'unpaid', $5, $6, $7, $8, $9, $10)",
                        n.label(), orNull(n.description().map(R2dbcInvoiceStore::utf8), byte[].class),
                        n.paymentHash().toArray(), n.preimage().reveal().toArray(), n.expiresAt(), n.amountMsat(),
                        n.bolt12(), bolt12Hash(n.bolt12()), orNull(n.localOfferId().map(Bytes32::toArray), byte[].class),
                        orNull(n.invreqPayerNote().map(R2dbcInvoiceStore::utf8), byte[].class)))
                .then(one(c, SELECT + " WHERE payment_hash = $1", n.paymentHash().toArray())), created -> List.of());
        return insert
                .onErrorResume(R2dbcDataIntegrityViolationException.class, e -> findByLabel(n.label())
                        .flatMap(existing -> Mono.<StoredInvoice>error(new DuplicateLabelException(existing)))
                        .switchIfEmpty(Mono.error(new InvoiceStoreException(
                                "payment_hash " + n.paymentHash() + " or this bolt12 string is already stored", e))))
                .onErrorMap(R2dbcInvoiceStore::wrap)
                .subscribeOn(scheduler);
    }

    @Override
    public Mono<StoredInvoice> findByLabel(String label) {
        Objects.requireNonNull(label, "label");
        return read(c -> one(c, SELECT + " WHERE label = $1", label));
    }

    @Override
    public Mono<StoredInvoice> findByPaymentHash(Bytes32 paymentHash) {
        Objects.requireNonNull(paymentHash, "paymentHash");
        return read(c -> one(c, SELECT + " WHERE payment_hash = $1", paymentHash.toArray()));
    }

    @Override
    public Mono<StoredInvoice> findByInvstring(String invstring) {
        Objects.requireNonNull(invstring, "invstring");
        return read(c -> one(c, SELECT + " WHERE bolt12_hash = $1 AND bolt12 = $2", bolt12Hash(invstring), invstring));
    }

    @Override
    public Flux<StoredInvoice> list(InvoiceListQuery q) {
        Objects.requireNonNull(q, "query");
        if (q.limit().isPresent() && q.limit().getAsLong() == 0) {
            return Flux.empty();
        }
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE ");
        List<Object> args = new ArrayList<>();
        if (q.label().isPresent()) {
            args.add(q.label().get());
            sql.append("label = $").append(args.size()).append(" AND ");
        }
        if (q.invstring().isPresent()) {
            args.add(bolt12Hash(q.invstring().get()));
            sql.append("bolt12_hash = $").append(args.size()).append(" AND ");
            args.add(q.invstring().get());
            sql.append("bolt12 = $").append(args.size()).append(" AND ");
        }
        if (q.paymentHash().isPresent()) {
            args.add(q.paymentHash().get().toArray());
            sql.append("payment_hash = $").append(args.size()).append(" AND ");
        }
        if (q.offerId().isPresent()) {
            args.add(q.offerId().get().toArray());
            sql.append("local_offer_id = $").append(args.size()).append(" AND ");
        }
        String index = q.index() == InvoiceListQuery.ListIndex.CREATED ? "created_index" : "updated_index";
        args.add(q.start());
        sql.append(index).append(" >= $").append(args.size()).append(" ORDER BY ").append(index);
        // A validated u32, not text from outside: safe to inline, and LIMIT takes no parameter everywhere.
        q.limit().ifPresent(limit -> sql.append(" LIMIT ").append(limit));
        return Flux.usingWhen(pool.create(), c -> rows(c, sql.toString(), args.toArray()), Connection::close)
                .onErrorMap(R2dbcInvoiceStore::wrap)
                .subscribeOn(scheduler);
    }

    @Override
    public Mono<MarkPaidOutcome> markPaid(Bytes32 paymentHash, long amountReceivedMsat, long paidAt) {
        Objects.requireNonNull(paymentHash, "paymentHash");
        if (amountReceivedMsat < 0 || paidAt < 0) {
            return Mono.error(new IllegalArgumentException("amount_received_msat and paid_at must not be negative"));
        }
        byte[] hash = paymentHash.toArray();
        Mono<MarkPaidOutcome> pay = inTransaction(c -> update(c, BUMP + "'pay'")
                        .then(update(c, BUMP + "'updated'"))
                        .then(update(c, "UPDATE invoices SET status = 'paid', "
                                        + "pay_index = " + COUNTER + "'pay'), updated_index = " + COUNTER + "'updated'), "
                                        + "amount_received_msat = $1, paid_at = $2 "
                                        + "WHERE payment_hash = $3 AND status = 'unpaid' AND expires_at > $4",
                                amountReceivedMsat, paidAt, hash, paidAt))
                        .flatMap(rows -> rows == 1 ? one(c, SELECT + " WHERE payment_hash = $1", hash)
                                : Mono.error(new NothingChanged())),
                paid -> List.of(InvoiceChange.paid(paid)))
                .<MarkPaidOutcome>map(MarkPaidOutcome.Paid::new)
                // Lost the race (or the invoice expired or went meanwhile): say what it is now.
                .onErrorResume(NothingChanged.class, e -> settledOutcome(paymentHash, paidAt)
                        .map(o -> o.orElseThrow(() -> new InvoiceStoreException("invoice unpaid but not payable"))));
        // Already paid, expired or unknown: answer from a read, without taking the counter locks.
        return settledOutcome(paymentHash, paidAt)
                .flatMap(settled -> settled.map(Mono::just).orElse(pay))
                .onErrorMap(R2dbcInvoiceStore::wrap)
                .subscribeOn(scheduler);
    }

    /** The outcome when the invoice cannot be paid at {@code paidAt}; empty when it can. */
    private Mono<Optional<MarkPaidOutcome>> settledOutcome(Bytes32 paymentHash, long paidAt) {
        return findByPaymentHash(paymentHash)
                .map(current -> {
                    if (current.status() == InvoiceStatus.PAID) {
                        return Optional.<MarkPaidOutcome>of(new MarkPaidOutcome.AlreadyPaid(current));
                    }
                    if (current.status() == InvoiceStatus.EXPIRED || current.isPastExpiry(paidAt)) {
                        return Optional.<MarkPaidOutcome>of(new MarkPaidOutcome.Expired(current));
                    }
                    return Optional.<MarkPaidOutcome>empty();
                })
                .defaultIfEmpty(Optional.of(new MarkPaidOutcome.NotFound(paymentHash)));
    }

    @Override
    public Flux<StoredInvoice> expire(long now) {
        Mono<List<StoredInvoice>> expire = inTransaction(c -> longs(c, "SELECT created_index FROM invoices "
                                + "WHERE status = 'unpaid' AND expires_at <= $1 ORDER BY created_index", now)
                        .collectList()
                        .flatMapMany(Flux::fromIterable)
                        .concatMap(id -> update(c, BUMP + "'updated'")
                                .then(update(c, "UPDATE invoices SET status = 'expired', updated_index = "
                                                + COUNTER + "'updated') "
                                                + "WHERE created_index = $1 AND status = 'unpaid' AND expires_at <= $2",
                                        id, now))
                                .flatMap(rows -> rows == 1
                                        ? one(c, SELECT + " WHERE created_index = $1", id)
                                        // Paid or deleted meanwhile: give the index back.
                                        : update(c, UNBUMP + "'updated'").then(Mono.empty())))
                        .collectList(),
                expired -> expired.stream().map(InvoiceChange::expired).toList());
        return expire.flatMapIterable(Function.identity())
                .onErrorMap(R2dbcInvoiceStore::wrap)
                .subscribeOn(scheduler);
    }

    @Override
    public Mono<StoredInvoice> expire(Bytes32 paymentHash, long now) {
        Objects.requireNonNull(paymentHash, "paymentHash");
        byte[] hash = paymentHash.toArray();
        Mono<StoredInvoice> expire = inTransaction(c -> update(c, BUMP + "'updated'")
                        .then(update(c, "UPDATE invoices SET status = 'expired', updated_index = " + COUNTER + "'updated') "
                                        + "WHERE payment_hash = $1 AND status = 'unpaid' AND expires_at <= $2",
                                hash, now))
                        .flatMap(rows -> rows == 1 ? one(c, SELECT + " WHERE payment_hash = $1", hash)
                                : Mono.error(new NothingChanged())),
                gone -> List.of(InvoiceChange.expired(gone)))
                // Paid, expired already, not due or not there: nothing changed (the index rolled back).
                .onErrorResume(NothingChanged.class, e -> findByPaymentHash(paymentHash));
        // Only an unpaid, due invoice takes the counter lock; the rest is answered from a read.
        return findByPaymentHash(paymentHash)
                .flatMap(current -> current.status() == InvoiceStatus.UNPAID && current.isPastExpiry(now)
                        ? expire : Mono.just(current))
                .onErrorMap(R2dbcInvoiceStore::wrap)
                .subscribeOn(scheduler);
    }

    @Override
    public Mono<Long> nextExpiry() {
        return read(c -> Flux.from(c.createStatement("SELECT MIN(expires_at) FROM invoices WHERE status = 'unpaid'")
                        .execute())
                .flatMap(r -> r.map((row, meta) -> Optional.ofNullable(row.get(0, Long.class))))
                .next()
                .flatMap(Mono::justOrEmpty));
    }

    @Override
    public Mono<StoredInvoice> delete(String label, InvoiceStatus expectedStatus) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(expectedStatus, "expectedStatus");
        return deleteAttempt(label, expectedStatus, 3)
                .onErrorMap(R2dbcInvoiceStore::wrap)
                .subscribeOn(scheduler);
    }

    private Mono<StoredInvoice> deleteAttempt(String label, InvoiceStatus expected, int attemptsLeft) {
        return findByLabel(label)
                .switchIfEmpty(Mono.error(() -> new InvoiceNotFoundException(label)))
                .flatMap(found -> {
                    if (found.status() != expected) {
                        return Mono.error(new InvoiceStatusMismatchException(label, found.status(), expected));
                    }
                    // The status is part of the condition: a payment landing in between wins, and we look again.
                    return inTransaction(c -> update(c, "DELETE FROM invoices WHERE created_index = $1 AND status = $2",
                                    found.createdIndex(), expected.wireName())
                                    .flatMap(rows -> rows == 1 ? Mono.just(found) : Mono.error(new NothingChanged())),
                            deleted -> List.of(InvoiceChange.deleted(deleted)))
                            .onErrorResume(NothingChanged.class, e -> attemptsLeft > 1
                                    ? deleteAttempt(label, expected, attemptsLeft - 1)
                                    : Mono.error(new InvoiceStoreException("invoice '" + label + "' keeps changing")));
                });
    }

    @Override
    public Mono<StoredInvoice> firstPaidAfter(long payIndex) {
        return read(c -> one(c, SELECT + " WHERE pay_index > $1 ORDER BY pay_index LIMIT 1", payIndex));
    }

    @Override
    public Flux<InvoiceChange> changes() {
        return bus.changes();
    }

    // ---- plumbing -----------------------------------------------------------------------------------

    private <T> Mono<T> read(Function<Connection, Mono<T>> work) {
        return Mono.usingWhen(pool.create(), work, Connection::close)
                .onErrorMap(R2dbcInvoiceStore::wrap)
                .subscribeOn(scheduler);
    }

    /**
     * Runs {@code work} in a transaction on a pooled connection. Its value is emitted only after the
     * commit, and the changes it implies are announced from the commit's completion (so a caller that
     * cancels after the commit cannot make waiters miss them). Any error rolls back.
     */
    private <T> Mono<T> inTransaction(Function<Connection, Mono<T>> work, Function<T, List<InvoiceChange>> changes) {
        return Flux.usingWhen(pool.create(), conn -> {
                    AtomicReference<T> result = new AtomicReference<>();
                    return Flux.usingWhen(Mono.from(conn.beginTransaction()).thenReturn(conn),
                            c -> work.apply(c).doOnNext(result::set),
                            c -> Mono.from(c.commitTransaction())
                                    // A failed commit can leave the transaction open on this pooled
                                    // connection: roll it back before the pool hands the connection
                                    // out again, or a later commit there would write these rows.
                                    .onErrorResume(e -> Mono.from(c.rollbackTransaction())
                                            .onErrorResume(rollback -> {
                                                e.addSuppressed(rollback);
                                                return Mono.empty();
                                            })
                                            .then(Mono.error(e)))
                                    .doOnSuccess(done -> {
                                        T committed = result.get();
                                        if (committed != null) {
                                            changes.apply(committed).forEach(bus::announce);
                                        }
                                    }),
                            (c, error) -> c.rollbackTransaction(),
                            c -> c.rollbackTransaction());
                }, Connection::close)
                .reduce((first, last) -> last);
    }

    private static Mono<Long> update(Connection c, String sql, Object... args) {
        return Flux.from(bind(c.createStatement(sql), args).execute())
                .flatMap(Result::getRowsUpdated)
                .reduce(0L, Long::sum);
    }

    private static Mono<StoredInvoice> one(Connection c, String sql, Object... args) {
        return rows(c, sql, args).next();
    }

    private static Flux<StoredInvoice> rows(Connection c, String sql, Object... args) {
        return Flux.from(bind(c.createStatement(sql), args).execute())
                .flatMap(r -> r.map(R2dbcInvoiceStore::invoice));
    }

    private static Flux<Long> longs(Connection c, String sql, Object... args) {
        return Flux.from(bind(c.createStatement(sql), args).execute())
                .flatMap(r -> r.map(row -> row.get(0, Long.class)));
    }

    /** A typed SQL NULL: drivers need the type of a null parameter. */
    private record Null(Class<?> type) {
    }

    private static Object orNull(Optional<?> value, Class<?> type) {
        return value.<Object>map(v -> v).orElse(new Null(type));
    }

    private static Statement bind(Statement s, Object... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Null n) {
                s.bindNull(i, n.type());
            } else {
                s.bind(i, args[i]);
            }
        }
        return s;
    }

    private static StoredInvoice invoice(Readable row) {
        InvoiceStatus status = InvoiceStatus.fromWireName(row.get(5, String.class));
        Long updated = row.get(6, Long.class);
        Long payIndex = row.get(12, Long.class);
        Optional<InvoicePayment> payment = payIndex == null ? Optional.empty()
                : Optional.of(new InvoicePayment(payIndex, row.get(13, Long.class), row.get(14, Long.class)));
        return new StoredInvoice(
                row.get(1, String.class),
                text(row, 15, 2),
                Bytes32.wrap(row.get(3, byte[].class)),
                status,
                row.get(0, Long.class),
                updated == null ? OptionalLong.empty() : OptionalLong.of(updated),
                row.get(7, Long.class),
                row.get(8, Long.class),
                row.get(9, String.class),
                Optional.ofNullable(row.get(10, byte[].class)).map(Bytes32::wrap),
                text(row, 16, 11),
                payment,
                PaymentPreimage.of(Bytes32.wrap(row.get(4, byte[].class))));
    }

    /** Text stored as UTF-8 bytes (V2 on) in column {@code bytes}, else (older rows) as text in {@code text}. */
    private static Optional<String> text(Readable row, int bytes, int text) {
        byte[] utf8 = row.get(bytes, byte[].class);
        return utf8 != null ? Optional.of(new String(utf8, StandardCharsets.UTF_8)) : Optional.ofNullable(row.get(text, String.class));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bolt12Hash(String bolt12) {
        return Hashes.sha256(bolt12.getBytes(StandardCharsets.UTF_8));
    }

    private static Throwable wrap(Throwable e) {
        if (e instanceof InvoiceStoreException || e instanceof IllegalArgumentException) {
            return e;
        }
        return new InvoiceStoreException("invoice database: " + e.getMessage(), e);
    }
}
