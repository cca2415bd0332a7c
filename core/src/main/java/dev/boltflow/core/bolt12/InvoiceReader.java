package dev.boltflow.core.bolt12;

import static dev.boltflow.core.bolt12.Bolt12Field.*;

import dev.boltflow.core.bolt12.Bolt12ParseException.Field;
import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.tlv.TlvRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The payer's checks of an invoice against the invoice_request it answers (BOLT 12 "Invoices", reader
 * requirements): {@link Invoice#violations()} (required fields, features, paths and payinfos, amount),
 * expiry at a time the caller passes in, the signature under {@code invoice_node_id}, the node id an
 * offer names, and every request field in 0–159 and 1000000000–2999999999 mirrored byte for byte.
 *
 * <p>Left to the caller: chain support (the mirrored {@code invreq_chain} is the request's own), how the
 * invoice arrived (via {@code invreq_paths} or not), and {@code invoice_node_id} for a request made
 * from an offer without {@code offer_issuer_id} (it needs the path the request went to).
 */
public final class InvoiceReader {

    private InvoiceReader() {
    }

    /** Every rule {@code invoice} breaks as an answer to {@code request} at {@code nowEpochSeconds}; empty if none. */
    public static List<Bolt12ParseException> violations(Invoice invoice, InvoiceRequest request, long nowEpochSeconds) {
        Objects.requireNonNull(invoice, "invoice");
        Objects.requireNonNull(request, "request");
        // Reader: required fields, unknown even invoice_features, invoice_paths present, non-empty and
        // num_hops > 0, one invoice_blindedpay per path and a usable one, invoice_amount equal to
        // invreq_amount, a signature present.
        List<Bolt12ParseException> out = new ArrayList<>(invoice.violations());
        // Reader: MUST reject the invoice if the current time is greater than invoice_created_at plus
        // invoice_relative_expiry (7200 when absent).
        if (invoice.invoiceCreatedAt().isPresent() && invoice.isExpired(nowEpochSeconds)) {
            long rel = invoice.invoiceRelativeExpiry().orElse(Invoice.DEFAULT_RELATIVE_EXPIRY_SECONDS);
            out.add(new Bolt12ParseException(Kind.EXPIRED,
                    Field.of(invoice.invoiceRelativeExpiry().isPresent() ? INVOICE_RELATIVE_EXPIRY : INVOICE_CREATED_AT),
                    "expired: invoice_created_at " + Long.toUnsignedString(invoice.invoiceCreatedAt().getAsLong())
                            + " + " + Long.toUnsignedString(rel) + " s is before now ("
                            + Long.toUnsignedString(nowEpochSeconds) + ")"));
        }
        // Reader: MUST reject the invoice if signature is not a valid signature using invoice_node_id
        // (its absence is already reported by Invoice.violations()).
        if (invoice.signature().isPresent()) {
            Bolt12Check.checkInvoiceSignature(invoice).ifPresent(out::add);
        }
        // Reader, response to an invoice_request: if offer_issuer_id is present, MUST reject the
        // invoice if invoice_node_id is not equal to offer_issuer_id.
        Optional<PublicKey> issuer = request.offerIssuerId();
        if (issuer.isPresent() && invoice.invoiceNodeId().isPresent() && !issuer.get().equals(invoice.invoiceNodeId().get())) {
            out.add(Bolt12ParseException.invalid(INVOICE_NODE_ID, "differs from offer_issuer_id " + issuer.get()));
        }
        mirrorViolations(invoice, request, out);
        return Collections.unmodifiableList(out);
    }

    /**
     * BOLT 12 invoice reader: "MUST reject the invoice if all fields in ranges 0 to 159 and 1000000000 to
     * 2999999999 (inclusive) do not exactly match the invoice request": the records of those ranges, in
     * both streams, compared type by type and byte by byte.
     */
    private static void mirrorViolations(Invoice invoice, InvoiceRequest request, List<Bolt12ParseException> out) {
        List<TlvRecord> want = request.records().filter(InvoiceRequest::inInvreqRange).records();
        List<TlvRecord> got = invoice.records().filter(InvoiceRequest::inInvreqRange).records();
        int i = 0;
        int j = 0;
        while (i < want.size() || j < got.size()) {
            int order = i == want.size() ? 1
                    : j == got.size() ? -1
                    : Long.compareUnsigned(want.get(i).type(), got.get(j).type());
            if (order < 0) {
                out.add(new Bolt12ParseException(Kind.MISSING_FIELD, Field.of(want.get(i).type()),
                        "in the invoice_request but not in the invoice"));
                i++;
            } else if (order > 0) {
                out.add(Bolt12ParseException.unexpected(got.get(j).type(), "in the invoice but not in the invoice_request"));
                j++;
            } else {
                if (!want.get(i).value().equals(got.get(j).value())) {
                    out.add(Bolt12ParseException.invalid(got.get(j).type(), "differs from the invoice_request"));
                }
                i++;
                j++;
            }
        }
    }
}
