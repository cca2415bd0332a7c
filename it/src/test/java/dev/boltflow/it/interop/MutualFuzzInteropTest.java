package dev.boltflow.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceReader;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bolt12.Offer;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.Merkle;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.NextHop;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.PeelResult;
import dev.boltflow.core.onion.ReplyPaths;
import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.tlv.TlvRecord;
import fr.acinq.bitcoin.Block;
import fr.acinq.bitcoin.ByteVector;
import fr.acinq.lightning.EncodedNodeId;
import fr.acinq.lightning.Features;
import fr.acinq.lightning.MilliSatoshi;
import fr.acinq.lightning.crypto.RouteBlinding;
import fr.acinq.lightning.message.OnionMessages.DecryptedMessage;
import fr.acinq.lightning.message.OnionMessages.Destination;
import fr.acinq.lightning.message.OnionMessages.IntermediateNode;
import fr.acinq.lightning.payment.Bolt12Invoice;
import fr.acinq.lightning.wire.GenericTlv;
import fr.acinq.lightning.wire.OfferTypes;
import fr.acinq.lightning.wire.OnionMessage;
import fr.acinq.lightning.wire.OnionMessagePayloadTlv;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Mutual fuzz (jqwik, 300 cases, randomized: the small ranges are not enumerated): for random valid objects, each implementation's writer output is
 * accepted by the other's reader. lightning-kmp's offers, invoice_requests and invoices by ours;
 * ours by lightning-kmp (in the shapes it models: it refuses a request answering no offer only for
 * the offer fields it requires); onion messages both ways through random blinded paths, relayed
 * hop by hop by each side's own code.
 */
class MutualFuzzInteropTest {
    private final SecureRandom random = new SecureRandom();

    @Provide
    Arbitrary<String> text() {
        // UTF-8 round trips for every char outside the surrogate range.
        return Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMinLength(1).ofMaxLength(80);
    }

    /** lightning-kmp's offer → invoice_request → invoice, each read by ours: same fields, roots, signatures. */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void kmpOfferRequestAndInvoice_readByOurs(@ForAll("text") String description, @ForAll("text") String issuerName,
            @ForAll @LongRange(min = 1, max = 1_000_000_000L) long offerAmount, @ForAll @IntRange(min = 1, max = 50) int quantityMax,
            @ForAll @IntRange(min = 1, max = 50) int quantityPick, @ForAll @LongRange(min = 0, max = 1_000_000_000L) long extra,
            @ForAll @IntRange(min = 0, max = 499_999_999) int unknownOdd, @ForAll("text") String note) {
        fr.acinq.bitcoin.PrivateKey issuer = KmpNode.randomKey(random);
        long quantity = 1 + (quantityPick - 1) % quantityMax;
        Set<OfferTypes.OfferTlv> records = Set.of(
                new OfferTypes.OfferAmount(new MilliSatoshi(offerAmount)),
                new OfferTypes.OfferDescription(description),
                new OfferTypes.OfferIssuer(issuerName),
                new OfferTypes.OfferAbsoluteExpiry(Instant.now().getEpochSecond() + 86_400 + extra),
                new OfferTypes.OfferQuantityMax(quantityMax),
                new OfferTypes.OfferNodeId(issuer.publicKey()));
        long unknownType = 1_000_000_001L + 2L * unknownOdd; // an odd type in the offer's custom range
        OfferTypes.Offer offer = new OfferTypes.Offer(new fr.acinq.lightning.wire.TlvStream<>(records,
                Set.of(new GenericTlv(unknownType, new ByteVector(note.getBytes(StandardCharsets.UTF_8))))));
        Offer ours = Offer.decode(offer.encode());
        assertEquals(List.of(), ours.violations());
        assertEquals(description, ours.offerDescription().orElseThrow());
        assertEquals(issuerName, ours.offerIssuer().orElseThrow());
        assertEquals(offerAmount, ours.offerAmount().getAsLong());
        assertEquals(quantityMax, ours.offerQuantityMax().getAsLong());
        assertEquals(Kmp.bytes32(offer.getOfferId()), Merkle.root(ours.records()));
        assertEquals(offer.encode(), ours.encode());

        MilliSatoshi amount = new MilliSatoshi(offerAmount * quantity + extra);
        OfferTypes.InvoiceRequest request = OfferTypes.InvoiceRequest.Companion.invoke(offer, amount, quantity,
                Features.Companion.getEmpty(), KmpNode.randomKey(random), note, Block.LivenetGenesisBlock.hash, Set.of(),
                Set.of());
        InvoiceRequest ourRequest = InvoiceRequest.decode(request.encode());
        assertEquals(List.of(), ourRequest.violations());
        assertEquals(amount.getMsat(), ourRequest.invreqAmount().getAsLong());
        assertEquals(quantity, ourRequest.invreqQuantity().getAsLong());
        assertEquals(note, ourRequest.invreqPayerNote().orElseThrow());
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, ourRequest.records(),
                ourRequest.invreqPayerId().orElseThrow(), ourRequest.signature().orElseThrow()));
        assertEquals(request.encode(), ourRequest.encode());

        Bolt12Invoice invoice = Bolt12Fixtures.kmpInvoice(request, issuer, random);
        Invoice ourInvoice = Invoice.decode(invoice.toString());
        assertEquals(List.of(), InvoiceReader.violations(ourInvoice, ourRequest, Instant.now().getEpochSecond()));
        assertEquals(invoice.toString(), ourInvoice.encode());
    }

    /**
     * Our invoice_requests (answering no offer, random fields and custom odd records) read by
     * lightning-kmp: every record, the merkle root, the signature; refused for type 22 alone. With
     * offer_issuer_id added (our writer, signed again), accepted and valid, and our invoice for it
     * passes lightning-kmp's payer check.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void ourInvoiceRequestsAndInvoices_readByKmp(@ForAll @IntRange(min = 0, max = 499_999_999) int customOdd,
            @ForAll("text") String custom) {
        PrivateKey payer = PrivateKey.random(random);
        // A custom odd record in the invoice_request's range: copied, signed, and kept by both.
        List<TlvRecord> extra = List.of(new TlvRecord(2_000_000_001L + 2L * customOdd,
                Bytes.wrap(custom.getBytes(StandardCharsets.UTF_8))));
        String lnr = Bolt12Fixtures.ourInvoiceRequest(payer, List.of(extra.get(0)), false, random);
        InvoiceRequest ours = InvoiceRequest.decode(lnr);
        fr.acinq.lightning.wire.TlvStream<OfferTypes.InvoiceRequestTlv> kmp =
                OfferTypes.InvoiceRequest.Companion.getTlvSerializer().read(ours.tlvBytes().toArray());
        assertEquals(Kmp.bv32(Merkle.root(ours.records().filter(t -> !Merkle.isSignatureType(t)))),
                OfferTypes.INSTANCE.rootHash(OfferTypes.INSTANCE.removeSignature(kmp)));
        assertTrue(OfferTypes.INSTANCE.verifySchnorr(OfferTypes.InvoiceRequest.Companion.getSignatureTag(),
                OfferTypes.INSTANCE.rootHash(OfferTypes.INSTANCE.removeSignature(kmp)),
                OnionMessageInteropTest.find(kmp, OfferTypes.Signature.class).getSignature(), Kmp.pub(payer.publicKey())));
        assertEquals(new fr.acinq.lightning.wire.MissingRequiredTlv(22),
                OfferTypes.InvoiceRequest.Companion.validate(kmp).getLeft());

        PrivateKey node = PrivateKey.random(random);
        String forOffer = Bolt12Fixtures.ourInvoiceRequest(payer, List.of(extra.get(0),
                new TlvRecord(Bolt12Field.OFFER_ISSUER_ID, node.publicKey().bytes())), false, random);
        OfferTypes.InvoiceRequest accepted = OfferTypes.InvoiceRequest.Companion.decode(forOffer).get();
        assertTrue(accepted.isValid());
        Invoice invoice = Bolt12Fixtures.ourInvoice(InvoiceRequest.decode(forOffer), node, Instant.now().getEpochSecond(),
                random);
        Bolt12Invoice parsed = Bolt12Invoice.Companion.fromString(invoice.encode()).get();
        assertEquals(null, parsed.validateFor(accepted).getLeft());
        assertEquals(invoice.encode(), parsed.toString());
    }

    /**
     * Our onion messages (our invoice for an offer-shaped request, and a reply path) into random
     * lightning-kmp blinded paths of 1 to 4 hops: each hop relayed by lightning-kmp, the last
     * decrypted by its {@code decryptMessage}, the invoice accepted by its {@code Bolt12Invoice.extract}.
     */
    @Property(tries = 50, generation = GenerationMode.RANDOMIZED)
    void ourOnionMessages_intoKmpPaths(@ForAll @IntRange(min = 0, max = 3) int relays,
            @ForAll @IntRange(min = 0, max = 2) int replyHops) {
        List<fr.acinq.bitcoin.PrivateKey> keys = new ArrayList<>();
        for (int i = 0; i <= relays; i++) {
            keys.add(KmpNode.randomKey(random));
        }
        List<IntermediateNode> intermediates = new ArrayList<>();
        for (fr.acinq.bitcoin.PrivateKey k : keys.subList(0, relays)) {
            intermediates.add(new IntermediateNode(new EncodedNodeId.WithPublicKey.Plain(k.publicKey()), null, null, Set.of()));
        }
        ByteVector pathId = new ByteVector(Bytes32.random(random).bytes().toArray());
        RouteBlinding.BlindedRoute route = fr.acinq.lightning.message.OnionMessages.INSTANCE.buildRouteToRecipient(
                KmpNode.randomKey(random), intermediates, new Destination.Recipient(
                        new EncodedNodeId.WithPublicKey.Plain(keys.get(relays).publicKey()), pathId, null, Set.of())).getRoute();
        BlindedPath path = BlindedPath.read(new ByteReader(KmpNode.encode(route)));

        PrivateKey us = PrivateKey.random(random);
        PrivateKey node = PrivateKey.random(random);
        String forOffer = Bolt12Fixtures.ourInvoiceRequest(PrivateKey.random(random), List.of(
                new TlvRecord(Bolt12Field.OFFER_ISSUER_ID, node.publicKey().bytes())), false, random);
        Invoice invoice = Bolt12Fixtures.ourInvoice(InvoiceRequest.decode(forOffer), node, Instant.now().getEpochSecond(),
                random);
        List<PublicKey> replyVia = new ArrayList<>();
        for (int i = 0; i < replyHops; i++) {
            replyVia.add(PrivateKey.random(random).publicKey());
        }
        BlindedPath reply = new ReplyPaths(us).create(replyVia, Bytes.wrap(new byte[] {1}), random);
        OnionMessages.Outgoing out = OnionMessages.build(us, List.of(), new OnionMessages.Destination.Path(path),
                OnionMessagePayload.ofInvoice(invoice.tlvBytes()).withReplyPath(reply), random);
        assertEquals(new NextHop.Node(Kmp.pub(keys.get(0).publicKey())), out.firstHop());

        OnionMessage m = new OnionMessage(Kmp.pub(out.pathKey()), Kmp.packet(out.packet()));
        for (int i = 0; i < relays; i++) {
            KmpNode.Relayed r = KmpNode.relay(keys.get(i), m);
            assertEquals(new EncodedNodeId.WithPublicKey.Plain(keys.get(i + 1).publicKey()), r.next());
            m = r.message();
        }
        DecryptedMessage at = fr.acinq.lightning.message.OnionMessages.INSTANCE.decryptMessage(keys.get(relays), m,
                KmpNode.LOGGER);
        assertNotNull(at);
        assertEquals(pathId, at.getPathId());
        Bolt12Invoice.Companion.Bolt12ParsingResult.Success got = assertInstanceOf(
                Bolt12Invoice.Companion.Bolt12ParsingResult.Success.class,
                Bolt12Invoice.Companion.extract(at.getContent().getRecords()));
        assertEquals(invoice.encode(), got.getInvoice().toString());
        assertEquals(Bytes.wrap(reply.encode()), Bytes.wrap(KmpNode.encode(at.getContent().getReplyPath())));
    }

    /**
     * lightning-kmp's onion messages (its invoice_request for a random offer) into our reply paths
     * of 1 to 3 hops (our nodes), after 0 to 2 lightning-kmp relays: each side peels its own hops;
     * our last hop recognises the path and reads the request.
     */
    @Property(tries = 50, generation = GenerationMode.RANDOMIZED)
    void kmpOnionMessages_intoOurReplyPaths(@ForAll @IntRange(min = 0, max = 2) int kmpRelays,
            @ForAll @IntRange(min = 0, max = 2) int ourRelays, @ForAll("text") String note) {
        List<PrivateKey> ours = new ArrayList<>();
        for (int i = 0; i <= ourRelays; i++) {
            ours.add(PrivateKey.random(random));
        }
        PrivateKey recipient = ours.get(ourRelays);
        List<PublicKey> via = new ArrayList<>();
        for (PrivateKey k : ours.subList(0, ourRelays)) {
            via.add(k.publicKey());
        }
        Bytes context = Bytes.wrap(note.getBytes(StandardCharsets.UTF_8));
        BlindedPath reply = new ReplyPaths(recipient).create(via, context, random);
        RouteBlinding.BlindedRoute route = Kmp.route(reply);

        List<fr.acinq.bitcoin.PrivateKey> kmpKeys = new ArrayList<>();
        List<IntermediateNode> intermediates = new ArrayList<>();
        for (int i = 0; i < kmpRelays; i++) {
            fr.acinq.bitcoin.PrivateKey k = KmpNode.randomKey(random);
            kmpKeys.add(k);
            intermediates.add(new IntermediateNode(new EncodedNodeId.WithPublicKey.Plain(k.publicKey()), null, null, Set.of()));
        }
        OfferTypes.InvoiceRequest request = OfferTypes.InvoiceRequest.Companion.invoke(
                Bolt12Fixtures.kmpOffer(KmpNode.randomKey(random), 1_000_000_001L, random), new MilliSatoshi(5_000), 1,
                Features.Companion.getEmpty(), KmpNode.randomKey(random), note, Block.LivenetGenesisBlock.hash, Set.of(),
                Set.of());
        Set<OnionMessagePayloadTlv> content = new HashSet<>(Set.of(new OnionMessagePayloadTlv.InvoiceRequest(request.getRecords())));
        OnionMessage m = fr.acinq.lightning.message.OnionMessages.INSTANCE.buildMessage(KmpNode.randomKey(random),
                KmpNode.randomKey(random), intermediates, new Destination.BlindedPath(route),
                new fr.acinq.lightning.wire.TlvStream<>(content, Set.<GenericTlv>of())).getRight();
        assertNotNull(m);
        for (int i = 0; i < kmpRelays; i++) {
            KmpNode.Relayed r = KmpNode.relay(kmpKeys.get(i), m);
            m = r.message();
        }
        PublicKey pathKey = Kmp.pub(m.getBlindingKey());
        Bytes packet = Kmp.packetBytes(m.getOnionRoutingPacket());
        for (int i = 0; i < ourRelays; i++) {
            PeelResult.Forward f = assertInstanceOf(PeelResult.Forward.class, OnionMessages.peel(ours.get(i), pathKey, packet));
            assertEquals(new NextHop.Node(ours.get(i + 1).publicKey()), f.next());
            pathKey = f.nextPathKey();
            packet = f.nextPacket();
        }
        PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class, OnionMessages.peel(recipient, pathKey, packet));
        assertTrue(new ReplyPaths(recipient).recognise(d.pathId().orElseThrow(), context));
        InvoiceRequest read = InvoiceRequest.decode(d.payload().invoiceRequest().orElseThrow().toArray());
        assertEquals(request.encode(), read.encode());
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, read.records(),
                read.invreqPayerId().orElseThrow(), read.signature().orElseThrow()));
    }
}
