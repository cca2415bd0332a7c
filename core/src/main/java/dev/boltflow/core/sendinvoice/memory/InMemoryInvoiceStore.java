package dev.boltflow.core.sendinvoice.memory;

import dev.boltflow.core.bytes.Bytes32;
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
import dev.boltflow.core.sendinvoice.StoredInvoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The invoice store in memory: a real adapter for embedding and tests, held to the same contract as
 * the SQL ones. Nothing survives the JVM.
 *
 * <p><b>Concurrency.</b> Reads (lookups, lists, waits) take no lock: invoices are immutable records in
 * concurrent maps, keyed by {@code created_index}, and every secondary index points at that key.
 * Writes take one of two short monitors: {@code creating} for {@link #create}, {@code updating} for
 * the state changes ({@link #markPaid}, {@link #expire}, {@link #delete}), so creating never waits
 * for paying. A plain {@code AtomicLong} per index would not do: thread A could draw pay_index 5 and
 * thread B 6, B publish first, and a {@code waitanyinvoice} caller answered 6 would never see 5. So an
 * index is drawn and its invoice published in one critical section: a few map operations, no I/O,
 * no callbacks (changes are announced after the monitor is released). The SQL adapters serialize
 * the same way, on their counter rows. {@code markPaid} on an invoice that is already paid, expired
 * or unknown answers from a lock-free read (states never return to unpaid).
 */
public final class InMemoryInvoiceStore implements InvoiceStore {

    private record ExpiryKey(long expiresAt, long createdIndex) implements Comparable<ExpiryKey> {
        static ExpiryKey of(StoredInvoice invoice) {
            return new ExpiryKey(invoice.expiresAt(), invoice.createdIndex());
        }

        @Override
        public int compareTo(ExpiryKey o) {
            int c = Long.compare(expiresAt, o.expiresAt);
            return c != 0 ? c : Long.compare(createdIndex, o.createdIndex);
        }
    }

    /** The truth: created_index to invoice. Secondary maps below point at these keys. */
    private final ConcurrentSkipListMap<Long, StoredInvoice> invoices = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, Long> byLabel = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Bytes32, Long> byPaymentHash = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> byInvstring = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, Long> byUpdatedIndex = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, Long> byPayIndex = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<ExpiryKey, Long> unpaidByExpiry = new ConcurrentSkipListMap<>();

    private final Object creating = new Object();
    private final Object updating = new Object();
    private long lastCreatedIndex; // guarded by creating
    private long lastUpdatedIndex; // guarded by updating
    private long lastPayIndex; // guarded by updating

    private final InvoiceChangeBus bus = new InvoiceChangeBus();

    @Override
    public Mono<StoredInvoice> create(NewInvoice invoice) {
        Objects.requireNonNull(invoice, "invoice");
        return Mono.fromCallable(() -> insert(invoice));
    }

    private StoredInvoice insert(NewInvoice n) {
        synchronized (creating) {
            long id = lastCreatedIndex + 1;
            // Reserve the unique keys first, so no reader ever sees an invoice that then vanishes.
            while (true) {
                Long holder = byLabel.putIfAbsent(n.label(), id);
                if (holder == null) {
                    break;
                }
                StoredInvoice existing = invoices.get(holder);
                if (existing != null) {
                    throw new DuplicateLabelException(existing);
                }
                // Its holder is being deleted right now (label entry still there, invoice gone): retry.
                Thread.onSpinWait();
            }
            if (byPaymentHash.putIfAbsent(n.paymentHash(), id) != null) {
                byLabel.remove(n.label(), id);
                throw new InvoiceStoreException("payment_hash " + n.paymentHash() + " is already used by another invoice");
            }
            if (byInvstring.putIfAbsent(n.bolt12(), id) != null) {
                byPaymentHash.remove(n.paymentHash(), id);
                byLabel.remove(n.label(), id);
                throw new InvoiceStoreException("this bolt12 string is already stored");
            }
            StoredInvoice created = StoredInvoice.created(n, id);
            invoices.put(id, created);
            unpaidByExpiry.put(ExpiryKey.of(created), id);
            lastCreatedIndex = id;
            return created;
        }
    }

    @Override
    public Mono<StoredInvoice> findByLabel(String label) {
        Objects.requireNonNull(label, "label");
        return Mono.fromCallable(() -> lookup(byLabel.get(label)));
    }

    @Override
    public Mono<StoredInvoice> findByPaymentHash(Bytes32 paymentHash) {
        Objects.requireNonNull(paymentHash, "paymentHash");
        return Mono.fromCallable(() -> lookup(byPaymentHash.get(paymentHash)));
    }

    @Override
    public Mono<StoredInvoice> findByInvstring(String invstring) {
        Objects.requireNonNull(invstring, "invstring");
        return Mono.fromCallable(() -> lookup(byInvstring.get(invstring)));
    }

    private StoredInvoice lookup(Long createdIndex) {
        return createdIndex == null ? null : invoices.get(createdIndex);
    }

    @Override
    public Flux<StoredInvoice> list(InvoiceListQuery query) {
        Objects.requireNonNull(query, "query");
        return Flux.fromStream(() -> {
            Stream<StoredInvoice> candidates;
            if (query.label().isPresent()) {
                candidates = Stream.ofNullable(lookup(byLabel.get(query.label().get())));
            } else if (query.paymentHash().isPresent()) {
                candidates = Stream.ofNullable(lookup(byPaymentHash.get(query.paymentHash().get())));
            } else if (query.invstring().isPresent()) {
                candidates = Stream.ofNullable(lookup(byInvstring.get(query.invstring().get())));
            } else if (query.index() == InvoiceListQuery.ListIndex.CREATED) {
                candidates = invoices.tailMap(query.start(), true).values().stream();
            } else {
                candidates = byUpdatedIndex.tailMap(query.start(), true).values().stream()
                        .map(this::lookup)
                        .filter(Objects::nonNull);
            }
            Stream<StoredInvoice> matching = candidates.filter(query::matches);
            return query.limit().isPresent() ? matching.limit(query.limit().getAsLong()) : matching;
        });
    }

    @Override
    public Mono<MarkPaidOutcome> markPaid(Bytes32 paymentHash, long amountReceivedMsat, long paidAt) {
        Objects.requireNonNull(paymentHash, "paymentHash");
        if (amountReceivedMsat < 0 || paidAt < 0) {
            return Mono.error(new IllegalArgumentException("amount_received_msat and paid_at must not be negative"));
        }
        return Mono.fromCallable(() -> {
            MarkPaidOutcome settled = settledOutcome(paymentHash, paidAt);
            if (settled != null) {
                return settled;
            }
            MarkPaidOutcome outcome;
            synchronized (updating) {
                outcome = settledOutcome(paymentHash, paidAt);
                if (outcome == null) {
                    long id = byPaymentHash.get(paymentHash);
                    StoredInvoice unpaid = invoices.get(id);
                    long payIndex = lastPayIndex + 1;
                    long updatedIndex = lastUpdatedIndex + 1;
                    StoredInvoice paid = unpaid.paid(new InvoicePayment(payIndex, amountReceivedMsat, paidAt), updatedIndex);
                    invoices.put(id, paid);
                    unpaidByExpiry.remove(ExpiryKey.of(unpaid));
                    byUpdatedIndex.put(updatedIndex, id);
                    byPayIndex.put(payIndex, id);
                    lastPayIndex = payIndex;
                    lastUpdatedIndex = updatedIndex;
                    outcome = new MarkPaidOutcome.Paid(paid);
                }
            }
            if (outcome instanceof MarkPaidOutcome.Paid p) {
                bus.announce(InvoiceChange.paid(p.paid()));
            }
            return outcome;
        });
    }

    /** The outcome when the invoice cannot be paid now, or null when it is unpaid and payable. */
    private MarkPaidOutcome settledOutcome(Bytes32 paymentHash, long paidAt) {
        StoredInvoice current = lookup(byPaymentHash.get(paymentHash));
        if (current == null) {
            return new MarkPaidOutcome.NotFound(paymentHash);
        }
        if (current.status() == InvoiceStatus.PAID) {
            return new MarkPaidOutcome.AlreadyPaid(current);
        }
        if (current.status() == InvoiceStatus.EXPIRED || current.isPastExpiry(paidAt)) {
            return new MarkPaidOutcome.Expired(current);
        }
        return null;
    }

    @Override
    public Flux<StoredInvoice> expire(long now) {
        return Flux.defer(() -> {
            List<StoredInvoice> expired = new ArrayList<>();
            synchronized (updating) {
                NavigableMap<ExpiryKey, Long> due = unpaidByExpiry.headMap(new ExpiryKey(now, Long.MAX_VALUE), true);
                // Creation order, as the SQL adapters number them.
                List<Long> ids = new ArrayList<>(due.values());
                ids.sort(null);
                for (long id : ids) {
                    StoredInvoice unpaid = invoices.get(id);
                    if (unpaid == null || unpaid.status() != InvoiceStatus.UNPAID || !unpaid.isPastExpiry(now)) {
                        continue;
                    }
                    long updatedIndex = lastUpdatedIndex + 1;
                    StoredInvoice gone = unpaid.expired(updatedIndex);
                    invoices.put(id, gone);
                    unpaidByExpiry.remove(ExpiryKey.of(unpaid));
                    byUpdatedIndex.put(updatedIndex, id);
                    lastUpdatedIndex = updatedIndex;
                    expired.add(gone);
                }
            }
            expired.forEach(e -> bus.announce(InvoiceChange.expired(e)));
            return Flux.fromIterable(expired);
        });
    }

    @Override
    public Mono<StoredInvoice> expire(Bytes32 paymentHash, long now) {
        Objects.requireNonNull(paymentHash, "paymentHash");
        return Mono.fromCallable(() -> {
            StoredInvoice gone = null;
            StoredInvoice current;
            synchronized (updating) {
                Long id = byPaymentHash.get(paymentHash);
                current = lookup(id);
                if (current != null && current.status() == InvoiceStatus.UNPAID && current.isPastExpiry(now)) {
                    long updatedIndex = lastUpdatedIndex + 1;
                    gone = current.expired(updatedIndex);
                    invoices.put(id, gone);
                    unpaidByExpiry.remove(ExpiryKey.of(current));
                    byUpdatedIndex.put(updatedIndex, id);
                    lastUpdatedIndex = updatedIndex;
                    current = gone;
                }
            }
            if (gone != null) {
                bus.announce(InvoiceChange.expired(gone));
            }
            return current;
        });
    }

    @Override
    public Mono<Long> nextExpiry() {
        return Mono.fromCallable(() -> {
            Map.Entry<ExpiryKey, Long> first = unpaidByExpiry.firstEntry();
            return first == null ? null : first.getKey().expiresAt();
        });
    }

    @Override
    public Mono<StoredInvoice> delete(String label, InvoiceStatus expectedStatus) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(expectedStatus, "expectedStatus");
        return Mono.fromCallable(() -> {
            StoredInvoice deleted;
            synchronized (updating) {
                Long id = byLabel.get(label);
                deleted = lookup(id);
                if (deleted == null) {
                    throw new InvoiceNotFoundException(label);
                }
                if (deleted.status() != expectedStatus) {
                    throw new InvoiceStatusMismatchException(label, deleted.status(), expectedStatus);
                }
                // Secondary entries first: whoever still finds one then finds no invoice, and
                // create() waits for the label to be released.
                byPaymentHash.remove(deleted.paymentHash(), id);
                byInvstring.remove(deleted.bolt12(), id);
                unpaidByExpiry.remove(ExpiryKey.of(deleted));
                deleted.updatedIndex().ifPresent(u -> byUpdatedIndex.remove(u, id));
                deleted.payIndex().ifPresent(p -> byPayIndex.remove(p, id));
                byLabel.remove(label, id);
                invoices.remove(id);
            }
            bus.announce(InvoiceChange.deleted(deleted));
            return deleted;
        });
    }

    @Override
    public Mono<StoredInvoice> firstPaidAfter(long payIndex) {
        return Mono.fromCallable(() -> {
            for (Long id : byPayIndex.tailMap(payIndex, false).values()) {
                StoredInvoice paid = invoices.get(id);
                if (paid != null) {
                    return paid;
                }
            }
            return null;
        });
    }

    @Override
    public Flux<InvoiceChange> changes() {
        return bus.changes();
    }
}
