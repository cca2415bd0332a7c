package dev.boltflow.node.bench;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceBuilder;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.noise.EphemeralKeySource;
import dev.boltflow.core.noise.NoiseHandshake;
import dev.boltflow.core.noise.TransportCipher;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayments;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.PeelResult;
import dev.boltflow.core.sendinvoice.InvoiceRequestValidator;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.wire.WireCodec;
import dev.boltflow.core.wire.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The CPU stages of one {@code sendinvoice}, made of the calls {@code SendInvoice} and the onion
 * messenger make, on a {@link BenchFixtures} workload (a payer behind a 3-hop blinded
 * {@code invreq_paths}). Each method is one operation of the {@code bench} command; JMH benches may
 * call them too. Not thread-safe: one instance per measuring thread.
 */
public final class SendInvoiceStages {
    private static final byte[] PAYMENT_CONTEXT = "boltflow/bench/payment/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY_CONTEXT = "boltflow/bench/reply/".getBytes(StandardCharsets.US_ASCII);
    /** The block height the payment path's {@code max_cltv_expiry} is counted from. */
    private static final int BLOCK_HEIGHT = 900_000;

    /** An invoice as sendinvoice stores and sends it: the signed invoice and its {@code lni1} string. */
    public record SignedInvoice(Invoice invoice, String bolt12) {
        public SignedInvoice {
            Objects.requireNonNull(invoice, "invoice");
            Objects.requireNonNull(bolt12, "bolt12");
        }
    }

    private final BenchFixtures f;
    private final SendInvoiceConfig config = SendInvoiceConfig.defaults(ChainHashes.BITCOIN);
    private final LocalNodeSigner signer;
    private final SendInvoiceRequest request;
    private final long now;
    private final OnionMessages.Outgoing onion;
    private final byte[] onionMessage;
    private final TransportCipher cipher;

    /**
     * @param f            the workload; its {@code payee} answers, its {@code intro} peels
     * @param nowEpochSeconds the time the request is checked against and the invoice dated by
     */
    public SendInvoiceStages(BenchFixtures f, long nowEpochSeconds) {
        this.f = Objects.requireNonNull(f, "f");
        this.signer = new LocalNodeSigner(f.payee, f.random);
        this.request = SendInvoiceRequest.of(f.invreqString, "bench");
        this.now = nowEpochSeconds;
        this.onion = pipeline();
        this.onionMessage = WireCodec.encode(new WireMessage.OnionMessage(onion.pathKey(), onion.packet()));
        EphemeralKeySource eph = EphemeralKeySource.secureRandom(f.random);
        NoiseHandshake.Initiator initiator = NoiseHandshake.initiator(f.payee, f.intro.publicKey(), eph);
        NoiseHandshake.Responder responder = NoiseHandshake.responder(f.intro, eph);
        byte[] actTwo = responder.actTwo(initiator.actOne());
        responder.complete(initiator.actThree(actTwo));
        this.cipher = initiator.result().cipher();
    }

    public BenchFixtures fixtures() {
        return f;
    }

    /** The {@code onion_message} (type 513) the pipeline writes, as its BOLT 8 frame carries it. */
    public int onionMessageLength() {
        return onionMessage.length;
    }

    /**
     * {@code invreq_decode_verify}: what sendinvoice does first with its {@code invreq} parameter —
     * decode the {@code lnr1} (3-hop {@code invreq_paths}), every reader rule, the BIP-340 signature.
     */
    public InvoiceRequestValidator.Accepted decodeVerify() {
        return InvoiceRequestValidator.validate(request, config.chain(), now);
    }

    /**
     * {@code invoice_build_sign}: a fresh preimage, a one-hop blinded payment path to us (we
     * introduce it; its {@code path_id} an HMAC under the node key), the invoice mirroring the
     * request, its signature and its {@code lni1} string.
     */
    public SignedInvoice buildSign(InvoiceRequestValidator.Accepted accepted) {
        PaymentPreimage preimage = PaymentPreimage.random(f.random);
        Bytes32 hash = preimage.paymentHash();
        BlindedPayments.PaymentPath path = paymentPath(hash);
        Invoice invoice = signer.sign(InvoiceBuilder.forRequest(accepted.invoiceRequest())
                .createdAt(now)
                .relativeExpiry(accepted.relativeExpirySeconds())
                .paymentHash(hash)
                .amountMsat(accepted.amountMsat())
                .features(config.invoiceFeatures())
                .nodeId(signer.nodeId())
                .paths(List.of(path))
                .build());
        return new SignedInvoice(invoice, invoice.encode());
    }

    /**
     * {@code onion_build_3hop}: a reply path to us, then the onion message carrying the invoice into
     * the request's 3-hop blinded path (we are connected to its introduction node).
     */
    public OnionMessages.Outgoing buildOnion(SignedInvoice signed) {
        BlindedPath replyPath = replyPath(signed.invoice().invoicePaymentHash().orElseThrow());
        OnionMessagePayload payload = OnionMessagePayload.ofInvoice(signed.invoice().tlvBytes()).withReplyPath(replyPath);
        return OnionMessages.build(f.payee, List.of(), new OnionMessages.Destination.Path(f.invreqPath), payload, f.random);
    }

    /** Part of {@code invoice_build_sign}: the one-hop blinded payment path to us for this payment hash. */
    public BlindedPayments.PaymentPath paymentPath(Bytes32 paymentHash) {
        return signer.paymentPath(config.paymentPathHops(),
                new BlindedPayments.Recipient(signer.nodeId(),
                        signer.pathId(Bytes.wrap(PAYMENT_CONTEXT).concat(paymentHash.bytes())).bytes(),
                        config.htlcMinimumMsat(), config.htlcMaximumMsat(), config.minFinalCltvExpiryDelta(),
                        BLOCK_HEIGHT + config.paymentPathCltvExpiry()));
    }

    /** Part of {@code onion_build_3hop}: the reply path to us the invoice carries. */
    public BlindedPath replyPath(Bytes32 paymentHash) {
        return signer.replyPath(config.replyPathIntermediates(), Bytes.wrap(REPLY_CONTEXT).concat(paymentHash.bytes()));
    }

    /** {@code pipeline}: the three stages above, one after the other. */
    public OnionMessages.Outgoing pipeline() {
        return buildOnion(buildSign(decodeVerify()));
    }

    /** {@code onion_peel_hop}: what the introduction node does with that onion (unblind, HMAC, decrypt, next keys). */
    public PeelResult peelHop() {
        return OnionMessages.peel(f.intro, onion.pathKey(), onion.packet());
    }

    /** {@code bolt8_encrypt_msg}: the BOLT 8 frame of that {@code onion_message} (length and body, each with its MAC). */
    public byte[] encryptMessage() {
        return cipher.encrypt(onionMessage);
    }
}
