package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * A tagged hash H(tag, msg) = SHA256(SHA256(tag) ‖ SHA256(tag) ‖ msg) (BIP-340 "Design"; BOLT 12
 * "Signature Calculation"). An instance holds a SHA-256 state that has already absorbed the 64-byte
 * prefix, so each hash starts from a copy of it: one compression less than hashing from scratch.
 * Instances are immutable and thread-safe; keep fixed tags in constants.
 */
public final class TaggedHash {
    public static final TaggedHash BIP340_CHALLENGE = of("BIP0340/challenge");
    public static final TaggedHash BIP340_AUX = of("BIP0340/aux");
    public static final TaggedHash BIP340_NONCE = of("BIP0340/nonce");

    /** The prefix state; never updated after construction, only copied. */
    private final SHA256Digest prefix;

    private TaggedHash(SHA256Digest prefix) {
        this.prefix = prefix;
    }

    /** The tag as its ASCII/UTF-8 bytes, e.g. {@code "LnLeaf"}. */
    public static TaggedHash of(String tag) {
        return of(tag.getBytes(StandardCharsets.UTF_8));
    }

    /** A tag given as raw bytes (BOLT 12's nonce tag is "LnNonce" ‖ a whole TLV record). */
    public static TaggedHash of(byte[] tag) {
        byte[] t = Hashes.sha256(tag);
        SHA256Digest d = new SHA256Digest();
        d.update(t, 0, 32);
        d.update(t, 0, 32);
        return new TaggedHash(d);
    }

    /** H(tag, msg) without caching the tag: for one-off tags. */
    public static Bytes32 hash(String tag, byte[]... msg) {
        return of(tag).hash(msg);
    }

    /** H(tag, parts[0] ‖ parts[1] ‖ …). */
    public Bytes32 hash(byte[]... parts) {
        SHA256Digest d = start();
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return Bytes32.wrap(out);
    }

    public Bytes32 hash(Bytes msg) {
        return hash(msg.toArray());
    }

    public Bytes32 hash(Bytes32 msg) {
        return hash(msg.toArray());
    }

    /** A fresh digest that has absorbed the prefix; the caller feeds the message and finishes it. */
    SHA256Digest start() {
        return new SHA256Digest(prefix);
    }

    /** H(tag, a[off, off+len)) written to out[outOff, outOff+32). */
    void hashInto(byte[] a, int off, int len, byte[] out, int outOff) {
        SHA256Digest d = start();
        d.update(a, off, len);
        d.doFinal(out, outOff);
    }

    /** H(tag, a[aOff, aOff+aLen) ‖ b[bOff, bOff+bLen)) written to out[outOff, outOff+32). */
    void hashInto(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen, byte[] out, int outOff) {
        SHA256Digest d = start();
        d.update(a, aOff, aLen);
        d.update(b, bOff, bLen);
        d.doFinal(out, outOff);
    }
}
