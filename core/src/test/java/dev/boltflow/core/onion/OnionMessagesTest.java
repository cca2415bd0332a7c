package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.OnionMessagesPropertiesTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** BOLT 4 "Onion Messages" reader and writer rules, one by one. */
class OnionMessagesTest {
    private static final PrivateKey ALICE = key(1, 1);
    private static final PrivateKey BOB = key(1, 2);
    private static final PrivateKey CAROL = key(1, 3);
    private static final PrivateKey SENDER = key(1, 4);
    private static final Bytes INVOICE = Bytes.fromHex("a0a1a2");

    /**
     * A message whose hops carry exactly the given encrypted data and onionmsg_tlv fields: the
     * rules a well-behaved builder never breaks. A payload's encrypted_recipient_data, when
     * present, is replaced by the hop's real one; {@code null} data means leave the field out.
     */
    private static OnionMessages.Outgoing craft(List<PrivateKey> nodes, List<EncryptedDataTlv> data,
            List<OnionMessagePayload> payloads, boolean withEncryptedData) {
        BlindedPath path = RouteBlinding.create(key(2, 1), ids(nodes), data);
        List<PublicKey> hops = new ArrayList<>();
        List<Bytes> encoded = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            BlindedPath.Hop hop = path.hops().get(i);
            hops.add(hop.blindedNodeId());
            OnionMessagePayload p = withEncryptedData
                    ? payloads.get(i).withEncryptedRecipientData(hop.encryptedRecipientData()) : payloads.get(i);
            encoded.add(Bytes.wrap(p.encode()));
        }
        return new OnionMessages.Outgoing(new NextHop.Node(nodes.get(0).publicKey()), path.firstPathKey(),
                Sphinx.createMessagePacket(key(2, 2), hops, encoded));
    }

    private static List<PublicKey> ids(List<PrivateKey> keys) {
        return OnionMessagesPropertiesTest.ids(keys);
    }

    private static PeelResult peelFirst(OnionMessages.Outgoing out, PrivateKey at) {
        return OnionMessages.peel(at, out.pathKey(), out.packet());
    }

    private static void assertDropped(PeelResult.Reason reason, PeelResult r) {
        PeelResult.Drop d = assertInstanceOf(PeelResult.Drop.class, r, r.toString());
        assertEquals(reason, d.reason(), d.detail());
        assertEquals(PeelResult.Kind.DROP, r.kind());
    }

    @Test
    void final_withTwoPayloadFields_isDropped() {
        OnionMessages.Outgoing out = OnionMessages.build(SENDER, List.of(),
                OnionMessages.Destination.node(ALICE.publicKey()),
                OnionMessagePayload.ofInvoice(INVOICE).withInvoiceError(INVOICE), new SecureRandom());
        assertDropped(PeelResult.Reason.MULTIPLE_PAYLOADS, peelFirst(out, ALICE));
    }

    @Test
    void final_withOnePayloadField_isDelivered_withoutPathIdWhenTheSenderSetNone() {
        OnionMessages.Outgoing out = OnionMessages.build(SENDER, List.of(BOB.publicKey()),
                OnionMessages.Destination.node(ALICE.publicKey()), OnionMessagePayload.ofInvoice(INVOICE),
                new SecureRandom());
        assertEquals(new NextHop.Node(BOB.publicKey()), out.firstHop());
        PeelResult.Forward f = assertInstanceOf(PeelResult.Forward.class, peelFirst(out, BOB));
        PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class,
                OnionMessages.peel(ALICE, f.nextPathKey(), f.nextPacket()));
        assertEquals(Optional.of(INVOICE), d.payload().invoice());
        assertEquals(Optional.empty(), d.pathId());
        assertEquals(PeelResult.Kind.DELIVER, d.kind());
    }

    @Test
    void nodeDestination_withPathId_deliversIt() {
        Bytes pathId = Bytes.fromHex("0102030405");
        OnionMessages.Outgoing out = OnionMessages.build(SENDER, List.of(),
                new OnionMessages.Destination.Node(ALICE.publicKey(), Optional.of(pathId)),
                OnionMessagePayload.ofInvoice(INVOICE), new SecureRandom());
        PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class, peelFirst(out, ALICE));
        assertEquals(Optional.of(pathId), d.pathId());
    }

    @Test
    void relayHop_carryingMoreThanEncryptedData_isDropped() {
        OnionMessages.Outgoing out = craft(List.of(BOB, ALICE),
                List.of(EncryptedDataTlv.EMPTY.withNextNodeId(ALICE.publicKey()), EncryptedDataTlv.EMPTY),
                List.of(OnionMessagePayload.ofInvoice(INVOICE), OnionMessagePayload.EMPTY), true);
        assertDropped(PeelResult.Reason.UNEXPECTED_FIELDS, peelFirst(out, BOB));
    }

    @Test
    void relayHop_withPathId_isDropped() {
        OnionMessages.Outgoing out = craft(List.of(BOB, ALICE),
                List.of(EncryptedDataTlv.EMPTY.withNextNodeId(ALICE.publicKey()).withPathId(INVOICE),
                        EncryptedDataTlv.EMPTY),
                List.of(OnionMessagePayload.EMPTY, OnionMessagePayload.EMPTY), true);
        assertDropped(PeelResult.Reason.PATH_ID_ON_RELAY, peelFirst(out, BOB));
    }

    @Test
    void relayHop_withoutNextHop_isDropped() {
        OnionMessages.Outgoing out = craft(List.of(BOB, ALICE), List.of(EncryptedDataTlv.EMPTY, EncryptedDataTlv.EMPTY),
                List.of(OnionMessagePayload.EMPTY, OnionMessagePayload.EMPTY), true);
        assertDropped(PeelResult.Reason.NO_NEXT_HOP, peelFirst(out, BOB));
    }

    @Test
    void relayHop_withShortChannelId_forwardsOverThatChannel() {
        long scid = (700_000L << 40) | (12L << 16) | 1;
        OnionMessages.Outgoing out = craft(List.of(BOB, ALICE),
                List.of(EncryptedDataTlv.EMPTY.withShortChannelId(scid), EncryptedDataTlv.EMPTY),
                List.of(OnionMessagePayload.EMPTY, OnionMessagePayload.ofInvoice(INVOICE)), true);
        PeelResult.Forward f = assertInstanceOf(PeelResult.Forward.class, peelFirst(out, BOB));
        assertEquals(new NextHop.Channel(scid), f.next());
        assertEquals("Channel[700000x12x1]", f.next().toString());
        assertInstanceOf(PeelResult.Deliver.class, OnionMessages.peel(ALICE, f.nextPathKey(), f.nextPacket()));
    }

    @Test
    void nextNodeId_winsOverShortChannelId() {
        OnionMessages.Outgoing out = craft(List.of(BOB, ALICE),
                List.of(EncryptedDataTlv.EMPTY.withShortChannelId(5).withNextNodeId(ALICE.publicKey()),
                        EncryptedDataTlv.EMPTY),
                List.of(OnionMessagePayload.EMPTY, OnionMessagePayload.EMPTY), true);
        PeelResult.Forward f = assertInstanceOf(PeelResult.Forward.class, peelFirst(out, BOB));
        assertEquals(new NextHop.Node(ALICE.publicKey()), f.next());
    }

    @Test
    void allowedFeatures_withABitSet_isDropped_butEmptyOrZeroIsFine() {
        for (Bytes features : List.of(Bytes.EMPTY, Bytes.fromHex("0000"), Bytes.fromHex("0100"))) {
            OnionMessages.Outgoing out = craft(List.of(ALICE), List.of(EncryptedDataTlv.EMPTY.withAllowedFeatures(features)),
                    List.of(OnionMessagePayload.EMPTY), true);
            PeelResult r = peelFirst(out, ALICE);
            if (features.equals(Bytes.fromHex("0100"))) {
                assertDropped(PeelResult.Reason.UNSUPPORTED_FEATURES, r);
            } else {
                assertInstanceOf(PeelResult.Deliver.class, r);
            }
        }
    }

    @Test
    void hop_withoutEncryptedRecipientData_isDropped() {
        OnionMessages.Outgoing out = craft(List.of(ALICE), List.of(EncryptedDataTlv.EMPTY),
                List.of(OnionMessagePayload.ofInvoice(INVOICE)), false);
        assertDropped(PeelResult.Reason.MISSING_ENCRYPTED_DATA, peelFirst(out, ALICE));
    }

    @Test
    void encryptedData_thatDoesNotDecrypt_isDropped() {
        OnionMessages.Outgoing out = craft(List.of(ALICE), List.of(EncryptedDataTlv.EMPTY),
                List.of(OnionMessagePayload.EMPTY.withEncryptedRecipientData(Bytes.wrap(new byte[40]))), false);
        assertDropped(PeelResult.Reason.INVALID_ENCRYPTED_DATA, peelFirst(out, ALICE));
    }

    @Test
    void encryptedData_withUnknownEvenType_isDropped() {
        // Encrypt a plaintext with unknown even type 16 for Alice by hand.
        PrivateKey e0 = key(3, 1);
        BlindedPath path = RouteBlinding.blind(e0, List.of(ALICE.publicKey()), List.of(Bytes.fromHex("100100")));
        Bytes payload = Bytes.wrap(OnionMessagePayload.EMPTY
                .withEncryptedRecipientData(path.hops().get(0).encryptedRecipientData()).encode());
        Bytes packet = Sphinx.createMessagePacket(key(3, 2), List.of(path.hops().get(0).blindedNodeId()), List.of(payload));
        assertDropped(PeelResult.Reason.INVALID_ENCRYPTED_DATA, OnionMessages.peel(ALICE, path.firstPathKey(), packet));
    }

    @Test
    void payload_withUnknownEvenType_isDropped() {
        BlindedPath path = RouteBlinding.create(key(3, 1), List.of(ALICE.publicKey()), List.of(EncryptedDataTlv.EMPTY));
        Bytes payload = Bytes.wrap(OnionMessagePayload.EMPTY
                .withEncryptedRecipientData(path.hops().get(0).encryptedRecipientData()).encode())
                .concat(Bytes.fromHex("5000")); // type 80, empty: unknown and even
        Bytes packet = Sphinx.createMessagePacket(key(3, 2), List.of(path.hops().get(0).blindedNodeId()), List.of(payload));
        assertDropped(PeelResult.Reason.INVALID_PAYLOAD, OnionMessages.peel(ALICE, path.firstPathKey(), packet));
    }

    @Test
    void unknownVersion_andTruncatedPacket_areMalformed() {
        OnionMessages.Outgoing out = OnionMessages.build(SENDER, List.of(),
                OnionMessages.Destination.node(ALICE.publicKey()), OnionMessagePayload.ofInvoice(INVOICE), new SecureRandom());
        byte[] v1 = out.packet().toArray();
        v1[0] = 1;
        assertDropped(PeelResult.Reason.MALFORMED_PACKET, OnionMessages.peel(ALICE, out.pathKey(), Bytes.wrap(v1)));
        assertDropped(PeelResult.Reason.MALFORMED_PACKET,
                OnionMessages.peel(ALICE, out.pathKey(), out.packet().slice(0, 66)));
        assertDropped(PeelResult.Reason.BAD_HMAC, OnionMessages.peel(BOB, out.pathKey(), out.packet()));
    }

    @Test
    void dummyHops_arePeeledByTheRecipient_upToALimit() {
        ReplyPaths alices = new ReplyPaths(ALICE);
        Bytes context = Bytes.fromHex("c0ffee");
        BlindedPath fine = alices.create(List.of(BOB.publicKey()), context, 3, key(4, 1));
        assertEquals(5, fine.numHops());
        OnionMessages.Outgoing out = OnionMessages.build(SENDER, List.of(), OnionMessages.Destination.path(fine),
                OnionMessagePayload.ofInvoice(INVOICE), new SecureRandom());
        PeelResult.Forward f = assertInstanceOf(PeelResult.Forward.class, peelFirst(out, BOB));
        assertEquals(new NextHop.Node(ALICE.publicKey()), f.next());
        PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class,
                OnionMessages.peel(ALICE, f.nextPathKey(), f.nextPacket()));
        assertTrue(alices.recognise(d.pathId().orElseThrow(), context));

        BlindedPath tooLong = alices.create(List.of(), context, OnionMessages.MAX_SELF_HOPS + 1, key(4, 2));
        OnionMessages.Outgoing out2 = OnionMessages.build(SENDER, List.of(), OnionMessages.Destination.path(tooLong),
                OnionMessagePayload.ofInvoice(INVOICE), new SecureRandom());
        assertEquals(Sphinx.LARGE_PAYLOADS_LENGTH + Sphinx.OVERHEAD, out2.packet().length());
        assertDropped(PeelResult.Reason.TOO_MANY_DUMMY_HOPS, peelFirst(out2, ALICE));
    }

    @Test
    void weIntroduce_aPathWhoseNextHopIsAChannel_sendOverThatChannel() {
        long scid = 42;
        BlindedPath path = RouteBlinding.create(key(5, 1), List.of(SENDER.publicKey(), ALICE.publicKey()),
                List.of(EncryptedDataTlv.EMPTY.withShortChannelId(scid), EncryptedDataTlv.EMPTY.withPathId(INVOICE)));
        OnionMessages.Outgoing out = OnionMessages.build(SENDER, List.of(), OnionMessages.Destination.path(path),
                OnionMessagePayload.ofInvoice(INVOICE), new SecureRandom());
        assertEquals(new NextHop.Channel(scid), out.firstHop());
        PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class, peelFirst(out, ALICE));
        assertEquals(Optional.of(INVOICE), d.pathId());
    }

    @Test
    void build_refusesWhatCannotBeSent() {
        SecureRandom rnd = new SecureRandom();
        OnionMessagePayload p = OnionMessagePayload.ofInvoice(INVOICE);
        assertReason(OnionException.Reason.DESTINATION_IS_US, () -> OnionMessages.build(SENDER, List.of(),
                OnionMessages.Destination.node(SENDER.publicKey()), p, rnd));
        BlindedPath toUs = new ReplyPaths(SENDER).create(List.of(), INVOICE, rnd);
        assertReason(OnionException.Reason.DESTINATION_IS_US, () -> OnionMessages.build(SENDER, List.of(),
                OnionMessages.Destination.path(toUs), p, rnd));
        BlindedPath viaUs = new ReplyPaths(ALICE).create(List.of(SENDER.publicKey()), INVOICE, rnd);
        assertReason(OnionException.Reason.INVALID_ROUTE, () -> OnionMessages.build(SENDER, List.of(BOB.publicKey()),
                OnionMessages.Destination.path(viaUs), p, rnd));
        BlindedPath notOurs = new ReplyPaths(ALICE).create(List.of(BOB.publicKey()), INVOICE, rnd);
        BlindedPath forged = new BlindedPath(SciddirOrPubkey.of(SENDER.publicKey()), notOurs.firstPathKey(), notOurs.hops());
        assertReason(OnionException.Reason.INVALID_BLINDED_PATH, () -> OnionMessages.build(SENDER, List.of(),
                OnionMessages.Destination.path(forged), p, rnd));
        BlindedPath sciddir = new BlindedPath(new SciddirOrPubkey.Sciddir(0, 7), notOurs.firstPathKey(), notOurs.hops());
        assertReason(OnionException.Reason.UNRESOLVED_INTRODUCTION_NODE, () -> OnionMessages.build(SENDER, List.of(),
                OnionMessages.Destination.path(sciddir), p, rnd));
        BlindedPath empty = new BlindedPath(notOurs.firstNodeId(), notOurs.firstPathKey(), List.of());
        assertReason(OnionException.Reason.INVALID_ROUTE, () -> OnionMessages.build(SENDER, List.of(),
                OnionMessages.Destination.path(empty), p, rnd));
        OnionMessagePayload huge = OnionMessagePayload.ofInvoice(Bytes.wrap(new byte[Sphinx.LARGE_PAYLOADS_LENGTH]));
        assertReason(OnionException.Reason.PACKET_TOO_BIG, () -> OnionMessages.build(SENDER, List.of(),
                OnionMessages.Destination.node(ALICE.publicKey()), huge, rnd));
    }

    @Test
    void sizes_are1366_or32834() {
        SecureRandom rnd = new SecureRandom();
        OnionMessages.Outgoing small = OnionMessages.build(SENDER, List.of(),
                OnionMessages.Destination.node(ALICE.publicKey()), OnionMessagePayload.ofInvoice(INVOICE), rnd);
        assertEquals(1366, small.packet().length());
        OnionMessages.Outgoing large = OnionMessages.build(SENDER, List.of(),
                OnionMessages.Destination.node(ALICE.publicKey()),
                OnionMessagePayload.ofInvoice(Bytes.wrap(new byte[1300])), rnd);
        assertEquals(32834, large.packet().length());
        assertEquals(33 + 2 + 32834, large.encode().length);
        PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class, peelFirst(large, ALICE));
        assertEquals(1300, d.payload().invoice().orElseThrow().length());
    }

    @Test
    void toStrings_revealNoPayloadOrPathId() {
        Bytes secret = Bytes.fromHex("deadbeefdeadbeef");
        String s = new PeelResult.Deliver(OnionMessagePayload.ofInvoice(secret), Optional.of(secret)).toString()
                + EncryptedDataTlv.EMPTY.withPathId(secret) + OnionMessagePayload.ofInvoiceRequest(secret);
        assertFalse(s.contains(secret.toHex()), s);
    }

    /** Up to MAX_SELF_HOPS hops back to ourselves are peeled in one call; one more is dropped (see above). */
    @Test
    void dummyHops_exactlyTheLimit_areStillDelivered() {
        ReplyPaths alices = new ReplyPaths(ALICE);
        Bytes context = Bytes.fromHex("c0ffee");
        BlindedPath atLimit = alices.create(List.of(), context, OnionMessages.MAX_SELF_HOPS, key(4, 3));
        assertEquals(OnionMessages.MAX_SELF_HOPS + 1, atLimit.numHops());
        OnionMessages.Outgoing out = OnionMessages.build(SENDER, List.of(), OnionMessages.Destination.path(atLimit),
                OnionMessagePayload.ofInvoice(INVOICE), new SecureRandom());
        PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class, peelFirst(out, ALICE));
        assertEquals(Optional.of(INVOICE), d.payload().invoice());
        assertTrue(alices.recognise(d.pathId().orElseThrow(), context));
    }

    /** A drop says what was wrong with the packet, in the decoder's words. */
    @Test
    void malformedPacket_dropNamesTheDecodeError() {
        OnionMessages.Outgoing out = OnionMessages.build(SENDER, List.of(), OnionMessages.Destination.node(
                ALICE.publicKey()), OnionMessagePayload.ofInvoice(INVOICE), new SecureRandom());
        PeelResult.Drop d = assertInstanceOf(PeelResult.Drop.class,
                OnionMessages.peel(ALICE, out.pathKey(), out.packet().slice(0, 66)));
        assertEquals("onion packet too short: 66 bytes", d.detail());
    }

    @Test
    void destinationsAndReplyPaths_printNoPathId() {
        assertEquals("Node[" + ALICE.publicKey() + "]", OnionMessages.Destination.node(ALICE.publicKey()).toString());
        assertEquals("Node[" + ALICE.publicKey() + ", with path_id]",
                new OnionMessages.Destination.Node(ALICE.publicKey(), Optional.of(INVOICE)).toString());
        assertEquals("ReplyPaths[" + ALICE.publicKey() + "]", new ReplyPaths(ALICE).toString());
        OnionMessages.Outgoing out = OnionMessages.build(SENDER, List.of(), OnionMessages.Destination.node(
                ALICE.publicKey()), OnionMessagePayload.ofInvoice(INVOICE), new SecureRandom());
        assertEquals("Outgoing[to=" + out.firstHop() + ", pathKey=" + out.pathKey() + ", packet=1366B]", out.toString());
    }

    /** Hops of our own in front of someone's blinded path are blinded with a fresh e_0 of ours. */
    @Test
    void ourHops_thenTheirPath_reachTheirRecipient() {
        ReplyPaths alices = new ReplyPaths(ALICE);
        Bytes context = Bytes.fromHex("c0ffee");
        BlindedPath path = alices.create(List.of(), context, 0, key(4, 4));
        OnionMessages.Outgoing out = OnionMessages.build(SENDER, List.of(BOB.publicKey()), OnionMessages.Destination.path(path),
                OnionMessagePayload.ofInvoice(INVOICE), new SecureRandom());
        assertEquals(new NextHop.Node(BOB.publicKey()), out.firstHop());
        PeelResult.Forward f = assertInstanceOf(PeelResult.Forward.class, peelFirst(out, BOB));
        assertEquals(new NextHop.Node(ALICE.publicKey()), f.next());
        PeelResult.Deliver d = assertInstanceOf(PeelResult.Deliver.class,
                OnionMessages.peel(ALICE, f.nextPathKey(), f.nextPacket()));
        assertEquals(Optional.of(INVOICE), d.payload().invoice());
        assertTrue(alices.recognise(d.pathId().orElseThrow(), context));
    }

    private static void assertReason(OnionException.Reason reason, Runnable r) {
        OnionException e = assertThrows(OnionException.class, r::run);
        assertEquals(reason, e.reason(), e.getMessage());
    }
}
