package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bytes.Bytes32;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link InvoiceStore#markPaid} did. Exactly one call per invoice ever gets {@link Paid}; the node
 * settles the HTLC with the preimage only then (or on {@link AlreadyPaid}, for a retried settlement)
 * and fails it otherwise.
 */
public sealed interface MarkPaidOutcome {

    enum Kind {
        PAID, ALREADY_PAID, EXPIRED, NOT_FOUND
    }

    /** Which outcome this is (Java 17 has no pattern switch). */
    Kind kind();

    /** The invoice as stored after the call, or empty for {@link NotFound}. */
    Optional<StoredInvoice> invoice();

    /** This call paid the invoice: it now carries a fresh {@code pay_index} and {@code updated_index}. */
    record Paid(StoredInvoice paid) implements MarkPaidOutcome {
        public Paid {
            if (Objects.requireNonNull(paid, "paid").status() != InvoiceStatus.PAID) {
                throw new IllegalArgumentException("a Paid outcome carries a paid invoice");
            }
        }

        @Override
        public Kind kind() {
            return Kind.PAID;
        }

        @Override
        public Optional<StoredInvoice> invoice() {
            return Optional.of(paid);
        }
    }

    /** An earlier call paid it; nothing changed. */
    record AlreadyPaid(StoredInvoice paid) implements MarkPaidOutcome {
        public AlreadyPaid {
            if (Objects.requireNonNull(paid, "paid").status() != InvoiceStatus.PAID) {
                throw new IllegalArgumentException("an AlreadyPaid outcome carries a paid invoice");
            }
        }

        @Override
        public Kind kind() {
            return Kind.ALREADY_PAID;
        }

        @Override
        public Optional<StoredInvoice> invoice() {
            return Optional.of(paid);
        }
    }

    /**
     * The invoice is expired, or unpaid but {@code paid_at >= expires_at}: it cannot be paid; nothing
     * changed ({@link InvoiceStore#expire} is what records the expiry).
     */
    record Expired(StoredInvoice unpayable) implements MarkPaidOutcome {
        public Expired {
            if (Objects.requireNonNull(unpayable, "unpayable").status() == InvoiceStatus.PAID) {
                throw new IllegalArgumentException("an Expired outcome carries an unpaid or expired invoice");
            }
        }

        @Override
        public Kind kind() {
            return Kind.EXPIRED;
        }

        @Override
        public Optional<StoredInvoice> invoice() {
            return Optional.of(unpayable);
        }
    }

    /** No invoice has this payment hash (never created, or deleted). */
    record NotFound(Bytes32 paymentHash) implements MarkPaidOutcome {
        public NotFound {
            Objects.requireNonNull(paymentHash, "paymentHash");
        }

        @Override
        public Kind kind() {
            return Kind.NOT_FOUND;
        }

        @Override
        public Optional<StoredInvoice> invoice() {
            return Optional.empty();
        }
    }
}
