package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.UnsignedInvoice;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayments;
import java.util.List;

/**
 * Outbound port: everything that needs the node's secret key. The pipeline never holds the key; a
 * hardware or remote signer can stand behind this interface.
 */
public interface NodeSigner {

    /** Our node id: {@code invoice_node_id} and the end of every blinded path we make. */
    PublicKey nodeId();

    /** BOLT 12 signature of an invoice whose {@code invoice_node_id} is {@link #nodeId()}. */
    Invoice sign(UnsignedInvoice invoice);

    /**
     * A secret {@code path_id} that authenticates {@code context} (HMAC under a key derived from the
     * node secret): nothing needs storing to recognise it later.
     */
    Bytes32 pathId(Bytes context);

    /** Whether {@code pathId} is {@link #pathId}({@code context}); constant time. */
    boolean recognise(Bytes pathId, Bytes context);

    /**
     * A blinded payment path to us through {@code hops} (none: we introduce it), with a fresh
     * random path key; {@code recipient.nodeId()} is {@link #nodeId()}. Made here because our own
     * hop is cheaper to blind with the node key (fixed-base multiplications only).
     */
    BlindedPayments.PaymentPath paymentPath(List<BlindedPayments.IntermediateHop> hops, BlindedPayments.Recipient recipient);

    /** A blinded reply path to us through {@code intermediates} whose final hop carries {@link #pathId}(context). */
    BlindedPath replyPath(List<PublicKey> intermediates, Bytes context);

    /**
     * The payer id for an invoice_request we write: a fresh key derived from the node secret and
     * the request's {@code invreq_metadata}, so requests cannot be linked to our node id or to
     * each other (BOLT 12: {@code invreq_metadata} MUST be unpredictable).
     */
    PublicKey payerId(Bytes invreqMetadata);

    /** BOLT 12 signature of our invoice_request by the key of {@link #payerId}(metadata). */
    dev.boltflow.core.crypto.Signature signInvoiceRequest(dev.boltflow.core.tlv.TlvStream unsigned, Bytes invreqMetadata);

    /**
     * The recipient's decryption of its own hop of a blinded payment path (BOLT 4, Route
     * Blinding): {@code pathKey} is the HTLC's path key, the data its {@code encrypted_recipient_data}.
     *
     * @throws dev.boltflow.core.bytes.DecodeException when the data is not ours or not valid
     */
    BlindedPayments.ReceivedPayment decryptPaymentData(PublicKey pathKey, Bytes encryptedRecipientData);
}
