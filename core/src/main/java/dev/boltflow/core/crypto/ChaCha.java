package dev.boltflow.core.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** ChaCha20 (RFC 8439, 96-bit nonce) and ChaCha20-Poly1305 on BouncyCastle. */
public final class ChaCha {
    public static final int TAG_LENGTH = 16;

    private ChaCha() {
    }

    /** AEAD encryption: ciphertext ‖ 16-byte tag. */
    public static byte[] seal(byte[] key, byte[] nonce, byte[] ad, byte[] plaintext) {
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(true, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, ad));
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail", e);
        }
        return out;
    }

    /**
     * AEAD decryption of ciphertext ‖ tag. The tag is checked in constant time (BouncyCastle);
     * a mismatch throws {@link AuthenticationException}.
     */
    public static byte[] open(byte[] key, byte[] nonce, byte[] ad, byte[] sealed, int offset, int length) {
        if (length < TAG_LENGTH) {
            throw new AuthenticationException("ciphertext shorter than its tag");
        }
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(false, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, ad));
        byte[] out = new byte[length - TAG_LENGTH];
        int n = c.processBytes(sealed, offset, length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new AuthenticationException("bad MAC");
        }
        return out;
    }

    public static byte[] open(byte[] key, byte[] nonce, byte[] ad, byte[] sealed) {
        return open(key, nonce, ad, sealed, 0, sealed.length);
    }

    /** The 12-byte nonce of BOLT 8 and Noise: 4 zero bytes ‖ little-endian u64. */
    public static byte[] noiseNonce(long n) {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        return nonce;
    }
}
