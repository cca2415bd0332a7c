package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * BOLT 4 "Route Blinding" {@code blinded_path}: the introduction node (unblinded), the path key to
 * hand it, and the blinded hops. Shared by {@code offer_paths}, {@code invreq_paths},
 * {@code invoice_paths} and onion-message {@code reply_path}.
 */
public record BlindedPath(SciddirOrPubkey firstNodeId, PublicKey firstPathKey, List<Hop> hops) {

    /** {@code blinded_path_hop}: a blinded node id and its encrypted_recipient_data. */
    public record Hop(PublicKey blindedNodeId, Bytes encryptedRecipientData) {
        public Hop {
            Objects.requireNonNull(blindedNodeId, "blindedNodeId");
            Objects.requireNonNull(encryptedRecipientData, "encryptedRecipientData");
            if (encryptedRecipientData.length() > 0xffff) {
                throw new IllegalArgumentException("encrypted_recipient_data longer than 65535 bytes");
            }
        }
    }

    public BlindedPath {
        Objects.requireNonNull(firstNodeId, "firstNodeId");
        Objects.requireNonNull(firstPathKey, "firstPathKey");
        hops = List.copyOf(hops);
        if (hops.size() > 255) {
            throw new IllegalArgumentException("a blinded path has at most 255 hops");
        }
    }

    public int numHops() {
        return hops.size();
    }

    public void writeTo(ByteWriter w) {
        firstNodeId.writeTo(w);
        w.bytes(firstPathKey.bytes());
        w.u8(hops.size());
        for (Hop h : hops) {
            w.bytes(h.blindedNodeId().bytes());
            w.u16(h.encryptedRecipientData().length());
            w.bytes(h.encryptedRecipientData());
        }
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter();
        writeTo(w);
        return w.toByteArray();
    }

    /**
     * Reads one path. A path with zero hops decodes (so callers can name the rule they enforce:
     * BOLT 12 rejects {@code num_hops} = 0 in offer, invreq and invoice paths).
     */
    public static BlindedPath read(ByteReader r) {
        SciddirOrPubkey first = SciddirOrPubkey.read(r, "first_node_id");
        PublicKey pathKey = readKey(r, "first_path_key");
        int n = r.u8("num_hops");
        List<Hop> hops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PublicKey id = readKey(r, "blinded_node_id");
            int len = r.u16("enclen");
            hops.add(new Hop(id, r.read(len, "encrypted_recipient_data")));
        }
        return new BlindedPath(first, pathKey, hops);
    }

    /** {@code ...*blinded_path}: paths until the reader is empty. */
    public static List<BlindedPath> readAll(ByteReader r) {
        List<BlindedPath> out = new ArrayList<>();
        while (!r.isEmpty()) {
            out.add(read(r));
        }
        return out;
    }

    public static byte[] encodeAll(List<BlindedPath> paths) {
        ByteWriter w = new ByteWriter();
        for (BlindedPath p : paths) {
            p.writeTo(w);
        }
        return w.toByteArray();
    }

    static PublicKey readKey(ByteReader r, String what) {
        byte[] b = r.bytes(33, what);
        try {
            return PublicKey.fromBytes(b);
        } catch (DecodeException e) {
            throw new DecodeException(what + ": " + e.getMessage(), e);
        }
    }
}
