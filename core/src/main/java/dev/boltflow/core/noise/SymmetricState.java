package dev.boltflow.core.noise;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.ChaCha;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The handshake's running {@code ck} and {@code h} (BOLT 8, Handshake State). Mutable, owned by one handshake. */
final class SymmetricState {
    private static final byte[] PROTOCOL_NAME =
            "Noise_XK_secp256k1_ChaChaPoly_SHA256".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROLOGUE = "lightning".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    private byte[] ck;
    private byte[] h;

    private SymmetricState(byte[] ck, byte[] h) {
        this.ck = ck;
        this.h = h;
    }

    /** BOLT 8, Handshake State Initialization, with the responder's static key mixed in. */
    static SymmetricState initialize(PublicKey responderStatic) {
        byte[] h = Hashes.sha256(PROTOCOL_NAME);
        byte[] ck = h.clone();
        h = Hashes.sha256(h, PROLOGUE);
        h = Hashes.sha256(h, responderStatic.toArray());
        return new SymmetricState(ck, h);
    }

    /** h = SHA-256(h ‖ data). */
    void mixHash(byte[] data) {
        h = Hashes.sha256(h, data);
    }

    /** ck, temp_k = HKDF(ck, ss); returns temp_k. */
    byte[] mixKey(Bytes32 sharedSecret) {
        byte[] okm = Hashes.hkdf64(ck, sharedSecret.toArray());
        Arrays.fill(ck, (byte) 0);
        ck = Arrays.copyOfRange(okm, 0, 32);
        byte[] tempKey = Arrays.copyOfRange(okm, 32, 64);
        Arrays.fill(okm, (byte) 0);
        return tempKey;
    }

    /** c = encryptWithAD(k, n, h, plaintext); h = SHA-256(h ‖ c); returns c. */
    byte[] encryptAndHash(byte[] key, long nonce, byte[] plaintext) {
        byte[] c = ChaCha.seal(key, ChaCha.noiseNonce(nonce), h, plaintext);
        mixHash(c);
        return c;
    }

    /**
     * p = decryptWithAD(k, n, h, c); h = SHA-256(h ‖ c); returns p. A bad MAC throws
     * {@link dev.boltflow.core.crypto.AuthenticationException} before h changes.
     */
    byte[] decryptAndHash(byte[] key, long nonce, byte[] buf, int offset, int length) {
        byte[] p = ChaCha.open(key, ChaCha.noiseNonce(nonce), h, buf, offset, length);
        mixHash(Arrays.copyOfRange(buf, offset, offset + length));
        return p;
    }

    /**
     * The end of act three: {@code k1, k2 = HKDF(ck, zero)} and {@code sck = rck = ck}. The
     * initiator sends with k1 and the responder with k2 (BOLT 8, Act Three).
     */
    TransportCipher split(boolean initiator) {
        byte[] okm = Hashes.hkdf64(ck, EMPTY);
        byte[] k1 = Arrays.copyOfRange(okm, 0, 32);
        byte[] k2 = Arrays.copyOfRange(okm, 32, 64);
        TransportCipher cipher = initiator
                ? new TransportCipher(k1, k2, ck)
                : new TransportCipher(k2, k1, ck);
        Arrays.fill(okm, (byte) 0);
        Arrays.fill(k1, (byte) 0);
        Arrays.fill(k2, (byte) 0);
        destroy();
        return cipher;
    }

    void destroy() {
        Arrays.fill(ck, (byte) 0);
        Arrays.fill(h, (byte) 0);
    }
}
