package dev.boltflow.core.noise;

import dev.boltflow.core.crypto.ChaCha;
import dev.boltflow.core.crypto.Hashes;
import java.util.Arrays;

/**
 * One direction of a BOLT 8 transport: a key, its nonce and its chaining key. Mutable and owned
 * by one {@link TransportCipher}.
 */
final class CipherState {
    /** BOLT 8, Lightning Message Key Rotation: "rotating the key once the nonce ... reaches 1000". */
    static final long ROTATE_AT = 1000;
    private static final byte[] NO_AD = new byte[0];

    private byte[] key;
    private byte[] chainingKey;
    private long nonce;

    CipherState(byte[] key, byte[] chainingKey) {
        if (key.length != 32 || chainingKey.length != 32) {
            throw new IllegalArgumentException("keys are 32 bytes");
        }
        this.key = key.clone();
        this.chainingKey = chainingKey.clone();
    }

    /** ChaCha20-Poly1305 with the next nonce and an empty AD; then the nonce advances. */
    byte[] seal(byte[] plaintext) {
        byte[] out = ChaCha.seal(key, ChaCha.noiseNonce(nonce), NO_AD, plaintext);
        advance();
        return out;
    }

    /**
     * Opens {@code length} bytes (ciphertext ‖ tag) with the next nonce. On success the nonce
     * advances; on a bad MAC it throws {@link dev.boltflow.core.crypto.AuthenticationException}
     * and the state is left as it was (the caller then poisons the cipher).
     */
    byte[] open(byte[] buf, int offset, int length) {
        byte[] out = ChaCha.open(key, ChaCha.noiseNonce(nonce), NO_AD, buf, offset, length);
        advance();
        return out;
    }

    private void advance() {
        nonce++;
        if (nonce == ROTATE_AT) {
            // BOLT 8, Lightning Message Key Rotation: ck', k' = HKDF(ck, k); n = 0.
            byte[] okm = Hashes.hkdf64(chainingKey, key);
            Arrays.fill(key, (byte) 0);
            Arrays.fill(chainingKey, (byte) 0);
            chainingKey = Arrays.copyOfRange(okm, 0, 32);
            key = Arrays.copyOfRange(okm, 32, 64);
            Arrays.fill(okm, (byte) 0);
            nonce = 0;
        }
    }

    /** Overwrites the key material; the state is unusable afterwards. */
    void destroy() {
        Arrays.fill(key, (byte) 0);
        Arrays.fill(chainingKey, (byte) 0);
    }

    long nonce() {
        return nonce;
    }

    byte[] key() {
        return key.clone();
    }

    byte[] chainingKey() {
        return chainingKey.clone();
    }
}
