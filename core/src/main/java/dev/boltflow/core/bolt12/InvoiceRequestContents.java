package dev.boltflow.core.bolt12;

import dev.boltflow.core.features.Features;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.tlv.TlvStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an invoice_request and an invoice share: the offer fields plus the {@code invreq_*} fields
 * (BOLT 12 "TLV Fields for invoice_request") and a {@code signature}.
 */
public abstract sealed class InvoiceRequestContents extends OfferContents permits InvoiceRequest, Invoice {

    InvoiceRequestContents(TlvStream records, Bytes tlvBytes, ParsedFields f) {
        super(records, tlvBytes, f);
    }

    public Optional<Bytes> invreqMetadata() {
        return Optional.ofNullable(f.invreqMetadata);
    }

    public Optional<Bytes32> invreqChain() {
        return Optional.ofNullable(f.invreqChain);
    }

    /** {@code invreq_amount} in msat (unsigned). */
    public OptionalLong invreqAmount() {
        return optional(f.invreqAmount);
    }

    public Optional<Features> invreqFeatures() {
        return Optional.ofNullable(f.invreqFeatures);
    }

    public OptionalLong invreqQuantity() {
        return optional(f.invreqQuantity);
    }

    public Optional<PublicKey> invreqPayerId() {
        return Optional.ofNullable(f.invreqPayerId);
    }

    public Optional<String> invreqPayerNote() {
        return Optional.ofNullable(f.invreqPayerNote);
    }

    public Optional<List<BlindedPath>> invreqPaths() {
        return Optional.ofNullable(f.invreqPaths);
    }

    public Optional<Bip353Name> invreqBip353Name() {
        return Optional.ofNullable(f.invreqBip353Name);
    }

    /** The {@code signature} TLV (240), not verified here. */
    public Optional<Signature> signature() {
        return Optional.ofNullable(f.signature);
    }
}
