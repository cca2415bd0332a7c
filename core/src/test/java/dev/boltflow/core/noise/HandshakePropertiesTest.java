package dev.boltflow.core.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.testing.EachSecp256k1Provider;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** Every flipped bit in any act is refused with a code of that act; untouched acts always agree. */
@AddLifecycleHook(EachSecp256k1Provider.class)
class HandshakePropertiesTest {

    @Provide
    Arbitrary<PrivateKey> keys() {
        return TransportCipherPropertiesTest.privateKeyArbitrary();
    }

    @Property(tries = 150)
    void a_flipped_bit_in_any_act_fails_with_that_acts_code(
            @ForAll @IntRange(min = 1, max = 3) int act, @ForAll @IntRange(min = 0, max = 66 * 8 - 1) int bit,
            @ForAll("keys") PrivateKey is, @ForAll("keys") PrivateKey rs,
            @ForAll("keys") PrivateKey ie, @ForAll("keys") PrivateKey re) {
        NoiseHandshake.Initiator i = NoiseHandshake.initiator(is, rs.publicKey(), () -> ie);
        NoiseHandshake.Responder r = NoiseHandshake.responder(rs, () -> re);
        byte[] one = i.actOne();
        if (act == 1) {
            flip(one, bit);
            HandshakeException e = assertThrows(HandshakeException.class, () -> r.actTwo(one));
            assertTrue(e.code().name().startsWith("ACT1_"), e.code().name());
            return;
        }
        byte[] two = r.actTwo(one);
        if (act == 2) {
            flip(two, bit);
            HandshakeException e = assertThrows(HandshakeException.class, () -> i.actThree(two));
            assertTrue(e.code().name().startsWith("ACT2_"), e.code().name());
            assertFalse(i.isComplete());
            return;
        }
        byte[] three = i.actThree(two);
        flip(three, bit);
        HandshakeException e = assertThrows(HandshakeException.class, () -> r.complete(three));
        assertTrue(e.code().name().startsWith("ACT3_"), e.code().name());
        assertFalse(r.isComplete());
    }

    @Property(tries = 20)
    void random_handshakes_agree_on_keys(@ForAll("keys") PrivateKey is, @ForAll("keys") PrivateKey rs) {
        // Production ephemeral keys: SecureRandom.
        NoiseHandshake.Initiator i = NoiseHandshake.initiator(is, rs.publicKey(), EphemeralKeySource.secureRandom());
        NoiseHandshake.Responder r = NoiseHandshake.responder(rs, EphemeralKeySource.secureRandom());
        HandshakeResult responderSide = r.complete(i.actThree(r.actTwo(i.actOne())));
        TransportCipher a = i.result().cipher();
        TransportCipher b = responderSide.cipher();
        assertEquals(is.publicKey(), responderSide.remoteStatic());
        assertArrayEquals(a.sendingKey(), b.receivingKey());
        assertArrayEquals(a.receivingKey(), b.sendingKey());
        assertArrayEquals(a.sendingChainingKey(), b.receivingChainingKey());
    }

    /** Flips bit {@code bit} modulo the act's length. */
    private static void flip(byte[] act, int bit) {
        int b = bit % (act.length * 8);
        act[b / 8] ^= (byte) (1 << (b % 8));
    }
}
