package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.PaymentOnionPayloadTest.withoutLength;
import static dev.boltflow.core.onion.VectorJson.hex;
import static dev.boltflow.core.onion.VectorJson.point;
import static dev.boltflow.core.onion.VectorJson.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.onion.BlindedPaymentOnion.IncomingHtlc;
import dev.boltflow.core.onion.BlindedPaymentOnion.Received;
import dev.boltflow.core.onion.EncryptedDataTlv.PaymentRelay;
import dev.boltflow.core.onion.PaymentOnionException.Reason;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The sender's onion into a blinded payment path and each node's peel, against
 * blinded-payment-onion-test.json and against paths made by {@link BlindedPayments}.
 */
class BlindedPaymentOnionTest extends OnEachSecp256k1Provider {
    private static final long HEIGHT = 800_000;
    private static final int MIN_FINAL = 18;
    private static final long AMOUNT = 50_000;

    private final SecureRandom random = new SecureRandom();
    private final PrivateKey payee = PrivateKey.random(random);
    private final Bytes32 hash = Bytes32.random(random);

    private static JsonNode generate() {
        return Vectors.json("bolt04/blinded-payment-onion-test.json").get("generate");
    }

    private static BlindedPath vectorPath(JsonNode g) {
        JsonNode r = g.get("blinded_route");
        List<BlindedPath.Hop> hops = new ArrayList<>();
        for (JsonNode h : r.get("hops")) {
            hops.add(new BlindedPath.Hop(point(h.get("blinded_node_id")), hex(h.get("encrypted_data"))));
        }
        return new BlindedPath(SciddirOrPubkey.of(point(r.get("first_node_id"))), point(r.get("first_path_key")), hops);
    }

    private static BlindedPayInfo vectorPayInfo(JsonNode g) {
        JsonNode p = g.get("blinded_payinfo");
        return new BlindedPayInfo(p.get("fee_base_msat").asLong(), p.get("fee_proportional_millionths").asLong(),
                p.get("cltv_expiry_delta").asInt(), 0, Long.MAX_VALUE, Features.EMPTY);
    }

    // ------------------------------------------------------------ the vector

    /**
     * From the blinded route, its payinfo, the final amount, total and cltv, plus Alice's
     * unblinded hop in front, the builder writes every hop's payload and the onion byte for byte.
     */
    @Test
    void route_fromTheVectorsInputs_isTheVectorOnion() {
        JsonNode g = generate();
        List<JsonNode> full = Vectors.elements(g.get("full_route").get("hops"));
        JsonNode alice = full.get(0);
        BlindedPaymentOnion.Route blinded = BlindedPaymentOnion.route(vectorPath(g), vectorPayInfo(g),
                g.get("final_amount_msat").asLong(), full.get(4).get("tlvs").get("total_amount_msat").asLong(),
                g.get("final_cltv").asLong());
        // What enters Bob is what Alice forwards.
        assertEquals(alice.get("tlvs").get("amt_to_forward").asLong(), blinded.amountMsat());
        assertEquals(alice.get("tlvs").get("outgoing_cltv_value").asLong(), blinded.cltvExpiry());
        assertEquals(point(g.get("blinded_route").get("first_node_id")), blinded.firstNode());

        BlindedPaymentOnion.Route route = blinded.prepend(point(alice.get("pubkey")),
                VectorJson.scid(alice.get("tlvs").get("outgoing_channel_id")), 0, 0);
        for (int i = 0; i < full.size(); i++) {
            assertEquals(point(full.get(i).get("pubkey")), route.hopKeys().get(i), full.get(i).get("alias").asText());
            assertEquals(withoutLength(hex(full.get(i).get("payload"))), route.payloads().get(i).encode(),
                    full.get(i).get("alias").asText());
        }
        BlindedPaymentOnion.Outgoing out = route.onion(secret(g.get("session_key")),
                Bytes32.wrap(hex(g.get("associated_data")).toArray()));
        assertEquals(hex(g.get("onion")), out.packet());
        assertEquals(BlindedPaymentOnion.PACKET_LENGTH, out.packet().length());
        assertEquals(point(alice.get("pubkey")), out.firstNode());
    }

    /**
     * Each node of the vector's blinded part peels its HTLC: Bob (introduction, path key from
     * current_path_key), Carol (next_path_key_override), Dave forward to the vector's next onion and
     * path key with amounts from their payment_relay; Eve is the final hop and gets 100000 msat at
     * 749000. Alice's hop is not a blinded one: refused as such.
     */
    @Test
    void peel_theVectorsBlindedHops_forwardsToTheNextOnion_andEndsAtEve() {
        JsonNode v = Vectors.json("bolt04/blinded-payment-onion-test.json");
        Bytes32 ad = Bytes32.wrap(hex(v.get("generate").get("associated_data")).toArray());
        List<JsonNode> hops = Vectors.elements(v.get("decrypt").get("hops"));
        JsonNode aliceTlvs = v.get("generate").get("full_route").get("hops").get(0).get("tlvs");

        PaymentOnionException notBlinded = assertThrows(PaymentOnionException.class, () -> BlindedPaymentOnion.peel(
                secret(hops.get(0).get("node_privkey")), new IncomingHtlc(ad, 110_125, 749_150, Optional.empty(),
                        hex(hops.get(0).get("onion"))), 0, 0));
        assertEquals(Reason.NOT_BLINDED, notBlinded.reason());
        // Outside a blinded route (no path_key, no current_path_key) the code is the reason's own.
        assertEquals(PaymentOnionException.INVALID_ONION_PAYLOAD, notBlinded.failureCode());

        long[] amounts = {100_125, 100_010, 100_000};
        long[] cltvs = {749_100, 749_025, 749_000};
        long[] scids = {1, 2, 3};
        IncomingHtlc htlc = new IncomingHtlc(ad, aliceTlvs.get("amt_to_forward").asLong(),
                aliceTlvs.get("outgoing_cltv_value").asLong(), Optional.empty(), hex(hops.get(1).get("onion")));
        for (int i = 1; i <= 3; i++) {
            String alias = hops.get(i).get("alias").asText();
            Received r = BlindedPaymentOnion.peel(secret(hops.get(i).get("node_privkey")), htlc, 749_000, 0);
            Received.Forward f = assertInstanceOf(Received.Forward.class, r, alias);
            assertEquals(new NextHop.Channel(scids[i - 1]), f.next(), alias);
            assertEquals(point(hops.get(i).get("next_path_key")), f.nextPathKey(), alias);
            assertEquals(hex(hops.get(i + 1).get("onion")), f.nextPacket(), alias);
            assertEquals(amounts[i - 1], f.amountMsat(), alias);
            assertEquals(cltvs[i - 1], f.cltvExpiry(), alias);
            htlc = new IncomingHtlc(ad, f.amountMsat(), f.cltvExpiry(), Optional.of(f.nextPathKey()), f.nextPacket());
        }
        PrivateKey eve = secret(hops.get(4).get("node_privkey"));
        Received.Final fin = assertInstanceOf(Received.Final.class, BlindedPaymentOnion.peel(eve, htlc, 749_000, 0));
        assertEquals(100_000, fin.amtToForward());
        assertEquals(749_000, fin.outgoingCltvValue());
        assertEquals(150_000, fin.totalAmountMsat());
        assertFalse(fin.introduction());
        assertEquals(PaymentOnionException.INVALID_ONION_BLINDING, fin.rejectionCode());
        BlindedPayments.ReceivedPayment data = BlindedPayments.decryptRecipientData(eve, fin.pathKey(),
                fin.encryptedRecipientData());
        assertEquals(Optional.of(Bytes.fromHex("c9cf92f45ade68345bc20ae672e2012f4af487ed4415")), data.pathId());

        // Eve, one block too soon for her final delta: refused, and inside the path the code is invalid_onion_blinding.
        IncomingHtlc atEve = htlc;
        PaymentOnionException soon = assertThrows(PaymentOnionException.class,
                () -> BlindedPaymentOnion.peel(eve, atEve, 749_000, 1));
        assertEquals(Reason.EXPIRY_TOO_SOON, soon.reason());
        assertEquals(PaymentOnionException.INVALID_ONION_BLINDING, soon.failureCode());
    }

    // ------------------------------------------------------------ one hop: the payee introduces its path

    private BlindedPayments.PaymentPath onlyPayee() {
        return BlindedPayments.create(List.of(), new BlindedPayments.Recipient(payee.publicKey(),
                Bytes.fromHex("0123456789"), 1, Long.MAX_VALUE, MIN_FINAL, HEIGHT + 2016), random);
    }

    private BlindedPaymentOnion.Outgoing send(BlindedPayments.PaymentPath p, long amount) {
        return BlindedPaymentOnion.create(PrivateKey.random(random), p.path(), p.info(), amount, HEIGHT, hash);
    }

    private static IncomingHtlc htlc(Bytes32 hash, BlindedPaymentOnion.Outgoing out) {
        return new IncomingHtlc(hash, out.amountMsat(), out.cltvExpiry(), Optional.empty(), out.packet());
    }

    @Test
    void oneHopPath_payeePeels_finalWithItsPathKeyAndData() {
        BlindedPayments.PaymentPath p = onlyPayee();
        BlindedPaymentOnion.Outgoing out = send(p, AMOUNT);
        assertEquals(payee.publicKey(), out.firstNode());
        assertEquals(AMOUNT, out.amountMsat()); // no relay: no fee
        assertEquals(HEIGHT + MIN_FINAL, out.cltvExpiry());

        Received.Final fin = assertInstanceOf(Received.Final.class,
                BlindedPaymentOnion.peel(payee, htlc(hash, out), HEIGHT, MIN_FINAL));
        assertEquals(p.path().firstPathKey(), fin.pathKey());
        assertEquals(p.path().hops().get(0).encryptedRecipientData(), fin.encryptedRecipientData());
        assertEquals(AMOUNT, fin.amtToForward());
        assertEquals(AMOUNT, fin.totalAmountMsat());
        assertEquals(HEIGHT, fin.outgoingCltvValue());
        assertTrue(fin.introduction());
        assertEquals(PaymentOnionException.INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS, fin.rejectionCode());
        assertEquals(Optional.of(Bytes.fromHex("0123456789")), BlindedPayments.decryptRecipientData(payee,
                fin.pathKey(), fin.encryptedRecipientData()).pathId());
    }

    @Test
    void tamperedOnion_isBadHmac() {
        BlindedPaymentOnion.Outgoing out = send(onlyPayee(), AMOUNT);
        for (int at : new int[] {40, 700, BlindedPaymentOnion.PACKET_LENGTH - 1}) {
            byte[] b = out.packet().toArray();
            b[at] ^= 1;
            IncomingHtlc h = new IncomingHtlc(hash, out.amountMsat(), out.cltvExpiry(), Optional.empty(), Bytes.wrap(b));
            assertRefused(Reason.BAD_HMAC, PaymentOnionException.INVALID_ONION_HMAC,
                    () -> BlindedPaymentOnion.peel(payee, h, HEIGHT, MIN_FINAL));
        }
    }

    @Test
    void otherPaymentHashAsAssociatedData_isBadHmac() {
        BlindedPaymentOnion.Outgoing out = send(onlyPayee(), AMOUNT);
        assertRefused(Reason.BAD_HMAC, PaymentOnionException.INVALID_ONION_HMAC,
                () -> BlindedPaymentOnion.peel(payee, htlc(Bytes32.random(random), out), HEIGHT, MIN_FINAL));
    }

    @Test
    void anotherNodesKey_isBadHmac() {
        BlindedPaymentOnion.Outgoing out = send(onlyPayee(), AMOUNT);
        assertRefused(Reason.BAD_HMAC, PaymentOnionException.INVALID_ONION_HMAC,
                () -> BlindedPaymentOnion.peel(PrivateKey.random(random), htlc(hash, out), HEIGHT, MIN_FINAL));
    }

    @Test
    void badVersionLengthOrKey_areMalformed() {
        BlindedPaymentOnion.Outgoing out = send(onlyPayee(), AMOUNT);
        byte[] v1 = out.packet().toArray();
        v1[0] = 1;
        assertRefused(Reason.MALFORMED_PACKET, PaymentOnionException.INVALID_ONION_VERSION,
                () -> BlindedPaymentOnion.peel(payee, withOnion(out, Bytes.wrap(v1)), HEIGHT, MIN_FINAL));
        assertRefused(Reason.MALFORMED_PACKET, PaymentOnionException.INVALID_ONION_VERSION,
                () -> BlindedPaymentOnion.peel(payee, withOnion(out, out.packet().slice(0, 1000)), HEIGHT, MIN_FINAL));
        byte[] key = out.packet().toArray();
        key[1] = 5;
        assertRefused(Reason.BAD_KEY, PaymentOnionException.INVALID_ONION_KEY,
                () -> BlindedPaymentOnion.peel(payee, withOnion(out, Bytes.wrap(key)), HEIGHT, MIN_FINAL));
    }

    @Test
    void htlcBelowAmtToForward_orBelowOutgoingCltv_orTooSoon_areRefused() {
        BlindedPaymentOnion.Outgoing out = send(onlyPayee(), AMOUNT);
        assertRefused(Reason.FINAL_AMOUNT, PaymentOnionException.FINAL_INCORRECT_HTLC_AMOUNT,
                () -> BlindedPaymentOnion.peel(payee, new IncomingHtlc(hash, AMOUNT - 1, out.cltvExpiry(),
                        Optional.empty(), out.packet()), HEIGHT, MIN_FINAL));
        assertRefused(Reason.FINAL_CLTV, PaymentOnionException.FINAL_INCORRECT_CLTV_EXPIRY,
                () -> BlindedPaymentOnion.peel(payee, new IncomingHtlc(hash, AMOUNT, HEIGHT - 1,
                        Optional.empty(), out.packet()), HEIGHT, MIN_FINAL));
        assertRefused(Reason.EXPIRY_TOO_SOON, PaymentOnionException.INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS,
                () -> BlindedPaymentOnion.peel(payee, htlc(hash, out), HEIGHT + 1, MIN_FINAL));
    }

    @Test
    void pathKeyInTheHtlc_andCurrentPathKeyInThePayload_isInvalidBlinding() {
        BlindedPaymentOnion.Outgoing out = send(onlyPayee(), AMOUNT);
        // With a path_key the onion is peeled with the blinded key: it is not ours any more.
        PaymentOnionException e = assertThrows(PaymentOnionException.class, () -> BlindedPaymentOnion.peel(payee,
                new IncomingHtlc(hash, AMOUNT, out.cltvExpiry(), Optional.of(PrivateKey.random(random).publicKey()),
                        out.packet()), HEIGHT, MIN_FINAL));
        assertEquals(PaymentOnionException.INVALID_ONION_BLINDING, e.failureCode());
    }

    @Test
    void finalPayloadWithAnExtraField_orMissingTotal_isRefused() {
        BlindedPayments.PaymentPath p = onlyPayee();
        BlindedPath.Hop hop = p.path().hops().get(0);
        PaymentOnionPayload good = PaymentOnionPayload.blindedFinal(hop.encryptedRecipientData(), AMOUNT, HEIGHT, AMOUNT)
                .withCurrentPathKey(p.path().firstPathKey());
        for (PaymentOnionPayload bad : List.of(good.withShortChannelId(7),
                good.withPaymentMetadata(Bytes.fromHex("00")),
                new PaymentOnionPayload(good.amtToForward(), good.outgoingCltvValue(), good.shortChannelId(),
                        good.paymentData(), good.encryptedRecipientData(), good.currentPathKey(),
                        good.paymentMetadata(), java.util.OptionalLong.empty(), List.of()))) {
            Bytes onion = Sphinx.createPaymentPacket(PrivateKey.random(random), List.of(payee.publicKey()),
                    List.of(bad.encode()), hash.bytes());
            assertRefused(Reason.INVALID_FIELDS, PaymentOnionException.INVALID_ONION_PAYLOAD,
                    () -> BlindedPaymentOnion.peel(payee, new IncomingHtlc(hash, AMOUNT, HEIGHT + MIN_FINAL,
                            Optional.empty(), onion), HEIGHT, MIN_FINAL));
        }
        Bytes unblinded = Sphinx.createPaymentPacket(PrivateKey.random(random), List.of(payee.publicKey()),
                List.of(PaymentOnionPayload.EMPTY.withAmtToForward(AMOUNT).withOutgoingCltvValue(HEIGHT).encode()),
                hash.bytes());
        assertRefused(Reason.NOT_BLINDED, PaymentOnionException.INVALID_ONION_PAYLOAD,
                () -> BlindedPaymentOnion.peel(payee, new IncomingHtlc(hash, AMOUNT, HEIGHT + MIN_FINAL,
                        Optional.empty(), unblinded), HEIGHT, MIN_FINAL));
    }

    // ------------------------------------------------------------ longer paths

    private final PrivateKey intro = PrivateKey.random(random);
    private final PrivateKey middle = PrivateKey.random(random);

    private BlindedPayments.PaymentPath throughTwoRelays(int dummyHops) {
        List<BlindedPayments.IntermediateHop> relays = List.of(
                new BlindedPayments.IntermediateHop(intro.publicKey(), 0x0000010000020003L,
                        new PaymentRelay(40, 1_000, 1_000), 1, Long.MAX_VALUE),
                new BlindedPayments.IntermediateHop(middle.publicKey(), 0x0000040000050006L,
                        new PaymentRelay(144, 250, 7), 1, Long.MAX_VALUE));
        return BlindedPayments.create(relays, new BlindedPayments.Recipient(payee.publicKey(), Bytes.fromHex("aa"), 1,
                Long.MAX_VALUE, MIN_FINAL, HEIGHT + 2016), dummyHops, PrivateKey.random(random));
    }

    @Test
    void twoRelaysThenPayee_eachForwardsWhatItsRelaySays_payeeGetsAtLeastTheAmount() {
        for (int dummies : new int[] {0, 2}) {
            BlindedPayments.PaymentPath p = throughTwoRelays(dummies);
            BlindedPaymentOnion.Outgoing out = send(p, AMOUNT);
            assertEquals(intro.publicKey(), out.firstNode());
            assertEquals(AMOUNT + BlindedPaymentOnion.fee(p.info(), AMOUNT), out.amountMsat());
            assertEquals(HEIGHT + 40 + 144 + MIN_FINAL, out.cltvExpiry());

            Received.Forward a = assertInstanceOf(Received.Forward.class,
                    BlindedPaymentOnion.peel(intro, htlc(hash, out), HEIGHT, MIN_FINAL));
            assertEquals(new NextHop.Channel(0x0000010000020003L), a.next());
            assertEquals(HEIGHT + 144 + MIN_FINAL, a.cltvExpiry());
            Received.Forward b = assertInstanceOf(Received.Forward.class, BlindedPaymentOnion.peel(middle,
                    new IncomingHtlc(hash, a.amountMsat(), a.cltvExpiry(), Optional.of(a.nextPathKey()), a.nextPacket()),
                    HEIGHT, MIN_FINAL));
            assertEquals(new NextHop.Channel(0x0000040000050006L), b.next());
            // The dummy hops back to the payee are peeled inside one call.
            Received.Final fin = assertInstanceOf(Received.Final.class, BlindedPaymentOnion.peel(payee,
                    new IncomingHtlc(hash, b.amountMsat(), b.cltvExpiry(), Optional.of(b.nextPathKey()), b.nextPacket()),
                    HEIGHT, MIN_FINAL));
            assertTrue(b.amountMsat() >= AMOUNT, "the aggregate fee covers both relays: " + b.amountMsat());
            assertEquals(AMOUNT, fin.amtToForward());
            assertFalse(fin.introduction());
            assertEquals(Optional.of(Bytes.fromHex("aa")), BlindedPayments.decryptRecipientData(payee, fin.pathKey(),
                    fin.encryptedRecipientData()).pathId());
        }
    }

    @Test
    void relayHtlcBelowItsFee_orAnIntermediateWithoutThePathKey_isInvalidBlinding() {
        BlindedPayments.PaymentPath p = throughTwoRelays(0);
        BlindedPaymentOnion.Outgoing out = send(p, AMOUNT);
        assertRefused(Reason.CONSTRAINTS, PaymentOnionException.INVALID_ONION_BLINDING,
                () -> BlindedPaymentOnion.peel(intro, new IncomingHtlc(hash, 1_000, out.cltvExpiry(), Optional.empty(),
                        out.packet()), HEIGHT, MIN_FINAL));
        Received.Forward a = (Received.Forward) BlindedPaymentOnion.peel(intro, htlc(hash, out), HEIGHT, MIN_FINAL);
        // The next node handed the onion without the path key cannot even peel it.
        PaymentOnionException e = assertThrows(PaymentOnionException.class, () -> BlindedPaymentOnion.peel(middle,
                new IncomingHtlc(hash, a.amountMsat(), a.cltvExpiry(), Optional.empty(), a.nextPacket()), HEIGHT,
                MIN_FINAL));
        assertEquals(Reason.BAD_HMAC, e.reason());
    }

    // ------------------------------------------------------------ the sender's refusals

    @Test
    void route_refusesUnusablePaths() {
        BlindedPayments.PaymentPath p = onlyPayee();
        BlindedPayInfo info = p.info();
        assertRouteRefused(OnionException.Reason.INVALID_ROUTE, new BlindedPath(p.path().firstNodeId(),
                p.path().firstPathKey(), List.of()), info, AMOUNT);
        assertRouteRefused(OnionException.Reason.UNRESOLVED_INTRODUCTION_NODE, new BlindedPath(
                new SciddirOrPubkey.Sciddir(0, 42), p.path().firstPathKey(), p.path().hops()), info, AMOUNT);
        assertRouteRefused(OnionException.Reason.INVALID_ROUTE, p.path(), new BlindedPayInfo(0, 0, MIN_FINAL, 1,
                Long.MAX_VALUE, Features.of(20)), AMOUNT);
        assertRouteRefused(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, p.path(), new BlindedPayInfo(0, 0,
                MIN_FINAL, AMOUNT + 1, Long.MAX_VALUE, Features.EMPTY), AMOUNT);
        assertRouteRefused(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, p.path(), new BlindedPayInfo(0, 0,
                MIN_FINAL, 1, AMOUNT - 1, Features.EMPTY), AMOUNT);
        assertRouteRefused(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, p.path(), new BlindedPayInfo(0xffffffffL,
                0, MIN_FINAL, 1, Long.MAX_VALUE, Features.EMPTY), Long.MAX_VALUE - 10);
    }

    // ------------------------------------------------------------ boundaries

    /** BOLT 4: a prepended hop is paid its fee and adds its cltv_expiry_delta (a u16) to what enters it. */
    @Test
    void prepend_addsTheHopsFeeAndDelta_upToAU16Delta() {
        BlindedPayments.PaymentPath p = onlyPayee();
        BlindedPaymentOnion.Route r = BlindedPaymentOnion.route(p.path(), p.info(), AMOUNT, AMOUNT, HEIGHT);
        PublicKey alice = PrivateKey.random(random).publicKey();
        BlindedPaymentOnion.Route withAlice = r.prepend(alice, 7, 1_000, 0xffff);
        assertEquals(alice, withAlice.firstNode());
        assertEquals(List.of(alice, payee.publicKey()), withAlice.hopKeys());
        assertEquals(AMOUNT + 1_000, withAlice.amountMsat());
        assertEquals(HEIGHT + MIN_FINAL + 0xffff, withAlice.cltvExpiry());
        assertEquals(PaymentOnionPayload.forwarding(7, AMOUNT, HEIGHT + MIN_FINAL), withAlice.payloads().get(0));
        assertEquals(r.payloads().get(0), withAlice.payloads().get(1));
        for (long[] bad : new long[][] {{-1, 0}, {0, -1}, {0, 0x10000}}) {
            OnionException e = assertThrows(OnionException.class, () -> r.prepend(alice, 7, bad[0], (int) bad[1]));
            assertEquals(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, e.reason());
        }
    }

    /** The payinfo's HTLC bounds are inclusive; the amount is positive and at most the total. */
    @Test
    void route_htlcBoundsAreInclusive_andTheAmountPositiveAndAtMostTheTotal() {
        BlindedPath path = onlyPayee().path();
        BlindedPayInfo exact = new BlindedPayInfo(0, 0, MIN_FINAL, AMOUNT, AMOUNT, Features.EMPTY);
        assertEquals(AMOUNT, BlindedPaymentOnion.route(path, exact, AMOUNT, AMOUNT, HEIGHT).amountMsat());
        BlindedPayInfo fromZero = new BlindedPayInfo(0, 0, MIN_FINAL, 0, Long.MAX_VALUE, Features.EMPTY);
        assertRouteRefused(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, path, fromZero, 0);
        OnionException e = assertThrows(OnionException.class,
                () -> BlindedPaymentOnion.route(path, fromZero, AMOUNT, AMOUNT - 1, HEIGHT));
        assertEquals(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, e.reason());
        assertEquals(AMOUNT, BlindedPaymentOnion.route(path, fromZero, AMOUNT, AMOUNT + 1, HEIGHT).payloads().get(0)
                .amtToForward().getAsLong());
    }

    /** The fee may take every msat a long holds, not one more. */
    @Test
    void fee_upToLongMaxValue_thenOverflows() {
        assertEquals(Long.MAX_VALUE, BlindedPaymentOnion.fee(new BlindedPayInfo(0, 1_000_000, 0, 0, Long.MAX_VALUE,
                Features.EMPTY), Long.MAX_VALUE));
        OnionException e = assertThrows(OnionException.class, () -> BlindedPaymentOnion.fee(new BlindedPayInfo(1,
                1_000_000, 0, 0, Long.MAX_VALUE, Features.EMPTY), Long.MAX_VALUE));
        assertEquals(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, e.reason());
    }

    /** cltv_expiry is a u32: the final expiry and the entry expiry may be 0 to 2^32 - 1. */
    @Test
    void route_cltvExpiries_areU32s() {
        BlindedPayments.PaymentPath p = onlyPayee();
        long u32Max = 0xffffffffL;
        assertEquals(MIN_FINAL, BlindedPaymentOnion.route(p.path(), p.info(), AMOUNT, AMOUNT, 0).cltvExpiry());
        assertEquals(u32Max, BlindedPaymentOnion.route(p.path(), p.info(), AMOUNT, AMOUNT, u32Max - MIN_FINAL)
                .cltvExpiry());
        for (long bad : new long[] {-1, u32Max - MIN_FINAL + 1}) {
            OnionException e = assertThrows(OnionException.class,
                    () -> BlindedPaymentOnion.route(p.path(), p.info(), AMOUNT, AMOUNT, bad));
            assertEquals(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, e.reason(), e.getMessage());
        }
    }

    /**
     * BOLT 4: a relay forwards at cltv_expiry - cltv_expiry_delta, so an HTLC that just covers the
     * delta is forwarded (at 0) and one block less is refused; an amount that only pays fee_base
     * leaves nothing to forward.
     */
    @Test
    void relay_cltvThatJustCoversTheDelta_isForwarded_oneLessIsRefused() {
        BlindedPaymentOnion.Outgoing out = send(throughTwoRelays(0), AMOUNT);
        Received.Forward f = assertInstanceOf(Received.Forward.class, BlindedPaymentOnion.peel(intro,
                new IncomingHtlc(hash, out.amountMsat(), 40, Optional.empty(), out.packet()), HEIGHT, MIN_FINAL));
        assertEquals(0, f.cltvExpiry());
        assertRefused(Reason.CONSTRAINTS, PaymentOnionException.INVALID_ONION_BLINDING,
                () -> BlindedPaymentOnion.peel(intro, new IncomingHtlc(hash, out.amountMsat(), 39, Optional.empty(),
                        out.packet()), HEIGHT, MIN_FINAL));
        Received.Forward one = assertInstanceOf(Received.Forward.class, BlindedPaymentOnion.peel(intro,
                new IncomingHtlc(hash, 1_001, out.cltvExpiry(), Optional.empty(), out.packet()), HEIGHT, MIN_FINAL));
        assertEquals(1, one.amountMsat(), "1 msat above fee_base leaves 1 msat, rounded up");
    }

    /**
     * BOLT 4, Failure Messages: invalid_onion_blinding replaces the code when the HTLC came with a
     * path_key or when we introduce a path that goes on (current_path_key, not final); a hop that
     * is in no blinded route at all gets the reason's own code.
     */
    @Test
    void invalidOnionBlinding_isChosenOnlyInsideABlindedRoute() {
        PublicKey next = PrivateKey.random(random).publicKey();
        Bytes unblinded = Sphinx.createPaymentPacket(PrivateKey.random(random), List.of(payee.publicKey(), next),
                List.of(PaymentOnionPayload.forwarding(5, AMOUNT, HEIGHT).encode(),
                        PaymentOnionPayload.EMPTY.withAmtToForward(AMOUNT).withOutgoingCltvValue(HEIGHT).encode()),
                hash.bytes());
        assertRefused(Reason.NOT_BLINDED, PaymentOnionException.INVALID_ONION_PAYLOAD,
                () -> BlindedPaymentOnion.peel(payee, new IncomingHtlc(hash, AMOUNT, HEIGHT + 100, Optional.empty(),
                        unblinded), HEIGHT, MIN_FINAL));

        Bytes introducedWithoutData = Sphinx.createPaymentPacket(PrivateKey.random(random),
                List.of(payee.publicKey(), next), List.of(PaymentOnionPayload.EMPTY.withCurrentPathKey(next).encode(),
                        PaymentOnionPayload.EMPTY.withAmtToForward(AMOUNT).encode()), hash.bytes());
        assertRefused(Reason.NOT_BLINDED, PaymentOnionException.INVALID_ONION_BLINDING,
                () -> BlindedPaymentOnion.peel(payee, new IncomingHtlc(hash, AMOUNT, HEIGHT + 100, Optional.empty(),
                        introducedWithoutData), HEIGHT, MIN_FINAL));

        Bytes dataWithoutPathKey = Sphinx.createPaymentPacket(PrivateKey.random(random),
                List.of(payee.publicKey(), next), List.of(PaymentOnionPayload.blindedRelay(Bytes.fromHex("0011")).encode(),
                        PaymentOnionPayload.EMPTY.withAmtToForward(AMOUNT).encode()), hash.bytes());
        PaymentOnionException e = assertThrows(PaymentOnionException.class, () -> BlindedPaymentOnion.peel(payee,
                new IncomingHtlc(hash, AMOUNT, HEIGHT + 100, Optional.empty(), dataWithoutPathKey), HEIGHT, MIN_FINAL));
        assertEquals(Reason.INVALID_BLINDING, e.reason());
        assertEquals("encrypted_recipient_data without a path key", e.getMessage());
    }

    @Test
    void malformedOnion_namesItsLengthAndVersion() {
        PaymentOnionException empty = assertThrows(PaymentOnionException.class, () -> BlindedPaymentOnion.peel(payee,
                new IncomingHtlc(hash, AMOUNT, HEIGHT, Optional.empty(), Bytes.EMPTY), HEIGHT, MIN_FINAL));
        assertEquals("onion of 0 bytes, version -1", empty.getMessage());
        byte[] v = send(onlyPayee(), AMOUNT).packet().toArray();
        v[0] = (byte) 0xff;
        PaymentOnionException high = assertThrows(PaymentOnionException.class, () -> BlindedPaymentOnion.peel(payee,
                new IncomingHtlc(hash, AMOUNT, HEIGHT, Optional.empty(), Bytes.wrap(v)), HEIGHT, MIN_FINAL));
        assertEquals("onion of 1366 bytes, version 255", high.getMessage());
    }

    /** What a node logs of a payment shows amounts and expiries, never the onion or the recipient's data. */
    @Test
    void toStrings_showAmountsAndExpiries_neverTheOnionOrEncryptedData() {
        BlindedPayments.PaymentPath p = throughTwoRelays(0);
        BlindedPaymentOnion.Route route = BlindedPaymentOnion.route(p.path(), p.info(), AMOUNT, AMOUNT, HEIGHT);
        assertEquals("Route[first=" + intro.publicKey() + ", 3 hops, amountMsat=" + route.amountMsat() + ", cltvExpiry="
                + route.cltvExpiry() + "]", route.toString());
        BlindedPaymentOnion.Outgoing out = route.onion(PrivateKey.random(random), hash);
        assertEquals("Outgoing[first=" + intro.publicKey() + ", amountMsat=" + out.amountMsat() + ", cltvExpiry="
                + out.cltvExpiry() + ", packet=1366B]", out.toString());
        IncomingHtlc in = htlc(hash, out);
        assertEquals("IncomingHtlc[amountMsat=" + out.amountMsat() + ", cltvExpiry=" + out.cltvExpiry()
                + ", onion=1366B]", in.toString());
        Received.Forward a = (Received.Forward) BlindedPaymentOnion.peel(intro, in, HEIGHT, MIN_FINAL);
        assertEquals("Forward[next=" + a.next() + ", amountMsat=" + a.amountMsat() + ", cltvExpiry=" + a.cltvExpiry()
                + "]", a.toString());
        IncomingHtlc atMiddle = new IncomingHtlc(hash, a.amountMsat(), a.cltvExpiry(), Optional.of(a.nextPathKey()),
                a.nextPacket());
        assertTrue(atMiddle.toString().endsWith(", path_key, onion=1366B]"), atMiddle.toString());
        Received.Final fin = new Received.Final(payee.publicKey(), Bytes.fromHex("deadbeef"), 5, 6, 7, true);
        assertEquals("Final[amtToForward=5, outgoingCltvValue=6, totalAmountMsat=7, introduction]", fin.toString());
        assertEquals("Final[amtToForward=5, outgoingCltvValue=6, totalAmountMsat=7]",
                new Received.Final(payee.publicKey(), Bytes.fromHex("deadbeef"), 5, 6, 7, false).toString());
    }

    private static void assertRouteRefused(OnionException.Reason reason, BlindedPath path, BlindedPayInfo info, long amount) {
        OnionException e = assertThrows(OnionException.class,
                () -> BlindedPaymentOnion.route(path, info, amount, amount, HEIGHT));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private static IncomingHtlc withOnion(BlindedPaymentOnion.Outgoing out, Bytes onion) {
        return new IncomingHtlc(Bytes32.ZERO, out.amountMsat(), out.cltvExpiry(), Optional.empty(), onion);
    }

    private static void assertRefused(Reason reason, int code, Executable peel) {
        PaymentOnionException e = assertThrows(PaymentOnionException.class, peel);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(code, e.failureCode(), e.getMessage());
    }
}
