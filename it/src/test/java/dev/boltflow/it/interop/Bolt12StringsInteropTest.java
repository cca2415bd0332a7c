package dev.boltflow.it.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bolt12.InvoiceReader;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bolt12.Offer;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.Merkle;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import fr.acinq.bitcoin.Block;
import fr.acinq.bitcoin.ByteVector;
import fr.acinq.bitcoin.utils.Either;
import fr.acinq.bitcoin.utils.Try;
import fr.acinq.lightning.Features;
import fr.acinq.lightning.MilliSatoshi;
import fr.acinq.lightning.payment.Bolt12Invoice;
import fr.acinq.lightning.wire.GenericTlv;
import fr.acinq.lightning.wire.OfferTypes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * BOLT 12 strings both ways. Ours ({@code lnr1}, {@code lni1}, invoice_error bytes) read by
 * lightning-kmp where it models them; its {@code lno1}, offer-based {@code lnr1} and {@code lni1}
 * read by ours: the same fields, the same merkle root, signatures verified both ways. Where
 * lightning-kmp refuses ours, the test shows the one reason: it models only requests that answer an
 * offer (it requires offer_issuer_id or offer_paths), and it does not model invreq_paths.
 */
class Bolt12StringsInteropTest {
    private static final long NOW = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
    private final SecureRandom random = new SecureRandom();

    // ------------------------------------------------------------ ours, read by lightning-kmp

    @Test
    void ourInvoiceRequest_answeringNoOffer_kmpParsesEveryField_sameRoot_verifies_refusesOnlyForMissingOfferIssuer() {
        PrivateKey payer = PrivateKey.random(random);
        String lnr = Bolt12Fixtures.ourInvoiceRequest(payer, List.of(), false, random);
        InvoiceRequest ours = InvoiceRequest.decode(lnr);

        Try<OfferTypes.InvoiceRequest> decoded = OfferTypes.InvoiceRequest.Companion.decode(lnr);
        assertTrue(decoded.isFailure());
        assertEquals("missing required tlv (tag=22)", ((Try.Failure<?>) decoded).getError().getMessage());

        // That alone: lightning-kmp reads every record, computes our merkle root and verifies our signature.
        fr.acinq.lightning.wire.TlvStream<OfferTypes.InvoiceRequestTlv> kmp =
                OfferTypes.InvoiceRequest.Companion.getTlvSerializer().read(ours.tlvBytes().toArray());
        assertTrue(kmp.getUnknown().isEmpty(), "lightning-kmp models every record we wrote");
        assertEquals(Kmp.bv32(Merkle.root(ours.records().filter(t -> !Merkle.isSignatureType(t)))),
                OfferTypes.INSTANCE.rootHash(OfferTypes.INSTANCE.removeSignature(kmp)));
        assertTrue(OfferTypes.INSTANCE.verifySchnorr(OfferTypes.InvoiceRequest.Companion.getSignatureTag(),
                OfferTypes.INSTANCE.rootHash(OfferTypes.INSTANCE.removeSignature(kmp)),
                OnionMessageInteropTest.find(kmp, OfferTypes.Signature.class).getSignature(),
                Kmp.pub(payer.publicKey())));
        assertEquals(new fr.acinq.lightning.wire.MissingRequiredTlv(22),
                OfferTypes.InvoiceRequest.Companion.validate(kmp).getLeft());

        // Our writer, the same request answering an offer of ours (offer_issuer_id set, signed again):
        // lightning-kmp accepts it and finds it valid (amount, chain, features, signature).
        PrivateKey issuer = PrivateKey.random(random);
        String forOffer = Bolt12Fixtures.ourInvoiceRequest(payer, List.of(
                new TlvRecord(Bolt12Field.OFFER_ISSUER_ID, issuer.publicKey().bytes())), false, random);
        OfferTypes.InvoiceRequest accepted = OfferTypes.InvoiceRequest.Companion.decode(forOffer).get();
        assertTrue(accepted.isValid());
        assertEquals(Kmp.bv(InvoiceRequest.decode(forOffer).invreqMetadata().orElseThrow()), accepted.getMetadata());
        assertEquals(new MilliSatoshi(Bolt12Fixtures.AMOUNT), accepted.getAmount());
        assertEquals(Kmp.pub(payer.publicKey()), accepted.getPayerId());
        assertEquals(Bolt12Fixtures.NOTE, accepted.getPayerNote());
        assertEquals(Bolt12Fixtures.DESCRIPTION, accepted.getOffer().getDescription());
        assertEquals(Block.LivenetGenesisBlock.hash, accepted.getChain());
    }

    @Test
    void ourInvoiceRequest_withInvreqPaths_kmpRefusesTheUnknownEvenType90() {
        String lnr = Bolt12Fixtures.ourInvoiceRequest(PrivateKey.random(random), List.of(), true, random);
        Try<OfferTypes.InvoiceRequest> decoded = OfferTypes.InvoiceRequest.Companion.decode(lnr);
        assertEquals("unknown even tag (90) ", ((Try.Failure<?>) decoded).getError().getMessage());
    }

    @Test
    void ourInvoice_kmpParsesEveryField_sameRoot_verifies_refusesOnlyForMissingOfferIssuer_andAcceptsOneForAnOffer() {
        PrivateKey payer = PrivateKey.random(random);
        PrivateKey node = PrivateKey.random(random);
        InvoiceRequest request = InvoiceRequest.decode(Bolt12Fixtures.ourInvoiceRequest(payer, List.of(), false, random));
        Invoice ours = Bolt12Fixtures.ourInvoice(request, node, NOW, random);

        Try<Bolt12Invoice> decoded = Bolt12Invoice.Companion.fromString(ours.encode());
        assertEquals("missing required tlv (tag=22)", ((Try.Failure<?>) decoded).getError().getMessage());
        fr.acinq.lightning.wire.TlvStream<OfferTypes.InvoiceTlv> kmp =
                OfferTypes.Invoice.INSTANCE.getTlvSerializer().read(ours.tlvBytes().toArray());
        assertTrue(kmp.getUnknown().isEmpty());
        assertEquals(Kmp.bv32(Merkle.root(ours.records().filter(t -> !Merkle.isSignatureType(t)))),
                OfferTypes.INSTANCE.rootHash(OfferTypes.INSTANCE.removeSignature(kmp)));
        assertTrue(OfferTypes.INSTANCE.verifySchnorr(Bolt12Invoice.Companion.getSignatureTag(),
                OfferTypes.INSTANCE.rootHash(OfferTypes.INSTANCE.removeSignature(kmp)),
                OnionMessageInteropTest.find(kmp, OfferTypes.Signature.class).getSignature(), Kmp.pub(node.publicKey())));
        assertArrayEquals(ours.tlvBytes().toArray(), OfferTypes.Invoice.INSTANCE.getTlvSerializer().write(kmp),
                "lightning-kmp writes back the same bytes");

        // Our builder's invoice for a request answering an offer whose issuer is our node: lightning-kmp
        // parses it and its payer-side check (validateFor) passes: same request, node id, amount,
        // features, signature, unexpired.
        String forOffer = Bolt12Fixtures.ourInvoiceRequest(payer, List.of(
                new TlvRecord(Bolt12Field.OFFER_ISSUER_ID, node.publicKey().bytes())), false, random);
        long now = Instant.now().getEpochSecond();
        Invoice invoice = Bolt12Fixtures.ourInvoice(InvoiceRequest.decode(forOffer), node, now, random);
        Bolt12Invoice parsed = Bolt12Invoice.Companion.fromString(invoice.encode()).get();
        Either<String, kotlin.Unit> check = parsed.validateFor(OfferTypes.InvoiceRequest.Companion.decode(forOffer).get());
        assertNull(check.getLeft(), "lightning-kmp's payer accepts it");
        assertEquals(Kmp.bv32(invoice.invoicePaymentHash().orElseThrow()), parsed.getPaymentHash());
        assertEquals(new MilliSatoshi(Bolt12Fixtures.AMOUNT), parsed.getAmount());
        assertEquals(now, parsed.getCreatedAtSeconds());
        assertEquals(Bolt12Fixtures.RELATIVE_EXPIRY, parsed.getRelativeExpirySeconds());
        assertEquals(1, parsed.getBlindedPaths().size());
        assertEquals(Kmp.bytes(new ByteVector(invoice.invoicePaths().orElseThrow().get(0).encode())),
                Kmp.bytes(new ByteVector(KmpNode.encode(parsed.getBlindedPaths().get(0).getRoute().getRoute()))));
    }

    @Test
    void ourInvoiceError_readAsBolt4Has_it_byKmpsTypes_butKmpsOnionReaderExpectsALengthPrefix() {
        InvoiceError ours = InvoiceError.of(Bolt12Field.INVOICE_AMOUNT, Bytes.fromHex("9c40"), "amount too high");
        byte[] bytes = ours.encode();
        // lightning-kmp's invoice_error TLV classes read our stream (no length prefix, BOLT 4).
        fr.acinq.lightning.wire.TlvStream<OfferTypes.InvoiceErrorTlv> read = Bolt12Fixtures.kmpInvoiceErrorReader().read(bytes);
        OfferTypes.InvoiceError kmp = OfferTypes.InvoiceError.Companion.validate(read).getRight();
        assertEquals("amount too high", kmp.getError());
        assertEquals(Bolt12Field.INVOICE_AMOUNT,
                OnionMessageInteropTest.find(read, OfferTypes.ErroneousField.class).getFieldTag());
        assertEquals(ByteVector.fromHex("9c40"), OnionMessageInteropTest.find(read, OfferTypes.SuggestedValue.class).getValue());
        // Its own onion-message reader for type 68 takes a BigSize length first, and writes one:
        // our bytes are not what it expects, and what it writes is our bytes behind a length.
        byte[] kmpWritten = new fr.acinq.lightning.wire.OnionMessagePayloadTlv.InvoiceError(read).write();
        assertEquals(bytes.length, kmpWritten[0]);
        assertArrayEquals(bytes, java.util.Arrays.copyOfRange(kmpWritten, 1, kmpWritten.length));
    }

    // ------------------------------------------------------------ lightning-kmp's, read by ours

    @Test
    void kmpOffer_invoiceRequest_andInvoice_readByOurs_sameFieldsRootAndSignatures() {
        fr.acinq.bitcoin.PrivateKey issuer = KmpNode.randomKey(random);
        fr.acinq.bitcoin.PrivateKey payer = KmpNode.randomKey(random);
        OfferTypes.Offer offer = Bolt12Fixtures.kmpOffer(issuer, 1_000_001_001L, random);

        Offer ourOffer = Offer.decode(offer.encode());
        assertEquals(List.of(), ourOffer.violations());
        assertEquals(offer.getDescription(), ourOffer.offerDescription().orElseThrow());
        assertEquals(offer.getAmount().getMsat(), ourOffer.offerAmount().getAsLong());
        assertEquals(offer.getIssuer(), ourOffer.offerIssuer().orElseThrow());
        assertEquals(offer.getExpirySeconds().longValue(), ourOffer.offerAbsoluteExpiry().getAsLong());
        assertEquals(Kmp.pub(issuer.publicKey()), ourOffer.offerIssuerId().orElseThrow());
        assertEquals(Kmp.bytes32(offer.getOfferId()), Merkle.root(ourOffer.records()), "offer_id is the merkle root");
        assertTrue(ourOffer.records().contains(1_000_001_001L), "its unknown odd record survives");
        assertEquals(offer.encode(), ourOffer.encode(), "same string back");

        OfferTypes.InvoiceRequest request = OfferTypes.InvoiceRequest.Companion.invoke(offer, new MilliSatoshi(12_345),
                3, Features.Companion.getEmpty(), payer, "thanks", Block.LivenetGenesisBlock.hash, Set.of(),
                Set.of(new GenericTlv(2_000_000_001L, ByteVector.fromHex("c0ffee"))));
        InvoiceRequest ourRequest = InvoiceRequest.decode(request.encode());
        assertEquals(List.of(), ourRequest.violations());
        assertEquals(Kmp.bytes(request.getMetadata()), ourRequest.invreqMetadata().orElseThrow());
        assertEquals(12_345, ourRequest.invreqAmount().getAsLong());
        assertEquals(3, ourRequest.invreqQuantity().getAsLong());
        assertEquals("thanks", ourRequest.invreqPayerNote().orElseThrow());
        assertEquals(Kmp.pub(payer.publicKey()), ourRequest.invreqPayerId().orElseThrow());
        assertEquals(Bytes32.wrap(Block.LivenetGenesisBlock.hash.value.toByteArray()), ourRequest.invreqChain().orElseThrow());
        assertEquals(Kmp.bytes32(OfferTypes.INSTANCE.rootHash(request.unsigned())),
                Merkle.root(ourRequest.records().filter(t -> !Merkle.isSignatureType(t))));
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, ourRequest.records(),
                ourRequest.invreqPayerId().orElseThrow(), ourRequest.signature().orElseThrow()),
                "we verify lightning-kmp's invoice_request signature");
        assertEquals(request.encode(), ourRequest.encode());

        long now = Instant.now().getEpochSecond();
        Bolt12Invoice invoice = Bolt12Fixtures.kmpInvoice(request, issuer, random);
        Invoice ourInvoice = Invoice.decode(invoice.toString());
        assertEquals(List.of(), ourInvoice.violations());
        assertEquals(List.of(), InvoiceReader.violations(ourInvoice, ourRequest, now),
                "our payer's reader accepts lightning-kmp's invoice for lightning-kmp's request");
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE, ourInvoice.records(),
                ourInvoice.invoiceNodeId().orElseThrow(), ourInvoice.signature().orElseThrow()));
        assertEquals(Kmp.bytes32(invoice.getPaymentHash()), ourInvoice.invoicePaymentHash().orElseThrow());
        assertEquals(invoice.getAmount().getMsat(), ourInvoice.invoiceAmount().getAsLong());
        assertEquals(invoice.getCreatedAtSeconds(), ourInvoice.invoiceCreatedAt().getAsLong());
        assertEquals(invoice.getRelativeExpirySeconds(), ourInvoice.invoiceRelativeExpiry().getAsLong());
        assertEquals(Kmp.pub(issuer.publicKey()), ourInvoice.invoiceNodeId().orElseThrow());
        assertEquals(Kmp.bytes(new ByteVector(KmpNode.encode(invoice.getBlindedPaths().get(0).getRoute().getRoute()))),
                Bytes.wrap(ourInvoice.invoicePaths().orElseThrow().get(0).encode()));
        assertEquals(invoice.toString(), ourInvoice.encode());
    }

    @Test
    void kmpInvoice_tamperedSignature_isRefusedByOurs() {
        fr.acinq.bitcoin.PrivateKey issuer = KmpNode.randomKey(random);
        OfferTypes.Offer offer = Bolt12Fixtures.kmpOffer(issuer, 1_000_001_001L, random);
        OfferTypes.InvoiceRequest request = OfferTypes.InvoiceRequest.Companion.invoke(offer, new MilliSatoshi(5_000), 1,
                Features.Companion.getEmpty(), KmpNode.randomKey(random), null, Block.LivenetGenesisBlock.hash, Set.of(),
                Set.of());
        Bolt12Invoice invoice = Bolt12Fixtures.kmpInvoice(request, issuer, random);
        TlvStream records = Invoice.decode(invoice.toString()).records();
        byte[] sig = records.value(Bolt12Field.SIGNATURE).orElseThrow().toArray();
        sig[5] ^= 1;
        TlvStream tampered = records.filter(t -> t != Bolt12Field.SIGNATURE)
                .with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, Bytes.wrap(sig))));
        Invoice bad = Invoice.decode(tampered.encode());
        List<dev.boltflow.core.bolt12.Bolt12ParseException> violations = InvoiceReader.violations(bad,
                InvoiceRequest.decode(request.encode()), Instant.now().getEpochSecond());
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).getMessage().contains("signature"), violations.toString());
        assertTrue(!Bolt12Signatures.verify(Bolt12Signatures.INVOICE, bad.records(), bad.invoiceNodeId().orElseThrow(),
                bad.signature().orElseThrow()));
        assertInstanceOf(Try.Success.class, Bolt12Invoice.Companion.fromString(invoice.toString()));
        assertTrue(!new Bolt12Invoice(OfferTypes.Invoice.INSTANCE.getTlvSerializer().read(tampered.encode())).checkSignature(),
                "lightning-kmp refuses the same tampered signature");
    }
}
