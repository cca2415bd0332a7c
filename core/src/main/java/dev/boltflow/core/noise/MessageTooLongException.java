package dev.boltflow.core.noise;

/**
 * A Lightning message longer than 65535 bytes was handed to {@link TransportCipher#encrypt}
 * ("The maximum size of any Lightning message MUST NOT exceed 65535 bytes", BOLT 8, Lightning
 * Message Specification). Nothing was encrypted and no nonce was used.
 */
public final class MessageTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int length;

    public MessageTooLongException(int length) {
        super("Lightning message of " + length + " bytes exceeds " + TransportCipher.MAX_MESSAGE_LENGTH);
        this.length = length;
    }

    /** The refused message's length. */
    public int length() {
        return length;
    }
}
