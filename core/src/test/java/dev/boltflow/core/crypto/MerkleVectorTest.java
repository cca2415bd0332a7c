package dev.boltflow.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BOLT 12 "Signature Calculation", read from ../shared/bolts/bolt12/signature-test.json. The vector
 * does not give the TLV streams whole: each is rebuilt from its leaf keys "H(`LnLeaf`,record-hex)".
 */
class MerkleVectorTest extends OnEachSecp256k1Provider {
    private static final Pattern LEAF_KEY = Pattern.compile("H\\(`LnLeaf`,([0-9a-f]+)\\)");
    private static final Pattern NONCE_KEY = Pattern.compile("H\\(`LnNonce`\\|first-tlv,[^)]*\\)");
    private static final String NODE_KEY = "H(`LnBranch`,leaf+nonce)";
    private static final Pattern BRANCH_KEY = Pattern.compile("H\\(`LnBranch`,([0-9a-f]{128})\\)");

    static Stream<Arguments> cases() {
        return Vectors.elements(Vectors.json("bolt12/signature-test.json")).stream()
                .map(n -> Arguments.of(n.get("comment").asText(), n));
    }

    /** One leaf entry of the vector: the record and the three hashes it lists for it. */
    record Leaf(TlvRecord record, Bytes32 leaf, Bytes32 nonce, Bytes32 node) {
    }

    record Branch(Bytes32 lesser, Bytes32 greater, Bytes32 node) {
    }

    static List<Leaf> leaves(JsonNode c) {
        List<Leaf> out = new ArrayList<>();
        for (JsonNode entry : c.get("leaves")) {
            TlvRecord record = null;
            Bytes32 leaf = null;
            Bytes32 nonce = null;
            Bytes32 node = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = entry.properties().iterator(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                Bytes32 value = Bytes32.fromHex(f.getValue().asText());
                Matcher m = LEAF_KEY.matcher(f.getKey());
                if (m.matches()) {
                    // The hex is one whole record: type ‖ length ‖ value.
                    List<TlvRecord> one = TlvStream.decode(Bytes.fromHex(m.group(1)).toArray()).records();
                    assertEquals(1, one.size(), f.getKey());
                    record = one.get(0);
                    leaf = value;
                } else if (NONCE_KEY.matcher(f.getKey()).matches()) {
                    nonce = value;
                } else if (f.getKey().equals(NODE_KEY)) {
                    node = value;
                } else {
                    throw new AssertionError("unexpected leaf key " + f.getKey());
                }
            }
            out.add(new Leaf(record, leaf, nonce, node));
        }
        return out;
    }

    static List<Branch> branches(JsonNode c) {
        List<Branch> out = new ArrayList<>();
        for (JsonNode entry : c.get("branches")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = entry.properties().iterator(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("desc")) {
                    continue;
                }
                Matcher m = BRANCH_KEY.matcher(f.getKey());
                assertTrue(m.matches(), "branch key " + f.getKey());
                Bytes both = Bytes.fromHex(m.group(1));
                out.add(new Branch(new Bytes32(both.slice(0, 32)), new Bytes32(both.slice(32, 64)),
                        Bytes32.fromHex(f.getValue().asText())));
            }
        }
        return out;
    }

    static TlvStream stream(List<Leaf> leaves) {
        return TlvStream.of(leaves.stream().map(Leaf::record).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void every_listed_hash_and_the_root_match(String name, JsonNode c) {
        List<Leaf> expectedLeaves = leaves(c);
        List<Branch> expectedBranches = branches(c);
        TlvStream stream = stream(expectedLeaves);
        assertEquals(Bytes.fromHex(c.get("first-tlv").asText()), Bytes.wrap(stream.records().get(0).encode()), name);

        List<Leaf> seenLeaves = new ArrayList<>();
        List<Branch> seenBranches = new ArrayList<>();
        Bytes32 root = Merkle.root(stream, new Merkle.Observer() {
            @Override
            public void leaf(TlvRecord record, Bytes32 leaf, Bytes32 nonce, Bytes32 node) {
                seenLeaves.add(new Leaf(record, leaf, nonce, node));
            }

            @Override
            public void branch(Bytes32 lesser, Bytes32 greater, Bytes32 node) {
                seenBranches.add(new Branch(lesser, greater, node));
            }
        });

        assertEquals(expectedLeaves, seenLeaves, name + ": leaf, nonce and leaf-node hashes");
        // The vector lists inner nodes depth first; the tree here is built level by level.
        assertEquals(sorted(expectedBranches), sorted(seenBranches), name + ": inner nodes");
        Bytes32 merkle = Bytes32.fromHex(c.get("merkle").asText());
        assertEquals(merkle, root, name);
        assertEquals(merkle, Merkle.root(stream), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void listed_hashes_follow_the_tagged_hash_definition(String name, JsonNode c) {
        // Independent of the tree code: each listed hash is H(tag, msg) as the spec defines it.
        byte[] first = Bytes.fromHex(c.get("first-tlv").asText()).toArray();
        TaggedHash nonceTag = TaggedHash.of(concat("LnNonce".getBytes(), first));
        for (Leaf l : leaves(c)) {
            assertEquals(l.leaf(), TaggedHash.hash("LnLeaf", l.record().encode()), name);
            assertEquals(l.nonce(), nonceTag.hash(bigSize(l.record().type())), name);
            assertEquals(l.node(), Merkle.branch(l.leaf(), l.nonce()), name);
            assertEquals(l.node(), Merkle.branch(l.nonce(), l.leaf()), name);
        }
        for (Branch b : branches(c)) {
            assertTrue(b.lesser().compareTo(b.greater()) < 0, name + ": listed lesser first");
            assertEquals(b.node(), TaggedHash.hash("LnBranch", b.lesser().toArray(), b.greater().toArray()), name);
        }
    }

    private static final Bytes32 BOB_SECRET = Bytes32.wrap(filled(0x42));
    private static final Bytes32 ALICE_SECRET = Bytes32.wrap(filled(0x41));

    static JsonNode invoiceRequestCase() {
        for (JsonNode c : Vectors.json("bolt12/signature-test.json")) {
            if (c.get("tlv").asText().equals(Bolt12Signatures.INVOICE_REQUEST)) {
                return c;
            }
        }
        throw new AssertionError("no invoice_request case in signature-test.json");
    }

    @Test
    void invoice_request_signature_verifies_under_payer_key() {
        JsonNode c = invoiceRequestCase();
        TlvStream stream = stream(leaves(c));
        PrivateKey bob = PrivateKey.fromBytes32(BOB_SECRET);
        PrivateKey alice = PrivateKey.fromBytes32(ALICE_SECRET);
        // The rebuilt stream names these keys: invreq_payer_id (88) is Bob's, offer_issuer_id (22) Alice's.
        assertEquals(bob.publicKey().bytes(), stream.value(88).orElseThrow());
        assertEquals(alice.publicKey().bytes(), stream.value(22).orElseThrow());

        Bytes32 root = Merkle.root(stream);
        String tag = c.get("signature_tag").asText();
        assertEquals("lightning" + Bolt12Signatures.INVOICE_REQUEST + Bolt12Signatures.SIGNATURE_FIELD, tag);
        Bytes32 expectedHash = Bytes32.fromHex(c.get("H(signature_tag,merkle)").asText());
        assertEquals(expectedHash, TaggedHash.hash(tag, root.toArray()));
        assertEquals(expectedHash, Merkle.signatureHash(Bolt12Signatures.INVOICE_REQUEST, "signature", root));
        assertEquals(expectedHash, Bolt12Signatures.signatureHash(Bolt12Signatures.INVOICE_REQUEST, stream));

        Signature sig = Signature.fromHex(c.get("signature").asText());
        Bytes32 xOnly = bob.publicKey().xOnly();
        assertTrue(Schnorr.verify(xOnly, expectedHash, sig));
        assertTrue(Schnorr.verify(bob.publicKey(), expectedHash, sig));
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, stream, bob.publicKey(), sig));
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, stream, xOnly, sig));
        // With its signature record (type 240) in the stream, as received: left out of the tree.
        TlvStream signed = stream.with(List.of(new TlvRecord(240, sig.bytes())));
        assertEquals(root, Merkle.root(signed));
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, signed, bob.publicKey(), sig));
        // Not Alice's signature, nor one over the invoice tag.
        assertFalse(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, stream, alice.publicKey(), sig));
        assertFalse(Bolt12Signatures.verify(Bolt12Signatures.INVOICE, stream, bob.publicKey(), sig));
    }

    @Test
    void signing_the_invoice_request_with_the_payer_key_verifies() {
        TlvStream stream = stream(leaves(invoiceRequestCase()));
        PrivateKey bob = PrivateKey.fromBytes32(BOB_SECRET);
        Signature fresh = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, stream, bob, new SecureRandom());
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, stream, bob.publicKey(), fresh));
        assertTrue(Schnorr.verify(bob.publicKey().xOnly(),
                Bolt12Signatures.signatureHash(Bolt12Signatures.INVOICE_REQUEST, stream), fresh));
        Signature deterministic = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, stream, bob, Bytes32.ZERO);
        assertEquals(deterministic, Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, stream, bob, Bytes32.ZERO));
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, stream, bob.publicKey(), deterministic));
    }

    @Test
    void a_stream_with_nothing_to_sign_verifies_false_and_has_no_root() {
        Signature sig = new Signature(Bytes.wrap(new byte[64]));
        PublicKey key = PrivateKey.fromBytes32(BOB_SECRET).publicKey();
        assertFalse(Bolt12Signatures.verify(Bolt12Signatures.INVOICE, TlvStream.EMPTY, key, sig));
        TlvStream onlySignature = TlvStream.of(List.of(new TlvRecord(240, sig.bytes())));
        assertFalse(Bolt12Signatures.verify(Bolt12Signatures.INVOICE, onlySignature, key, sig));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Merkle.root(TlvStream.EMPTY));
    }

    private static List<String> sorted(List<Branch> branches) {
        return branches.stream().map(b -> b.lesser() + "|" + b.greater() + "|" + b.node()).sorted().toList();
    }

    static byte[] bigSize(long type) {
        return new dev.boltflow.core.bytes.ByteWriter().bigSize(type).toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] filled(int b) {
        byte[] out = new byte[32];
        Arrays.fill(out, (byte) b);
        return out;
    }
}
