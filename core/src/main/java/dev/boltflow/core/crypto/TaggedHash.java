package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;

/**
 * A tagged hash H(tag, msg) = SHA256(SHA256(tag) ‖ SHA256(tag) ‖ msg) (BIP-340 "Design"; BOLT 12
 * "Signature Calculation"). An instance holds a SHA-256 state ({@link Hashes#newSha256()}) that has
 * already absorbed the 64-byte prefix, so each hash starts from a copy of it: one compression less
 * than hashing from scratch. Instances are immutable and thread-safe; keep fixed tags in constants.
 */
public final class TaggedHash {
    public static final TaggedHash BIP340_CHALLENGE = of("BIP0340/challenge");
    public static final TaggedHash BIP340_AUX = of("BIP0340/aux");
    public static final TaggedHash BIP340_NONCE = of("BIP0340/nonce");

    /** The prefix state; never updated after construction, only copied. */
    private final MessageDigest prefix;

    private TaggedHash(MessageDigest prefix) {
        this.prefix = prefix;
    }

    /** The tag as its ASCII/UTF-8 bytes, e.g. {@code "LnLeaf"}. */
    public static TaggedHash of(String tag) {
        return of(tag.getBytes(StandardCharsets.UTF_8));
    }

    /** A tag given as raw bytes (BOLT 12's nonce tag is "LnNonce" ‖ a whole TLV record). */
    public static TaggedHash of(byte[] tag) {
        byte[] t = Hashes.sha256(tag);
        MessageDigest d = Hashes.newSha256();
        d.update(t);
        d.update(t);
        return new TaggedHash(d);
    }

    /** H(tag, msg) without caching the tag: for one-off tags. */
    public static Bytes32 hash(String tag, byte[]... msg) {
        return of(tag).hash(msg);
    }

    /** H(tag, parts[0] ‖ parts[1] ‖ …). */
    public Bytes32 hash(byte[]... parts) {
        MessageDigest d = start();
        for (byte[] p : parts) {
            d.update(p);
        }
        return Bytes32.wrap(d.digest());
    }

    public Bytes32 hash(Bytes msg) {
        return hash(msg.toArray());
    }

    public Bytes32 hash(Bytes32 msg) {
        return hash(msg.toArray());
    }

    /** A fresh digest that has absorbed the prefix; the caller feeds the message and finishes it. */
    MessageDigest start() {
        try {
            return (MessageDigest) prefix.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }

    /** H(tag, a[off, off+len)) written to out[outOff, outOff+32). */
    void hashInto(byte[] a, int off, int len, byte[] out, int outOff) {
        MessageDigest d = start();
        d.update(a, off, len);
        finish(d, out, outOff);
    }

    /** H(tag, a[aOff, aOff+aLen) ‖ b[bOff, bOff+bLen)) written to out[outOff, outOff+32). */
    void hashInto(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen, byte[] out, int outOff) {
        MessageDigest d = start();
        d.update(a, aOff, aLen);
        d.update(b, bOff, bLen);
        finish(d, out, outOff);
    }

    private static void finish(MessageDigest d, byte[] out, int outOff) {
        try {
            d.digest(out, outOff, 32);
        } catch (DigestException e) {
            throw new IllegalStateException("32 bytes fit", e);
        }
    }
}
