package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The BOLT 12 merkle tree of a TLV stream and the tagged hash its signatures sign. */
public final class Merkle {
    /** Signature TLV elements are types 240 through 1000 inclusive (BOLT 12, Signature Calculation). */
    public static final long SIGNATURE_TYPE_FIRST = 240;
    public static final long SIGNATURE_TYPE_LAST = 1000;

    private static final TaggedHash LN_LEAF = TaggedHash.of("LnLeaf");
    private static final TaggedHash LN_BRANCH = TaggedHash.of("LnBranch");
    private static final byte[] LN_NONCE = "LnNonce".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LIGHTNING = "lightning".getBytes(StandardCharsets.US_ASCII);

    /** Signature tags by message and field name; a handful at most, so the cache stays tiny. */
    private static final ConcurrentMap<String, TaggedHash> SIGNATURE_TAGS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_TAGS = 32;

    private Merkle() {
    }

    public static boolean isSignatureType(long type) {
        return Long.compareUnsigned(type, SIGNATURE_TYPE_FIRST) >= 0
                && Long.compareUnsigned(type, SIGNATURE_TYPE_LAST) <= 0;
    }

    /**
     * The merkle root of every non-signature record of {@code stream} (BOLT 12, Signature
     * Calculation). Signature records (types 240..1000) may be present; they are left out.
     *
     * @throws IllegalArgumentException if the stream has no non-signature record (there is no tree)
     */
    public static Bytes32 root(TlvStream stream) {
        return root(stream, null);
    }

    /**
     * The 32-byte message signed by the field {@code fieldName} of {@code messageName}:
     * H("lightning" ‖ messageName ‖ fieldName, root), e.g. tag {@code lightninginvoicesignature}.
     */
    public static Bytes32 signatureHash(String messageName, String fieldName, Bytes32 root) {
        return signatureTag(messageName, fieldName).hash(root);
    }

    /** The tag "lightning" ‖ messageName ‖ fieldName, prefix state cached for known names. */
    public static TaggedHash signatureTag(String messageName, String fieldName) {
        String name = messageName + fieldName;
        TaggedHash t = SIGNATURE_TAGS.get(name);
        if (t == null) {
            byte[] suffix = name.getBytes(StandardCharsets.UTF_8);
            byte[] tag = Arrays.copyOf(LIGHTNING, LIGHTNING.length + suffix.length);
            System.arraycopy(suffix, 0, tag, LIGHTNING.length, suffix.length);
            t = TaggedHash.of(tag);
            if (SIGNATURE_TAGS.size() < MAX_CACHED_TAGS) {
                SIGNATURE_TAGS.putIfAbsent(name, t);
            }
        }
        return t;
    }

    /** Sees every hash the tree computes; for tests that check the intermediate nodes. */
    interface Observer {
        void leaf(TlvRecord record, Bytes32 leaf, Bytes32 nonce, Bytes32 node);

        void branch(Bytes32 lesser, Bytes32 greater, Bytes32 node);
    }

    static Bytes32 root(TlvStream stream, Observer observer) {
        List<TlvRecord> records = stream.records();
        int count = 0;
        for (TlvRecord r : records) {
            if (!isSignatureType(r.type())) {
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no non-signature TLV record to build a merkle tree from");
        }
        // H("LnNonce"||first-tlv, tlv-type), first-tlv being "the numerically-first TLV entry in the
        // stream": the stream's first record, as Core Lightning and LDK read it. (It could only be a
        // signature record in a stream with no record below type 240.)
        byte[] firstBytes = records.get(0).encode();
        byte[] nonceTag = Arrays.copyOf(LN_NONCE, LN_NONCE.length + firstBytes.length);
        System.arraycopy(firstBytes, 0, nonceTag, LN_NONCE.length, firstBytes.length);
        TaggedHash lnNonce = TaggedHash.of(nonceTag);

        // All nodes of one level side by side, 32 bytes each; each level overwrites the previous.
        byte[] nodes = new byte[count * 32];
        byte[] leaf = new byte[32];
        byte[] nonce = new byte[32];
        byte[] type = new byte[9];
        int i = 0;
        for (TlvRecord r : records) {
            if (isSignatureType(r.type())) {
                continue;
            }
            byte[] encoded = r.encode();
            LN_LEAF.hashInto(encoded, 0, encoded.length, leaf, 0);
            int typeLength = bigSize(r.type(), type);
            lnNonce.hashInto(type, 0, typeLength, nonce, 0);
            branch(leaf, 0, nonce, 0, nodes, i * 32);
            if (observer != null) {
                observer.leaf(r, Bytes32.of(leaf), Bytes32.of(nonce), node(nodes, i));
            }
            i++;
        }
        // Pair from the left and carry an odd last node up unchanged: the deepest subtrees are on
        // the lowest-order leaves, as the spec's three-leaf example shows. Writing node j/2 never
        // overwrites a node not yet read (j/2 <= j, and both inputs are absorbed before output).
        while (count > 1) {
            int next = 0;
            for (int j = 0; j + 1 < count; j += 2) {
                Bytes32 x = observer == null ? null : node(nodes, j);
                Bytes32 y = observer == null ? null : node(nodes, j + 1);
                branch(nodes, j * 32, nodes, (j + 1) * 32, nodes, next * 32);
                if (observer != null) {
                    boolean ordered = x.compareTo(y) <= 0;
                    observer.branch(ordered ? x : y, ordered ? y : x, node(nodes, next));
                }
                next++;
            }
            if ((count & 1) == 1) {
                System.arraycopy(nodes, (count - 1) * 32, nodes, next * 32, 32);
                next++;
            }
            count = next;
        }
        return node(nodes, 0);
    }

    private static Bytes32 node(byte[] nodes, int index) {
        return Bytes32.wrap(Arrays.copyOfRange(nodes, index * 32, index * 32 + 32));
    }

    /** BigSize (BOLT 1) of {@code v} into {@code out}; returns its length. */
    private static int bigSize(long v, byte[] out) {
        int n;
        if (Long.compareUnsigned(v, 0xfd) < 0) {
            out[0] = (byte) v;
            return 1;
        } else if (Long.compareUnsigned(v, 0x10000) < 0) {
            out[0] = (byte) 0xfd;
            n = 2;
        } else if (Long.compareUnsigned(v, 0x100000000L) < 0) {
            out[0] = (byte) 0xfe;
            n = 4;
        } else {
            out[0] = (byte) 0xff;
            n = 8;
        }
        for (int k = 0; k < n; k++) {
            out[1 + k] = (byte) (v >>> (8 * (n - 1 - k)));
        }
        return n + 1;
    }

    /** H("LnBranch", lesser ‖ greater) written to out[outOff, outOff + 32). */
    private static void branch(byte[] x, int xOff, byte[] y, int yOff, byte[] out, int outOff) {
        if (Arrays.compareUnsigned(x, xOff, xOff + 32, y, yOff, yOff + 32) <= 0) {
            LN_BRANCH.hashInto(x, xOff, 32, y, yOff, 32, out, outOff);
        } else {
            LN_BRANCH.hashInto(y, yOff, 32, x, xOff, 32, out, outOff);
        }
    }

    /** H("LnBranch", min(a, b) ‖ max(a, b)): an inner node of the tree. */
    static Bytes32 branch(Bytes32 a, Bytes32 b) {
        byte[] out = new byte[32];
        branch(a.toArray(), 0, b.toArray(), 0, out, 0);
        return Bytes32.wrap(out);
    }
}
