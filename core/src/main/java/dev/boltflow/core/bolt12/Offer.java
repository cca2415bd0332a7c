package dev.boltflow.core.bolt12;

import static dev.boltflow.core.bolt12.Bolt12Field.*;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A BOLT 12 offer ({@code lno1...}): the merchant's published promise to issue invoices. */
public final class Offer extends OfferContents implements Bolt12Object {

    private Offer(TlvStream records, Bytes tlvBytes, ParsedFields f) {
        super(records, tlvBytes, f);
    }

    /**
     * Decodes an {@code lno} string: bech32, TLV stream, each field's format. Reader rules are
     * {@link #violations()}'; {@link #parse(String)} applies both.
     */
    public static Offer decode(String bolt12) {
        Bolt12String.Raw raw = Bolt12String.decodeRaw(bolt12);
        requireHrp(raw, Namespace.OFFER);
        return fromOwned(raw.data);
    }

    /** Decodes the offer TLV stream itself. */
    public static Offer decode(byte[] tlv) {
        return fromOwned(tlv.clone());
    }

    /** {@link #decode(String)}, then the first of {@link #violations()} is thrown. */
    public static Offer parse(String bolt12) {
        Offer o = decode(bolt12);
        o.requireNoViolation();
        return o;
    }

    static Offer fromOwned(byte[] tlv) {
        TlvStream s = decodeStream(tlv);
        return new Offer(s, Bytes.wrap(tlv), ParsedFields.parse(s, Namespace.OFFER));
    }

    @Override
    public String hrp() {
        return Bolt12String.OFFER_HRP;
    }

    /**
     * BOLT 12 "Requirements For Offers", the reader rules that need no clock and no node
     * configuration (chains supported, expiry: see {@link #isOfferExpired(long)}).
     */
    @Override
    public List<Bolt12ParseException> violations() {
        List<Bolt12ParseException> out = new ArrayList<>(0);
        // Reader: MUST NOT respond if any TLV field lies outside 1-79 and 1000000000-1999999999.
        for (TlvRecord r : records.records()) {
            if (!inOfferRange(r.type())) {
                out.add(Bolt12ParseException.unexpected(r.type(),
                        "outside the offer ranges 1-79 and 1000000000-1999999999"));
            }
        }
        // Reader: unknown even offer_features bits (none are defined) -> MUST NOT respond.
        checkFeatures(f.offerFeatures, OFFER_FEATURES, bit -> false, out);
        // Rationale (2026-01): an empty offer_chains is explicitly invalid.
        if (f.offerChains != null && f.offerChains.isEmpty()) {
            out.add(Bolt12ParseException.invalid(OFFER_CHAINS, "present with no chain"));
        }
        // Reader: offer_amount set and offer_description not set -> MUST NOT respond.
        if (f.offerAmount != null && f.offerDescription == null) {
            out.add(Bolt12ParseException.missing(OFFER_DESCRIPTION, "required when offer_amount is set"));
        }
        // Reader: offer_amount set and not greater than zero -> MUST NOT respond.
        if (f.offerAmount != null && f.offerAmount == 0) {
            out.add(Bolt12ParseException.invalid(OFFER_AMOUNT, "must be greater than zero"));
        }
        // Reader: offer_currency set and offer_amount not set -> MUST NOT respond.
        if (f.offerCurrency != null && f.offerAmount == null) {
            out.add(Bolt12ParseException.missing(OFFER_AMOUNT, "required when offer_currency is set"));
        }
        // Reader: neither offer_issuer_id nor offer_paths -> MUST NOT respond.
        if (f.offerIssuerId == null && f.offerPaths == null) {
            out.add(Bolt12ParseException.missing(OFFER_ISSUER_ID, "required when offer_paths is absent"));
        }
        // Reader: num_hops 0 in any offer_paths blinded_path -> MUST NOT respond.
        checkHops(f.offerPaths, OFFER_PATHS, out);
        return Collections.unmodifiableList(out);
    }

    static boolean inOfferRange(long type) {
        return (type >= 1 && type <= 79) || (type >= 1_000_000_000L && type <= 1_999_999_999L);
    }
}
