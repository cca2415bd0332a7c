package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes32;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

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
            Secp256k1Provider provider = Secp256k1Providers.current();
            byte[] b = toBytes();
            try {
                p = PublicKey.fromHandle(provider, provider.publicKey(b));
            } finally {
                Arrays.fill(b, (byte) 0);
            }
            publicKey = p;
        }
        return p;
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
        Secp256k1Provider provider = Secp256k1Providers.current();
        byte[] b = toBytes();
        try {
            return Hashes.sha256Of(provider.ecdh(b, remote.handle(provider)));
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "PrivateKey[redacted]";
    }
}
