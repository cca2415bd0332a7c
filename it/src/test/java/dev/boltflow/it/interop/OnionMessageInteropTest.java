package dev.boltflow.it.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.SciddirOrPubkey;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import fr.acinq.bitcoin.ByteVector;
import fr.acinq.bitcoin.PrivateKey;
import fr.acinq.lightning.crypto.sphinx.DecryptedPacket;
import fr.acinq.lightning.crypto.sphinx.Sphinx;
import fr.acinq.lightning.wire.RouteBlindingEncryptedData;
import fr.acinq.lightning.EncodedNodeId;
import fr.acinq.lightning.crypto.RouteBlinding;
import fr.acinq.lightning.message.OnionMessages;
import fr.acinq.lightning.payment.Bolt12Invoice;
import fr.acinq.lightning.wire.GenericTlv;
import fr.acinq.lightning.wire.MessageOnion;
import fr.acinq.lightning.wire.MissingRequiredTlv;
import fr.acinq.lightning.wire.OfferTypes;
import fr.acinq.lightning.wire.OnionMessage;
import fr.acinq.lightning.wire.OnionMessagePayloadTlv;
import fr.acinq.lightning.wire.LightningCodecs;
import fr.acinq.lightning.wire.TlvStreamSerializer;
import fr.acinq.bitcoin.io.ByteArrayOutput;
import fr.acinq.lightning.wire.Tlv;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Route blinding and onion messages both ways, over a real BOLT 8 connection between our node and
 * lightning-kmp: lightning-kmp builds the blinded path of an invoice_request; our
 * {@code sendinvoice} sends the invoice (with its reply path) into it; lightning-kmp peels it as
 * introduction node and as recipient; then lightning-kmp builds an {@code invoice_error} onion into
 * our reply path, relayed by its introduction node as its {@code OfferManager} does, and our node
 * resolves exactly that send with 1004. Two disagreements show here, both decided by BOLT text
 * (README, Interoperability): lightning-kmp does not model {@code invreq_paths} (type 90) and so
 * refuses the invoice that copies it; and it writes {@code invoice_error} with a length prefix.
 */
class OnionMessageInteropTest extends KmpSession {
    /** BOLT 4, onion_message: "SHOULD set onion_message_packet len to 1366 or 32834" (1,300-byte payloads). */
    private static final int PAYLOAD_LENGTH = 1300;

    /** One send of ours, into a path lightning-kmp built, as lightning-kmp's recipient saw it. */
    private final class Delivered {
        final ByteVector pathId = new ByteVector(dev.boltflow.core.bytes.Bytes32.random(random).bytes().toArray());
        final String label;
        final CompletableFuture<SendInvoiceResult> outcome;
        final MessageOnion content;

        Delivered(String label, long amountMsat) throws IOException {
            this.label = label;
            RouteBlinding.BlindedRoute route = kmp.pathToRecipient(pathId);
            // Our reader reads lightning-kmp's path: introduced by its node, two blinded hops.
            BlindedPath path = BlindedPath.read(new ByteReader(KmpNode.encode(route)));
            assertEquals(new SciddirOrPubkey.NodeId(Kmp.pub(kmp.key.publicKey())), path.firstNodeId());
            assertEquals(Kmp.pub(route.getBlindingKey()), path.firstPathKey());
            assertEquals(2, path.numHops());
            for (int i = 0; i < 2; i++) {
                assertEquals(Kmp.pub(route.getBlindedNodes().get(i).getBlindedPublicKey()),
                        path.hops().get(i).blindedNodeId());
                assertEquals(Kmp.bytes(route.getBlindedNodes().get(i).getEncryptedPayload()),
                        path.hops().get(i).encryptedRecipientData());
            }
            String lnr = OurPayee.invoiceRequest(dev.boltflow.core.crypto.PrivateKey.random(random), amountMsat,
                    List.of(path), random);
            outcome = payee.service.send(SendInvoiceRequest.of(lnr, label)).toFuture();

            OnionMessage m = kmp.receiveOnionMessage();
            assertEquals(PAYLOAD_LENGTH, m.getOnionRoutingPacket().getPayload().size(), "BOLT 4 packet size");
            // lightning-kmp peels as the introduction node: the message goes on to its recipient,
            // and this hop's payload is encrypted_recipient_data alone (BOLT 4, non-final hops).
            KmpNode.Relayed r = KmpNode.relay(kmp.key, m);
            assertEquals(new EncodedNodeId.WithPublicKey.Plain(kmp.recipient.publicKey()), r.next());
            assertEquals(1, r.payload().getRecords().getRecords().size());
            assertTrue(r.payload().getRecords().getUnknown().isEmpty());
            // ... and as the recipient: its Sphinx peel finds the last layer, but its reader refuses
            // the payload, for one reason: the invoice copies the invoice_request's invreq_paths
            // (type 90, BOLT 12 since 2024-09), which lightning-kmp does not model, and it refuses
            // every unknown even type. Without that one record it reads everything.
            PrivateKey blinded = RouteBlinding.INSTANCE.derivePrivateKey(kmp.recipient, r.message().getBlindingKey());
            DecryptedPacket last = Sphinx.INSTANCE.peel(blinded, ByteVector.empty,
                    r.message().getOnionRoutingPacket()).getRight();
            assertNotNull(last, "lightning-kmp's recipient peels its layer");
            assertTrue(last.isLastPacket());
            byte[] payload = last.getPayload().toByteArray();
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> MessageOnion.Companion.read(payload));
            assertEquals("unknown even tag (90) ", refused.getMessage());
            assertNull(OnionMessages.INSTANCE.decryptMessage(kmp.recipient, r.message(), KmpNode.LOGGER),
                    "so its decryptMessage ignores the message");
            content = MessageOnion.Companion.read(withoutInvreqPaths(payload));
            RouteBlindingEncryptedData data = RouteBlindingEncryptedData.Companion.read(RouteBlinding.INSTANCE
                    .decryptPayload(kmp.recipient, r.message().getBlindingKey(), content.getEncryptedData())
                    .getRight().getFirst().toByteArray()).getRight();
            assertEquals(pathId, data.getPathId(), "the path_id lightning-kmp put in its path");
            assertNull(data.getNextNodeId());
        }

        MessageOnion content() {
            return content;
        }

        RouteBlinding.BlindedRoute replyPath() {
            RouteBlinding.BlindedRoute reply = content().getReplyPath();
            assertNotNull(reply, "our invoice comes with a reply path");
            return reply;
        }

        /**
         * lightning-kmp's recipient answers over our reply path with an invoice_error, through its
         * introduction node, as its {@code OfferManager} does when the reply path does not start
         * at its peer: the peer is an intermediate hop before our path (next_path_key_override).
         *
         * @param asBolt4 write the invoice_error as BOLT 4 has it (the TLV stream as the record's
         *        value) rather than as lightning-kmp writes it (with a BigSize length before it)
         */
        CompletableFuture<InboundOnionMessage> answer(boolean asBolt4, OfferTypes.InvoiceErrorTlv... fields)
                throws IOException {
            fr.acinq.lightning.wire.TlvStream<OfferTypes.InvoiceErrorTlv> error =
                    new fr.acinq.lightning.wire.TlvStream<>(Set.of(fields), Set.<GenericTlv>of());
            List<OnionMessages.IntermediateNode> viaItsPeer = List.of(new OnionMessages.IntermediateNode(
                    new EncodedNodeId.WithPublicKey.Plain(kmp.key.publicKey()), null, null, Set.of()));
            OnionMessages.Destination toUs = new OnionMessages.Destination.BlindedPath(replyPath());
            OnionMessage built;
            if (asBolt4) {
                built = bolt4InvoiceError(kmp.randomKey(), kmp.randomKey(), viaItsPeer, toUs, error);
            } else {
                // Exactly lightning-kmp's OfferManager.sendInvoiceError, with its intermediate hop.
                built = OnionMessages.INSTANCE.buildMessage(kmp.randomKey(), kmp.randomKey(), viaItsPeer, toUs,
                        new fr.acinq.lightning.wire.TlvStream<>(Set.of(new OnionMessagePayloadTlv.InvoiceError(error)),
                                Set.<GenericTlv>of())).getRight();
            }
            assertNotNull(built);
            assertEquals(PAYLOAD_LENGTH, built.getOnionRoutingPacket().getPayload().size(), "BOLT 4 packet size");
            KmpNode.Relayed r = KmpNode.relay(kmp.key, built);
            assertEquals(new EncodedNodeId.WithPublicKey.Plain(Kmp.pub(payee.key.publicKey())), r.next(),
                    "our reply path starts at our node");
            CompletableFuture<InboundOnionMessage> arrived = payee.messenger.inbound()
                    .filter(m -> m.payload().invoiceError().isPresent()).next().toFuture();
            kmp.peer.send(r.message());
            return arrived;
        }
    }

    @Test
    void ourInvoiceIntoAKmpPath_peeledByKmp_andItsInvoiceErrorOnOurReplyPath_resolvesThatSendWith1004()
            throws IOException {
        Delivered a = new Delivered("a", 50_000);
        Delivered b = new Delivered("b", 60_000);

        // The invoice lightning-kmp's recipient got is the one we stored, byte for byte.
        for (Delivered d : List.of(a, b)) {
            OnionMessagePayloadTlv.Invoice inv = find(d.content().getRecords(), OnionMessagePayloadTlv.Invoice.class);
            Invoice stored = Invoice.decode(payee.store.findByLabel(d.label).block(OurPayee.WAIT).bolt12());
            assertArrayEquals(stored.tlvBytes().toArray(),
                    withPaths(OfferTypes.Invoice.INSTANCE.getTlvSerializer().write(inv.getTlvs()), stored));
            // Past invreq_paths, lightning-kmp models only invoices for offers: it refuses ours
            // because the offer fields it requires (offer_issuer_id or offer_paths: type 22) are
            // absent, as BOLT 12 requires of an invoice_request that answers no offer (see
            // Bolt12StringsInteropTest, where it also verifies our signatures: it cannot here, as
            // it cannot hold record 90 that the signature covers).
            Bolt12Invoice.Companion.Bolt12ParsingResult parsed = Bolt12Invoice.Companion.extract(d.content().getRecords());
            Bolt12Invoice.Companion.Bolt12ParsingResult.Failure.Malformed malformed = assertInstanceOf(
                    Bolt12Invoice.Companion.Bolt12ParsingResult.Failure.Malformed.class, parsed);
            assertEquals(new MissingRequiredTlv(22), malformed.getInvalidTlvPayload());
        }

        // lightning-kmp's answer to b as its OfferManager writes an invoice_error: our node reads
        // it on b's reply path, but not as an invoice_error: lightning-kmp puts a BigSize length
        // before the TLV stream (its serializer for type 68 is length-prefixed, unlike 64 and 66),
        // where BOLT 4 has the tlv_invoice_error stream itself as the record's value, as for
        // invoice_request and invoice. Our reader follows BOLT 4: what does not decode ends the
        // send as Core Lightning ends it, 1004 with the bytes as invoice_error_hex.
        InboundOnionMessage kmpShaped = OurPayee.await(b.answer(false, new OfferTypes.Error("ignoring invalid invoice request")));
        Bytes value = kmpShaped.payload().invoiceError().orElseThrow();
        assertEquals(value.length() - 1, value.get(0) & 0xff, "a one-byte BigSize length, then the stream");
        assertThrows(DecodeException.class, () -> InvoiceError.decode(value.toArray()));
        assertEquals(InvoiceError.of("ignoring invalid invoice request"), InvoiceError.decode(value.slice(1, value.length()).toArray()));
        SendInvoiceException eb = failure(b.outcome);
        assertEquals(1004, eb.code());
        assertEquals(java.util.Map.of("invoice_error_hex", value.toHex()), eb.data().orElseThrow().toMap());
        assertFalse(a.outcome.isDone(), "the other send still waits");

        // The same answer with the invoice_error written as BOLT 4 has it (lightning-kmp's own
        // TLV classes, codec and onion construction), to a third send: 1004 with its text.
        Delivered c = new Delivered("c", 70_000);
        OurPayee.await(c.answer(true, new OfferTypes.Error("ignoring invalid invoice request")));
        SendInvoiceException ec = failure(c.outcome);
        assertEquals(1004, ec.code());
        SendInvoiceException.InvoiceErrorReceived dc = (SendInvoiceException.InvoiceErrorReceived) ec.data().orElseThrow();
        assertEquals("ignoring invalid invoice request", dc.error());
        assertFalse(a.outcome.isDone(), "the other send still waits");

        // And a, with every field of an invoice_error.
        OurPayee.await(a.answer(true, new OfferTypes.ErroneousField(Bolt12Field.INVOICE_AMOUNT),
                new OfferTypes.SuggestedValue(new ByteVector(new byte[] {(byte) 0x9c, 0x40})),
                new OfferTypes.Error("amount too high")));
        SendInvoiceException ea = failure(a.outcome);
        assertEquals(1004, ea.code());
        SendInvoiceException.InvoiceErrorReceived da = (SendInvoiceException.InvoiceErrorReceived) ea.data().orElseThrow();
        assertEquals(Bolt12Field.INVOICE_AMOUNT, da.erroneousField().getAsLong());
        assertEquals(Bytes.fromHex("9c40"), da.suggestedValue().orElseThrow());
        assertEquals("amount too high", da.error());
    }

    /**
     * lightning-kmp's {@code OnionMessages.buildMessage}, step for step (its route, its payload
     * codec for the hops before, its Sphinx), except that the final payload's {@code invoice_error}
     * is written as BOLT 4 defines it: lightning-kmp's invoice_error TLV stream, unprefixed.
     */
    private static OnionMessage bolt4InvoiceError(PrivateKey sessionKey, PrivateKey blindingSecret,
            List<OnionMessages.IntermediateNode> intermediates, OnionMessages.Destination destination,
            fr.acinq.lightning.wire.TlvStream<OfferTypes.InvoiceErrorTlv> error) {
        RouteBlinding.BlindedRoute route = OnionMessages.INSTANCE.buildRoute(blindingSecret, intermediates, destination);
        List<ByteVector> encrypted = route.getEncryptedPayloads();
        List<byte[]> payloads = new ArrayList<>();
        for (ByteVector e : encrypted.subList(0, encrypted.size() - 1)) {
            payloads.add(new MessageOnion(new fr.acinq.lightning.wire.TlvStream<>(
                    Set.of(new OnionMessagePayloadTlv.EncryptedData(e)), Set.<GenericTlv>of())).write());
        }
        byte[] inverr = new TlvStreamSerializer<OfferTypes.InvoiceErrorTlv>(false, Map.of()).write(error);
        ByteArrayOutput tlvs = new ByteArrayOutput();
        LightningCodecs.INSTANCE.writeBigSize(OnionMessagePayloadTlv.EncryptedData.tag, tlvs);
        LightningCodecs.INSTANCE.writeBigSize(encrypted.get(encrypted.size() - 1).size(), tlvs);
        LightningCodecs.writeBytes(encrypted.get(encrypted.size() - 1), tlvs);
        LightningCodecs.INSTANCE.writeBigSize(OnionMessagePayloadTlv.InvoiceError.tag, tlvs);
        LightningCodecs.INSTANCE.writeBigSize(inverr.length, tlvs);
        LightningCodecs.writeBytes(inverr, tlvs);
        byte[] stream = tlvs.toByteArray();
        ByteArrayOutput last = new ByteArrayOutput();
        LightningCodecs.INSTANCE.writeBigSize(stream.length, last);
        LightningCodecs.writeBytes(stream, last);
        payloads.add(last.toByteArray());
        return new OnionMessage(route.getBlindingKey(), Sphinx.INSTANCE.create(sessionKey, route.getBlindedNodeIds(),
                payloads, null, PAYLOAD_LENGTH).getPacket());
    }

    /**
     * The onion message payload (BigSize length, then the onionmsg_tlv stream) with record 90
     * removed from its invoice, rewritten with our TLV codec.
     */
    private static byte[] withoutInvreqPaths(byte[] payload) {
        ByteReader in = new ByteReader(payload);
        long length = in.bigSize("length");
        TlvStream outer = TlvStream.decode(in.bytes((int) length, "payload"));
        List<TlvRecord> records = new ArrayList<>();
        for (TlvRecord t : outer.records()) {
            if (t.type() == OnionMessagePayload.INVOICE) {
                TlvStream invoice = TlvStream.decode(t.value().toArray()).filter(type -> type != Bolt12Field.INVREQ_PATHS);
                t = new TlvRecord(t.type(), Bytes.wrap(invoice.encode()));
            }
            records.add(t);
        }
        byte[] stream = TlvStream.of(records).encode();
        return new ByteWriter().bigSize(stream.length).bytes(stream).toByteArray();
    }

    /** lightning-kmp's invoice bytes with our invoice's record 90 put back in its place. */
    private static byte[] withPaths(byte[] kmpInvoice, Invoice stored) {
        List<TlvRecord> records = new ArrayList<>(TlvStream.decode(kmpInvoice).records());
        records.add(TlvStream.decode(stored.tlvBytes().toArray()).find(Bolt12Field.INVREQ_PATHS).orElseThrow());
        return TlvStream.sorted(records).encode();
    }

    static <T extends Tlv, R extends T> R find(fr.acinq.lightning.wire.TlvStream<T> stream, Class<R> type) {
        return stream.getRecords().stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + stream));
    }

    private static SendInvoiceException failure(CompletableFuture<SendInvoiceResult> f) {
        try {
            SendInvoiceResult r = OurPayee.await(f);
            throw new AssertionError("expected a failure, got " + r);
        } catch (RuntimeException e) {
            return assertInstanceOf(SendInvoiceException.class, reactor.core.Exceptions.unwrap(e));
        }
    }
}
