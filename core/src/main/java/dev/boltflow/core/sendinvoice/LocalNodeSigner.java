package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.UnsignedInvoice;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayments;
import dev.boltflow.core.onion.ReplyPaths;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link NodeSigner} over a node key held in memory. */
public final class LocalNodeSigner implements NodeSigner {
    private static final byte[] PAYER_LABEL = "boltflow payer".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final PrivateKey nodeKey;
    private final ReplyPaths paths;
    private final SecureRandom random;

    public LocalNodeSigner(PrivateKey nodeKey, SecureRandom random) {
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.paths = new ReplyPaths(nodeKey);
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public PublicKey nodeId() {
        return nodeKey.publicKey();
    }

    @Override
    public Invoice sign(UnsignedInvoice invoice) {
        return invoice.sign(nodeKey, random);
    }

    @Override
    public Bytes32 pathId(Bytes context) {
        return paths.pathId(context);
    }

    @Override
    public boolean recognise(Bytes pathId, Bytes context) {
        return paths.recognise(pathId, context);
    }

    @Override
    public BlindedPayments.PaymentPath paymentPath(List<BlindedPayments.IntermediateHop> hops,
            BlindedPayments.Recipient recipient) {
        return BlindedPayments.create(hops, recipient, 0, PrivateKey.random(random), Optional.of(nodeKey));
    }

    @Override
    public BlindedPath replyPath(List<PublicKey> intermediates, Bytes context) {
        return paths.create(intermediates, context, random);
    }

    @Override
    public PublicKey payerId(Bytes invreqMetadata) {
        return payerKey(invreqMetadata).publicKey();
    }

    @Override
    public Signature signInvoiceRequest(TlvStream unsigned, Bytes invreqMetadata) {
        return Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, unsigned, payerKey(invreqMetadata), random);
    }

    /** HMAC256(HMAC256("boltflow payer", node secret), metadata) as a scalar; never leaves this class. */
    private PrivateKey payerKey(Bytes invreqMetadata) {
        byte[] base = Hashes.hmacSha256(PAYER_LABEL, nodeKey.toBytes());
        try {
            return PrivateKey.fromBytes(Hashes.hmacSha256(base, invreqMetadata.toArray()));
        } finally {
            java.util.Arrays.fill(base, (byte) 0);
        }
    }

    @Override
    public BlindedPayments.ReceivedPayment decryptPaymentData(PublicKey pathKey, Bytes encryptedRecipientData) {
        return BlindedPayments.decryptRecipientData(nodeKey, pathKey, encryptedRecipientData);
    }

    @Override
    public String toString() {
        return "LocalNodeSigner[" + nodeId() + "]";
    }
}
