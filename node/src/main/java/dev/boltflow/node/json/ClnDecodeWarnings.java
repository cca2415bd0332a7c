package dev.boltflow.node.json;

import static dev.boltflow.core.bolt12.Bolt12Field.*;

import dev.boltflow.core.bolt12.Bolt12Object;
import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bolt12.Offer;
import java.util.Optional;

/**
 * How Core Lightning's {@code decode} names what is wrong with a BOLT 12 object that still decodes:
 * the {@code warning_*} fields of the {@code valid: false} branches of {@code decode.json}, and the
 * fields those branches allow beside them. A violation without such a name (a field out of range, an
 * unknown even feature, an empty path, ...) is one Core Lightning's decoder refuses outright.
 */
final class ClnDecodeWarnings {
    static final String MISSING_INVOICE_REQUEST_SIGNATURE = "warning_missing_invoice_request_signature";

    private ClnDecodeWarnings() {
    }

    /** Core Lightning's {@code warning_*} name for {@code v} in {@code object}, if it has one. */
    static Optional<String> name(Bolt12Object object, Bolt12ParseException v) {
        long type = v.field().map(Bolt12ParseException.Field::type).orElse(-1L);
        switch (v.kind()) {
            case MISSING_FIELD:
                return Optional.ofNullable(missing(object, type));
            case SIGNATURE:
                boolean absent = object.records().find(SIGNATURE).isEmpty();
                if (object instanceof InvoiceRequest) {
                    return Optional.of(absent ? MISSING_INVOICE_REQUEST_SIGNATURE
                            : "warning_invalid_invoice_request_signature");
                }
                if (object instanceof Invoice) {
                    return Optional.of(absent ? "warning_missing_invoice_signature" : "warning_invalid_invoice_signature");
                }
                return Optional.empty();
            case INVALID_FIELD:
                if (type == INVREQ_BIP_353_NAME && object instanceof InvoiceRequest invreq) {
                    return invreq.invreqBip353Name().map(n -> n.validName()
                            ? "warning_invreq_bip_353_name_domain_invalid" : "warning_invreq_bip_353_name_name_invalid");
                }
                return Optional.empty();
            default:
                return Optional.empty();
        }
    }

    private static String missing(Bolt12Object object, long type) {
        if (type == OFFER_DESCRIPTION) {
            return "warning_missing_offer_description";
        }
        if (type == OFFER_ISSUER_ID && object instanceof Offer) {
            return "warning_missing_offer_issuer_id";
        }
        if (type == INVREQ_METADATA && !(object instanceof Offer)) {
            return "warning_missing_invreq_metadata";
        }
        if (type == INVREQ_PAYER_ID && object instanceof InvoiceRequest) {
            return "warning_missing_invreq_payer_id";
        }
        if (object instanceof Invoice) {
            if (type == INVOICE_PATHS) {
                return "warning_missing_invoice_paths";
            }
            if (type == INVOICE_BLINDEDPAY) {
                return "warning_missing_invoice_blindedpay";
            }
            if (type == INVOICE_CREATED_AT) {
                return "warning_missing_invoice_created_at";
            }
            if (type == INVOICE_PAYMENT_HASH) {
                return "warning_missing_invoice_payment_hash";
            }
            if (type == INVOICE_AMOUNT) {
                return "warning_missing_invoice_amount";
            }
            if (type == INVOICE_NODE_ID) {
                return "warning_missing_invoice_node_id";
            }
        }
        return null;
    }

    /**
     * Whether field {@code name} may stand in the {@code valid: false} answer for {@code object}:
     * Core Lightning's invalid branches list no signature, no unknown records and no invoice fields,
     * and for an offer nothing of the offer but its id.
     */
    static boolean inInvalidBranch(Bolt12Object object, String name) {
        if (name.equals("type") || name.equals("valid") || name.startsWith("warning_")) {
            return true;
        }
        if (object instanceof Offer) {
            return name.equals("offer_id") || name.equals("unknown_offer_tlvs");
        }
        return name.startsWith("offer_") || name.startsWith("invreq_") || name.equals("currency_minor_unit");
    }
}
