package dev.boltflow.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPaymentOnion;
import dev.boltflow.core.onion.PaymentOnionException;
import dev.boltflow.core.sendinvoice.IncomingPayment;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.PaymentDecision;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.core.tlv.TlvStream;
import fr.acinq.bitcoin.ByteVector;
import fr.acinq.bitcoin.ByteVector32;
import fr.acinq.bitcoin.PublicKey;
import fr.acinq.bitcoin.io.ByteArrayInput;
import fr.acinq.lightning.CltvExpiry;
import fr.acinq.lightning.CltvExpiryDelta;
import fr.acinq.lightning.MilliSatoshi;
import fr.acinq.lightning.crypto.RouteBlinding;
import fr.acinq.lightning.crypto.sphinx.PacketAndSecrets;
import fr.acinq.lightning.payment.OutgoingPaymentPacket;
import fr.acinq.lightning.router.NodeHop;
import fr.acinq.lightning.wire.GenericTlv;
import fr.acinq.lightning.wire.OfferTypes;
import fr.acinq.lightning.wire.OnionPaymentPayloadTlv;
import fr.acinq.lightning.wire.OnionRoutingPacket;
import fr.acinq.lightning.wire.PaymentOnion;
import fr.acinq.lightning.wire.RouteBlindingEncryptedData;
import fr.acinq.lightning.wire.RouteBlindingEncryptedDataTlv;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import kotlin.Triple;
import org.junit.jupiter.api.Test;

/**
 * lightning-kmp pays one of our invoices: it reads the invoice's blinded payment path and payinfo
 * with its own codecs ({@code InvoicePaths}, {@code InvoiceBlindedPay}) and builds the payment onion
 * with its own {@code OutgoingPaymentPacket.buildPacket} and {@code PaymentOnion} payloads. Our HTLC
 * side peels it ({@link BlindedPaymentOnion#peel}, what the host's HTLC layer runs) and
 * {@code SendInvoice.acceptPayment} settles it, resolving the send as paid. Tampered HTLCs are
 * refused and leave the invoice unpaid.
 *
 * <p>Two ways to enter a one-hop path whose introduction node is the recipient, both BOLT 4:
 * lightning-kmp's own (the onion layer encrypted to the {@code blinded_node_id}, the path key in
 * the HTLC, as its tests pay a blinded path), and the one BOLT 4 recommends to a payer (an unblinded
 * layer to {@code first_node_id} carrying {@code current_path_key}).
 */
class BlindedPaymentInteropTest extends KmpSession {
    private static final long AMOUNT = 42_000;

    /** A send of ours to an invoice_request whose path lightning-kmp introduces, and its invoice. */
    private final class Sent {
        final CompletableFuture<SendInvoiceResult> outcome;
        final Invoice invoice;
        final OfferTypes.ContactInfo.BlindedPath path;
        final OfferTypes.PaymentInfo payInfo;
        final ByteVector32 paymentHash;

        Sent(String label) throws IOException {
            RouteBlinding.BlindedRoute route = kmp.pathToRecipient(new ByteVector(new byte[32]));
            String lnr = OurPayee.invoiceRequest(dev.boltflow.core.crypto.PrivateKey.random(random), AMOUNT,
                    List.of(BlindedPath.read(new ByteReader(KmpNode.encode(route)))), random);
            outcome = payee.service.send(SendInvoiceRequest.of(lnr, label)).toFuture();
            kmp.receiveOnionMessage(); // the invoice reached lightning-kmp's introduction node
            invoice = Invoice.decode(payee.store.findByLabel(label).block(OurPayee.WAIT).bolt12());
            // lightning-kmp reads the payment path and payinfo with its own TLV readers.
            TlvStream records = TlvStream.decode(invoice.tlvBytes().toArray());
            path = OfferTypes.InvoicePaths.Companion.read(new ByteArrayInput(
                    records.value(Bolt12Field.INVOICE_PATHS).orElseThrow().toArray())).getPaths().get(0);
            payInfo = OfferTypes.InvoiceBlindedPay.Companion.read(new ByteArrayInput(
                    records.value(Bolt12Field.INVOICE_BLINDEDPAY).orElseThrow().toArray())).getPaymentInfos().get(0);
            paymentHash = Kmp.bv32(invoice.invoicePaymentHash().orElseThrow());
        }

        /** The HTLC's expiry: the height plus the path's cltv_expiry_delta, as the payer computes it. */
        long expiry() {
            return OurPayee.BLOCK_HEIGHT + payInfo.getCltvExpiryDelta().toInt();
        }

        /**
         * lightning-kmp's onion for this path. {@code introduction}: BOLT 4's recommended entry
         * (unblinded layer to first_node_id with current_path_key); otherwise lightning-kmp's own
         * (layer to the blinded_node_id, path key in the HTLC).
         */
        BlindedPaymentOnion.IncomingHtlc htlc(boolean introduction, ByteVector32 hash, ByteVector encryptedData) {
            RouteBlinding.BlindedRoute route = path.getRoute();
            MilliSatoshi amount = new MilliSatoshi(AMOUNT);
            CltvExpiry cltv = new CltvExpiry(expiry());
            Set<OnionPaymentPayloadTlv> tlvs = new HashSet<>(Set.of(
                    new OnionPaymentPayloadTlv.AmountToForward(amount),
                    new OnionPaymentPayloadTlv.TotalAmount(amount),
                    new OnionPaymentPayloadTlv.OutgoingCltv(cltv),
                    new OnionPaymentPayloadTlv.EncryptedRecipientData(encryptedData)));
            if (introduction) {
                tlvs.add(new OnionPaymentPayloadTlv.BlindingPoint(route.getBlindingKey()));
            }
            // The second argument is the recipient's decrypted view, which a payer does not have and
            // which write() does not use; lightning-kmp's class insists on a path_id in it.
            PaymentOnion.FinalPayload.Blinded payload = new PaymentOnion.FinalPayload.Blinded(
                    new fr.acinq.lightning.wire.TlvStream<>(tlvs, Set.<GenericTlv>of()),
                    new RouteBlindingEncryptedData(new fr.acinq.lightning.wire.TlvStream<>(
                            Set.of(new RouteBlindingEncryptedDataTlv.PathId(ByteVector.empty)), Set.<GenericTlv>of())));
            PublicKey target = introduction
                    ? ((fr.acinq.lightning.EncodedNodeId.WithPublicKey) route.getIntroductionNodeId()).getPublicKey()
                    : route.getBlindedNodeIds().get(0);
            Triple<MilliSatoshi, CltvExpiry, PacketAndSecrets> built = OutgoingPaymentPacket.INSTANCE.buildPacket(hash,
                    List.of(new NodeHop(kmp.key.publicKey(), target, new CltvExpiryDelta(0), new MilliSatoshi(0))),
                    payload, OnionRoutingPacket.PaymentPacketLength);
            assertEquals(amount, built.getFirst());
            return new BlindedPaymentOnion.IncomingHtlc(Kmp.bytes32(hash), built.getFirst().getMsat(),
                    built.getSecond().toLong(),
                    introduction ? Optional.empty() : Optional.of(Kmp.pub(route.getBlindingKey())),
                    Kmp.packetBytes(built.getThird().getPacket()));
        }

        BlindedPaymentOnion.IncomingHtlc htlc(boolean introduction) {
            return htlc(introduction, paymentHash, path.getRoute().getEncryptedPayloads().get(0));
        }
    }

    /** What the host's HTLC layer does: peel with the node key, then hand the final hop to sendinvoice. */
    private PaymentDecision receive(BlindedPaymentOnion.IncomingHtlc htlc) {
        BlindedPaymentOnion.Received r = BlindedPaymentOnion.peel(payee.key, htlc, OurPayee.BLOCK_HEIGHT,
                payee.config.minFinalCltvExpiryDelta());
        BlindedPaymentOnion.Received.Final f = assertInstanceOf(BlindedPaymentOnion.Received.Final.class, r);
        assertEquals(AMOUNT, f.amtToForward());
        assertEquals(AMOUNT, f.totalAmountMsat());
        return payee.service.acceptPayment(new IncomingPayment(htlc.paymentHash(), htlc.amountMsat(),
                htlc.cltvExpiry(), f.pathKey(), f.encryptedRecipientData())).block(OurPayee.WAIT);
    }

    private void assertPaid(Sent s, PaymentDecision d) {
        PaymentDecision.Settle settle = assertInstanceOf(PaymentDecision.Settle.class, d);
        assertEquals(Kmp.bytes32(s.paymentHash), Hashes.sha256Of(settle.preimage().bytes().toArray()),
                "the preimage settles lightning-kmp's HTLC");
        SendInvoiceResult paid = OurPayee.await(s.outcome);
        assertEquals(InvoiceStatus.PAID, paid.status());
        assertEquals(AMOUNT, paid.amountReceivedMsat().getAsLong());
    }

    @Test
    void kmpPaysOurBlindedPath_itsOwnWay_pathKeyInTheHtlc_weSettle() throws IOException {
        Sent s = new Sent("kmp-way");
        assertEquals(1, s.path.getRoute().getBlindedNodes().size(), "a one-hop path: we introduce it");
        assertEquals(payee.config.minFinalCltvExpiryDelta(), s.payInfo.getCltvExpiryDelta().toInt());
        assertPaid(s, receive(s.htlc(false)));
    }

    @Test
    void kmpPaysOurBlindedPath_asBolt4Recommends_currentPathKeyToTheIntroduction_weSettle() throws IOException {
        Sent s = new Sent("bolt4-way");
        assertPaid(s, receive(s.htlc(true)));
    }

    @Test
    void tamperedHtlcs_areRefused_andTheInvoiceStaysUnpaid_untilTheRealOneSettles() throws IOException {
        Sent s = new Sent("tampered");

        // A flipped bit in lightning-kmp's onion: the HMAC check fails.
        BlindedPaymentOnion.IncomingHtlc genuine = s.htlc(false);
        byte[] flipped = genuine.onion().toArray();
        flipped[100] ^= 1;
        PaymentOnionException bit = assertThrows(PaymentOnionException.class, () -> receive(
                new BlindedPaymentOnion.IncomingHtlc(genuine.paymentHash(), genuine.amountMsat(), genuine.cltvExpiry(),
                        genuine.pathKey(), Bytes.wrap(flipped))));
        assertEquals(PaymentOnionException.Reason.BAD_HMAC, bit.reason());

        // Our payment hash on an onion built for another one (BOLT 4: the associated data).
        BlindedPaymentOnion.IncomingHtlc other = s.htlc(false, Kmp.bv32(Bytes32.random(random)),
                s.path.getRoute().getEncryptedPayloads().get(0));
        PaymentOnionException hash = assertThrows(PaymentOnionException.class, () -> receive(
                new BlindedPaymentOnion.IncomingHtlc(genuine.paymentHash(), other.amountMsat(), other.cltvExpiry(),
                        other.pathKey(), other.onion())));
        assertEquals(PaymentOnionException.Reason.BAD_HMAC, hash.reason());

        // The HTLC carries less than the onion's amt_to_forward (a relay kept some).
        PaymentOnionException amount = assertThrows(PaymentOnionException.class, () -> receive(
                new BlindedPaymentOnion.IncomingHtlc(genuine.paymentHash(), genuine.amountMsat() - 1,
                        genuine.cltvExpiry(), genuine.pathKey(), genuine.onion())));
        assertEquals(PaymentOnionException.Reason.FINAL_AMOUNT, amount.reason());

        // The path's encrypted_recipient_data altered before lightning-kmp wrapped it: the onion
        // peels, but the data is not ours any more and sendinvoice refuses the payment.
        byte[] data = s.path.getRoute().getEncryptedPayloads().get(0).toByteArray();
        data[data.length - 1] ^= 1;
        PaymentDecision.Reject notOurs = assertInstanceOf(PaymentDecision.Reject.class,
                receive(s.htlc(false, s.paymentHash, new ByteVector(data))));
        assertEquals(PaymentDecision.Reason.NOT_FOR_US, notOurs.reason());

        assertFalse(s.outcome.isDone());
        assertEquals(InvoiceStatus.UNPAID, payee.store.findByLabel("tampered").block(OurPayee.WAIT).status());
        assertPaid(s, receive(genuine));
        // And paying it twice is refused.
        PaymentDecision.Reject again = assertInstanceOf(PaymentDecision.Reject.class, receive(s.htlc(true)));
        assertEquals(PaymentDecision.Reason.ALREADY_PAID, again.reason());
        assertTrue(s.outcome.isDone());
    }
}
