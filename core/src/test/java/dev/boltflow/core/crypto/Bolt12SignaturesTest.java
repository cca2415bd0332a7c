package dev.boltflow.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BOLT 12, Signature Calculation: what a signature covers and what it does not verify against. */
class Bolt12SignaturesTest extends OnEachSecp256k1Provider {
    private static final PrivateKey KEY = PrivateKey.fromBytes(Bytes32.fromHex("07".repeat(32)).toArray());
    private static final TlvStream STREAM = TlvStream.of(List.of(new TlvRecord(2, Bytes.fromHex("0102")),
            new TlvRecord(88, Bytes.fromHex("03"))));

    @Test
    void aSignature_verifiesByKeyAndByXOnlyKey_forItsMessageNameOnly() {
        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE, STREAM, KEY, Bytes32.ZERO);
        Bytes32 xOnly = KEY.publicKey().xOnly();
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE, STREAM, KEY.publicKey(), sig));
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE, STREAM, xOnly, sig));
        // The signature record itself is outside what is signed.
        TlvStream signed = STREAM.with(List.of(new TlvRecord(240, sig.bytes())));
        assertTrue(Bolt12Signatures.verify(Bolt12Signatures.INVOICE, signed, xOnly, sig));
        assertFalse(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, STREAM, KEY.publicKey(), sig));
        assertFalse(Bolt12Signatures.verify(Bolt12Signatures.INVOICE_REQUEST, STREAM, xOnly, sig));
        TlvStream changed = TlvStream.of(List.of(new TlvRecord(2, Bytes.fromHex("0103")), new TlvRecord(88, Bytes.fromHex("03"))));
        assertFalse(Bolt12Signatures.verify(Bolt12Signatures.INVOICE, changed, xOnly, sig));
    }

    /** A stream of signature records only has no merkle tree: false, not an exception, for either key form. */
    @Test
    void aStreamWithNothingSigned_verifiesNothing() {
        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE, STREAM, KEY, Bytes32.ZERO);
        TlvStream onlySignature = TlvStream.of(List.of(new TlvRecord(240, sig.bytes())));
        assertFalse(Bolt12Signatures.verify(Bolt12Signatures.INVOICE, onlySignature, KEY.publicKey(), sig));
        assertFalse(Bolt12Signatures.verify(Bolt12Signatures.INVOICE, onlySignature, KEY.publicKey().xOnly(), sig));
    }

    /** Any message and field name: the tag is "lightning" ‖ messagename ‖ fieldname, cached or not. */
    @Test
    void signatureHash_ofAnyName_isTaggedWithLightningNameAndField() {
        Bytes32 root = Merkle.root(STREAM);
        // A name no earlier call can have cached: the tag is built for it.
        String fresh = "message_" + java.util.UUID.randomUUID().toString().replace("-", "");
        for (String name : List.of("invoice", "offer", fresh)) {
            assertEquals(TaggedHash.of("lightning" + name + "signature").hash(root),
                    Merkle.signatureHash(name, "signature", root), name);
        }
    }
}
