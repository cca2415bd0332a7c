package dev.boltflow.core.bolt12;

import dev.boltflow.core.crypto.PaymentPreimage;
import static dev.boltflow.core.bolt12.Bolt12Field.*;

import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Merkle;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayInfo;
import dev.boltflow.core.onion.BlindedPayments.PaymentPath;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes the invoice that answers an invoice_request (BOLT 12 "Invoices", writer requirements). It copies
 * every non-signature record of the request byte for byte, unknown odd ones included, and adds the
 * {@code invoice_*} fields. Immutable: each setter returns a new builder. {@link #build()} gives an
 * {@link UnsignedInvoice}, which only {@code sign} turns into an {@link Invoice}.
 *
 * <p>Required: {@link #createdAt}, {@link #paymentHash}, {@link #nodeId}, {@link #paths}, and the
 * amount unless the request has {@code invreq_amount} (then it is the default). The relative expiry
 * defaults to 7200 s and is then left out; features and fallbacks default to none. Core never reads the
 * clock: the creation time is passed in.
 */
public final class InvoiceBuilder {
    private static final long U32_MAX = 0xffffffffL;

    private final InvoiceRequest request;
    private final Long createdAt;
    private final long relativeExpiry;
    private final Bytes32 paymentHash;
    private final Long amountMsat;
    private final Features features;
    private final PublicKey nodeId;
    private final List<PaymentPath> paths;
    private final List<FallbackAddress> fallbacks;

    private InvoiceBuilder(InvoiceRequest request, Long createdAt, long relativeExpiry, Bytes32 paymentHash,
            Long amountMsat, Features features, PublicKey nodeId, List<PaymentPath> paths,
            List<FallbackAddress> fallbacks) {
        this.request = request;
        this.createdAt = createdAt;
        this.relativeExpiry = relativeExpiry;
        this.paymentHash = paymentHash;
        this.amountMsat = amountMsat;
        this.features = features;
        this.nodeId = nodeId;
        this.paths = paths;
        this.fallbacks = fallbacks;
    }

    /**
     * A builder for the invoice answering {@code request}; the amount starts as its
     * {@code invreq_amount} (BOLT 12 writer: "MUST set invoice_amount to invreq_amount").
     *
     * @throws IllegalArgumentException if a non-signature record of the request lies outside
     *         0–159 and 1000000000–2999999999 (a reader must reject such a request; copying it would
     *         put foreign records into the invoice's own range)
     */
    public static InvoiceBuilder forRequest(InvoiceRequest request) {
        Objects.requireNonNull(request, "request");
        for (TlvRecord r : request.records().records()) {
            if (!Merkle.isSignatureType(r.type()) && !InvoiceRequest.inInvreqRange(r.type())) {
                throw new IllegalArgumentException("invoice_request record " + Bolt12ParseException.Field.of(r.type())
                        + " lies outside 0-159 and 1000000000-2999999999: the request is invalid");
            }
        }
        Long amount = request.invreqAmount().isPresent() ? request.invreqAmount().getAsLong() : null;
        return new InvoiceBuilder(request, null, Invoice.DEFAULT_RELATIVE_EXPIRY_SECONDS, null, amount,
                Features.EMPTY, null, List.of(), List.of());
    }

    /** {@code invoice_created_at}: seconds since 1970-01-01 UTC, from the caller's clock. */
    public InvoiceBuilder createdAt(long epochSeconds) {
        if (epochSeconds < 0) {
            throw new IllegalArgumentException("invoice_created_at must not be negative: " + epochSeconds);
        }
        return new InvoiceBuilder(request, epochSeconds, relativeExpiry, paymentHash, amountMsat, features, nodeId,
                paths, fallbacks);
    }

    /** {@code invoice_relative_expiry} in seconds, 1 to 2^32-1 (a tu32); 7200 is the default and is omitted. */
    public InvoiceBuilder relativeExpiry(long seconds) {
        if (seconds <= 0 || seconds > U32_MAX) {
            throw new IllegalArgumentException("invoice_relative_expiry must be in [1, 2^32-1] seconds: " + seconds);
        }
        return new InvoiceBuilder(request, createdAt, seconds, paymentHash, amountMsat, features, nodeId, paths,
                fallbacks);
    }

    /** {@code invoice_payment_hash} = SHA256(payment_preimage); see {@link PaymentPreimage}. */
    public InvoiceBuilder paymentHash(Bytes32 hash) {
        return new InvoiceBuilder(request, createdAt, relativeExpiry, Objects.requireNonNull(hash, "paymentHash"),
                amountMsat, features, nodeId, paths, fallbacks);
    }

    /** {@code invoice_amount} in msat (unsigned, not 0). */
    public InvoiceBuilder amountMsat(long msat) {
        if (msat == 0) {
            throw new IllegalArgumentException("invoice_amount must not be 0");
        }
        return new InvoiceBuilder(request, createdAt, relativeExpiry, paymentHash, msat, features, nodeId, paths,
                fallbacks);
    }

    /** {@code invoice_features} (e.g. MPP, bits 16/17), written in minimal length; omitted when empty. */
    public InvoiceBuilder features(Features f) {
        return new InvoiceBuilder(request, createdAt, relativeExpiry, paymentHash, amountMsat,
                Objects.requireNonNull(f, "features"), nodeId, paths, fallbacks);
    }

    /** {@code invoice_node_id}: the key that signs (without an offer, any key of ours, BOLT 12). */
    public InvoiceBuilder nodeId(PublicKey id) {
        return new InvoiceBuilder(request, createdAt, relativeExpiry, paymentHash, amountMsat, features,
                Objects.requireNonNull(id, "nodeId"), paths, fallbacks);
    }

    /**
     * {@code invoice_paths} and {@code invoice_blindedpay}, one payinfo per path in the same order, most
     * preferred first (BOLT 12 writer). At least one path, each with at least one hop.
     */
    public InvoiceBuilder paths(List<PaymentPath> p) {
        List<PaymentPath> copy = List.copyOf(p);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("invoice_paths needs at least one path (BOLT 12 writer)");
        }
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).path().numHops() == 0) {
                throw new IllegalArgumentException("invoice_paths path " + i + " has no hop; readers reject num_hops 0");
            }
        }
        return new InvoiceBuilder(request, createdAt, relativeExpiry, paymentHash, amountMsat, features, nodeId, copy,
                fallbacks);
    }

    /** {@code invoice_fallbacks}, most preferred first; none by default. */
    public InvoiceBuilder fallbacks(List<FallbackAddress> f) {
        return new InvoiceBuilder(request, createdAt, relativeExpiry, paymentHash, amountMsat, features, nodeId, paths,
                List.copyOf(f));
    }

    /**
     * The invoice's records, ready to sign: the request's non-signature records unchanged, then 160
     * {@code invoice_paths}, 162 {@code invoice_blindedpay}, 164 {@code invoice_created_at}, 166
     * {@code invoice_relative_expiry} (only when not 7200), 168 {@code invoice_payment_hash}, 170
     * {@code invoice_amount}, 172 {@code invoice_fallbacks} (if any), 174 {@code invoice_features} (if any
     * bit), 176 {@code invoice_node_id}.
     *
     * @throws IllegalStateException naming the first required field not set
     */
    public UnsignedInvoice build() {
        require(createdAt != null, INVOICE_CREATED_AT, "createdAt");
        require(paymentHash != null, INVOICE_PAYMENT_HASH, "paymentHash");
        require(amountMsat != null, INVOICE_AMOUNT, "amountMsat");
        require(nodeId != null, INVOICE_NODE_ID, "nodeId");
        require(!paths.isEmpty(), INVOICE_PATHS, "paths");

        List<TlvRecord> out = new ArrayList<>(request.records().size() + 9);
        // BOLT 12 invoice writer: "MUST copy all non-signature fields from the invoice request
        // (including unknown fields)": the records as received, byte for byte.
        for (TlvRecord r : request.records().records()) {
            if (!Merkle.isSignatureType(r.type())) {
                out.add(r);
            }
        }
        List<BlindedPath> blinded = new ArrayList<>(paths.size());
        List<BlindedPayInfo> payinfo = new ArrayList<>(paths.size());
        for (PaymentPath p : paths) {
            blinded.add(p.path());
            payinfo.add(p.info());
        }
        // Writer: invoice_paths, and invoice_blindedpay with exactly one blinded_payinfo per path, in order.
        out.add(new TlvRecord(INVOICE_PATHS, Bytes.wrap(BlindedPath.encodeAll(blinded))));
        out.add(new TlvRecord(INVOICE_BLINDEDPAY, Bytes.wrap(BlindedPayInfo.encodeAll(payinfo))));
        out.add(new TlvRecord(INVOICE_CREATED_AT, truncated(createdAt)));
        // Writer: if the expiry is not 7200 seconds after invoice_created_at, MUST set
        // invoice_relative_expiry.
        if (relativeExpiry != Invoice.DEFAULT_RELATIVE_EXPIRY_SECONDS) {
            out.add(new TlvRecord(INVOICE_RELATIVE_EXPIRY, truncated(relativeExpiry)));
        }
        out.add(new TlvRecord(INVOICE_PAYMENT_HASH, paymentHash.bytes()));
        out.add(new TlvRecord(INVOICE_AMOUNT, truncated(amountMsat)));
        if (!fallbacks.isEmpty()) {
            out.add(new TlvRecord(INVOICE_FALLBACKS, Bytes.wrap(FallbackAddress.encodeAll(fallbacks))));
        }
        // Features in minimal length (BOLT 1); none set, none written (as Core Lightning does).
        if (!features.isEmpty()) {
            out.add(new TlvRecord(INVOICE_FEATURES, features.minimal().bitmap()));
        }
        out.add(new TlvRecord(INVOICE_NODE_ID, nodeId.bytes()));
        return new UnsignedInvoice(TlvStream.sorted(out), nodeId, paymentHash, amountMsat, createdAt, relativeExpiry,
                request.f, List.copyOf(blinded));
    }

    private static void require(boolean set, long type, String setter) {
        if (!set) {
            throw new IllegalStateException(Bolt12ParseException.Field.of(type) + " is required: call " + setter + "(..)");
        }
    }

    private static Bytes truncated(long v) {
        return new ByteWriter(8).truncated(v).toBytes();
    }
}
