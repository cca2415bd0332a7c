package dev.boltflow.core.sendinvoice;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/**
 * The waits of {@link InvoiceStore}, built on {@link InvoiceStore#changes()} and one query, without
 * polling. Both subscribe to the changes before they query, so nothing committed in between is
 * missed.
 */
final class InvoiceWaits {
    private static final Object LOOK = new Object();

    private InvoiceWaits() {
    }

    static Mono<StoredInvoice> nextPaidAfter(InvoiceStore store, long payIndex) {
        if (payIndex < 0) {
            return Mono.error(new IllegalArgumentException("lastpay_index must not be negative"));
        }
        // A change only says "look again": a pay_index becomes visible only after every smaller one
        // (see InvoiceStore), so the query answers the smallest, whatever order the changes came in.
        Flux<Object> paidLater = store.changes()
                .filter(c -> c.kind() == InvoiceChange.Kind.PAID
                        && c.invoice().payIndex().orElse(0) > payIndex)
                .map(c -> LOOK)
                .onBackpressureLatest();
        return Flux.merge(paidLater, Mono.just(LOOK))
                .concatMap(look -> store.firstPaidAfter(payIndex), 1)
                .next();
    }

    static Mono<StoredInvoice> awaitSettled(InvoiceStore store, String label) {
        return Mono.defer(() -> {
            Settling settling = new Settling();
            Flux<Object> changes = store.changes()
                    .filter(c -> c.invoice().label().equals(label))
                    .cast(Object.class);
            Mono<Object> snapshot = store.findByLabel(label)
                    .<Object>map(Optional::of)
                    .defaultIfEmpty(Optional.empty());
            return Flux.merge(changes, snapshot).<StoredInvoice>handle(settling::accept).next();
        });
    }

    /**
     * Per waiter: the first lookup decides which invoice (by created_index) we wait for; changes seen
     * before it are held and judged against it. Every change of that invoice comes after the lookup:
     * an invoice leaves "unpaid" once, and is deleted once.
     */
    private static final class Settling {
        private boolean looked;
        private boolean done;
        private long waitingFor;
        private final List<InvoiceChange> early = new ArrayList<>();

        @SuppressWarnings("unchecked")
        void accept(Object signal, SynchronousSink<StoredInvoice> sink) {
            if (done) {
                return;
            }
            if (signal instanceof InvoiceChange change) {
                if (looked) {
                    judge(change, sink);
                } else {
                    early.add(change);
                }
                return;
            }
            looked = true;
            Optional<StoredInvoice> found = (Optional<StoredInvoice>) signal;
            if (found.isEmpty()) {
                done = true;
                sink.complete();
                return;
            }
            StoredInvoice invoice = found.get();
            if (invoice.status() != InvoiceStatus.UNPAID) {
                done = true;
                sink.next(invoice);
                return;
            }
            waitingFor = invoice.createdIndex();
            for (InvoiceChange change : early) {
                judge(change, sink);
            }
            early.clear();
        }

        private void judge(InvoiceChange change, SynchronousSink<StoredInvoice> sink) {
            if (done || change.invoice().createdIndex() != waitingFor) {
                return;
            }
            done = true;
            // A deleted invoice that was paid or expired first still answers (changes of one invoice
            // may be announced out of order); deleted while unpaid, there is nothing to answer.
            if (change.invoice().status() == InvoiceStatus.UNPAID) {
                sink.complete();
            } else {
                sink.next(change.invoice());
            }
        }
    }
}
