package dev.boltflow.core.sendinvoice;

import static dev.boltflow.core.bolt12.Bolt12Field.*;

import dev.boltflow.core.bolt12.Bolt12Check;
import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bolt12.Bolt12ParseException.Field;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.U64;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Decides whether {@code sendinvoice} may answer an invoice_request, and for how much: the reader rules
 * of BOLT 12 "Requirements for Invoice Requests" for a request that answers no offer, its expiry, and
 * the {@code amount_msat} and {@code quantity} parameters. Pure: the chain and the time are passed in.
 * Every refusal is a {@link SendInvoiceException}: -32602 naming the rule, or 1002 when expired.
 */
public final class InvoiceRequestValidator {

    /**
     * A request we may answer.
     *
     * @param invoiceRequest the decoded request, whose records the invoice copies
     * @param amountMsat the {@code invoice_amount} to write (unsigned, greater than zero)
     * @param relativeExpirySeconds the {@code invoice_relative_expiry}: the timeout, shortened so the
     *        invoice does not outlive {@code offer_absolute_expiry}
     */
    public record Accepted(InvoiceRequest invoiceRequest, long amountMsat, long relativeExpirySeconds) {
        public Accepted {
            Objects.requireNonNull(invoiceRequest, "invoiceRequest");
            if (amountMsat == 0) {
                throw new IllegalArgumentException("amountMsat must not be 0");
            }
            if (relativeExpirySeconds <= 0 || relativeExpirySeconds > SendInvoiceRequest.MAX_TIMEOUT_SECONDS) {
                throw new IllegalArgumentException("relativeExpirySeconds must be in [1, 2^32-1], got "
                        + relativeExpirySeconds);
            }
        }
    }

    private static final String READER = "BOLT 12 invoice_request reader: ";
    private static final String NO_OFFER = "BOLT 12 invoice_request reader, not a response to an offer: ";

    private InvoiceRequestValidator() {
    }

    /** Decodes the {@code invreq} parameter; a string that is not an invoice_request is -32602. */
    public static InvoiceRequest decode(String invreq) {
        try {
            return InvoiceRequest.decode(invreq);
        } catch (Bolt12ParseException e) {
            throw SendInvoiceException.invalidInvoiceRequest(e,
                    "BOLT 12 Encoding: not a readable invoice_request (lnr1...)");
        }
    }

    /** {@link #decode(String)} of {@code params.invreq()}, then {@link #validate}. */
    public static Accepted validate(SendInvoiceRequest params, Bytes32 ourChain, long nowEpochSeconds) {
        return validate(decode(params.invreq()), params, ourChain, nowEpochSeconds);
    }

    /**
     * Checks {@code invreq} as the reader of an invoice_request that answers no offer, on the chain
     * {@code ourChain} at {@code nowEpochSeconds}, then works out the amount from {@code params}
     * (whose {@code invreq} string is not read again: {@code invreq} is taken as its decoding).
     *
     * @throws SendInvoiceException -32602 for a rule broken or a parameter that does not fit the
     *         request, 1002 when {@code offer_absolute_expiry} has passed
     */
    public static Accepted validate(InvoiceRequest invreq, SendInvoiceRequest params, Bytes32 ourChain,
            long nowEpochSeconds) {
        Objects.requireNonNull(invreq, "invreq");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(ourChain, "ourChain");

        // BOLT 12 invoice_request reader: payer id and metadata present, field ranges, unknown even
        // invreq_features, num_hops of invreq_paths, invreq_bip_353_name characters.
        firstViolation(invreq.violations());
        // BOLT 12 invoice_request reader, no offer_issuer_id nor offer_paths: no offer_chains,
        // offer_features, offer_quantity_max; invreq_amount required; invreq_chain (bitcoin when
        // absent) must be supported. A request with either offer field answers an offer: not ours.
        firstViolation(invreq.nonOfferViolations(Set.of(ourChain)));
        // BOLT 12 invoice_request reader: MUST reject if signature is not correct using
        // invreq_payer_id. Yet its writer, "not responding to an offer: MUST NOT include signature",
        // and Core Lightning signs its own: verified when present, accepted when absent.
        Bolt12Check.checkInvoiceRequestSignature(invreq).ifPresent(InvoiceRequestValidator::reject);

        // offer_absolute_expiry: "the time after which invoice_request should not be attempted"
        // (BOLT 12 "TLV Fields for Offers"), which the non-offer writer sets "as it would for an
        // offer". Core Lightning documents 1002 for sendinvoice but checks expiry only for offers
        // (fetchinvoice); LDK refuses expired refunds. We refuse it too.
        if (invreq.isOfferExpired(nowEpochSeconds)) {
            throw SendInvoiceException.offerExpired(invreq.offerAbsoluteExpiry().getAsLong(), nowEpochSeconds);
        }

        long amount = amount(invreq, params);
        checkQuantity(invreq, params);
        return new Accepted(invreq, amount, relativeExpiryAt(invreq, params.timeoutSeconds(), nowEpochSeconds));
    }

    /**
     * BOLT 12 invoice writer: "if invreq_amount is present: MUST set invoice_amount to invreq_amount";
     * and every reader of the invoice "MUST reject the invoice if invoice_amount is not equal to
     * invreq_amount". Core Lightning lets {@code amount_msat} replace it (its payer refuses only an
     * amount above invreq_amount); an invoice for any other amount is one every BOLT 12 payer must
     * refuse, so we refuse the parameter instead: it may only repeat invreq_amount.
     */
    private static long amount(InvoiceRequest invreq, SendInvoiceRequest params) {
        long requested = invreq.invreqAmount().getAsLong(); // present: nonOfferViolations
        if (requested == 0) {
            // Impl: an invoice for 0 msat cannot be paid (no HTLC carries 0 msat).
            throw SendInvoiceException.invalidInvoiceRequest(Field.of(INVREQ_AMOUNT),
                    "is 0 msat: there is nothing to invoice");
        }
        if (Long.compareUnsigned(requested, SendInvoiceRequest.MAX_AMOUNT_MSAT) > 0) {
            throw SendInvoiceException.invalidInvoiceRequest(Field.of(INVREQ_AMOUNT), U64.toString(requested)
                    + " msat is more than all the bitcoin there will ever be ("
                    + SendInvoiceRequest.MAX_AMOUNT_MSAT + " msat): no payment can carry it");
        }
        if (params.amountMsat().isPresent() && params.amountMsat().getAsLong() != requested) {
            throw SendInvoiceException.invalidParam("amount_msat", U64.toString(params.amountMsat().getAsLong())
                    + " msat differs from invreq_amount " + U64.toString(requested) + " msat (BOLT 12, Requirements"
                    + " for Invoices: MUST set invoice_amount to invreq_amount; a reader MUST reject the invoice if"
                    + " invoice_amount is not equal to invreq_amount)");
        }
        return requested;
    }

    /**
     * The invoice copies {@code invreq_quantity} byte for byte (BOLT 12 invoice writer: "MUST copy all
     * non-signature fields"), so a {@code quantity} parameter can only repeat it.
     */
    private static void checkQuantity(InvoiceRequest invreq, SendInvoiceRequest params) {
        if (params.quantity().isEmpty()) {
            return;
        }
        long q = params.quantity().getAsLong();
        OptionalLong inRequest = invreq.invreqQuantity();
        if (inRequest.isEmpty()) {
            throw SendInvoiceException.invalidParam("quantity", "not allowed: the invoice_request has no"
                    + " invreq_quantity, and the invoice copies the request's fields unchanged (BOLT 12)");
        }
        if (inRequest.getAsLong() != q) {
            throw SendInvoiceException.invalidParam("quantity", U64.toString(q) + " differs from invreq_quantity "
                    + U64.toString(inRequest.getAsLong())
                    + ": the invoice copies the request's fields unchanged (BOLT 12)");
        }
    }

    /**
     * The invoice's relative expiry if it is written at {@code nowEpochSeconds}: the timeout, or less so
     * that the invoice expires no later than offer_absolute_expiry (Impl: no invoice should outlive the
     * request it answers), and at least 1 s. A request that has expired by then is 1002.
     */
    public static long relativeExpiryAt(InvoiceRequest invreq, long timeoutSeconds, long nowEpochSeconds) {
        if (invreq.isOfferExpired(nowEpochSeconds)) {
            throw SendInvoiceException.offerExpired(invreq.offerAbsoluteExpiry().getAsLong(), nowEpochSeconds);
        }
        long seconds = timeoutSeconds;
        OptionalLong absolute = invreq.offerAbsoluteExpiry();
        if (absolute.isPresent()) {
            long left = absolute.getAsLong() - nowEpochSeconds; // not expired: absolute >= now (unsigned)
            if (Long.compareUnsigned(left, seconds) < 0) {
                seconds = Math.max(1, left);
            }
        }
        return seconds;
    }

    private static void firstViolation(List<Bolt12ParseException> violations) {
        if (!violations.isEmpty()) {
            reject(violations.get(0));
        }
    }

    private static void reject(Bolt12ParseException v) {
        throw SendInvoiceException.invalidInvoiceRequest(v, rule(v));
    }

    /** The spec rule {@code v} breaks, quoted in the error message. */
    static String rule(Bolt12ParseException v) {
        long type = v.field().map(Field::type).orElse(-1L);
        switch (v.kind()) {
            case SIGNATURE:
                return READER + "MUST reject if signature is not correct using invreq_payer_id";
            case MISSING_FIELD:
                if (type == INVREQ_AMOUNT) {
                    return NO_OFFER + "MUST reject if invreq_amount is not present";
                }
                if (type == INVREQ_CHAIN) {
                    return READER + "without invreq_chain, MUST reject if bitcoin is not a supported chain";
                }
                return READER + "MUST reject if invreq_payer_id or invreq_metadata are not present";
            case UNEXPECTED_FIELD:
                if (type == OFFER_ISSUER_ID || type == OFFER_PATHS) {
                    return "sendinvoice answers only invoice_requests made without an offer: offer_issuer_id or"
                            + " offer_paths means a response to an offer, for the offer's issuer to answer";
                }
                if (type == OFFER_CHAINS || type == OFFER_FEATURES || type == OFFER_QUANTITY_MAX) {
                    return NO_OFFER + "MUST reject if offer_chains, offer_features or offer_quantity_max are present";
                }
                return READER + "MUST reject if any non-signature TLV field is outside 0 to 159 and"
                        + " 1000000000 to 2999999999";
            case INVALID_FIELD:
                if (type == INVREQ_FEATURES) {
                    return READER + "MUST reject if invreq_features contains unknown even bits";
                }
                if (type == INVREQ_PATHS) {
                    return READER + "MUST reject if num_hops is 0 in any blinded_path in invreq_paths";
                }
                if (type == INVREQ_BIP_353_NAME) {
                    return READER + "MUST reject if name or domain contain bytes other than 0-9, a-z, A-Z, -, _ or .";
                }
                if (type == INVREQ_CHAIN) {
                    return READER + "MUST reject if invreq_chain is not a supported chain";
                }
                break;
            default:
                break;
        }
        return READER + "Requirements for Invoice Requests";
    }
}
