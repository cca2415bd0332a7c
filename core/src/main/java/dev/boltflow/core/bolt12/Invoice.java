package dev.boltflow.core.bolt12;

import dev.boltflow.core.onion.BlindedPayInfo;
import dev.boltflow.core.features.Features;
import static dev.boltflow.core.bolt12.Bolt12Field.*;

import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A BOLT 12 invoice ("Invoices"): the invoice_request's fields plus the {@code invoice_*} fields and
 * the signature by {@code invoice_node_id}. It travels as an onion-message TLV; its text form
 * {@code lni1...} is Core Lightning's convention.
 */
public final class Invoice extends InvoiceRequestContents implements Bolt12Object {
    /** Expiry when {@code invoice_relative_expiry} is absent (BOLT 12 "Invoices"). */
    public static final long DEFAULT_RELATIVE_EXPIRY_SECONDS = 7200;
    /** {@code invoice_features} MPP/compulsory. */
    public static final int FEATURE_MPP_COMPULSORY = 16;
    /** {@code invoice_features} MPP/optional. */
    public static final int FEATURE_MPP_OPTIONAL = 17;

    private Invoice(TlvStream records, Bytes tlvBytes, ParsedFields f) {
        super(records, tlvBytes, f);
    }

    /** Decodes an {@code lni} string: bech32, TLV stream, each field's format. */
    public static Invoice decode(String bolt12) {
        Bolt12String.Raw raw = Bolt12String.decodeRaw(bolt12);
        requireHrp(raw, Namespace.INVOICE);
        return fromOwned(raw.data);
    }

    /** Decodes the invoice TLV stream (as carried in an onion message). */
    public static Invoice decode(byte[] tlv) {
        return fromOwned(tlv.clone());
    }

    /** {@link #decode(String)}, then the first of {@link #violations()} is thrown. */
    public static Invoice parse(String bolt12) {
        Invoice i = decode(bolt12);
        i.requireNoViolation();
        return i;
    }

    /** The invoice our builder just signed: see {@link ParsedFields#ofBuiltInvoice}. */
    static Invoice ofBuilt(TlvStream records, ParsedFields request, List<BlindedPath> paths, PublicKey nodeId) {
        return new Invoice(records, Bytes.wrap(records.encode()),
                ParsedFields.ofBuiltInvoice(records, request, paths, nodeId));
    }

    static Invoice fromOwned(byte[] tlv) {
        TlvStream s = decodeStream(tlv);
        return new Invoice(s, Bytes.wrap(tlv), ParsedFields.parse(s, Namespace.INVOICE));
    }

    @Override
    public String hrp() {
        return Bolt12String.INVOICE_HRP;
    }

    public Optional<List<BlindedPath>> invoicePaths() {
        return Optional.ofNullable(f.invoicePaths);
    }

    public Optional<List<BlindedPayInfo>> invoiceBlindedpay() {
        return Optional.ofNullable(f.invoiceBlindedpay);
    }

    /** Seconds since 1970-01-01 UTC. */
    public OptionalLong invoiceCreatedAt() {
        return optional(f.invoiceCreatedAt);
    }

    public OptionalLong invoiceRelativeExpiry() {
        return optional(f.invoiceRelativeExpiry);
    }

    public Optional<Bytes32> invoicePaymentHash() {
        return Optional.ofNullable(f.invoicePaymentHash);
    }

    /** {@code invoice_amount} in msat (unsigned). */
    public OptionalLong invoiceAmount() {
        return optional(f.invoiceAmount);
    }

    public Optional<List<FallbackAddress>> invoiceFallbacks() {
        return Optional.ofNullable(f.invoiceFallbacks);
    }

    public Optional<Features> invoiceFeatures() {
        return Optional.ofNullable(f.invoiceFeatures);
    }

    public Optional<PublicKey> invoiceNodeId() {
        return Optional.ofNullable(f.invoiceNodeId);
    }

    /**
     * BOLT 12 invoice reader: expired when now is after {@code invoice_created_at} plus
     * {@code invoice_relative_expiry} (7200 when absent). An invoice without
     * {@code invoice_created_at} counts as expired. The caller passes the time.
     */
    public boolean isExpired(long nowEpochSeconds) {
        if (f.invoiceCreatedAt == null) {
            return true;
        }
        long relative = f.invoiceRelativeExpiry == null ? DEFAULT_RELATIVE_EXPIRY_SECONDS : f.invoiceRelativeExpiry;
        long end = f.invoiceCreatedAt + relative;
        if (Long.compareUnsigned(end, f.invoiceCreatedAt) < 0) {
            return false; // beyond 2^64 seconds: never
        }
        return Long.compareUnsigned(nowEpochSeconds, end) > 0;
    }

    /**
     * BOLT 12 "Invoices", the structural reader rules: required fields present, unknown even
     * {@code invoice_features}, {@code invoice_paths} non-empty with {@code num_hops} &gt; 0, one
     * {@code blinded_payinfo} per path and at least one usable, {@code invoice_amount} equal to
     * {@code invreq_amount}, and a {@code signature} present (not verified here). Chain support,
     * expiry ({@link #isExpired(long)}), matching the request and the signature are the caller's.
     */
    @Override
    public List<Bolt12ParseException> violations() {
        List<Bolt12ParseException> out = new ArrayList<>(0);
        // Reader: MUST reject if invoice_amount, invoice_created_at, invoice_payment_hash or
        // invoice_node_id is not present.
        if (f.invoiceAmount == null) {
            out.add(Bolt12ParseException.missing(INVOICE_AMOUNT));
        }
        if (f.invoiceCreatedAt == null) {
            out.add(Bolt12ParseException.missing(INVOICE_CREATED_AT));
        }
        if (f.invoicePaymentHash == null) {
            out.add(Bolt12ParseException.missing(INVOICE_PAYMENT_HASH));
        }
        if (f.invoiceNodeId == null) {
            out.add(Bolt12ParseException.missing(INVOICE_NODE_ID));
        }
        // Reader: unknown even invoice_features bits -> MUST reject (16/17 are MPP).
        checkFeatures(f.invoiceFeatures, INVOICE_FEATURES,
                bit -> bit == FEATURE_MPP_COMPULSORY || bit == FEATURE_MPP_OPTIONAL, out);
        // Reader: MUST reject if invoice_paths is not present or is empty, or a num_hops is 0.
        if (f.invoicePaths == null) {
            out.add(Bolt12ParseException.missing(INVOICE_PATHS));
        } else if (f.invoicePaths.isEmpty()) {
            out.add(Bolt12ParseException.invalid(INVOICE_PATHS, "empty"));
        }
        checkHops(f.invoicePaths, INVOICE_PATHS, out);
        // Reader: MUST reject if invoice_blindedpay is absent or does not hold exactly one
        // blinded_payinfo per invoice_paths entry.
        if (f.invoiceBlindedpay == null) {
            out.add(Bolt12ParseException.missing(INVOICE_BLINDEDPAY));
        } else if (f.invoicePaths != null && f.invoiceBlindedpay.size() != f.invoicePaths.size()) {
            out.add(Bolt12ParseException.invalid(INVOICE_BLINDEDPAY, f.invoiceBlindedpay.size()
                    + " blinded_payinfo for " + f.invoicePaths.size() + " invoice_paths"));
        } else if (!f.invoiceBlindedpay.isEmpty() && !anyPayinfoWithKnownFeatures()) {
            // Reader: a path whose payinfo has unknown even features is unusable; MUST reject
            // if this leaves no usable paths.
            out.add(Bolt12ParseException.invalid(INVOICE_BLINDEDPAY,
                    "every blinded_payinfo has unknown even feature bits: no usable path"));
        }
        // Reader: if invreq_amount is present, MUST reject if invoice_amount differs.
        if (f.invreqAmount != null && f.invoiceAmount != null && !f.invreqAmount.equals(f.invoiceAmount)) {
            out.add(Bolt12ParseException.invalid(INVOICE_AMOUNT, Long.toUnsignedString(f.invoiceAmount)
                    + " msat differs from invreq_amount " + Long.toUnsignedString(f.invreqAmount) + " msat"));
        }
        // Reader: MUST reject if signature is not valid; here only its presence is checked.
        if (f.signature == null) {
            out.add(new Bolt12ParseException(Kind.SIGNATURE, Bolt12ParseException.Field.of(SIGNATURE), "missing"));
        }
        return Collections.unmodifiableList(out);
    }

    private boolean anyPayinfoWithKnownFeatures() {
        for (BlindedPayInfo p : f.invoiceBlindedpay) {
            if (p.features().unknownEvenBits(bit -> false).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Indexes of {@code invoice_paths} a payer may use: those with at least one hop whose
     * {@code blinded_payinfo} has no unknown even feature bit (no bit is defined for payinfo today).
     */
    public List<Integer> usablePaths() {
        if (f.invoicePaths == null || f.invoiceBlindedpay == null
                || f.invoicePaths.size() != f.invoiceBlindedpay.size()) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>(f.invoicePaths.size());
        for (int i = 0; i < f.invoiceBlindedpay.size(); i++) {
            if (f.invoicePaths.get(i).numHops() > 0
                    && f.invoiceBlindedpay.get(i).features().unknownEvenBits(bit -> false).isEmpty()) {
                out.add(i);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
