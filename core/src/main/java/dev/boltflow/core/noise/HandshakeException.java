package dev.boltflow.core.noise;

import dev.boltflow.core.bytes.DecodeException;
import java.util.Objects;

/**
 * A BOLT 8 handshake act that must abort the connection. The {@link Code} names the failure with
 * the labels of the spec's test vectors (BOLT 8, Appendix A); they are not sent on the wire.
 */
public final class HandshakeException extends DecodeException {
    private static final long serialVersionUID = 1L;

    /** What failed, in the words of BOLT 8's test vectors. */
    public enum Code {
        /** Act one is not exactly 50 bytes. */
        ACT1_READ_FAILED,
        /** Act one has a version byte other than 0. */
        ACT1_BAD_VERSION,
        /** Act one's ephemeral key is not a valid compressed point. */
        ACT1_BAD_PUBKEY,
        /** Act one's MAC does not verify: the initiator does not know our static key. */
        ACT1_BAD_TAG,
        /** Act two is not exactly 50 bytes. */
        ACT2_READ_FAILED,
        /** Act two has a version byte other than 0. */
        ACT2_BAD_VERSION,
        /** Act two's ephemeral key is not a valid compressed point. */
        ACT2_BAD_PUBKEY,
        /** Act two's MAC does not verify. */
        ACT2_BAD_TAG,
        /** Act three is not exactly 66 bytes. */
        ACT3_READ_FAILED,
        /** Act three has a version byte other than 0. */
        ACT3_BAD_VERSION,
        /** The encrypted static key in act three does not authenticate. */
        ACT3_BAD_CIPHERTEXT,
        /** The decrypted static key is not a valid compressed point. */
        ACT3_BAD_PUBKEY,
        /** Act three's final MAC does not verify. */
        ACT3_BAD_TAG
    }

    private final Code code;

    public HandshakeException(Code code, String message) {
        super(code + ": " + message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public HandshakeException(Code code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }
}
