package dev.boltflow.core.bolt12;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.tlv.TlvStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * An invoice without its signature, from {@link InvoiceBuilder#build()}. It has no text form: only a
 * signature by {@code invoice_node_id} ({@link #sign}, or {@link #withSignature} for a signer held
 * elsewhere) makes it an {@link Invoice}.
 */
public final class UnsignedInvoice {
    private final TlvStream records;
    private final PublicKey nodeId;
    private final Bytes32 paymentHash;
    private final long amountMsat;
    private final long createdAt;
    private final long relativeExpiry;
    /** The request's parsed fields and the encoded invoice_paths, reused by {@link #signed}. */
    private final ParsedFields requestFields;
    private final List<BlindedPath> paths;

    UnsignedInvoice(TlvStream records, PublicKey nodeId, Bytes32 paymentHash, long amountMsat, long createdAt,
            long relativeExpiry, ParsedFields requestFields, List<BlindedPath> paths) {
        this.records = records;
        this.requestFields = requestFields;
        this.paths = paths;
        this.nodeId = nodeId;
        this.paymentHash = paymentHash;
        this.amountMsat = amountMsat;
        this.createdAt = createdAt;
        this.relativeExpiry = relativeExpiry;
    }

    /** Every record of the invoice but the signature, in type order. */
    public TlvStream records() {
        return records;
    }

    /**
     * What {@code invoice_node_id} signs (BOLT 12 "Signature Calculation"):
     * H("lightninginvoicesignature", merkle root of the records).
     */
    public Bytes32 signatureHash() {
        return Bolt12Signatures.signatureHash(Bolt12Signatures.INVOICE, records);
    }

    public PublicKey invoiceNodeId() {
        return nodeId;
    }

    public Bytes32 paymentHash() {
        return paymentHash;
    }

    /** {@code invoice_amount} in msat (unsigned). */
    public long amountMsat() {
        return amountMsat;
    }

    /** {@code invoice_created_at}, seconds since the epoch. */
    public long createdAt() {
        return createdAt;
    }

    /** The relative expiry in seconds, 7200 when the record is absent. */
    public long relativeExpirySeconds() {
        return relativeExpiry;
    }

    /** Seconds since the epoch after which payment should not be attempted. */
    public long expiresAt() {
        return createdAt + relativeExpiry;
    }

    /**
     * Signs with the key of {@code invoice_node_id} and fresh BIP-340 aux randomness (BOLT 12 writer:
     * "MUST specify exactly one signature TLV element: signature").
     *
     * @throws IllegalArgumentException if {@code nodeKey} is not the key of {@code invoice_node_id}
     */
    public Invoice sign(PrivateKey nodeKey, SecureRandom random) {
        requireNodeKey(nodeKey);
        return signed(Bolt12Signatures.sign(Bolt12Signatures.INVOICE, records, nodeKey,
                Objects.requireNonNull(random, "random")));
    }

    /** As {@link #sign(PrivateKey, SecureRandom)} with the given aux randomness (deterministic, for tests). */
    public Invoice sign(PrivateKey nodeKey, Bytes32 auxRand) {
        requireNodeKey(nodeKey);
        return signed(Bolt12Signatures.sign(Bolt12Signatures.INVOICE, records, nodeKey,
                Objects.requireNonNull(auxRand, "auxRand")));
    }

    /**
     * Adds a signature made elsewhere over {@link #signatureHash()}.
     *
     * @throws IllegalArgumentException if it does not verify under {@code invoice_node_id}
     */
    public Invoice withSignature(Signature signature) {
        Objects.requireNonNull(signature, "signature");
        if (!Bolt12Signatures.verify(Bolt12Signatures.INVOICE, records, nodeId, signature)) {
            throw new IllegalArgumentException("signature does not verify under invoice_node_id " + nodeId);
        }
        return signed(signature);
    }

    private void requireNodeKey(PrivateKey nodeKey) {
        Objects.requireNonNull(nodeKey, "nodeKey");
        if (!nodeKey.publicKey().equals(nodeId)) {
            throw new IllegalArgumentException("the signing key is not the key of invoice_node_id " + nodeId
                    + " (BOLT 12: the invoice is signed with invoice_node_id)");
        }
    }

    private Invoice signed(Signature sig) {
        TlvStream all = records.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, sig.bytes())));
        return Invoice.ofBuilt(all, requestFields, paths, nodeId);
    }

    /** The record types, never a bolt12 string: an unsigned invoice must not travel. */
    @Override
    public String toString() {
        return "UnsignedInvoice[node_id=" + nodeId + ", " + records + "]";
    }
}
