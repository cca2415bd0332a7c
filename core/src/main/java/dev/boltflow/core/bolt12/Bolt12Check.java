package dev.boltflow.core.bolt12;

import dev.boltflow.core.bolt12.Bolt12ParseException.Field;
import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.Merkle;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a reader checks on a decoded BOLT 12 message without context: the reader rules of
 * its type, its signature, and (as notes for a person only, not violations) its expiry at a time
 * the caller passes in.
 */
public final class Bolt12Check {

    /** The outcome: valid means no violation (warnings, such as an expiry passed, do not count). */
    public record Result(Optional<Bytes32> offerId, List<Bolt12ParseException> violations, List<String> warnings) {
        public Result {
            violations = List.copyOf(violations);
            warnings = List.copyOf(warnings);
        }

        public boolean isValid() {
            return violations.isEmpty();
        }
    }

    private Bolt12Check() {
    }

    public static Result check(Bolt12Object object, long nowEpochSeconds) {
        List<Bolt12ParseException> violations = new ArrayList<>(object.violations());
        List<String> warnings = new ArrayList<>();
        if (object instanceof InvoiceRequest invreq) {
            checkInvoiceRequestSignature(invreq).ifPresent(violations::add);
        } else if (object instanceof Invoice invoice) {
            checkInvoiceSignature(invoice).ifPresent(violations::add);
            if (invoice.invoiceCreatedAt().isPresent() && invoice.isExpired(nowEpochSeconds)) {
                warnings.add("invoice expired: invoice_created_at + invoice_relative_expiry is before now ("
                        + nowEpochSeconds + ")");
            }
        }
        OfferContents contents = (OfferContents) object;
        if (contents.isOfferExpired(nowEpochSeconds)) {
            warnings.add("offer expired: offer_absolute_expiry "
                    + Long.toUnsignedString(contents.offerAbsoluteExpiry().getAsLong()) + " is before now ("
                    + nowEpochSeconds + ")");
        }
        return new Result(offerId(object.records()), violations, warnings);
    }

    /**
     * BOLT 12, Requirements for Invoice Requests (reader): "MUST reject the invoice request if
     * signature is not correct". A request that answers no offer is written without one ("MUST NOT
     * include signature"), while Core Lightning signs its {@code lnr1} strings: so a present
     * signature must verify under {@code invreq_payer_id}, and an absent one is accepted unless the
     * request answers an offer (it has {@code offer_issuer_id} or {@code offer_paths}).
     */
    public static Optional<Bolt12ParseException> checkInvoiceRequestSignature(InvoiceRequest invreq) {
        Optional<PublicKey> payer = invreq.invreqPayerId();
        Optional<Signature> sig = invreq.signature();
        if (payer.isEmpty()) {
            return Optional.empty(); // reported as missing invreq_payer_id by the reader rules
        }
        if (sig.isEmpty()) {
            boolean answersOffer = invreq.offerIssuerId().isPresent() || invreq.offerPaths().isPresent();
            return answersOffer
                    ? Optional.of(new Bolt12ParseException(Kind.SIGNATURE, Field.of(Bolt12Field.SIGNATURE),
                            "missing: an invoice_request for an offer must be signed"))
                    : Optional.empty();
        }
        return verified(Bolt12Signatures.INVOICE_REQUEST, invreq.records(), payer.get(), sig.get(), "invreq_payer_id");
    }

    /** BOLT 12, Requirements for Invoices (reader): the signature must verify under invoice_node_id. */
    public static Optional<Bolt12ParseException> checkInvoiceSignature(Invoice invoice) {
        Optional<PublicKey> node = invoice.invoiceNodeId();
        Optional<Signature> sig = invoice.signature();
        if (node.isEmpty()) {
            return Optional.empty(); // reported as missing invoice_node_id by the reader rules
        }
        if (sig.isEmpty()) {
            return Optional.of(new Bolt12ParseException(Kind.SIGNATURE, Field.of(Bolt12Field.SIGNATURE), "missing"));
        }
        return verified(Bolt12Signatures.INVOICE, invoice.records(), node.get(), sig.get(), "invoice_node_id");
    }

    private static Optional<Bolt12ParseException> verified(String message, TlvStream records, PublicKey key,
            Signature sig, String keyName) {
        return Bolt12Signatures.verify(message, records, key, sig)
                ? Optional.empty()
                : Optional.of(new Bolt12ParseException(Kind.SIGNATURE, Field.of(Bolt12Field.SIGNATURE),
                        "does not verify under " + keyName));
    }

    /**
     * The offer id as Core Lightning computes it: the merkle root of the offer's own records (types
     * 1–79 and 1000000000–1999999999); empty when there is none.
     */
    public static Optional<Bytes32> offerId(TlvStream records) {
        TlvStream offerPart = records.filter(Offer::inOfferRange);
        return offerPart.isEmpty() ? Optional.empty() : Optional.of(Merkle.root(offerPart));
    }
}
