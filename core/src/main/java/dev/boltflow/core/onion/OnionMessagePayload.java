package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.tlv.TlvDecodeException;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * BOLT 4 {@code onionmsg_tlv}: one hop's payload in an onion message. The BOLT 12 messages (64
 * {@code invoice_request}, 66 {@code invoice}, 68 {@code invoice_error}) are kept as raw TLV
 * streams for the bolt12 package to decode. Unknown odd records are kept; unknown even ones fail
 * the decode.
 *
 * <p>{@code toString()} names the fields present and their sizes, never their contents.
 */
public record OnionMessagePayload(
        Optional<BlindedPath> replyPath,
        Optional<Bytes> encryptedRecipientData,
        Optional<Bytes> invoiceRequest,
        Optional<Bytes> invoice,
        Optional<Bytes> invoiceError,
        List<TlvRecord> unknownOdd) {

    public static final long REPLY_PATH = 2;
    public static final long ENCRYPTED_RECIPIENT_DATA = 4;
    public static final long INVOICE_REQUEST = 64;
    public static final long INVOICE = 66;
    public static final long INVOICE_ERROR = 68;

    public static final OnionMessagePayload EMPTY = new OnionMessagePayload(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), List.of());

    public OnionMessagePayload {
        Objects.requireNonNull(replyPath, "replyPath");
        Objects.requireNonNull(encryptedRecipientData, "encryptedRecipientData");
        Objects.requireNonNull(invoiceRequest, "invoiceRequest");
        Objects.requireNonNull(invoice, "invoice");
        Objects.requireNonNull(invoiceError, "invoiceError");
        List<TlvRecord> sorted = new ArrayList<>(unknownOdd);
        sorted.sort((a, b) -> Long.compareUnsigned(a.type(), b.type()));
        for (int i = 0; i < sorted.size(); i++) {
            long t = sorted.get(i).type();
            if ((t & 1) == 0) {
                throw new IllegalArgumentException("not an unknown odd onionmsg_tlv type: " + Long.toUnsignedString(t));
            }
            if (i > 0 && sorted.get(i - 1).type() == t) {
                throw new IllegalArgumentException("duplicate TLV type " + Long.toUnsignedString(t));
            }
        }
        unknownOdd = List.copyOf(sorted);
    }

    public static boolean isKnown(long type) {
        return type == REPLY_PATH || type == ENCRYPTED_RECIPIENT_DATA || type == INVOICE_REQUEST || type == INVOICE
                || type == INVOICE_ERROR;
    }

    public static OnionMessagePayload ofInvoiceRequest(Bytes tlvs) {
        return EMPTY.withInvoiceRequest(tlvs);
    }

    public static OnionMessagePayload ofInvoice(Bytes tlvs) {
        return EMPTY.withInvoice(tlvs);
    }

    public static OnionMessagePayload ofInvoiceError(Bytes tlvs) {
        return EMPTY.withInvoiceError(tlvs);
    }

    public OnionMessagePayload withReplyPath(BlindedPath path) {
        return new OnionMessagePayload(Optional.of(path), encryptedRecipientData, invoiceRequest, invoice,
                invoiceError, unknownOdd);
    }

    public OnionMessagePayload withEncryptedRecipientData(Bytes data) {
        return new OnionMessagePayload(replyPath, Optional.of(data), invoiceRequest, invoice, invoiceError, unknownOdd);
    }

    public OnionMessagePayload withoutEncryptedRecipientData() {
        return new OnionMessagePayload(replyPath, Optional.empty(), invoiceRequest, invoice, invoiceError, unknownOdd);
    }

    public OnionMessagePayload withInvoiceRequest(Bytes tlvs) {
        return new OnionMessagePayload(replyPath, encryptedRecipientData, Optional.of(tlvs), invoice, invoiceError,
                unknownOdd);
    }

    public OnionMessagePayload withInvoice(Bytes tlvs) {
        return new OnionMessagePayload(replyPath, encryptedRecipientData, invoiceRequest, Optional.of(tlvs),
                invoiceError, unknownOdd);
    }

    public OnionMessagePayload withInvoiceError(Bytes tlvs) {
        return new OnionMessagePayload(replyPath, encryptedRecipientData, invoiceRequest, invoice, Optional.of(tlvs),
                unknownOdd);
    }

    public OnionMessagePayload withUnknownOdd(List<TlvRecord> records) {
        return new OnionMessagePayload(replyPath, encryptedRecipientData, invoiceRequest, invoice, invoiceError,
                records);
    }

    /** How many of the final-hop payload fields (64, 66, 68) are present. */
    public int payloadFieldCount() {
        return (invoiceRequest.isPresent() ? 1 : 0) + (invoice.isPresent() ? 1 : 0) + (invoiceError.isPresent() ? 1 : 0);
    }

    /** True when nothing but {@code encrypted_recipient_data} is set: all a non-final hop may carry. */
    public boolean isRelayOnly() {
        return replyPath.isEmpty() && invoiceRequest.isEmpty() && invoice.isEmpty() && invoiceError.isEmpty()
                && unknownOdd.isEmpty();
    }

    public TlvStream toTlvStream() {
        List<TlvRecord> out = new ArrayList<>(5 + unknownOdd.size());
        replyPath.ifPresent(p -> out.add(new TlvRecord(REPLY_PATH, Bytes.wrap(p.encode()))));
        encryptedRecipientData.ifPresent(d -> out.add(new TlvRecord(ENCRYPTED_RECIPIENT_DATA, d)));
        invoiceRequest.ifPresent(d -> out.add(new TlvRecord(INVOICE_REQUEST, d)));
        invoice.ifPresent(d -> out.add(new TlvRecord(INVOICE, d)));
        invoiceError.ifPresent(d -> out.add(new TlvRecord(INVOICE_ERROR, d)));
        if (unknownOdd.isEmpty()) {
            return TlvStream.of(out);
        }
        out.addAll(unknownOdd);
        return TlvStream.sorted(out);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(256);
        toTlvStream().writeTo(w);
        return w.toByteArray();
    }

    /**
     * Decodes an {@code onionmsg_tlv}. A {@code reply_path} must fill its record exactly and have
     * at least one hop (a path with none cannot carry a reply). Bad input is a {@link DecodeException}.
     */
    public static OnionMessagePayload decode(byte[] data) {
        TlvStream s = TlvStream.decode(data, OnionMessagePayload::isKnown);
        Optional<BlindedPath> replyPath = Optional.empty();
        Optional<Bytes> enc = Optional.empty();
        Optional<Bytes> invreq = Optional.empty();
        Optional<Bytes> inv = Optional.empty();
        Optional<Bytes> err = Optional.empty();
        List<TlvRecord> unknown = new ArrayList<>();
        for (TlvRecord r : s.records()) {
            long t = r.type();
            if (t == REPLY_PATH) {
                replyPath = Optional.of(readReplyPath(r));
            } else if (t == ENCRYPTED_RECIPIENT_DATA) {
                enc = Optional.of(r.value());
            } else if (t == INVOICE_REQUEST) {
                invreq = Optional.of(r.value());
            } else if (t == INVOICE) {
                inv = Optional.of(r.value());
            } else if (t == INVOICE_ERROR) {
                err = Optional.of(r.value());
            } else {
                unknown.add(r);
            }
        }
        return new OnionMessagePayload(replyPath, enc, invreq, inv, err, unknown);
    }

    public static OnionMessagePayload decode(Bytes data) {
        return decode(data.toArray());
    }

    private static BlindedPath readReplyPath(TlvRecord r) {
        try {
            ByteReader in = new ByteReader(r.value().toArray());
            BlindedPath p = BlindedPath.read(in);
            if (!in.isEmpty()) {
                throw new DecodeException(in.remaining() + " bytes after the blinded_path");
            }
            if (p.numHops() == 0) {
                throw new DecodeException("blinded_path has no hops");
            }
            return p;
        } catch (DecodeException e) {
            throw new TlvDecodeException(REPLY_PATH, "reply_path: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("OnionMessagePayload[");
        replyPath.ifPresent(p -> sb.append("reply_path(").append(p.numHops()).append(" hops) "));
        encryptedRecipientData.ifPresent(d -> sb.append("encrypted_recipient_data=").append(d.length()).append("B "));
        invoiceRequest.ifPresent(d -> sb.append("invoice_request=").append(d.length()).append("B "));
        invoice.ifPresent(d -> sb.append("invoice=").append(d.length()).append("B "));
        invoiceError.ifPresent(d -> sb.append("invoice_error=").append(d.length()).append("B "));
        for (TlvRecord r : unknownOdd) {
            sb.append(Long.toUnsignedString(r.type())).append(':').append(r.value().length()).append("B ");
        }
        return sb.append(']').toString();
    }
}
