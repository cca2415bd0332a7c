package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.tlv.TlvStream;
import java.security.SecureRandom;

/**
 * BOLT 12 "Signature Calculation": SIG("lightning" ‖ messagename ‖ "signature", merkle-root, key),
 * a BIP-340 signature of the tagged hash of the stream's merkle root (signature records excluded).
 * Message names are the TLV stream names: {@link #INVOICE_REQUEST}, {@link #INVOICE}.
 */
public final class Bolt12Signatures {
    public static final String INVOICE_REQUEST = "invoice_request";
    public static final String INVOICE = "invoice";
    public static final String SIGNATURE_FIELD = "signature";

    private Bolt12Signatures() {
    }

    /**
     * H("lightning" ‖ messageName ‖ "signature", merkle root of {@code stream}): what is signed.
     *
     * @throws IllegalArgumentException if the stream has no non-signature record
     */
    public static Bytes32 signatureHash(String messageName, TlvStream stream) {
        return Merkle.signatureHash(messageName, SIGNATURE_FIELD, Merkle.root(stream));
    }

    /** Signs {@code unsigned} (any signature records in it are ignored) with fresh aux randomness. */
    public static Signature sign(String messageName, TlvStream unsigned, PrivateKey key, SecureRandom random) {
        return Schnorr.sign(key, signatureHash(messageName, unsigned), random);
    }

    /** As {@link #sign(String, TlvStream, PrivateKey, SecureRandom)} with given aux randomness. */
    public static Signature sign(String messageName, TlvStream unsigned, PrivateKey key, Bytes32 auxRand) {
        return Schnorr.sign(key, signatureHash(messageName, unsigned), auxRand);
    }

    /**
     * Whether {@code sig} is {@code signer}'s (x-only) signature of {@code stream}, which may still
     * hold its signature record. False, never an exception, for a stream with nothing to sign.
     */
    public static boolean verify(String messageName, TlvStream stream, PublicKey signer, Signature sig) {
        if (!hasSignedRecord(stream)) {
            return false;
        }
        return Schnorr.verify(signer, signatureHash(messageName, stream), sig);
    }

    /** As {@link #verify(String, TlvStream, PublicKey, Signature)} with a 32-byte x-only key. */
    public static boolean verify(String messageName, TlvStream stream, Bytes32 xOnlySigner, Signature sig) {
        if (!hasSignedRecord(stream)) {
            return false;
        }
        return Schnorr.verify(xOnlySigner, signatureHash(messageName, stream), sig);
    }

    private static boolean hasSignedRecord(TlvStream stream) {
        for (var r : stream.records()) {
            if (!Merkle.isSignatureType(r.type())) {
                return true;
            }
        }
        return false;
    }
}
