package dev.boltflow.core.bolt12;

import dev.boltflow.core.bolt12.Bolt12ParseException.Kind;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.tlv.TlvStream;
import java.util.List;

/** Any BOLT 12 message with a text form: {@link Offer}, {@link InvoiceRequest}, {@link Invoice}. */
public sealed interface Bolt12Object permits Offer, InvoiceRequest, Invoice {

    /** {@code lno}, {@code lnr} or {@code lni}. */
    String hrp();

    /** The records byte for byte as decoded, unknown odd ones included. */
    TlvStream records();

    /** The TLV stream's bytes exactly as decoded. */
    Bytes tlvBytes();

    /** The lowercase bolt12 string of the same bytes. */
    String encode();

    /** The reader rules this message breaks (see each type). */
    List<Bolt12ParseException> violations();

    /** Decodes any bolt12 string, choosing the message by its prefix. */
    static Bolt12Object decode(String bolt12) {
        Bolt12String.Raw raw = Bolt12String.decodeRaw(bolt12);
        switch (raw.hrp) {
            case Bolt12String.OFFER_HRP:
                return Offer.fromOwned(raw.data);
            case Bolt12String.INVOICE_REQUEST_HRP:
                return InvoiceRequest.fromOwned(raw.data);
            case Bolt12String.INVOICE_HRP:
                return Invoice.fromOwned(raw.data);
            default:
                throw new Bolt12ParseException(Kind.HRP, "unknown prefix " + raw.hrp);
        }
    }
}
