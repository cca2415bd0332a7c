package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes32;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * A secp256k1 secret scalar. It never prints itself: {@link #toString()} is redacted, and there is
 * deliberately no accessor that returns it as hex.
 */
public final class PrivateKey {
    private final BigInteger secret;
    private volatile PublicKey publicKey;

    private PrivateKey(BigInteger secret) {
        this.secret = secret;
    }

    /** From 32 big-endian bytes in [1, n-1]. */
    public static PrivateKey fromBytes(byte[] b32) {
        return new PrivateKey(Secp256k1.scalar(b32));
    }

    public static PrivateKey fromBytes32(Bytes32 b) {
        return fromBytes(b.toArray());
    }

    public static PrivateKey random(SecureRandom random) {
        byte[] b = new byte[32];
        while (true) {
            random.nextBytes(b);
            BigInteger k = new BigInteger(1, b);
            if (k.signum() > 0 && k.compareTo(Secp256k1.N) < 0) {
                return new PrivateKey(k);
            }
        }
    }

    public PublicKey publicKey() {
        PublicKey p = publicKey;
        if (p == null) {
            p = PublicKey.fromPoint(Secp256k1.multiplyG(secret));
            publicKey = p;
        }
        return p;
    }

    /** The scalar, for crypto code in this module (Schnorr, ECDH, tweaks). */
    BigInteger scalar() {
        return secret;
    }

    /** The 32 secret bytes, for persisting the key; callers must not log them. */
    public byte[] toBytes() {
        return Secp256k1.toBytes32(secret);
    }

    /** this·tweak mod n (route blinding: the blinded node's private key). */
    public PrivateKey multiply(Bytes32 tweak) {
        BigInteger t = new BigInteger(1, tweak.toArray());
        BigInteger k = secret.multiply(t).mod(Secp256k1.N);
        if (k.signum() == 0) {
            throw new IllegalArgumentException("tweak gives a zero key");
        }
        return new PrivateKey(k);
    }

    /** BOLT 4 / BOLT 8 ECDH: SHA256 of the compressed point secret·P. */
    public Bytes32 ecdh(PublicKey remote) {
        return Hashes.sha256Of(Secp256k1.encodeCompressed(Secp256k1.multiply(remote.point(), secret)));
    }

    @Override
    public String toString() {
        return "PrivateKey[redacted]";
    }
}
