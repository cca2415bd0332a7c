package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PublicKey;
import java.util.Objects;

/**
 * What the host node's HTLC layer hands us for an HTLC that ends at us over one of our blinded
 * payment paths: the final hop's {@code path_key} and {@code encrypted_recipient_data} (BOLT 4,
 * Route Blinding), the payment hash, the amount and the CLTV expiry (absolute block height).
 */
public record IncomingPayment(Bytes32 paymentHash, long amountMsat, long cltvExpiry, PublicKey pathKey,
        Bytes encryptedRecipientData) {
    public IncomingPayment {
        Objects.requireNonNull(paymentHash, "paymentHash");
        Objects.requireNonNull(pathKey, "pathKey");
        Objects.requireNonNull(encryptedRecipientData, "encryptedRecipientData");
        if (amountMsat <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        if (cltvExpiry < 0 || cltvExpiry > 0xffffffffL) {
            throw new IllegalArgumentException("cltv_expiry is a u32");
        }
    }
}
