package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes32;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * SHA-256, HMAC-SHA256 and HKDF-SHA256: the hash functions every BOLT here is built on. SHA-256 and
 * HMAC are the JDK's ({@code MessageDigest}, {@code Mac}): HotSpot compiles them to the CPU's SHA
 * instructions where it has them (SHA-NI on x86-64, the SHA2 extension on AArch64), about seven
 * times faster than a Java implementation; the onion and BOLT 12 merkle hashing are most of a
 * sendinvoice's work outside secp256k1. HKDF, used only per BOLT 8 handshake and key rotation, is
 * BouncyCastle's.
 */
public final class Hashes {
    private static final String SHA256 = "SHA-256";
    private static final String HMAC = "HmacSHA256";
    /** Never updated: only cloned (cheaper than a provider look-up). */
    private static final MessageDigest SHA256_PROTOTYPE = sha256Instance();

    private Hashes() {
    }

    /** A fresh SHA-256. */
    public static MessageDigest newSha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha256Instance();
        }
    }

    private static MessageDigest sha256Instance() {
        try {
            return MessageDigest.getInstance(SHA256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    public static byte[] sha256(byte[]... parts) {
        MessageDigest d = newSha256();
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    public static Bytes32 sha256Of(byte[]... parts) {
        return Bytes32.wrap(sha256(parts));
    }

    public static byte[] hmacSha256(byte[] key, byte[]... parts) {
        Mac mac = newHmac(key);
        for (byte[] p : parts) {
            mac.update(p);
        }
        return mac.doFinal();
    }

    /** An HMAC-SHA256 keyed with {@code key}, ready for {@code update}. */
    public static Mac newHmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }

    /**
     * HMAC-SHA256 under a fixed, public key, such as BOLT 4's key types ({@code "rho"},
     * {@code "mu"}, …): the keyed state is made once and copied for each use. Thread-safe.
     */
    public static final class KeyedHmac {
        private final byte[] key;
        private final Mac prototype;

        public KeyedHmac(byte[] key) {
            this.key = key.clone();
            this.prototype = newHmac(key);
        }

        /** A fresh MAC with the key absorbed, for {@code update} and {@code doFinal}. */
        public Mac start() {
            try {
                return (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                return newHmac(key);
            }
        }

        /** HMAC256(key, parts[0] ‖ parts[1] ‖ …). */
        public byte[] mac(byte[]... parts) {
            Mac m = start();
            for (byte[] p : parts) {
                m.update(p);
            }
            return m.doFinal();
        }
    }

    /** HKDF-SHA256 (RFC 5869) with an empty info field, as BOLT 8 uses it: 64 bytes out. */
    public static byte[] hkdf64(byte[] salt, byte[] ikm) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(ikm, salt, new byte[0]));
        byte[] out = new byte[64];
        g.generateBytes(out, 0, 64);
        return out;
    }
}
