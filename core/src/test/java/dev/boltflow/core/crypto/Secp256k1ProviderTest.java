package dev.boltflow.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes32;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every key operation goes through the installed {@link Secp256k1Provider}, so another provider
 * (a native one) changes no caller. The provider here has handles of its own type and counts calls.
 */
class Secp256k1ProviderTest {
    private final Secp256k1Provider previous = Secp256k1Providers.current();
    private final SecureRandom random = new SecureRandom();

    @AfterEach
    void restore() {
        Secp256k1Providers.install(previous);
    }

    @Test
    void auto_picks_libsecp256k1_where_it_loads_and_each_choice_names_its_provider() throws Exception {
        // It loads wherever the tests run (Secp256k1TestProviders fails otherwise).
        Secp256k1Providers.Selection auto = Secp256k1Providers.select(Secp256k1Providers.Choice.AUTO);
        assertSame(LibSecp256k1.load(), auto.provider());
        assertTrue(auto.fallbackReason().isEmpty());
        assertSame(LibSecp256k1.load(), Secp256k1Providers.select(Secp256k1Providers.Choice.NATIVE).provider());
        assertSame(BouncyCastleSecp256k1.INSTANCE, Secp256k1Providers.select(Secp256k1Providers.Choice.BOUNCYCASTLE).provider());
        assertEquals("native", LibSecp256k1.load().name());
        assertEquals("bouncycastle", BouncyCastleSecp256k1.INSTANCE.name());
        for (Secp256k1Providers.Choice c : Secp256k1Providers.Choice.values()) {
            assertSame(c, Secp256k1Providers.Choice.parse(c.cliName()));
        }
        assertThrows(IllegalArgumentException.class, () -> Secp256k1Providers.Choice.parse("openssl"));
    }

    @Test
    void install_returns_the_previous_provider() throws Exception {
        Secp256k1Provider before = Secp256k1Providers.install(BouncyCastleSecp256k1.INSTANCE);
        assertSame(previous, before);
        assertSame(BouncyCastleSecp256k1.INSTANCE, Secp256k1Providers.current());
        // The previous one is the one installed, not the default (native here).
        assertSame(BouncyCastleSecp256k1.INSTANCE, Secp256k1Providers.install(LibSecp256k1.load()));
        assertSame(LibSecp256k1.load(), Secp256k1Providers.install(BouncyCastleSecp256k1.INSTANCE));
    }

    @Test
    void key_operations_go_through_the_installed_provider_and_agree_with_the_default() {
        PrivateKey alice = PrivateKey.random(random);
        PrivateKey bob = PrivateKey.random(random);
        Bytes32 msg = Bytes32.random(random);
        Bytes32 aux = Bytes32.random(random);
        Bytes32 tweak = Bytes32.random(random);
        // Computed with the default provider first; alice/bob keep its handles.
        PublicKey bobPub = bob.publicKey();
        Bytes32 ecdh = alice.ecdh(bobPub);
        Signature sig = Schnorr.sign(alice, msg, aux);
        PublicKey tweaked = bobPub.multiply(tweak);

        Wrapping other = new Wrapping();
        Secp256k1Providers.install(other);
        // Keys made under the other provider are re-parsed, never handed a foreign handle.
        assertEquals(ecdh, alice.ecdh(bobPub));
        assertEquals(ecdh, bob.ecdh(alice.publicKey()));
        assertEquals(sig, Schnorr.sign(alice, msg, aux));
        assertTrue(Schnorr.verify(alice.publicKey(), msg, sig));
        assertTrue(Schnorr.verify(alice.publicKey().xOnly(), msg, sig));
        assertFalse(Schnorr.verify(bobPub, msg, sig));
        assertEquals(tweaked, PublicKey.fromBytes(bobPub.toArray()).multiply(tweak));
        PublicKey fresh = PrivateKey.random(random).publicKey();
        assertEquals(fresh.add(bobPub), bobPub.add(fresh));

        assertEquals(alice.multiply(tweak).publicKey(), alice.publicKey().multiply(tweak));
        assertEquals(ecdh, alice.ecdh(bob), "ECDH with a key pair we hold: (a·b)·G");
        for (String op : new String[] {"parse", "publicKey", "ecdh", "sign", "verify", "tweak", "add", "multiplySecret"}) {
            assertTrue(other.calls(op) > 0, op + " did not reach the provider");
        }
    }

    @Test
    void a_sum_at_infinity_is_refused() {
        PublicKey p = PrivateKey.random(random).publicKey();
        byte[] negated = p.toArray();
        negated[0] ^= 1; // 02 <-> 03: the same x, the other y
        assertThrows(IllegalArgumentException.class, () -> p.add(PublicKey.fromBytes(negated)));
    }

    /** Delegates to BouncyCastle, but its handles are {@link Handle}s and it counts every call. */
    private static final class Wrapping implements Secp256k1Provider {
        private final Secp256k1Provider bc = BouncyCastleSecp256k1.INSTANCE;
        private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

        private record Handle(Object inner) {
        }

        long calls(String op) {
            LongAdder a = calls.get(op);
            return a == null ? 0 : a.sum();
        }

        private Object count(String op, Object inner) {
            calls.computeIfAbsent(op, k -> new LongAdder()).increment();
            return new Handle(inner);
        }

        private static Object unwrap(Object h) {
            if (!(h instanceof Handle)) {
                throw new IllegalArgumentException("a handle from another provider: " + h.getClass());
            }
            return ((Handle) h).inner();
        }

        @Override
        public String name() {
            return "wrapping";
        }

        @Override
        public Object parse(byte[] compressed) {
            return count("parse", bc.parse(compressed));
        }

        @Override
        public byte[] serialize(Object point) {
            return bc.serialize(unwrap(point));
        }

        @Override
        public Object publicKey(byte[] secret) {
            return count("publicKey", bc.publicKey(secret));
        }

        @Override
        public byte[] ecdh(byte[] secret, Object point) {
            count("ecdh", null);
            return bc.ecdh(secret, unwrap(point));
        }

        @Override
        public Object tweak(Object point, byte[] tweak) {
            return count("tweak", bc.tweak(unwrap(point), tweak));
        }

        @Override
        public Object add(Object a, Object b) {
            return count("add", bc.add(unwrap(a), unwrap(b)));
        }

        @Override
        public byte[] multiplySecret(byte[] secret, byte[] tweak) {
            count("multiplySecret", null);
            return bc.multiplySecret(secret, tweak);
        }

        @Override
        public byte[] signSchnorr(byte[] secret, Object publicKey, byte[] msg, byte[] aux) {
            count("sign", null);
            return bc.signSchnorr(secret, unwrap(publicKey), msg, aux);
        }

        @Override
        public boolean verifySchnorr(byte[] xOnly, Object point, byte[] msg, byte[] sig) {
            count("verify", null);
            return bc.verifySchnorr(xOnly, point == null ? null : unwrap(point), msg, sig);
        }

        @Override
        public byte[] signEcdsa(byte[] secret, byte[] hash32) {
            count("signEcdsa", null);
            return bc.signEcdsa(secret, hash32);
        }

        @Override
        public boolean verifyEcdsa(Object point, byte[] hash32, byte[] sig) {
            count("verifyEcdsa", null);
            return bc.verifyEcdsa(unwrap(point), hash32, sig);
        }
    }
}
