package dev.boltflow.core.onion;

import dev.boltflow.core.features.Features;
import static dev.boltflow.core.onion.OnionMessagesPropertiesTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.EncryptedDataTlv.PaymentConstraints;
import dev.boltflow.core.onion.EncryptedDataTlv.PaymentRelay;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BlindedPaymentsTest {
    private static final PrivateKey US = key(30, 1);
    private static final PrivateKey I1 = key(30, 2);
    private static final PrivateKey I2 = key(30, 3);
    private static final Bytes PATH_ID = Bytes.fromHex("22".repeat(32));

    private static BlindedPayments.Recipient recipient() {
        return new BlindedPayments.Recipient(US.publicKey(), PATH_ID, 1_000, 2_000_000, 18, 800_000);
    }

    @Test
    void twoHopPath_eachHopDecryptsToItsRelayAndConstraints() {
        PaymentRelay r1 = new PaymentRelay(144, 100, 1_000);
        PaymentRelay r2 = new PaymentRelay(40, 250, 0);
        List<BlindedPayments.IntermediateHop> hops = List.of(
                new BlindedPayments.IntermediateHop(I1.publicKey(), 11, r1, 5_000, 1_000_000),
                new BlindedPayments.IntermediateHop(I2.publicKey(), 22, r2, 1, 3_000_000));
        BlindedPayments.PaymentPath p = BlindedPayments.create(hops, recipient(), new SecureRandom());
        BlindedPath path = p.path();
        assertEquals(SciddirOrPubkey.of(I1.publicKey()), path.firstNodeId());
        assertEquals(3, path.numHops());

        PublicKey pathKey = path.firstPathKey();
        PrivateKey[] keys = {I1, I2};
        long[] scids = {11, 22};
        PaymentRelay[] relays = {r1, r2};
        long[] maxCltv = {800_000 + 18 + 40 + 144, 800_000 + 18 + 40};
        long[] mins = {5_000, 1};
        for (int i = 0; i < 2; i++) {
            RouteBlinding.Unblinded u = RouteBlinding.unblind(keys[i], pathKey, path.hops().get(i).encryptedRecipientData());
            assertEquals(OptionalLong.of(scids[i]), u.data().shortChannelId());
            assertEquals(Optional.of(relays[i]), u.data().paymentRelay());
            assertEquals(Optional.of(new PaymentConstraints(maxCltv[i], mins[i])), u.data().paymentConstraints());
            assertEquals(Optional.empty(), u.data().pathId());
            pathKey = u.nextPathKey();
        }
        BlindedPayments.ReceivedPayment received = BlindedPayments.decryptRecipientData(US, pathKey,
                path.hops().get(2).encryptedRecipientData());
        assertEquals(Optional.of(PATH_ID), received.pathId());
        assertEquals(Optional.of(new PaymentConstraints(800_018, 1_000)), received.constraints());
        assertFalse(received.isForward());
        assertTrue(received.allows(1_000, 800_018));
        assertFalse(received.allows(999, 800_018));
        assertFalse(received.allows(1_000, 800_019));

        // Fees folded from I2 outwards: base = ceil(1000 + 0·(1+100/1e6)) = 1000;
        // prop = ceil((250 + 100)·1e6 + 250·100) / 1e6 = 351; cltv = 144 + 40 + 18.
        BlindedPayInfo info = p.info();
        assertEquals(1_000, info.feeBaseMsat());
        assertEquals(351, info.feeProportionalMillionths());
        assertEquals(202, info.cltvExpiryDelta());
        // BOLT 4 amt_to_forward = ceil((in - base) / (1 + prop/1e6)). I1 needs 5000 in: it forwards
        // ceil(4000 / 1.0001) = 4000, and I2 forwards ceil(4000 / 1.00025) = 4000 to us.
        assertEquals(4_000, info.htlcMinimumMsat());
        // I1 takes at most 1_000_000: ceil(999_000 / 1.0001) = 998_901, then ceil(998_901 / 1.00025) = 998_652.
        assertEquals(998_652, info.htlcMaximumMsat());
        assertEquals(Features.EMPTY, info.features());
    }

    @Test
    void pathOfOnlyUs_hasNoFees_andTheFinalDelta() {
        BlindedPayments.PaymentPath p = BlindedPayments.create(List.of(), recipient(), new SecureRandom());
        assertEquals(SciddirOrPubkey.of(US.publicKey()), p.path().firstNodeId());
        assertEquals(new BlindedPayInfo(0, 0, 18, 1_000, 2_000_000, Features.EMPTY), p.info());
        BlindedPayments.ReceivedPayment r = BlindedPayments.decryptRecipientData(US, p.path().firstPathKey(),
                p.path().hops().get(0).encryptedRecipientData());
        assertEquals(Optional.of(PATH_ID), r.pathId());
    }

    @Test
    void dummyHops_relayToUs_forFree() {
        BlindedPayments.PaymentPath p = BlindedPayments.create(List.of(), recipient(), 2, key(30, 9));
        assertEquals(3, p.path().numHops());
        PublicKey pathKey = p.path().firstPathKey();
        for (int i = 0; i < 2; i++) {
            RouteBlinding.Unblinded u = RouteBlinding.unblind(US, pathKey, p.path().hops().get(i).encryptedRecipientData());
            assertEquals(Optional.of(US.publicKey()), u.data().nextNodeId());
            assertEquals(Optional.of(new PaymentRelay(0, 0, 0)), u.data().paymentRelay());
            assertEquals(Optional.of(new PaymentConstraints(800_018, 1_000)), u.data().paymentConstraints());
            pathKey = u.nextPathKey();
        }
        assertEquals(Optional.of(PATH_ID), BlindedPayments.decryptRecipientData(US, pathKey,
                p.path().hops().get(2).encryptedRecipientData()).pathId());
        assertEquals(0, p.info().feeBaseMsat());
    }

    @Test
    void recipientData_withAFeatureBit_orBothNextHops_isRefused() {
        for (EncryptedDataTlv bad : List.of(EncryptedDataTlv.EMPTY.withAllowedFeatures(Bytes.fromHex("02")),
                EncryptedDataTlv.EMPTY.withShortChannelId(1).withNextNodeId(I1.publicKey()))) {
            BlindedPath path = RouteBlinding.create(key(30, 8), List.of(US.publicKey()), List.of(bad));
            assertThrows(DecodeException.class, () -> BlindedPayments.decryptRecipientData(US, path.firstPathKey(),
                    path.hops().get(0).encryptedRecipientData()));
        }
        BlindedPath path = RouteBlinding.create(key(30, 8), List.of(US.publicKey()), List.of(EncryptedDataTlv.EMPTY));
        assertThrows(DecodeException.class, () -> BlindedPayments.decryptRecipientData(I1, path.firstPathKey(),
                path.hops().get(0).encryptedRecipientData()), "not our hop");
    }

    @Test
    void impossibleParameters_areRefused() {
        PaymentRelay greedy = new PaymentRelay(0xffff, 0, 0);
        List<BlindedPayments.IntermediateHop> hops = List.of(
                new BlindedPayments.IntermediateHop(I1.publicKey(), 1, greedy, 0, 10),
                new BlindedPayments.IntermediateHop(I2.publicKey(), 2, greedy, 0, 10));
        OnionException e = assertThrows(OnionException.class,
                () -> BlindedPayments.create(hops, recipient(), new SecureRandom()));
        assertEquals(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, e.reason(), "cltv delta over u16");
        List<BlindedPayments.IntermediateHop> narrow = List.of(new BlindedPayments.IntermediateHop(I1.publicKey(), 1,
                new PaymentRelay(10, 0, 0), 0, 500));
        e = assertThrows(OnionException.class, () -> BlindedPayments.create(narrow, recipient(), new SecureRandom()));
        assertEquals(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, e.reason(), "no amount passes both");
    }

    @Test
    void paymentPathInfo_isBlindedPayinfoOnTheWire() {
        BlindedPayInfo info = new BlindedPayInfo(10100, 251, 150, 1, 1_000_000, Features.EMPTY);
        byte[] wire = info.encode();
        assertArrayEquals(Bytes.fromHex("00002774" + "000000fb" + "0096" + "0000000000000001" + "00000000000f4240"
                + "0000").toArray(), wire);
        assertEquals(info, BlindedPayInfo.read(new ByteReader(wire)));
    }
    /** BOLT 4, Route Blinding: a blinded path has at most 255 hops, dummy hops included. */
    @Test
    void aPathOf255Hops_dummiesIncluded_isMade_oneMoreIsNot() {
        BlindedPayments.PaymentPath longest = BlindedPayments.create(List.of(), recipient(), 254, key(30, 9),
                Optional.of(US));
        assertEquals(255, longest.path().numHops());
        List<BlindedPayments.IntermediateHop> one = List.of(new BlindedPayments.IntermediateHop(I1.publicKey(), 1,
                new PaymentRelay(10, 0, 0), 0, Long.MAX_VALUE));
        assertEquals(255, BlindedPayments.create(one, recipient(), 253, key(30, 9), Optional.of(US)).path().numHops());
        for (int dummies : new int[] {-1, 254 + 1}) {
            OnionException e = assertThrows(OnionException.class,
                    () -> BlindedPayments.create(List.of(), recipient(), dummies, key(30, 9), Optional.of(US)));
            assertEquals(OnionException.Reason.INVALID_ROUTE, e.reason());
        }
        OnionException e = assertThrows(OnionException.class,
                () -> BlindedPayments.create(one, recipient(), 254, key(30, 9), Optional.of(US)));
        assertEquals("a blinded path has 1 to 255 hops", e.getMessage());
    }

    /** max_cltv_expiry is a u32 at every hop: the recipient's plus each relay's delta may reach 2^32 - 1. */
    @Test
    void maxCltvExpiry_upTheWholePath_fitsAU32() {
        List<BlindedPayments.IntermediateHop> hop = List.of(new BlindedPayments.IntermediateHop(I1.publicKey(), 1,
                new PaymentRelay(40, 0, 0), 0, Long.MAX_VALUE));
        long highest = 0xffffffffL - 18 - 40;
        BlindedPayments.create(hop, new BlindedPayments.Recipient(US.publicKey(), PATH_ID, 1, 2_000_000, 18, highest),
                new SecureRandom());
        OnionException e = assertThrows(OnionException.class, () -> BlindedPayments.create(hop,
                new BlindedPayments.Recipient(US.publicKey(), PATH_ID, 1, 2_000_000, 18, highest + 1), new SecureRandom()));
        assertEquals(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, e.reason());
    }

    /** HTLC bounds are inclusive: one amount that passes every hop is enough, and 0 is a minimum. */
    @Test
    void htlcBounds_areInclusive() {
        List<BlindedPayments.IntermediateHop> hop = List.of(new BlindedPayments.IntermediateHop(I1.publicKey(), 1,
                new PaymentRelay(10, 0, 0), 0, 500));
        BlindedPayInfo info = BlindedPayments.create(hop, new BlindedPayments.Recipient(US.publicKey(), PATH_ID, 500,
                2_000_000, 18, 800_000), new SecureRandom()).info();
        assertEquals(500, info.htlcMinimumMsat());
        assertEquals(500, info.htlcMaximumMsat());
        new BlindedPayments.Recipient(US.publicKey(), PATH_ID, 0, 0, 18, 800_000);
        assertThrows(IllegalArgumentException.class,
                () -> new BlindedPayments.Recipient(US.publicKey(), PATH_ID, -1, 0, 18, 800_000));
        assertThrows(IllegalArgumentException.class,
                () -> new BlindedPayments.IntermediateHop(I1.publicKey(), 1, new PaymentRelay(10, 0, 0), 5, 4));
    }

    /**
     * A hop whose maximum HTLC exactly pays its fee_base forwards 0: no amount passes; a maximum
     * below its fee_base cannot pass anything at all. Both refused, each with its own reason.
     */
    @Test
    void aMaximumThatOnlyPaysTheFee_passesNothing() {
        List<BlindedPayments.IntermediateHop> exact = List.of(new BlindedPayments.IntermediateHop(I1.publicKey(), 1,
                new PaymentRelay(10, 0, 500), 0, 500));
        OnionException e = assertThrows(OnionException.class,
                () -> BlindedPayments.create(exact, recipient(), new SecureRandom()));
        assertEquals("no amount passes every hop: minimum 1000 > maximum 0 msat", e.getMessage());
        List<BlindedPayments.IntermediateHop> below = List.of(new BlindedPayments.IntermediateHop(I1.publicKey(), 1,
                new PaymentRelay(10, 0, 500), 0, 499));
        e = assertThrows(OnionException.class, () -> BlindedPayments.create(below, recipient(), new SecureRandom()));
        assertEquals("hop 0 charges more than the maximum HTLC of hop 0", e.getMessage());
    }

    /** blinded_payinfo's fees are u32s and its delta a u16: the aggregate may reach each limit, not pass it. */
    @Test
    void aggregate_reachesEachU32AndU16Limit_notBeyond() {
        BlindedPayInfo max = BlindedPayments.aggregate(List.of(new PaymentRelay(0xffff - 18, 0xffffffffL, 0xffffffffL)), 18);
        assertEquals(0xffffffffL, max.feeBaseMsat());
        assertEquals(0xffffffffL, max.feeProportionalMillionths());
        assertEquals(0xffff, max.cltvExpiryDelta());
        for (List<PaymentRelay> over : List.of(
                List.of(new PaymentRelay(0, 0, 1L << 31), new PaymentRelay(0, 0, 1L << 31)),
                List.of(new PaymentRelay(0, 1L << 31, 0), new PaymentRelay(0, 1L << 31, 0)),
                List.of(new PaymentRelay(0xffff - 18 + 1, 0, 0)))) {
            OnionException e = assertThrows(OnionException.class, () -> BlindedPayments.aggregate(over, 18));
            assertEquals(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, e.reason());
        }
    }
    @Test
    void recipient_printsItsBounds_notItsPathId() {
        String s = recipient().toString();
        assertEquals("Recipient[" + US.publicKey() + ", path_id=<32B>, htlc=[1000,2000000], minFinalCltvExpiryDelta=18,"
                + " maxCltvExpiry=800000]", s);
        assertFalse(s.contains(PATH_ID.toHex()));
    }
}
