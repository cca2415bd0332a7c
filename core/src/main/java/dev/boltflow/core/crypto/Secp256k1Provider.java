package dev.boltflow.core.crypto;

/**
 * Every secp256k1 operation boltflow performs, behind one interface: {@link LibSecp256k1} (Bitcoin
 * Core's libsecp256k1 through JNI, the default where its native library loads) and
 * {@link BouncyCastleSecp256k1} (pure Java, the fallback and the reference) implement it, and
 * {@link Secp256k1Providers} says which one the process uses. {@link PublicKey}, {@link PrivateKey}
 * and {@link Schnorr} are the only classes that call it, and everything else calls them.
 *
 * <p>Points cross this interface as opaque handles: whatever a provider returns from
 * {@link #parse}, {@link #publicKey}, {@link #tweak} or {@link #add}, and only ever given back to
 * the same provider (a BouncyCastle {@code ECPoint}, libsecp256k1's 65-byte serialisation, …).
 * Secrets cross it as 32-byte big-endian arrays, which the caller wipes afterwards.
 *
 * <p>Contract for implementations, which {@code Secp256k1ProvidersAgreeTest} checks on random and
 * edge inputs: every provider returns the same bytes for the same inputs and refuses the same bad
 * inputs with the same exception type: a point that is not 33 bytes, not 02/03-prefixed or not on
 * the curve is a {@link dev.boltflow.core.bytes.DecodeException}; a secret or tweak that is not 32
 * bytes in [1, n − 1] is an {@link IllegalArgumentException}, and so is a result at infinity.
 * Operations on secrets ({@link #publicKey}, {@link #ecdh}, {@link #multiplySecret},
 * {@link #signSchnorr}) should run in time independent of the secret (each provider's Javadoc says
 * how far it does); verification never throws; every method is thread-safe.
 */
public interface Secp256k1Provider {

    /** The name {@code --secp256k1} and reports use: {@code native} or {@code bouncycastle}. */
    String name();

    /** What this provider is, for logs: its library and version. */
    default String description() {
        return name();
    }

    /**
     * Parses a 33-byte compressed point (BOLT 1 {@code point}).
     *
     * @throws dev.boltflow.core.bytes.DecodeException if it is not a valid point on the curve
     */
    Object parse(byte[] compressed);

    /** The 33-byte compressed encoding of a handle. */
    byte[] serialize(Object point);

    /** secret·G. */
    Object publicKey(byte[] secret);

    /**
     * BOLT 4 / BOLT 8 ECDH: SHA256 of the compressed encoding of secret·P (libsecp256k1's default
     * ECDH hash). Constant time in the secret.
     */
    byte[] ecdh(byte[] secret, Object point);

    /** tweak·P for a public 32-byte tweak (blinded node ids, next path keys); may be variable-time. */
    Object tweak(Object point, byte[] tweak);

    /**
     * a + b.
     *
     * @throws IllegalArgumentException if the sum is the point at infinity
     */
    Object add(Object a, Object b);

    /** secret·tweak mod n, 32 bytes: a blinded private key, the next key of a key chain. */
    byte[] multiplySecret(byte[] secret, byte[] tweak);

    /**
     * A BIP-340 signature ("Default Signing", with its final self-verification) of {@code msg}
     * under the key pair ({@code secret}, {@code publicKey} = secret·G), with 32 bytes of auxiliary
     * randomness.
     */
    byte[] signSchnorr(byte[] secret, Object publicKey, byte[] msg, byte[] aux);

    /**
     * BIP-340 verification of a 64-byte signature under the x-only key {@code xOnly}. {@code point},
     * when not null, is a parsed point with that x coordinate (of either parity), which may save the
     * provider lifting x. Returns false, never throws, on any bad input.
     */
    boolean verifySchnorr(byte[] xOnly, Object point, byte[] msg, byte[] sig);

    /**
     * An ECDSA signature of the 32-byte hash {@code hash32} in BOLT 1's compact form
     * ({@code signature}: 32-byte r ‖ 32-byte s), with RFC 6979 deterministic nonces and a low s
     * (s ≤ n/2), as libsecp256k1 makes them: the same key and hash give the same bytes.
     */
    byte[] signEcdsa(byte[] secret, byte[] hash32);

    /**
     * ECDSA verification of a compact 64-byte signature of {@code hash32} under {@code point} (a
     * handle of this provider). A high s is accepted (BOLT 7 does not require low s; signatures are
     * malleable, which it notes). Returns false, never throws, on any bad input (r or s zero or ≥ n).
     */
    boolean verifyEcdsa(Object point, byte[] hash32, byte[] sig);
}
