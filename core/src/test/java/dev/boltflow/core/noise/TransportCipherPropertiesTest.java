package dev.boltflow.core.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.Secp256k1;
import dev.boltflow.core.testing.EachSecp256k1Provider;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** Handshakes between random keys, then traffic both ways across key rotations; tampering fails. */
@AddLifecycleHook(EachSecp256k1Provider.class)
class TransportCipherPropertiesTest {

    @Provide
    Arbitrary<PrivateKey> privateKeys() {
        return privateKeyArbitrary();
    }

    /** Valid secp256k1 secrets drawn by jqwik, so a failing case is reproducible from its seed. */
    static Arbitrary<PrivateKey> privateKeyArbitrary() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32)
                .filter(b -> {
                    BigInteger k = new BigInteger(1, b);
                    return k.signum() > 0 && k.compareTo(Secp256k1.N) < 0;
                })
                .map(PrivateKey::fromBytes);
    }

    private static HandshakeResult[] handshake(PrivateKey initiatorStatic, PrivateKey responderStatic,
                                               PrivateKey initiatorEphemeral, PrivateKey responderEphemeral) {
        NoiseHandshake.Initiator i = NoiseHandshake.initiator(initiatorStatic, responderStatic.publicKey(),
                () -> initiatorEphemeral);
        NoiseHandshake.Responder r = NoiseHandshake.responder(responderStatic, () -> responderEphemeral);
        byte[] act2 = r.actTwo(i.actOne());
        HandshakeResult fromResponder = r.complete(i.actThree(act2));
        return new HandshakeResult[] {i.result(), fromResponder};
    }

    @Property(tries = 12)
    void handshake_then_messages_both_ways_across_rotations(
            @ForAll("privateKeys") PrivateKey initiatorStatic, @ForAll("privateKeys") PrivateKey responderStatic,
            @ForAll("privateKeys") PrivateKey ie, @ForAll("privateKeys") PrivateKey re, @ForAll long seed) {
        HandshakeResult[] r = handshake(initiatorStatic, responderStatic, ie, re);
        assertEquals(initiatorStatic.publicKey(), r[1].remoteStatic(), "responder learns the initiator");
        assertEquals(responderStatic.publicKey(), r[0].remoteStatic());
        TransportCipher a = r[0].cipher();
        TransportCipher b = r[1].cipher();
        Random random = new Random(seed);
        int aToB = 0;
        int bToA = 0;
        // Over 1000 messages each way is more than 2000 nonces: every key rotates at least twice.
        while (aToB < 1100 || bToA < 1100) {
            boolean fromA = random.nextBoolean();
            TransportCipher sender = fromA ? a : b;
            TransportCipher receiver = fromA ? b : a;
            byte[] message = new byte[random.nextInt(8) == 0 ? random.nextInt(2000) : random.nextInt(40)];
            random.nextBytes(message);
            byte[] frame = sender.encrypt(message);
            int l = receiver.decryptLength(Arrays.copyOf(frame, TransportCipher.HEADER_LENGTH));
            assertEquals(message.length, l);
            assertArrayEquals(message, receiver.decryptBody(
                    Arrays.copyOfRange(frame, TransportCipher.HEADER_LENGTH, frame.length)));
            if (fromA) {
                aToB++;
            } else {
                bToA++;
            }
        }
        assertArrayEquals(a.sendingKey(), b.receivingKey());
        assertArrayEquals(b.sendingKey(), a.receivingKey());
    }

    @Property(tries = 300)
    void any_flipped_bit_in_a_frame_is_rejected(
            @ForAll @Size(max = 300) byte[] message, @ForAll @IntRange(min = 0, max = 1200) int priorMessages,
            @ForAll long bitSeed, @ForAll long keySeed) {
        Random random = new Random(keySeed);
        byte[] sk = new byte[32];
        byte[] ck = new byte[32];
        random.nextBytes(sk);
        random.nextBytes(ck);
        TransportCipher sender = new TransportCipher(sk, new byte[32], ck);
        TransportCipher receiver = new TransportCipher(new byte[32], sk, ck);
        for (int i = 0; i < priorMessages; i++) {
            receiver.decrypt(sender.encrypt(new byte[0]));
        }
        byte[] frame = sender.encrypt(message);
        int bit = (int) Math.floorMod(bitSeed, (long) frame.length * 8);
        frame[bit / 8] ^= (byte) (1 << (bit % 8));
        if (bit / 8 < TransportCipher.HEADER_LENGTH) {
            assertThrows(AuthenticationException.class, () -> receiver.decryptLength(frame, 0));
        } else {
            int l = receiver.decryptLength(frame, 0);
            assertEquals(message.length, l);
            assertThrows(AuthenticationException.class,
                    () -> receiver.decryptBody(frame, TransportCipher.HEADER_LENGTH, l + TransportCipher.MAC_LENGTH));
        }
    }

    @Property(tries = 30)
    void a_wrong_responder_key_fails_act_one(@ForAll("privateKeys") PrivateKey initiatorStatic,
                                             @ForAll("privateKeys") PrivateKey responderStatic,
                                             @ForAll("privateKeys") PrivateKey impostor,
                                             @ForAll("privateKeys") PrivateKey e) {
        if (impostor.publicKey().equals(responderStatic.publicKey())) {
            return;
        }
        NoiseHandshake.Initiator i = NoiseHandshake.initiator(initiatorStatic, responderStatic.publicKey(), () -> e);
        NoiseHandshake.Responder r = NoiseHandshake.responder(impostor, () -> e);
        HandshakeException ex = assertThrows(HandshakeException.class, () -> r.actTwo(i.actOne()));
        assertEquals(HandshakeException.Code.ACT1_BAD_TAG, ex.code());
    }
}
