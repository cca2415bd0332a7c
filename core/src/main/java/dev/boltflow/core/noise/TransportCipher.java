package dev.boltflow.core.noise;

import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.ChaCha;
import java.util.Objects;

/**
 * The encrypted message stream of one BOLT 8 connection after the handshake (BOLT 8, Lightning
 * Message Specification): a sending key {@code sk} with nonce {@code sn} and chaining key
 * {@code sck}, and a receiving key {@code rk} with {@code rn} and {@code rck}. Each key rotates
 * on its own when its nonce reaches 1000 (BOLT 8, Lightning Message Key Rotation).
 *
 * <p><b>Not thread-safe.</b> One instance belongs to one connection. The send side
 * ({@link #encrypt}) and the receive side ({@link #decryptLength}, {@link #decryptBody}) touch
 * disjoint state, so an outbound encoder and an inbound decoder may each drive their own side,
 * but neither side may be used from two threads at once (in Netty: use it only on the channel's
 * event loop). Frames must be encrypted in the order they are written and decrypted in the order
 * they are read.
 *
 * <p>A frame on the wire is {@code lc ‖ c}: the 2-byte big-endian length encrypted with its
 * 16-byte MAC ({@value #HEADER_LENGTH} bytes), then the message encrypted with its MAC
 * ({@code length + }{@value #MAC_LENGTH} bytes). Reading is two steps so that a streaming decoder
 * can wait for exactly the bytes it needs: {@link #decryptLength} on the header, then
 * {@link #decryptBody} on the next {@code length + 16} bytes.
 *
 * <p>Any MAC failure poisons the receive side: every later decrypt call throws
 * {@link IllegalStateException}, because the connection must be closed (BOLT 8, Receiving and
 * Decrypting Messages; a failed MAC terminates the connection).
 */
public final class TransportCipher {
    /** "The maximum size of any Lightning message MUST NOT exceed 65535 bytes." */
    public static final int MAX_MESSAGE_LENGTH = 65535;
    /** The Poly1305 tag after each encrypted part. */
    public static final int MAC_LENGTH = ChaCha.TAG_LENGTH;
    /** The encrypted length prefix: 2 bytes plus its MAC. */
    public static final int HEADER_LENGTH = 2 + MAC_LENGTH;
    /** The largest frame: 2 + 16 + 65535 + 16. */
    public static final int MAX_FRAME_LENGTH = HEADER_LENGTH + MAX_MESSAGE_LENGTH + MAC_LENGTH;

    private static final int AWAITING_HEADER = -1;

    private final CipherState sender;
    private final CipherState receiver;
    /** The body length announced by the last header, or {@link #AWAITING_HEADER}. */
    private int pendingBodyLength = AWAITING_HEADER;
    private boolean receiveFailed;

    /** From the final handshake keys; {@code ck} seeds both chaining keys ({@code sck = rck = ck}). */
    TransportCipher(byte[] sendingKey, byte[] receivingKey, byte[] chainingKey) {
        this.sender = new CipherState(sendingKey, chainingKey);
        this.receiver = new CipherState(receivingKey, chainingKey);
    }

    /** The number of bytes on the wire for a message of {@code messageLength} bytes. */
    public static int frameLength(int messageLength) {
        return HEADER_LENGTH + messageLength + MAC_LENGTH;
    }

    /**
     * Encrypts one Lightning message into a whole frame: encrypted length (18 bytes) ‖ encrypted
     * message ‖ MAC. Uses two sending nonces (BOLT 8, Encrypting and Sending Messages).
     *
     * @throws MessageTooLongException if the message exceeds {@value #MAX_MESSAGE_LENGTH} bytes;
     *     then no nonce is used
     */
    public byte[] encrypt(byte[] message) {
        Objects.requireNonNull(message, "message");
        if (message.length > MAX_MESSAGE_LENGTH) {
            throw new MessageTooLongException(message.length);
        }
        byte[] length = {(byte) (message.length >>> 8), (byte) message.length};
        byte[] lc = sender.seal(length);
        byte[] c = sender.seal(message);
        byte[] frame = new byte[lc.length + c.length];
        System.arraycopy(lc, 0, frame, 0, lc.length);
        System.arraycopy(c, 0, frame, lc.length, c.length);
        return frame;
    }

    /**
     * Decrypts a frame header: exactly {@value #HEADER_LENGTH} bytes. Returns the message length
     * {@code l}; the caller then reads exactly {@code l + }{@value #MAC_LENGTH} bytes for
     * {@link #decryptBody}.
     *
     * @throws AuthenticationException if the MAC does not verify (the connection must close)
     * @throws IllegalArgumentException if {@code header} is not 18 bytes (a framing bug)
     * @throws IllegalStateException if a body is due instead, or the receive side has failed
     */
    public int decryptLength(byte[] header) {
        Objects.requireNonNull(header, "header");
        if (header.length != HEADER_LENGTH) {
            throw new IllegalArgumentException("a frame header is " + HEADER_LENGTH + " bytes, got " + header.length);
        }
        return decryptLength(header, 0);
    }

    /** As {@link #decryptLength(byte[])}, reading the 18 header bytes at {@code offset}. */
    public int decryptLength(byte[] buf, int offset) {
        Objects.checkFromIndexSize(offset, HEADER_LENGTH, buf.length);
        requireReceiving();
        if (pendingBodyLength != AWAITING_HEADER) {
            throw new IllegalStateException("a body of " + pendingBodyLength + " bytes is due, not a header");
        }
        byte[] l;
        try {
            l = receiver.open(buf, offset, HEADER_LENGTH);
        } catch (AuthenticationException e) {
            failReceiving();
            throw new AuthenticationException("BOLT 8: bad MAC on the message length");
        }
        pendingBodyLength = ((l[0] & 0xff) << 8) | (l[1] & 0xff);
        return pendingBodyLength;
    }

    /**
     * Decrypts the body that follows a header: exactly {@code l + 16} bytes, where {@code l} is what
     * {@link #decryptLength} returned. Returns the Lightning message.
     *
     * @throws AuthenticationException if the MAC does not verify (the connection must close)
     * @throws IllegalArgumentException if the length differs from {@code l + 16} (a framing bug)
     * @throws IllegalStateException if no header was decrypted first, or the receive side has failed
     */
    public byte[] decryptBody(byte[] bodyWithMac) {
        Objects.requireNonNull(bodyWithMac, "bodyWithMac");
        return decryptBody(bodyWithMac, 0, bodyWithMac.length);
    }

    /** As {@link #decryptBody(byte[])}, reading {@code length} bytes at {@code offset}. */
    public byte[] decryptBody(byte[] buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        requireReceiving();
        if (pendingBodyLength == AWAITING_HEADER) {
            throw new IllegalStateException("decryptLength must come before decryptBody");
        }
        if (length != pendingBodyLength + MAC_LENGTH) {
            throw new IllegalArgumentException("expected a body of " + (pendingBodyLength + MAC_LENGTH)
                    + " bytes (message + MAC), got " + length);
        }
        byte[] message;
        try {
            message = receiver.open(buf, offset, length);
        } catch (AuthenticationException e) {
            failReceiving();
            throw new AuthenticationException("BOLT 8: bad MAC on the message body");
        }
        pendingBodyLength = AWAITING_HEADER;
        return message;
    }

    /**
     * Decrypts one whole frame (header and body together), for callers that already hold it.
     *
     * @throws AuthenticationException on a bad MAC, or if the frame's length does not match its
     *     decrypted header
     */
    public byte[] decrypt(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.length < HEADER_LENGTH + MAC_LENGTH) {
            throw new IllegalArgumentException("a frame is at least " + (HEADER_LENGTH + MAC_LENGTH)
                    + " bytes, got " + frame.length);
        }
        int l = decryptLength(frame, 0);
        if (frame.length != frameLength(l)) {
            failReceiving();
            throw new AuthenticationException("BOLT 8: frame of " + frame.length
                    + " bytes does not match its encrypted length " + l);
        }
        return decryptBody(frame, HEADER_LENGTH, l + MAC_LENGTH);
    }

    /** True once a MAC failure has made the receive side unusable. */
    public boolean receiveFailed() {
        return receiveFailed;
    }

    private void requireReceiving() {
        if (receiveFailed) {
            throw new IllegalStateException("the receive side failed a MAC check; the connection must close");
        }
    }

    private void failReceiving() {
        receiveFailed = true;
        receiver.destroy();
    }

    // Package-private views for tests; never exposed, never printed.

    byte[] sendingKey() {
        return sender.key();
    }

    byte[] receivingKey() {
        return receiver.key();
    }

    byte[] sendingChainingKey() {
        return sender.chainingKey();
    }

    byte[] receivingChainingKey() {
        return receiver.chainingKey();
    }

    long sendingNonce() {
        return sender.nonce();
    }

    long receivingNonce() {
        return receiver.nonce();
    }

    @Override
    public String toString() {
        return "TransportCipher[keys redacted]";
    }
}
