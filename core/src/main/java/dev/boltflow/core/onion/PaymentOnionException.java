package dev.boltflow.core.onion;

import java.util.Objects;

/**
 * An incoming payment onion this node refuses (BOLT 4, Onion Decryption and the reader of the TLV
 * {@code payload}). {@link #reason()} says what was wrong, for logs and tests;
 * {@link #failureCode()} is the BOLT 4 failure code the node returns, which inside a blinded route
 * is {@code invalid_onion_blinding} whatever the reason (BOLT 4, Failure Messages: an erring node
 * with a {@code path_key} in the incoming HTLC, or with {@code current_path_key} when it is not the
 * final node, MUST return it). The message holds no secret.
 */
public final class PaymentOnionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** BOLT 4 failure code flags. */
    public static final int BADONION = 0x8000;
    public static final int PERM = 0x4000;

    public static final int INVALID_ONION_VERSION = BADONION | PERM | 4;
    public static final int INVALID_ONION_HMAC = BADONION | PERM | 5;
    public static final int INVALID_ONION_KEY = BADONION | PERM | 6;
    public static final int INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS = PERM | 15;
    public static final int FINAL_INCORRECT_CLTV_EXPIRY = 18;
    public static final int FINAL_INCORRECT_HTLC_AMOUNT = 19;
    public static final int INVALID_ONION_PAYLOAD = PERM | 22;
    public static final int INVALID_ONION_BLINDING = BADONION | PERM | 24;

    /** What was wrong, and the failure code it has outside a blinded route. */
    public enum Reason {
        /** {@code version} is not 0, or the packet is not 1366 bytes. */
        MALFORMED_PACKET(INVALID_ONION_VERSION),
        /** {@code public_key} is not a valid point. */
        BAD_KEY(INVALID_ONION_KEY),
        /** The HMAC does not match: tampered with, wrong associated data (payment hash), or not for us. */
        BAD_HMAC(INVALID_ONION_HMAC),
        /** The hop payload is not a valid {@code payload} TLV stream (or has an unknown even type). */
        INVALID_PAYLOAD(INVALID_ONION_PAYLOAD),
        /** A field the reader requires is missing, or one it forbids is present. */
        INVALID_FIELDS(INVALID_ONION_PAYLOAD),
        /**
         * Blinding went wrong: {@code path_key} and {@code current_path_key} both or neither,
         * {@code encrypted_recipient_data} missing or not decrypting, a relay hop without
         * {@code payment_relay} or next hop, or a final onion whose data names a next hop.
         */
        INVALID_BLINDING(INVALID_ONION_BLINDING),
        /** A relay hop's {@code payment_constraints} refuse the HTLC, or its fee exceeds the amount. */
        CONSTRAINTS(INVALID_ONION_BLINDING),
        /** The final hop: incoming {@code amount_msat} below {@code amt_to_forward}. */
        FINAL_AMOUNT(FINAL_INCORRECT_HTLC_AMOUNT),
        /** The final hop: incoming {@code cltv_expiry} below {@code outgoing_cltv_value}. */
        FINAL_CLTV(FINAL_INCORRECT_CLTV_EXPIRY),
        /** The final hop: incoming {@code cltv_expiry} below current height + our {@code min_final_cltv_expiry_delta}. */
        EXPIRY_TOO_SOON(INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS),
        /** Not a payment into a blinded route (boltflow only receives BOLT 12 payments). */
        NOT_BLINDED(INVALID_ONION_PAYLOAD);

        private final int code;

        Reason(int code) {
            this.code = code;
        }

        /** The failure code outside a blinded route. */
        public int code() {
            return code;
        }
    }

    private final Reason reason;
    private final int failureCode;

    public PaymentOnionException(Reason reason, int failureCode, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.failureCode = failureCode;
    }

    public Reason reason() {
        return reason;
    }

    /** The BOLT 4 failure code to return for this HTLC. */
    public int failureCode() {
        return failureCode;
    }
}
