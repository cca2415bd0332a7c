package dev.boltflow.node.bench;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.ReplyPaths;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A realistic sendinvoice workload, made fresh with random keys: a payer behind a 3-hop blinded
 * {@code invreq_paths} (introduction node, one relay, the payer), its signed {@code lnr1}, and the
 * node that answers it.
 */
public final class BenchFixtures {
    public final SecureRandom random = new SecureRandom();
    public final PrivateKey payer = PrivateKey.random(random);
    public final PrivateKey intro = PrivateKey.random(random);
    public final PrivateKey relay = PrivateKey.random(random);
    public final PrivateKey payee = PrivateKey.random(random);
    public final BlindedPath invreqPath;
    public final TlvStream invreqRecords;
    public final String invreqString;

    public BenchFixtures() {
        invreqPath = new ReplyPaths(payer).create(List.of(intro.publicKey(), relay.publicKey()),
                Bytes.wrap("invreq".getBytes(StandardCharsets.US_ASCII)), random);
        byte[] metadata = new byte[16];
        random.nextBytes(metadata);
        TlvStream unsigned = TlvStream.sorted(List.of(
                new TlvRecord(Bolt12Field.INVREQ_METADATA, Bytes.wrap(metadata)),
                new TlvRecord(Bolt12Field.OFFER_DESCRIPTION, Bytes.wrap("refund for order 4711".getBytes(StandardCharsets.UTF_8))),
                new TlvRecord(Bolt12Field.INVREQ_AMOUNT, Bytes.wrap(new ByteWriter().truncated(1_234_000L).toByteArray())),
                new TlvRecord(Bolt12Field.INVREQ_PAYER_ID, payer.publicKey().bytes()),
                new TlvRecord(Bolt12Field.INVREQ_PATHS, Bytes.wrap(BlindedPath.encodeAll(List.of(invreqPath))))));
        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, unsigned, payer, random);
        invreqRecords = unsigned.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, sig.bytes())));
        invreqString = Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP, invreqRecords.encode());
    }

    /** The invreq's non-signature records: what an invoice copies. */
    public List<TlvRecord> mirroredRecords() {
        List<TlvRecord> out = new ArrayList<>();
        for (TlvRecord r : invreqRecords.records()) {
            if (!Bolt12Field.isSignatureType(r.type())) {
                out.add(r);
            }
        }
        return out;
    }
}
