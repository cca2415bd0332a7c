package dev.boltflow.core.bolt12;

/** The three nested BOLT 12 TLV namespaces and which types each defines. */
enum Namespace {
    OFFER("offer", Bolt12String.OFFER_HRP),
    INVOICE_REQUEST("invoice_request", Bolt12String.INVOICE_REQUEST_HRP),
    INVOICE("invoice", Bolt12String.INVOICE_HRP);

    final String label;
    final String hrp;

    Namespace(String label, String hrp) {
        this.label = label;
        this.hrp = hrp;
    }

    boolean defines(long type) {
        // Offer fields 2..22 (even), mirrored into the two larger namespaces.
        if (type >= 2 && type <= 22 && (type & 1) == 0) {
            return true;
        }
        if (this == OFFER) {
            return false;
        }
        if (type == 0 || (type >= 80 && type <= 90 && (type & 1) == 0) || type == 89 || type == 91
                || type == Bolt12Field.SIGNATURE) {
            return true;
        }
        return this == INVOICE && type >= 160 && type <= 176 && (type & 1) == 0;
    }
}
