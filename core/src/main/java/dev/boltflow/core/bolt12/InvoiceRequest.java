package dev.boltflow.core.bolt12;

import static dev.boltflow.core.bolt12.Bolt12Field.*;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A BOLT 12 invoice_request ({@code lnr1...}, or the {@code invoice_request} onion-message field):
 * a response to an offer, or, without one, a request to be paid ("merchant-pays-user").
 */
public final class InvoiceRequest extends InvoiceRequestContents implements Bolt12Object {

    private InvoiceRequest(TlvStream records, Bytes tlvBytes, ParsedFields f) {
        super(records, tlvBytes, f);
    }

    /** Decodes an {@code lnr} string: bech32, TLV stream, each field's format. */
    public static InvoiceRequest decode(String bolt12) {
        Bolt12String.Raw raw = Bolt12String.decodeRaw(bolt12);
        requireHrp(raw, Namespace.INVOICE_REQUEST);
        return fromOwned(raw.data);
    }

    /** Decodes the invoice_request TLV stream (as carried in an onion message). */
    public static InvoiceRequest decode(byte[] tlv) {
        return fromOwned(tlv.clone());
    }

    /** {@link #decode(String)}, then the first of {@link #violations()} is thrown. */
    public static InvoiceRequest parse(String bolt12) {
        InvoiceRequest r = decode(bolt12);
        r.requireNoViolation();
        return r;
    }

    static InvoiceRequest fromOwned(byte[] tlv) {
        TlvStream s = decodeStream(tlv);
        return new InvoiceRequest(s, Bytes.wrap(tlv), ParsedFields.parse(s, Namespace.INVOICE_REQUEST));
    }

    @Override
    public String hrp() {
        return Bolt12String.INVOICE_REQUEST_HRP;
    }

    /**
     * BOLT 12 "Requirements for Invoice Requests", the reader rules that hold for every
     * invoice_request and need no signature check, clock or offer: payer id and metadata present,
     * field ranges, unknown even {@code invreq_features}, {@code num_hops} in {@code invreq_paths},
     * {@code invreq_bip_353_name} characters. See {@link #nonOfferViolations(Set)} for the rules of a
     * request that answers no offer.
     */
    @Override
    public List<Bolt12ParseException> violations() {
        List<Bolt12ParseException> out = new ArrayList<>(0);
        // Reader: MUST reject if invreq_payer_id or invreq_metadata are not present.
        if (f.invreqMetadata == null) {
            out.add(Bolt12ParseException.missing(INVREQ_METADATA));
        }
        if (f.invreqPayerId == null) {
            out.add(Bolt12ParseException.missing(INVREQ_PAYER_ID));
        }
        // Reader: MUST reject non-signature TLVs outside 0-159 and 1000000000-2999999999.
        for (TlvRecord r : records.records()) {
            if (!inInvreqRange(r.type()) && !isSignatureType(r.type())) {
                out.add(Bolt12ParseException.unexpected(r.type(),
                        "outside the invoice_request ranges 0-159 and 1000000000-2999999999"));
            }
        }
        // Reader: unknown even invreq_features bits (none are defined) -> MUST reject.
        checkFeatures(f.invreqFeatures, INVREQ_FEATURES, bit -> false, out);
        // Reader: num_hops 0 in any invreq_paths blinded_path -> MUST reject.
        checkHops(f.invreqPaths, INVREQ_PATHS, out);
        // Reader: invreq_bip_353_name bytes other than 0-9 a-z A-Z - _ . -> MUST reject.
        if (f.invreqBip353Name != null && !f.invreqBip353Name.isValid()) {
            out.add(Bolt12ParseException.invalid(INVREQ_BIP_353_NAME,
                    "name or domain has a byte other than 0-9, a-z, A-Z, '-', '_' or '.'"));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * BOLT 12 reader rules for an invoice_request that answers no offer (the sendinvoice case), on
     * top of {@link #violations()}: it must carry neither {@code offer_issuer_id} nor
     * {@code offer_paths} (else it answers an offer), MUST NOT carry {@code offer_chains},
     * {@code offer_features} or {@code offer_quantity_max}, MUST carry {@code invreq_amount}, and its
     * chain ({@code invreq_chain}, or bitcoin when absent) must be one of {@code supportedChains}.
     */
    public List<Bolt12ParseException> nonOfferViolations(Set<Bytes32> supportedChains) {
        Objects.requireNonNull(supportedChains, "supportedChains");
        List<Bolt12ParseException> out = new ArrayList<>(0);
        if (f.offerIssuerId != null) {
            out.add(Bolt12ParseException.unexpected(OFFER_ISSUER_ID, "present: this request answers an offer"));
        }
        if (f.offerPaths != null) {
            out.add(Bolt12ParseException.unexpected(OFFER_PATHS, "present: this request answers an offer"));
        }
        // Reader, not a response to an offer: MUST reject if offer_chains, offer_features or
        // offer_quantity_max are present, and if invreq_amount is not present.
        if (f.offerChains != null) {
            out.add(Bolt12ParseException.unexpected(OFFER_CHAINS, "not allowed without an offer"));
        }
        if (f.offerFeatures != null) {
            out.add(Bolt12ParseException.unexpected(OFFER_FEATURES, "not allowed without an offer"));
        }
        if (f.offerQuantityMax != null) {
            out.add(Bolt12ParseException.unexpected(OFFER_QUANTITY_MAX, "not allowed without an offer"));
        }
        if (f.invreqAmount == null) {
            out.add(Bolt12ParseException.missing(INVREQ_AMOUNT, "required without an offer"));
        }
        // Reader: no invreq_chain -> reject unless bitcoin is supported; else reject an
        // unsupported invreq_chain.
        if (f.invreqChain == null) {
            if (!supportedChains.contains(ChainHashes.BITCOIN)) {
                out.add(Bolt12ParseException.missing(INVREQ_CHAIN, "absent means bitcoin, which is not supported"));
            }
        } else if (!supportedChains.contains(f.invreqChain)) {
            out.add(Bolt12ParseException.invalid(INVREQ_CHAIN, "chain " + f.invreqChain + " is not supported"));
        }
        return Collections.unmodifiableList(out);
    }

    static boolean inInvreqRange(long type) {
        return (type >= 0 && type <= 159) || (type >= 1_000_000_000L && type <= 2_999_999_999L);
    }
}
