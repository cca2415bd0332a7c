package dev.boltflow.core.noise;

import dev.boltflow.core.crypto.PrivateKey;
import java.security.SecureRandom;

/**
 * BOLT 8 {@code generateKey()}: where a handshake gets its ephemeral key. Production code uses
 * {@link #secureRandom()}; "a node MUST generate a new ephemeral key with strong cryptographic
 * randomness" (BOLT 8, Handshake State). Tests pass the fixed key of the spec's appendix.
 */
@FunctionalInterface
public interface EphemeralKeySource {

    /** A fresh key pair for one handshake. */
    PrivateKey generateKey();

    /** Keys drawn from a new {@link SecureRandom}. */
    static EphemeralKeySource secureRandom() {
        return secureRandom(new SecureRandom());
    }

    /** Keys drawn from {@code random}, which must be a cryptographically strong source. */
    static EphemeralKeySource secureRandom(SecureRandom random) {
        return () -> PrivateKey.random(random);
    }
}
