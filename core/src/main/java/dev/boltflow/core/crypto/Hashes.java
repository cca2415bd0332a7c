package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes32;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** SHA-256, HMAC-SHA256 and HKDF-SHA256: the hash functions every BOLT here is built on. */
public final class Hashes {
    private Hashes() {
    }

    public static byte[] sha256(byte[]... parts) {
        SHA256Digest d = new SHA256Digest();
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    public static Bytes32 sha256Of(byte[]... parts) {
        return Bytes32.wrap(sha256(parts));
    }

    public static byte[] hmacSha256(byte[] key, byte[]... parts) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        for (byte[] p : parts) {
            mac.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
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
