package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bytes.Bytes32;
import java.util.Objects;

/** The answer to an {@link IncomingPayment}: settle with the preimage, or fail the HTLC. */
public sealed interface PaymentDecision {

    /** Settle: the invoice is now paid in the store. */
    record Settle(StoredInvoice invoice) implements PaymentDecision {
        public Settle {
            Objects.requireNonNull(invoice, "invoice");
        }

        /** The preimage that settles the HTLC. Never log it. */
        public Bytes32 preimage() {
            return invoice.preimage().reveal();
        }

        @Override
        public boolean settles() {
            return true;
        }
    }

    /** Fail the HTLC (BOLT 4: incorrect_or_unknown_payment_details for all of these). */
    record Reject(Reason reason, String detail) implements PaymentDecision {
        public Reject {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public boolean settles() {
            return false;
        }
    }

    enum Reason {
        /** The blinded data is not ours, cannot be decrypted, or names a next hop. */
        NOT_FOR_US,
        /** The path_id does not belong to this payment hash. */
        WRONG_PATH_ID,
        /** The HTLC breaks the path's payment_constraints (max_cltv_expiry, htlc_minimum_msat). */
        CONSTRAINTS,
        /** No invoice with this payment hash. */
        UNKNOWN_INVOICE,
        /** The invoice expired. */
        EXPIRED,
        /** Already paid. */
        ALREADY_PAID,
        /** Below invoice_amount or above twice it. */
        WRONG_AMOUNT
    }

    boolean settles();
}
