package dev.boltflow.it.integration;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A real {@link ConnectionFactory} (the node's H2 file) with a switch that makes the database
 * unavailable: while {@link #down()} holds, new connections fail, pooled ones fail validation, and
 * starting a transaction or a statement on one fails with an {@link R2dbcNonTransientResourceException},
 * as a database that went away does; or only commits fail ({@link #failCommits}), as when the
 * database goes away in the middle of a transaction. It counts connections opened and not yet closed, so a test
 * can check the store's pool gave them all back.
 */
final class FaultyConnectionFactory implements ConnectionFactory {
    private final ConnectionFactory delegate;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicBoolean commitsFail = new AtomicBoolean();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    FaultyConnectionFactory(ConnectionFactory delegate) {
        this.delegate = delegate;
    }

    void outage(boolean on) {
        down.set(on);
    }

    /** While on, only commits fail: every statement of a transaction runs, then it is rolled back. */
    void failCommits(boolean on) {
        commitsFail.set(on);
    }

    boolean down() {
        return down.get();
    }

    /** Connections opened and not closed yet. */
    int openConnections() {
        return open.get();
    }

    /** Operations refused because of the outage so far. */
    int refused() {
        return refused.get();
    }

    private R2dbcNonTransientResourceException unavailable() {
        refused.incrementAndGet();
        return new R2dbcNonTransientResourceException("database unavailable (injected outage)");
    }

    @Override
    public Publisher<? extends Connection> create() {
        return Mono.defer(() -> down.get() ? Mono.error(unavailable())
                : Mono.from(delegate.create()).<Connection>map(c -> {
                    open.incrementAndGet();
                    return new Faulty(c);
                }));
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return delegate.getMetadata();
    }

    private final class Faulty implements Connection {
        private final Connection c;
        private final AtomicBoolean closed = new AtomicBoolean();

        Faulty(Connection c) {
            this.c = c;
        }

        private <T> Publisher<T> guard(Publisher<T> p) {
            return Mono.defer(() -> down.get() ? Mono.<T>error(unavailable()) : Mono.from(p));
        }

        @Override
        public Publisher<Void> beginTransaction() {
            return Mono.defer(() -> down.get() ? Mono.error(unavailable()) : Mono.from(c.beginTransaction()));
        }

        @Override
        public Publisher<Void> beginTransaction(TransactionDefinition definition) {
            return Mono.defer(() -> down.get() ? Mono.error(unavailable()) : Mono.from(c.beginTransaction(definition)));
        }

        @Override
        public Publisher<Void> close() {
            return Mono.from(c.close()).doFinally(s -> {
                if (closed.compareAndSet(false, true)) {
                    open.decrementAndGet();
                }
            });
        }

        @Override
        public Publisher<Void> commitTransaction() {
            return Mono.defer(() -> commitsFail.get() ? Mono.error(unavailable()) : Mono.from(guard(c.commitTransaction())));
        }

        @Override
        public Batch createBatch() {
            if (down.get()) {
                throw unavailable();
            }
            return c.createBatch();
        }

        @Override
        public Publisher<Void> createSavepoint(String name) {
            return guard(c.createSavepoint(name));
        }

        @Override
        public Statement createStatement(String sql) {
            if (down.get()) {
                throw unavailable();
            }
            return c.createStatement(sql);
        }

        @Override
        public boolean isAutoCommit() {
            return c.isAutoCommit();
        }

        @Override
        public ConnectionMetadata getMetadata() {
            return c.getMetadata();
        }

        @Override
        public IsolationLevel getTransactionIsolationLevel() {
            return c.getTransactionIsolationLevel();
        }

        @Override
        public Publisher<Void> releaseSavepoint(String name) {
            return c.releaseSavepoint(name);
        }

        @Override
        public Publisher<Void> rollbackTransaction() {
            // Always reaches the real database: a rollback must not leave a transaction open behind us.
            return c.rollbackTransaction();
        }

        @Override
        public Publisher<Void> rollbackTransactionToSavepoint(String name) {
            return c.rollbackTransactionToSavepoint(name);
        }

        @Override
        public Publisher<Void> setAutoCommit(boolean autoCommit) {
            return c.setAutoCommit(autoCommit);
        }

        @Override
        public Publisher<Void> setLockWaitTimeout(Duration timeout) {
            return c.setLockWaitTimeout(timeout);
        }

        @Override
        public Publisher<Void> setStatementTimeout(Duration timeout) {
            return c.setStatementTimeout(timeout);
        }

        @Override
        public Publisher<Void> setTransactionIsolationLevel(IsolationLevel level) {
            return c.setTransactionIsolationLevel(level);
        }

        @Override
        public Publisher<Boolean> validate(ValidationDepth depth) {
            return Mono.defer(() -> down.get() ? Mono.just(false) : Mono.from(c.validate(depth)));
        }
    }
}
