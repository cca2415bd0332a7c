package dev.boltflow.core.bolt12;

import dev.boltflow.core.onion.BlindedPayInfo;
import dev.boltflow.core.features.Features;
import static dev.boltflow.core.bolt12.Bolt12Field.*;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The typed values of the known fields of one stream, filled by a single pass over its records. A
 * field the namespace does not define stays null. Package-private: the views expose Optionals.
 */
final class ParsedFields {
    // offer
    List<Bytes32> offerChains;
    Bytes offerMetadata;
    String offerCurrency;
    Long offerAmount;
    String offerDescription;
    Features offerFeatures;
    Long offerAbsoluteExpiry;
    List<BlindedPath> offerPaths;
    String offerIssuer;
    Long offerQuantityMax;
    PublicKey offerIssuerId;
    // invoice_request
    Bytes invreqMetadata;
    Bytes32 invreqChain;
    Long invreqAmount;
    Features invreqFeatures;
    Long invreqQuantity;
    PublicKey invreqPayerId;
    String invreqPayerNote;
    List<BlindedPath> invreqPaths;
    Bip353Name invreqBip353Name;
    // invoice
    List<BlindedPath> invoicePaths;
    List<BlindedPayInfo> invoiceBlindedpay;
    Long invoiceCreatedAt;
    Long invoiceRelativeExpiry;
    Bytes32 invoicePaymentHash;
    Long invoiceAmount;
    List<FallbackAddress> invoiceFallbacks;
    Features invoiceFeatures;
    PublicKey invoiceNodeId;
    // invoice_request and invoice
    Signature signature;

    private ParsedFields() {
    }

    /**
     * Parses every field {@code ns} defines with its exact format (fixed lengths, minimal tu64,
     * strict UTF-8, valid points); an even type {@code ns} does not define fails the stream (BOLT 1
     * "unknown even type"); unknown odd types are left to the stream.
     */
    static ParsedFields parse(TlvStream stream, Namespace ns) {
        ParsedFields f = new ParsedFields();
        for (TlvRecord r : stream.records()) {
            long t = r.type();
            if (!ns.defines(t)) {
                if (!r.isOdd()) {
                    throw Bolt12ParseException.tlv(t, "unknown even type in the " + ns.label + " namespace", null);
                }
                continue;
            }
            try {
                f.read(t, r.value().toArray());
            } catch (Bolt12ParseException e) {
                throw e;
            } catch (DecodeException e) {
                throw Bolt12ParseException.tlv(t, e.getMessage(), e);
            }
        }
        return f;
    }

    /**
     * The fields of an invoice our {@link InvoiceBuilder} wrote, without parsing again what it
     * already holds parsed: the request's records are copied byte for byte (BOLT 12 invoice writer),
     * so their values are the request's; {@code paths} and {@code nodeId} are what it encoded in
     * {@code invoice_paths} and {@code invoice_node_id}. The other invoice records (and the
     * signature) are read as usual. This saves a point decompression per key in the request's and
     * the invoice's paths.
     */
    static ParsedFields ofBuiltInvoice(TlvStream stream, ParsedFields request, List<BlindedPath> paths,
            PublicKey nodeId) {
        ParsedFields f = new ParsedFields();
        f.offerChains = request.offerChains;
        f.offerMetadata = request.offerMetadata;
        f.offerCurrency = request.offerCurrency;
        f.offerAmount = request.offerAmount;
        f.offerDescription = request.offerDescription;
        f.offerFeatures = request.offerFeatures;
        f.offerAbsoluteExpiry = request.offerAbsoluteExpiry;
        f.offerPaths = request.offerPaths;
        f.offerIssuer = request.offerIssuer;
        f.offerQuantityMax = request.offerQuantityMax;
        f.offerIssuerId = request.offerIssuerId;
        f.invreqMetadata = request.invreqMetadata;
        f.invreqChain = request.invreqChain;
        f.invreqAmount = request.invreqAmount;
        f.invreqFeatures = request.invreqFeatures;
        f.invreqQuantity = request.invreqQuantity;
        f.invreqPayerId = request.invreqPayerId;
        f.invreqPayerNote = request.invreqPayerNote;
        f.invreqPaths = request.invreqPaths;
        f.invreqBip353Name = request.invreqBip353Name;
        f.invoicePaths = List.copyOf(paths);
        f.invoiceNodeId = nodeId;
        for (TlvRecord r : stream.records()) {
            long t = r.type();
            boolean invoiceRange = Namespace.INVOICE.defines(t) && !Namespace.INVOICE_REQUEST.defines(t);
            if ((invoiceRange && t != INVOICE_PATHS && t != INVOICE_NODE_ID) || t == SIGNATURE) {
                f.read(t, r.value().toArray());
            }
        }
        return f;
    }

    private void read(long t, byte[] v) {
        switch ((int) t) {
            case (int) INVREQ_METADATA: invreqMetadata = Bytes.wrap(v); break;
            case (int) OFFER_CHAINS: offerChains = chains(t, v); break;
            case (int) OFFER_METADATA: offerMetadata = Bytes.wrap(v); break;
            case (int) OFFER_CURRENCY: offerCurrency = Utf8.decode(v); break;
            case (int) OFFER_AMOUNT: offerAmount = tu(v, 8); break;
            case (int) OFFER_DESCRIPTION: offerDescription = Utf8.decode(v); break;
            case (int) OFFER_FEATURES: offerFeatures = new Features(Bytes.wrap(v)); break;
            case (int) OFFER_ABSOLUTE_EXPIRY: offerAbsoluteExpiry = tu(v, 8); break;
            case (int) OFFER_PATHS: offerPaths = paths(v); break;
            case (int) OFFER_ISSUER: offerIssuer = Utf8.decode(v); break;
            case (int) OFFER_QUANTITY_MAX: offerQuantityMax = tu(v, 8); break;
            case (int) OFFER_ISSUER_ID: offerIssuerId = point(t, v); break;
            case (int) INVREQ_CHAIN: invreqChain = Bytes32.wrap(exact(t, v, 32)); break;
            case (int) INVREQ_AMOUNT: invreqAmount = tu(v, 8); break;
            case (int) INVREQ_FEATURES: invreqFeatures = new Features(Bytes.wrap(v)); break;
            case (int) INVREQ_QUANTITY: invreqQuantity = tu(v, 8); break;
            case (int) INVREQ_PAYER_ID: invreqPayerId = point(t, v); break;
            case (int) INVREQ_PAYER_NOTE: invreqPayerNote = Utf8.decode(v); break;
            case (int) INVREQ_PATHS: invreqPaths = paths(v); break;
            case (int) INVREQ_BIP_353_NAME: invreqBip353Name = bip353(v); break;
            case (int) INVOICE_PATHS: invoicePaths = paths(v); break;
            case (int) INVOICE_BLINDEDPAY:
                invoiceBlindedpay = Collections.unmodifiableList(BlindedPayInfo.readAll(new ByteReader(v)));
                break;
            case (int) INVOICE_CREATED_AT: invoiceCreatedAt = tu(v, 8); break;
            case (int) INVOICE_RELATIVE_EXPIRY: invoiceRelativeExpiry = tu(v, 4); break;
            case (int) INVOICE_PAYMENT_HASH: invoicePaymentHash = Bytes32.wrap(exact(t, v, 32)); break;
            case (int) INVOICE_AMOUNT: invoiceAmount = tu(v, 8); break;
            case (int) INVOICE_FALLBACKS:
                invoiceFallbacks = Collections.unmodifiableList(FallbackAddress.readAll(new ByteReader(v)));
                break;
            case (int) INVOICE_FEATURES: invoiceFeatures = new Features(Bytes.wrap(v)); break;
            case (int) INVOICE_NODE_ID: invoiceNodeId = point(t, v); break;
            case (int) SIGNATURE: signature = new Signature(Bytes.wrap(exact(t, v, Signature.LENGTH))); break;
            default:
                throw new IllegalStateException("namespace defines a type with no parser: " + t);
        }
    }

    /** tu64 / tu32 (BOLT 1 "Fundamental Types"): at most {@code max} bytes, no leading zero. */
    private static long tu(byte[] v, int max) {
        return new ByteReader(v).truncated(max, max == 8 ? "tu64" : "tu32");
    }

    private static byte[] exact(long t, byte[] v, int n) {
        if (v.length != n) {
            throw Bolt12ParseException.tlv(t, "length " + v.length + ", expected exactly " + n, null);
        }
        return v;
    }

    private static PublicKey point(long t, byte[] v) {
        return PublicKey.fromBytes(exact(t, v, PublicKey.LENGTH));
    }

    private static List<Bytes32> chains(long t, byte[] v) {
        if (v.length % 32 != 0) {
            throw Bolt12ParseException.tlv(t, "length " + v.length + " is not a multiple of 32", null);
        }
        List<Bytes32> out = new ArrayList<>();
        for (int i = 0; i < v.length; i += 32) {
            out.add(new Bytes32(Bytes.of(v, i, i + 32)));
        }
        return Collections.unmodifiableList(out);
    }

    private static List<BlindedPath> paths(byte[] v) {
        return Collections.unmodifiableList(BlindedPath.readAll(new ByteReader(v)));
    }

    private static Bip353Name bip353(byte[] v) {
        ByteReader r = new ByteReader(v);
        Bip353Name n = Bip353Name.read(r);
        if (!r.isEmpty()) {
            throw new DecodeException(r.remaining() + " bytes after the domain");
        }
        return n;
    }
}
