package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.DecodeException;

/** A MAC or AEAD tag that does not match: the input was tampered with or is not for us. */
public final class AuthenticationException extends DecodeException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }
}
