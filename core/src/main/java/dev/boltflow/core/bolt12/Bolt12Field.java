package dev.boltflow.core.bolt12;

/**
 * TLV type numbers and spec names of the offer, invoice_request and invoice namespaces (BOLT 12
 * "TLV Fields for Offers", "TLV Fields for invoice_request", "Invoices"). The namespaces nest, so one
 * table serves all three.
 */
public final class Bolt12Field {
    public static final long INVREQ_METADATA = 0;
    public static final long OFFER_CHAINS = 2;
    public static final long OFFER_METADATA = 4;
    public static final long OFFER_CURRENCY = 6;
    public static final long OFFER_AMOUNT = 8;
    public static final long OFFER_DESCRIPTION = 10;
    public static final long OFFER_FEATURES = 12;
    public static final long OFFER_ABSOLUTE_EXPIRY = 14;
    public static final long OFFER_PATHS = 16;
    public static final long OFFER_ISSUER = 18;
    public static final long OFFER_QUANTITY_MAX = 20;
    public static final long OFFER_ISSUER_ID = 22;
    public static final long INVREQ_CHAIN = 80;
    public static final long INVREQ_AMOUNT = 82;
    public static final long INVREQ_FEATURES = 84;
    public static final long INVREQ_QUANTITY = 86;
    public static final long INVREQ_PAYER_ID = 88;
    public static final long INVREQ_PAYER_NOTE = 89;
    public static final long INVREQ_PATHS = 90;
    public static final long INVREQ_BIP_353_NAME = 91;
    public static final long INVOICE_PATHS = 160;
    public static final long INVOICE_BLINDEDPAY = 162;
    public static final long INVOICE_CREATED_AT = 164;
    public static final long INVOICE_RELATIVE_EXPIRY = 166;
    public static final long INVOICE_PAYMENT_HASH = 168;
    public static final long INVOICE_AMOUNT = 170;
    public static final long INVOICE_FALLBACKS = 172;
    public static final long INVOICE_FEATURES = 174;
    public static final long INVOICE_NODE_ID = 176;
    public static final long SIGNATURE = 240;

    /** Signature TLVs: types 240 through 1000 inclusive (BOLT 12 "Signature Calculation"). */
    public static final long SIGNATURE_FIRST = 240;
    public static final long SIGNATURE_LAST = 1000;

    private Bolt12Field() {
    }

    public static boolean isSignatureType(long type) {
        return type >= SIGNATURE_FIRST && type <= SIGNATURE_LAST;
    }

    /** {@code name (type)} for a field the spec names, else {@code field type}; the type unsigned. */
    public static String describe(long type) {
        String name = name(type);
        return name == null ? "field " + Long.toUnsignedString(type) : name + " (" + type + ")";
    }

    /** The spec name of {@code type}, or {@code null} when none of the three namespaces defines it. */
    public static String name(long type) {
        if (type < 0 || type > SIGNATURE) {
            return null;
        }
        switch ((int) type) {
            case 0: return "invreq_metadata";
            case 2: return "offer_chains";
            case 4: return "offer_metadata";
            case 6: return "offer_currency";
            case 8: return "offer_amount";
            case 10: return "offer_description";
            case 12: return "offer_features";
            case 14: return "offer_absolute_expiry";
            case 16: return "offer_paths";
            case 18: return "offer_issuer";
            case 20: return "offer_quantity_max";
            case 22: return "offer_issuer_id";
            case 80: return "invreq_chain";
            case 82: return "invreq_amount";
            case 84: return "invreq_features";
            case 86: return "invreq_quantity";
            case 88: return "invreq_payer_id";
            case 89: return "invreq_payer_note";
            case 90: return "invreq_paths";
            case 91: return "invreq_bip_353_name";
            case 160: return "invoice_paths";
            case 162: return "invoice_blindedpay";
            case 164: return "invoice_created_at";
            case 166: return "invoice_relative_expiry";
            case 168: return "invoice_payment_hash";
            case 170: return "invoice_amount";
            case 172: return "invoice_fallbacks";
            case 174: return "invoice_features";
            case 176: return "invoice_node_id";
            case 240: return "signature";
            default: return null;
        }
    }
}
