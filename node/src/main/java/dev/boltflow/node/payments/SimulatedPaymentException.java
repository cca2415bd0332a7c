package dev.boltflow.node.payments;

import java.util.Objects;
import java.util.OptionalInt;

/** Why a payment over the {@link SimulatedPaymentLink} did not complete. */
public final class SimulatedPaymentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The node was started without {@code --simulated-payments}: there is no payment link. */
        DISABLED,
        /** The invoice has no payment hash, amount or usable path (every path is refused by the sender's rules). */
        NO_USABLE_PATH,
        /** The path's introduction node is us: paying ourselves is not supported. */
        UNSUPPORTED_PATH,
        /** The introduction node's connection does not negotiate the link (its init lacks the link's feature bit). */
        UNSUPPORTED_PEER,
        /** No live connection to the introduction node and no known address that connects. */
        UNREACHABLE,
        /** The add could not be written (queue full, connection closed). */
        SEND_FAILED,
        /** The connection the add went out on closed before an answer came: a simulated HTLC lives only there. */
        DISCONNECTED,
        /** The payee (or a node on the path) failed the HTLC; {@link #failureCode()} is its BOLT 4 code. */
        REFUSED,
        /** A fulfill whose preimage does not hash to the payment hash. */
        BAD_PREIMAGE,
        /** No fulfill or fail within the link's timeout. */
        TIMEOUT,
        /** The link was disposed while the payment waited. */
        DISPOSED
    }

    private final Reason reason;
    private final OptionalInt failureCode;

    public SimulatedPaymentException(Reason reason, String message) {
        this(reason, message, OptionalInt.empty(), null);
    }

    public SimulatedPaymentException(Reason reason, String message, OptionalInt failureCode, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.failureCode = Objects.requireNonNull(failureCode, "failureCode");
    }

    public Reason reason() {
        return reason;
    }

    /** The BOLT 4 failure code of a {@link Reason#REFUSED} payment. */
    public OptionalInt failureCode() {
        return failureCode;
    }
}
