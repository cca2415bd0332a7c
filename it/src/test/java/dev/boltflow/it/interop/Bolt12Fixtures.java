package dev.boltflow.it.interop;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceBuilder;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayments;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import fr.acinq.bitcoin.ByteVector;
import fr.acinq.bitcoin.ByteVector32;
import fr.acinq.lightning.CltvExpiryDelta;
import fr.acinq.lightning.EncodedNodeId;
import fr.acinq.lightning.Features;
import fr.acinq.lightning.MilliSatoshi;
import fr.acinq.lightning.crypto.RouteBlinding;
import fr.acinq.lightning.message.OnionMessages;
import fr.acinq.lightning.payment.Bolt12Invoice;
import fr.acinq.lightning.wire.GenericTlv;
import fr.acinq.lightning.wire.OfferTypes;
import fr.acinq.lightning.wire.RouteBlindingEncryptedData;
import fr.acinq.lightning.wire.RouteBlindingEncryptedDataTlv;
import fr.acinq.lightning.wire.TlvStreamSerializer;
import fr.acinq.lightning.wire.TlvValueReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** BOLT 12 objects written by each side, for the string and fuzz tests. */
final class Bolt12Fixtures {
    static final long AMOUNT = 77_000;
    static final String DESCRIPTION = "refund for order #42 — merci";
    static final String NOTE = "payer note ⚡";
    static final long RELATIVE_EXPIRY = 3_600;
    static final long BLOCK_HEIGHT = 900_000;

    private Bolt12Fixtures() {
    }

    /**
     * A signed invoice_request as our writer makes one answering no offer (what a sendinvoice
     * payee reads), with {@code extra} records, and {@code invreq_paths} if asked.
     */
    static String ourInvoiceRequest(PrivateKey payer, List<TlvRecord> extra, boolean withPaths, SecureRandom random) {
        List<TlvRecord> records = new ArrayList<>(List.of(
                new TlvRecord(Bolt12Field.INVREQ_METADATA, Bytes32.random(random).bytes()),
                new TlvRecord(Bolt12Field.OFFER_DESCRIPTION, utf8(DESCRIPTION)),
                new TlvRecord(Bolt12Field.INVREQ_AMOUNT, tu64(AMOUNT)),
                new TlvRecord(Bolt12Field.INVREQ_PAYER_ID, payer.publicKey().bytes()),
                new TlvRecord(Bolt12Field.INVREQ_PAYER_NOTE, utf8(NOTE))));
        if (withPaths) {
            BlindedPath path = new LocalNodeSigner(payer, random).replyPath(List.of(), utf8("invreq"));
            records.add(new TlvRecord(Bolt12Field.INVREQ_PATHS, Bytes.wrap(BlindedPath.encodeAll(List.of(path)))));
        }
        records.addAll(extra);
        TlvStream unsigned = TlvStream.sorted(records);
        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, unsigned, payer, random);
        return Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP,
                unsigned.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, sig.bytes()))).encode());
    }

    /** The invoice our builder makes for {@code request} (as sendinvoice does), signed by {@code node}. */
    static Invoice ourInvoice(InvoiceRequest request, PrivateKey node, long now, SecureRandom random) {
        BlindedPayments.PaymentPath path = BlindedPayments.create(List.of(), new BlindedPayments.Recipient(
                node.publicKey(), Bytes32.random(random).bytes(), 1, 0x7fffffffffffffffL, 18, BLOCK_HEIGHT + 2016), random);
        return new LocalNodeSigner(node, random).sign(InvoiceBuilder.forRequest(request)
                .createdAt(now)
                .relativeExpiry(RELATIVE_EXPIRY)
                .paymentHash(Bytes32.random(random))
                .amountMsat(request.invreqAmount().getAsLong())
                .nodeId(node.publicKey())
                .paths(List.of(path))
                .build());
    }

    /** An offer written with lightning-kmp's types: every field it models, a path, an unknown odd record. */
    static OfferTypes.Offer kmpOffer(fr.acinq.bitcoin.PrivateKey issuer, long unknownOdd, SecureRandom random) {
        RouteBlinding.BlindedRoute path = OnionMessages.INSTANCE.buildRouteToRecipient(KmpNode.randomKey(random),
                List.of(new OnionMessages.IntermediateNode(new EncodedNodeId.WithPublicKey.Plain(
                        KmpNode.randomKey(random).publicKey()), null, null, Set.of())),
                new OnionMessages.Destination.Recipient(new EncodedNodeId.WithPublicKey.Plain(issuer.publicKey()),
                        new ByteVector(new byte[16]), null, Set.of())).getRoute();
        Set<OfferTypes.OfferTlv> records = Set.of(
                new OfferTypes.OfferAmount(new MilliSatoshi(1_000)),
                new OfferTypes.OfferDescription("coffee ☕"),
                new OfferTypes.OfferIssuer("lightning-kmp"),
                new OfferTypes.OfferAbsoluteExpiry(Instant.now().getEpochSecond() + 86_400),
                new OfferTypes.OfferQuantityMax(10),
                new OfferTypes.OfferPaths(List.of(new OfferTypes.ContactInfo.BlindedPath(path))),
                new OfferTypes.OfferNodeId(issuer.publicKey()));
        return new OfferTypes.Offer(new fr.acinq.lightning.wire.TlvStream<>(records,
                Set.of(new GenericTlv(unknownOdd, new ByteVector("unknown odd".getBytes(StandardCharsets.US_ASCII))))));
    }

    /** lightning-kmp's invoice for its request: one blinded path to {@code node}, as its OfferManager writes. */
    static Bolt12Invoice kmpInvoice(OfferTypes.InvoiceRequest request, fr.acinq.bitcoin.PrivateKey node,
            SecureRandom random) {
        RouteBlindingEncryptedData data = new RouteBlindingEncryptedData(new fr.acinq.lightning.wire.TlvStream<>(
                Set.of(new RouteBlindingEncryptedDataTlv.PathId(new ByteVector(new byte[32]))), Set.<GenericTlv>of()));
        RouteBlinding.BlindedRoute route = RouteBlinding.INSTANCE.create(KmpNode.randomKey(random),
                List.of(node.publicKey()), List.of(new ByteVector(data.write()))).getRoute();
        OfferTypes.PaymentInfo info = new OfferTypes.PaymentInfo(new MilliSatoshi(0), 0, new CltvExpiryDelta(18),
                new MilliSatoshi(1), new MilliSatoshi(2 * request.getAmount().getMsat()), Features.Companion.getEmpty());
        return Bolt12Invoice.Companion.invoke(request, new ByteVector32(Bytes32.random(random).bytes().toArray()), node,
                RELATIVE_EXPIRY, Features.Companion.getEmpty(),
                List.of(new Bolt12Invoice.Companion.PaymentBlindedContactInfo(new OfferTypes.ContactInfo.BlindedPath(route),
                        info)), Set.of(), Set.of());
    }

    /** lightning-kmp's invoice_error TLV classes, read as a plain TLV stream (as BOLT 4 carries it). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static TlvStreamSerializer<OfferTypes.InvoiceErrorTlv> kmpInvoiceErrorReader() {
        Map<Long, TlvValueReader<OfferTypes.InvoiceErrorTlv>> readers = Map.of(
                OfferTypes.ErroneousField.tag, (TlvValueReader) OfferTypes.ErroneousField.Companion,
                OfferTypes.SuggestedValue.tag, (TlvValueReader) OfferTypes.SuggestedValue.Companion,
                OfferTypes.Error.tag, (TlvValueReader) OfferTypes.Error.Companion);
        return new TlvStreamSerializer<>(false, readers);
    }

    static Bytes utf8(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static Bytes tu64(long v) {
        return Bytes.wrap(new ByteWriter().truncated(v).toByteArray());
    }
}
