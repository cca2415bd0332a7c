package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Building and receiving BOLT 4 onion messages: the API the rest of boltflow uses. Pure: no I/O,
 * no clock; randomness comes from the caller's {@link SecureRandom}, or explicit keys in tests.
 *
 * <p>Sending covers three cases:
 * <ul>
 *   <li>to a node id, through zero or more plain intermediate hops: the sender blinds its own
 *       path ({@link Destination.Node});</li>
 *   <li>into someone else's {@link BlindedPath}: through our own blinded hops, the last of which
 *       carries {@code next_path_key_override} = {@code first_path_key}, or straight to the
 *       introduction node with {@code first_path_key} when there are no intermediate hops;</li>
 *   <li>into a blinded path whose introduction node is us: we decrypt our own hop and send to the
 *       next one.</li>
 * </ul>
 */
public final class OnionMessages {
    /** Consecutive hops to ourselves (dummy hops) {@link #peel} walks through before giving up. */
    static final int MAX_SELF_HOPS = 32;

    private OnionMessages() {
    }

    /** Where the message goes. */
    public sealed interface Destination {
        /** A node id; we blind the path ourselves. {@code pathId} is put in the recipient's encrypted data if present. */
        record Node(PublicKey nodeId, Optional<Bytes> pathId) implements Destination {
            public Node {
                Objects.requireNonNull(nodeId, "nodeId");
                Objects.requireNonNull(pathId, "pathId");
            }

            @Override
            public String toString() {
                return "Node[" + nodeId + (pathId.isPresent() ? ", with path_id" : "") + "]";
            }
        }

        /**
         * A blinded path made by the recipient (e.g. a {@code reply_path} or an {@code invreq_paths}
         * entry). Its {@code first_node_id} must be a node id: resolve a {@code sciddir} first.
         */
        record Path(BlindedPath path) implements Destination {
            public Path {
                Objects.requireNonNull(path, "path");
            }
        }

        static Destination node(PublicKey nodeId) {
            return new Node(nodeId, Optional.empty());
        }

        static Destination path(BlindedPath path) {
            return new Path(path);
        }
    }

    /** An {@code onion_message} ready to send to {@code firstHop}. */
    public record Outgoing(NextHop firstHop, PublicKey pathKey, Bytes packet) {
        public Outgoing {
            Objects.requireNonNull(firstHop, "firstHop");
            Objects.requireNonNull(pathKey, "pathKey");
            Objects.requireNonNull(packet, "packet");
        }

        /** The {@code onion_message} (type 513) body: {@code path_key} ‖ u16 {@code len} ‖ packet. */
        public byte[] encode() {
            return new ByteWriter(PublicKey.LENGTH + 2 + packet.length())
                    .bytes(pathKey.bytes()).u16(packet.length()).bytes(packet).toByteArray();
        }

        @Override
        public String toString() {
            return "Outgoing[to=" + firstHop + ", pathKey=" + pathKey + ", packet=" + packet.length() + "B]";
        }
    }

    /**
     * Builds a message with fresh random session and path keys.
     *
     * @param ourNodeKey    our node key (to recognise and decrypt a path we introduce)
     * @param intermediates plain hops to go through first, in order; the first is the peer we send to
     * @param payload       the final hop's fields; its {@code encrypted_recipient_data} is set here
     */
    public static Outgoing build(PrivateKey ourNodeKey, List<PublicKey> intermediates, Destination destination,
            OnionMessagePayload payload, SecureRandom random) {
        // e_0 only when we blind hops ourselves: not when sending straight into someone's path.
        boolean blindsOwnHops = destination instanceof Destination.Node || !intermediates.isEmpty();
        return build(ourNodeKey, intermediates, destination, payload, PrivateKey.random(random),
                blindsOwnHops ? PrivateKey.random(random) : null);
    }

    /**
     * Builds a message with the given Sphinx session key and the path key secret e_0 for the hops
     * we blind ourselves (unused, and may be null, when there are none). For tests and vectors; production code
     * uses {@link #build(PrivateKey, List, Destination, OnionMessagePayload, SecureRandom)}.
     *
     * @throws OnionException when the route cannot be built or the payloads do not fit
     */
    public static Outgoing build(PrivateKey ourNodeKey, List<PublicKey> intermediates, Destination destination,
            OnionMessagePayload payload, PrivateKey sessionKey, PrivateKey pathKeySecret) {
        Objects.requireNonNull(ourNodeKey, "ourNodeKey");
        Objects.requireNonNull(payload, "payload");
        PublicKey us = ourNodeKey.publicKey();
        if (destination instanceof Destination.Node node) {
            return toNode(us, intermediates, node, payload, sessionKey, pathKeySecret);
        }
        BlindedPath path = ((Destination.Path) destination).path();
        if (path.hops().isEmpty()) {
            throw new OnionException(OnionException.Reason.INVALID_ROUTE, "blinded path has no hops");
        }
        PublicKey intro = path.firstNodeId().nodeId().orElseThrow(() -> new OnionException(
                OnionException.Reason.UNRESOLVED_INTRODUCTION_NODE,
                "blinded path introduction node is " + path.firstNodeId() + ": resolve it to a node id first"));
        if (intro.equals(us)) {
            if (!intermediates.isEmpty()) {
                throw new OnionException(OnionException.Reason.INVALID_ROUTE,
                        "we are the introduction node: there is nothing to route through first");
            }
            return fromOurOwnHop(ourNodeKey, path, payload, sessionKey);
        }
        if (intermediates.isEmpty()) {
            // Directly connected to the introduction node: send with its first_path_key.
            return assemble(new NextHop.Node(intro), path.firstPathKey(), path.hops(), 0, payload, sessionKey);
        }
        // BOLT 4, Route Blinding, reader of the blinded_path (not a payment): prepend our own
        // blinded hops; the last one sets next_path_key_override = first_path_key.
        List<EncryptedDataTlv> data = new ArrayList<>(intermediates.size());
        for (int i = 0; i < intermediates.size(); i++) {
            if (i < intermediates.size() - 1) {
                data.add(EncryptedDataTlv.EMPTY.withNextNodeId(intermediates.get(i + 1)));
            } else {
                data.add(EncryptedDataTlv.EMPTY.withNextNodeId(intro).withNextPathKeyOverride(path.firstPathKey()));
            }
        }
        BlindedPath ours = RouteBlinding.create(pathKeySecret, intermediates, data);
        List<BlindedPath.Hop> hops = new ArrayList<>(ours.numHops() + path.numHops());
        hops.addAll(ours.hops());
        hops.addAll(path.hops());
        return assemble(new NextHop.Node(intermediates.get(0)), ours.firstPathKey(), hops, 0, payload, sessionKey);
    }

    private static Outgoing toNode(PublicKey us, List<PublicKey> intermediates, Destination.Node node,
            OnionMessagePayload payload, PrivateKey sessionKey, PrivateKey pathKeySecret) {
        if (node.nodeId().equals(us)) {
            throw new OnionException(OnionException.Reason.DESTINATION_IS_US, "the destination is our own node");
        }
        List<PublicKey> nodes = new ArrayList<>(intermediates.size() + 1);
        nodes.addAll(intermediates);
        nodes.add(node.nodeId());
        List<EncryptedDataTlv> data = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size() - 1; i++) {
            data.add(EncryptedDataTlv.EMPTY.withNextNodeId(nodes.get(i + 1)));
        }
        data.add(node.pathId().map(EncryptedDataTlv.EMPTY::withPathId).orElse(EncryptedDataTlv.EMPTY));
        BlindedPath path = RouteBlinding.create(pathKeySecret, nodes, data);
        return assemble(new NextHop.Node(nodes.get(0)), path.firstPathKey(), path.hops(), 0, payload, sessionKey);
    }

    /** We introduce the path: decrypt our own hop(s) and send the rest on to the next node. */
    private static Outgoing fromOurOwnHop(PrivateKey ourNodeKey, BlindedPath path, OnionMessagePayload payload,
            PrivateKey sessionKey) {
        PublicKey us = ourNodeKey.publicKey();
        PublicKey pathKey = path.firstPathKey();
        int index = 0;
        while (true) {
            if (index == path.numHops() - 1) {
                throw new OnionException(OnionException.Reason.DESTINATION_IS_US,
                        "the blinded path ends at our own node");
            }
            RouteBlinding.Unblinded hop;
            try {
                hop = RouteBlinding.unblind(ourNodeKey, pathKey, path.hops().get(index).encryptedRecipientData());
            } catch (DecodeException e) {
                throw new OnionException(OnionException.Reason.INVALID_BLINDED_PATH,
                        "our hop of the blinded path does not decrypt: " + e.getMessage(), e);
            }
            Optional<NextHop> next = nextHop(hop.data());
            if (next.isEmpty()) {
                throw new OnionException(OnionException.Reason.INVALID_BLINDED_PATH,
                        "our hop of the blinded path names no next hop");
            }
            pathKey = hop.nextPathKey();
            index++;
            if (!next.get().equals(new NextHop.Node(us))) {
                return assemble(next.get(), pathKey, path.hops(), index, payload, sessionKey);
            }
        }
    }

    /** The Sphinx packet over {@code hops[from..]}, each relay hop carrying only its encrypted data. */
    private static Outgoing assemble(NextHop first, PublicKey pathKey, List<BlindedPath.Hop> hops, int from,
            OnionMessagePayload payload, PrivateKey sessionKey) {
        int n = hops.size() - from;
        List<PublicKey> keys = new ArrayList<>(n);
        List<Bytes> payloads = new ArrayList<>(n);
        for (int i = from; i < hops.size(); i++) {
            BlindedPath.Hop hop = hops.get(i);
            keys.add(hop.blindedNodeId());
            // BOLT 4, Onion Messages, writer: non-final hops carry only encrypted_recipient_data.
            OnionMessagePayload p = i < hops.size() - 1 ? OnionMessagePayload.EMPTY : payload;
            payloads.add(Bytes.wrap(p.withEncryptedRecipientData(hop.encryptedRecipientData()).encode()));
        }
        return new Outgoing(first, pathKey, Sphinx.createMessagePacket(sessionKey, keys, payloads));
    }

    /**
     * BOLT 4, Onion Messages, reader: peels one incoming {@code onion_message}. Never throws for
     * bad input: anything wrong is a {@link PeelResult.Drop}. Hops that forward back to us (dummy
     * hops at the end of our own paths) are peeled here too.
     */
    public static PeelResult peel(PrivateKey nodeKey, PublicKey pathKey, Bytes packet) {
        Objects.requireNonNull(nodeKey, "nodeKey");
        Objects.requireNonNull(pathKey, "pathKey");
        Objects.requireNonNull(packet, "packet");
        NextHop.Node self = new NextHop.Node(nodeKey.publicKey());
        byte[] current = packet.toArray();
        PublicKey currentPathKey = pathKey;
        for (int round = 0; round <= MAX_SELF_HOPS; round++) {
            RouteBlinding.Unblinding unblinding = RouteBlinding.unblinding(nodeKey, currentPathKey);
            Sphinx.Peeled peeled;
            try {
                peeled = Sphinx.peel(unblinding.blindedPrivateKey(), current, new byte[0]);
            } catch (AuthenticationException e) {
                return drop(PeelResult.Reason.BAD_HMAC, e);
            } catch (DecodeException e) {
                return drop(PeelResult.Reason.MALFORMED_PACKET, e);
            }
            OnionMessagePayload payload;
            try {
                payload = OnionMessagePayload.decode(peeled.payload());
            } catch (DecodeException e) {
                return drop(PeelResult.Reason.INVALID_PAYLOAD, e);
            }
            if (payload.encryptedRecipientData().isEmpty()) {
                // BOLT 4, Route Blinding: missing encrypted_recipient_data → error.
                return new PeelResult.Drop(PeelResult.Reason.MISSING_ENCRYPTED_DATA, "no encrypted_recipient_data");
            }
            EncryptedDataTlv data;
            try {
                data = unblinding.decrypt(payload.encryptedRecipientData().get());
            } catch (DecodeException e) {
                return drop(PeelResult.Reason.INVALID_ENCRYPTED_DATA, e);
            }
            if (data.allowedFeatures().isPresent() && !isZero(data.allowedFeatures().get())) {
                // BOLT 4, Onion Messages: ignore if allowed_features has a bit we do not know (we know none).
                return new PeelResult.Drop(PeelResult.Reason.UNSUPPORTED_FEATURES, "allowed_features has bits set");
            }
            if (peeled.isFinal()) {
                if (payload.payloadFieldCount() > 1) {
                    return new PeelResult.Drop(PeelResult.Reason.MULTIPLE_PAYLOADS,
                            payload.payloadFieldCount() + " payload fields");
                }
                return new PeelResult.Deliver(payload, data.pathId());
            }
            if (!payload.isRelayOnly()) {
                return new PeelResult.Drop(PeelResult.Reason.UNEXPECTED_FIELDS,
                        "a hop to forward from carries " + payload);
            }
            if (data.pathId().isPresent()) {
                return new PeelResult.Drop(PeelResult.Reason.PATH_ID_ON_RELAY, "path_id on a hop to forward from");
            }
            Optional<NextHop> next = nextHop(data);
            if (next.isEmpty()) {
                return new PeelResult.Drop(PeelResult.Reason.NO_NEXT_HOP, "neither next_node_id nor short_channel_id");
            }
            PublicKey nextPathKey = unblinding.nextPathKey(data);
            Bytes nextPacket = peeled.nextPacket().get();
            if (!next.get().equals(self)) {
                return new PeelResult.Forward(next.get(), nextPathKey, nextPacket);
            }
            current = nextPacket.toArray();
            currentPathKey = nextPathKey;
        }
        return new PeelResult.Drop(PeelResult.Reason.TOO_MANY_DUMMY_HOPS,
                "more than " + MAX_SELF_HOPS + " hops back to ourselves");
    }

    /** {@code next_node_id}, else {@code short_channel_id} (BOLT 4, Onion Messages, reader). */
    static Optional<NextHop> nextHop(EncryptedDataTlv data) {
        if (data.nextNodeId().isPresent()) {
            return Optional.of(new NextHop.Node(data.nextNodeId().get()));
        }
        if (data.shortChannelId().isPresent()) {
            return Optional.of(new NextHop.Channel(data.shortChannelId().getAsLong()));
        }
        return Optional.empty();
    }

    private static PeelResult.Drop drop(PeelResult.Reason reason, DecodeException e) {
        return new PeelResult.Drop(reason, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static boolean isZero(Bytes b) {
        for (int i = 0; i < b.length(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
