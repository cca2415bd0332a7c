package dev.boltflow.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The merkle tree against a straightforward reference, and the tagged hash against its definition. */
class MerklePropertyTest {

    @Provide
    Arbitrary<TlvStream> streams() {
        Arbitrary<Long> types = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 300),
                Arbitraries.longs().between(900, 70_000),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                // Where a type's BigSize (hashed into its nonce leaf) grows: 1, 3, 5 and 9 bytes.
                Arbitraries.of(0xfcL, 0xfdL, 0xffffL, 0x10000L, 0xffffffffL, 0x100000000L));
        Arbitrary<Set<Long>> typeSets = types.set().ofMinSize(1).ofMaxSize(40);
        return typeSets.flatMap(set -> {
            List<Long> sorted = new ArrayList<>(new TreeSet<>(set));
            return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).list().ofSize(sorted.size())
                    .map(values -> {
                        List<TlvRecord> records = new ArrayList<>();
                        for (int i = 0; i < sorted.size(); i++) {
                            records.add(new TlvRecord(sorted.get(i), Bytes.of(values.get(i))));
                        }
                        return TlvStream.of(records);
                    });
        }).filter(s -> s.records().stream().anyMatch(r -> !Merkle.isSignatureType(r.type())));
    }

    @Property(tries = 300)
    void root_matches_padded_power_of_two_reference(@ForAll("streams") TlvStream stream) {
        assertEquals(reference(stream), Merkle.root(stream));
    }

    @Property(tries = 100)
    void signature_records_do_not_change_the_root(@ForAll("streams") TlvStream stream,
            @ForAll @Size(64) byte[] sig) {
        // A signature record at 240, 777 or 1000, unless one is there already; kept after the first
        // record, since the first record (whatever its type) keys every nonce leaf.
        for (long type : new long[] {240, 1000, 777}) {
            if (!stream.contains(type) && stream.records().get(0).type() < type) {
                TlvStream signed = stream.with(List.of(new TlvRecord(type, Bytes.of(sig))));
                assertEquals(Merkle.root(stream), Merkle.root(signed));
            }
        }
    }

    @Property(tries = 100)
    void changing_any_value_changes_the_root(@ForAll("streams") TlvStream stream, @ForAll int pick) {
        List<TlvRecord> unsigned = stream.records().stream().filter(r -> !Merkle.isSignatureType(r.type())).toList();
        TlvRecord r = unsigned.get(Math.floorMod(pick, unsigned.size()));
        List<TlvRecord> changed = new ArrayList<>(stream.records());
        changed.set(changed.indexOf(r), new TlvRecord(r.type(), r.value().concat(Bytes.of(new byte[] {1}))));
        assertNotEquals(Merkle.root(stream), Merkle.root(TlvStream.of(changed)));
    }

    @Property(tries = 100)
    void tagged_hash_is_sha256_of_doubled_tag_hash_and_message(@ForAll @Size(max = 80) byte[] tag,
            @ForAll @Size(max = 200) byte[] msg) {
        byte[] t = Hashes.sha256(tag);
        Bytes32 expected = Hashes.sha256Of(t, t, msg);
        assertEquals(expected, TaggedHash.of(tag).hash(msg));
        TaggedHash cached = TaggedHash.of(tag);
        assertEquals(expected, cached.hash(msg), "reused prefix state is not consumed");
        assertEquals(expected, cached.hash(Bytes.of(msg)));
    }

    /**
     * A second formulation of the tree: the leaves padded with empty slots to a power of two,
     * split in halves recursively, an empty right half passing the left one up (as Core Lightning
     * builds it). Everything computed from the definitions, without Merkle's helpers.
     */
    static Bytes32 reference(TlvStream stream) {
        List<TlvRecord> records = stream.records();
        byte[] first = records.get(0).encode();
        byte[] nonceTag = new byte[7 + first.length];
        System.arraycopy("LnNonce".getBytes(), 0, nonceTag, 0, 7);
        System.arraycopy(first, 0, nonceTag, 7, first.length);
        List<Bytes32> leaves = new ArrayList<>();
        for (TlvRecord r : records) {
            if (r.type() >= 240 && r.type() <= 1000) {
                continue;
            }
            Bytes32 leaf = tagged("LnLeaf".getBytes(), r.encode());
            Bytes32 nonce = tagged(nonceTag, new ByteWriter().bigSize(r.type()).toByteArray());
            leaves.add(branch(leaf, nonce));
        }
        int size = 1;
        while (size < leaves.size()) {
            size *= 2;
        }
        Bytes32[] padded = new Bytes32[size];
        for (int i = 0; i < leaves.size(); i++) {
            padded[i] = leaves.get(i);
        }
        return recurse(padded, 0, size);
    }

    private static Bytes32 recurse(Bytes32[] a, int from, int len) {
        if (len == 1) {
            return a[from];
        }
        Bytes32 left = recurse(a, from, len / 2);
        Bytes32 right = recurse(a, from + len / 2, len / 2);
        if (right == null) {
            return left;
        }
        return branch(left, right);
    }

    private static Bytes32 branch(Bytes32 a, Bytes32 b) {
        return a.compareTo(b) <= 0
                ? tagged("LnBranch".getBytes(), a.bytes().concat(b.bytes()).toArray())
                : tagged("LnBranch".getBytes(), b.bytes().concat(a.bytes()).toArray());
    }

    private static Bytes32 tagged(byte[] tag, byte[] msg) {
        byte[] t = Hashes.sha256(tag);
        return Hashes.sha256Of(t, t, msg);
    }
}
