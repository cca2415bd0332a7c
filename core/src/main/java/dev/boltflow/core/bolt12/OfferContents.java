package dev.boltflow.core.bolt12;

import dev.boltflow.core.features.Features;
import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.tlv.TlvDecodeException;
import dev.boltflow.core.tlv.TlvStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an offer, an invoice_request and an invoice share: the TLV stream exactly as decoded (unknown
 * odd records included) and the typed {@code offer_*} fields (BOLT 12 "TLV Fields for Offers"),
 * which the two larger messages mirror. Amounts, expiries and quantities are unsigned 64-bit values
 * held in {@code long}s.
 */
public abstract sealed class OfferContents permits Offer, InvoiceRequestContents {
    final TlvStream records;
    final Bytes tlvBytes;
    final ParsedFields f;

    OfferContents(TlvStream records, Bytes tlvBytes, ParsedFields f) {
        this.records = records;
        this.tlvBytes = tlvBytes;
        this.f = f;
    }

    /** The human-readable prefix of this message's text form. */
    public abstract String hrp();

    /**
     * The reader rules of BOLT 12 for this message that need neither the clock, the node's
     * configuration nor signature verification; empty when none is broken.
     */
    public abstract List<Bolt12ParseException> violations();

    /** The records in type order, byte for byte as decoded, unknown odd ones included. */
    public TlvStream records() {
        return records;
    }

    /** The TLV stream's bytes exactly as decoded. */
    public Bytes tlvBytes() {
        return tlvBytes;
    }

    /** The lowercase bolt12 string; the same TLV bytes as the decoded input. */
    public String encode() {
        return Bolt12String.encode(hrp(), tlvBytes);
    }

    public Optional<List<Bytes32>> offerChains() {
        return Optional.ofNullable(f.offerChains);
    }

    public Optional<Bytes> offerMetadata() {
        return Optional.ofNullable(f.offerMetadata);
    }

    public Optional<String> offerCurrency() {
        return Optional.ofNullable(f.offerCurrency);
    }

    public OptionalLong offerAmount() {
        return optional(f.offerAmount);
    }

    public Optional<String> offerDescription() {
        return Optional.ofNullable(f.offerDescription);
    }

    public Optional<Features> offerFeatures() {
        return Optional.ofNullable(f.offerFeatures);
    }

    /** Seconds since 1970-01-01 UTC after which invoice requests should not be attempted. */
    public OptionalLong offerAbsoluteExpiry() {
        return optional(f.offerAbsoluteExpiry);
    }

    public Optional<List<BlindedPath>> offerPaths() {
        return Optional.ofNullable(f.offerPaths);
    }

    public Optional<String> offerIssuer() {
        return Optional.ofNullable(f.offerIssuer);
    }

    public OptionalLong offerQuantityMax() {
        return optional(f.offerQuantityMax);
    }

    public Optional<PublicKey> offerIssuerId() {
        return Optional.ofNullable(f.offerIssuerId);
    }

    /**
     * BOLT 12 "Requirements For Offers": true when {@code offer_absolute_expiry} is set and
     * {@code nowEpochSeconds} is after it. The caller passes the time; core reads no clock.
     */
    public boolean isOfferExpired(long nowEpochSeconds) {
        return f.offerAbsoluteExpiry != null && Long.compareUnsigned(nowEpochSeconds, f.offerAbsoluteExpiry) > 0;
    }

    /** The first violation, thrown; for {@code parse}. */
    final void requireNoViolation() {
        List<Bolt12ParseException> v = violations();
        if (!v.isEmpty()) {
            throw v.get(0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && tlvBytes.equals(((OfferContents) o).tlvBytes);
    }

    @Override
    public int hashCode() {
        return tlvBytes.hashCode();
    }

    @Override
    public String toString() {
        return encode();
    }

    static OptionalLong optional(Long v) {
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** BOLT 1 generic stream rules, failures as {@link Kind#TLV}. */
    static TlvStream decodeStream(byte[] tlv) {
        try {
            return TlvStream.decode(tlv);
        } catch (TlvDecodeException e) {
            throw Bolt12ParseException.tlv(e.type(), e.getMessage(), e);
        } catch (DecodeException e) {
            throw Bolt12ParseException.tlv(-1, e.getMessage(), e);
        }
    }

    static void requireHrp(Bolt12String.Raw raw, Namespace ns) {
        if (!raw.hrp.equals(ns.hrp)) {
            throw new Bolt12ParseException(Kind.HRP, "expected an " + ns.label + " (" + ns.hrp + "), got prefix "
                    + raw.hrp);
        }
    }

    /** BOLT 12: {@code num_hops} 0 in any blinded path of {@code paths} is rejected. */
    static void checkHops(List<BlindedPath> paths, long type, List<Bolt12ParseException> out) {
        if (paths == null) {
            return;
        }
        for (int i = 0; i < paths.size(); i++) {
            if (paths.get(i).numHops() == 0) {
                out.add(Bolt12ParseException.invalid(type, "blinded path " + i + " has num_hops 0"));
            }
        }
    }

    static void checkFeatures(Features features, long type, java.util.function.IntPredicate known,
            List<Bolt12ParseException> out) {
        if (features == null) {
            return;
        }
        List<Integer> unknown = features.unknownEvenBits(known);
        if (!unknown.isEmpty()) {
            out.add(Bolt12ParseException.invalid(type, "unknown even feature bit" + (unknown.size() > 1 ? "s " : " ")
                    + join(unknown)));
        }
    }

    private static String join(List<Integer> bits) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bits.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(bits.get(i));
        }
        return sb.toString();
    }
}
