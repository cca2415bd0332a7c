package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reply paths back to this node whose final {@code path_id} authenticates a context (BOLT 4,
 * Route Blinding rationale: put private context in {@code path_id} and verify it on receipt).
 * {@code path_id} = HMAC256(k, context) with k = HMAC256("boltflow reply_path", node secret), so
 * nothing needs storing and nobody without our node key can forge one for a given context (for
 * example the payment hash of the invoice the reply answers).
 */
public final class ReplyPaths {
    private static final byte[] KEY_LABEL = "boltflow reply_path".getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey nodeKey;
    private final byte[] pathIdKey;

    public ReplyPaths(PrivateKey nodeKey) {
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.pathIdKey = Hashes.hmacSha256(KEY_LABEL, nodeKey.toBytes());
    }

    public PublicKey nodeId() {
        return nodeKey.publicKey();
    }

    /** HMAC256(k, context). */
    public Bytes32 pathId(Bytes context) {
        return Bytes32.wrap(Hashes.hmacSha256(pathIdKey, context.toArray()));
    }

    /** True when {@code pathId} is the one we would put in a reply path for {@code context}; constant time. */
    public boolean recognise(Bytes pathId, Bytes context) {
        if (pathId == null || context == null) {
            return false;
        }
        return MessageDigest.isEqual(pathId.toArray(), Hashes.hmacSha256(pathIdKey, context.toArray()));
    }

    /**
     * A reply path to us through {@code intermediates} (the first is the introduction node; empty
     * means we introduce it ourselves), with random e_0.
     */
    public BlindedPath create(List<PublicKey> intermediates, Bytes context, SecureRandom random) {
        return create(intermediates, context, 0, PrivateKey.random(random));
    }

    /**
     * As {@link #create(List, Bytes, SecureRandom)} with a given e_0 and {@code dummyHops} extra
     * hops to ourselves at the end (see {@link RouteBlinding#create(PrivateKey, List, List, int)}).
     */
    public BlindedPath create(List<PublicKey> intermediates, Bytes context, int dummyHops, PrivateKey firstPathKeySecret) {
        List<PublicKey> nodes = new ArrayList<>(intermediates.size() + 1);
        nodes.addAll(intermediates);
        nodes.add(nodeId());
        List<EncryptedDataTlv> data = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size() - 1; i++) {
            // BOLT 4, Onion Messages: every non-final hop names the next one.
            data.add(EncryptedDataTlv.EMPTY.withNextNodeId(nodes.get(i + 1)));
        }
        data.add(EncryptedDataTlv.EMPTY.withPathId(pathId(context).bytes()));
        // Our own hops are blinded with our key: fixed-base multiplications only (RouteBlinding.blind).
        return RouteBlinding.create(firstPathKeySecret, nodes, data, dummyHops, Optional.of(nodeKey));
    }

    @Override
    public String toString() {
        return "ReplyPaths[" + nodeId() + "]";
    }
}
