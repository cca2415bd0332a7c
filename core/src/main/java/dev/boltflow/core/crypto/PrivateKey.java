package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A secp256k1 secret scalar. It never prints itself: {@link #toString()} is redacted, and there is
 * deliberately no accessor that returns it as hex. Every operation on it is the installed
 * {@link Secp256k1Provider}'s.
 */
public final class PrivateKey {
    /** 32 big-endian bytes in [1, n − 1]; never handed out, only copies. */
    private final byte[] secret;
    private volatile PublicKey publicKey;

    private PrivateKey(byte[] secret) {
        this.secret = secret;
    }

    /** From 32 big-endian bytes in [1, n-1], else a {@link DecodeException}. */
    public static PrivateKey fromBytes(byte[] b32) {
        if (!Secp256k1.isValidScalar(b32)) {
            throw new DecodeException(b32 == null || b32.length != 32 ? "scalar must be 32 bytes" : "scalar out of range");
        }
        return new PrivateKey(b32.clone());
    }

    public static PrivateKey fromBytes32(Bytes32 b) {
        return fromBytes(b.toArray());
    }

    public static PrivateKey random(SecureRandom random) {
        byte[] b = new byte[32];
        while (true) {
            random.nextBytes(b);
            if (Secp256k1.isValidScalar(b)) {
                return new PrivateKey(b);
            }
        }
    }

    public PublicKey publicKey() {
        PublicKey p = publicKey;
        if (p == null) {
            Secp256k1Provider provider = Secp256k1Providers.current();
            p = PublicKey.fromHandle(provider, provider.publicKey(secret));
            publicKey = p;
        }
        return p;
    }

    /** The 32 secret bytes, for persisting the key; callers must not log them. */
    public byte[] toBytes() {
        return secret.clone();
    }

    /** this·tweak mod n (route blinding: the blinded node's private key, the next path key secret). */
    public PrivateKey multiply(Bytes32 tweak) {
        byte[] t = tweak.toArray();
        if (!Secp256k1.isValidScalar(t)) {
            // Zero or ≥ n: a hash output that BOLT 4 cannot use (probability about 2^-128).
            throw new IllegalArgumentException("tweak gives a zero key or is not below n");
        }
        return new PrivateKey(Secp256k1Providers.current().multiplySecret(secret, t));
    }

    /** BOLT 4 / BOLT 8 ECDH: SHA256 of the compressed point secret·P. */
    public Bytes32 ecdh(PublicKey remote) {
        Secp256k1Provider provider = Secp256k1Providers.current();
        return Bytes32.wrap(provider.ecdh(secret, remote.handle(provider)));
    }

    /**
     * The same shared secret as {@code ecdh(other.publicKey())}, for a key pair we hold both
     * halves of (a blinded hop to ourselves): SHA256 of (this·other)·G, one fixed-base
     * multiplication instead of a variable-base one.
     */
    public Bytes32 ecdh(PrivateKey other) {
        Secp256k1Provider provider = Secp256k1Providers.current();
        byte[] product = provider.multiplySecret(secret, other.secret);
        try {
            return Hashes.sha256Of(provider.serialize(provider.publicKey(product)));
        } finally {
            Arrays.fill(product, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "PrivateKey[redacted]";
    }
}
