package dev.boltflow.it.integration;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.payer.OurInvoiceRequest;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites of an unsigned {@code lnr1} written by a node's payer side, for topologies our payer
 * does not write itself: several {@code invreq_paths}, or none. Only unsigned requests (a signature
 * would no longer verify; unsigned ones are valid when they answer no offer).
 */
final class Invreqs {
    private Invreqs() {
    }

    /** A blinded path introduced by a node nobody can reach: a fresh key with no known address. */
    static BlindedPath unreachablePath(SecureRandom random) {
        return new LocalNodeSigner(PrivateKey.random(random), random)
                .replyPath(List.of(), Bytes.wrap("nowhere".getBytes(StandardCharsets.US_ASCII)));
    }

    /** {@code lnr} with {@code first} put before its own invreq_paths. */
    static String prependPath(String lnr, BlindedPath first) {
        InvoiceRequest invreq = InvoiceRequest.decode(lnr);
        List<BlindedPath> paths = new ArrayList<>();
        paths.add(first);
        paths.addAll(invreq.invreqPaths().orElseThrow());
        return replace(lnr, Bolt12Field.INVREQ_PATHS, Bytes.wrap(BlindedPath.encodeAll(paths)));
    }

    /** {@code lnr} with exactly {@code paths} as its invreq_paths. */
    static String replacePaths(String lnr, List<BlindedPath> paths) {
        return replace(lnr, Bolt12Field.INVREQ_PATHS, Bytes.wrap(BlindedPath.encodeAll(paths)));
    }

    /** {@code lnr} without invreq_paths and with {@code payerId} as its invreq_payer_id. */
    static String withoutPaths(String lnr, PublicKey payerId) {
        TlvStream s = records(lnr).filter(t -> t != Bolt12Field.INVREQ_PATHS && t != Bolt12Field.INVREQ_PAYER_ID);
        return encode(s.with(List.of(new TlvRecord(Bolt12Field.INVREQ_PAYER_ID, payerId.bytes()))));
    }

    /** The stored request with its string replaced by {@code rewritten} (and its invreq_id recomputed). */
    static OurInvoiceRequest rewritten(OurInvoiceRequest ours, String rewritten) {
        return new OurInvoiceRequest(Payer.invreqId(records(rewritten)), rewritten, ours.metadata(), ours.label(),
                ours.singleUse(), ours.active(), ours.used());
    }

    private static String replace(String lnr, long type, Bytes value) {
        return encode(records(lnr).filter(t -> t != type).with(List.of(new TlvRecord(type, value))));
    }

    static TlvStream records(String lnr) {
        TlvStream s = TlvStream.decode(Bolt12String.decode(lnr).data().toArray());
        if (s.contains(Bolt12Field.SIGNATURE)) {
            throw new IllegalArgumentException("rewrite only unsigned requests");
        }
        return s;
    }

    private static String encode(TlvStream s) {
        return Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP, TlvStream.sorted(s.records()).encode());
    }
}
