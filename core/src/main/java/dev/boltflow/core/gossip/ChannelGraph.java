package dev.boltflow.core.gossip;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.GossipMessage.NodeAnnouncement;
import dev.boltflow.core.wire.Point;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.core.wire.WireCodec;
import dev.boltflow.core.wire.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The channel graph BOLT 7 builds: verified {@code channel_announcement}s, the newest
 * {@code channel_update} per channel end and the newest {@code node_announcement} per node, each kept
 * as the bytes its signer signed, within {@link GraphLimits}. Pure and clock-free: the time is passed
 * in (unix seconds).
 *
 * <p><b>Accepting a message</b> takes three steps so that the expensive one runs in parallel:
 * {@link #check} (cheap, under the graph's lock: chain, duplicates, timestamps, limits; it also finds
 * the key a {@code channel_update} must be signed by), {@link Candidate#verify()} (the signatures, on
 * any thread, no lock), then {@link #apply} (under the lock, re-checking what may have changed
 * meanwhile). An announcement that passed {@code check} counts as known to later updates and node
 * announcements until it is applied, so a peer's stream can be verified out of order and applied in
 * order. {@link GossipIngest} runs the three with the funding port between the last two.
 *
 * <p><b>Thread safety</b>: every method may be called from any thread; state changes under one lock,
 * and what is read out is a snapshot. Listeners ({@link #onAccepted}) run under that lock and must
 * only hand the message on.
 */
public final class ChannelGraph {
    /** BOLT 7: forget a channel 72 blocks after its funding output is spent. */
    public static final int SPENT_DELAY_BLOCKS = 72;
    /** Announcements checked but not applied that are remembered at once (a bound against leaks). */
    private static final int MAX_PENDING = 100_000;

    private final GraphLimits limits;
    private final Object lock = new Object();
    private final HashMap<Long, Channel> channels = new HashMap<>();
    private final HashMap<Bytes, Node> nodes = new HashMap<>();
    private final HashMap<Long, Point[]> pending = new HashMap<>();
    private final LinkedHashSet<Bytes> blacklist = new LinkedHashSet<>();
    private final List<Consumer<Accepted>> listeners = new CopyOnWriteArrayList<>();

    public ChannelGraph(GraphLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public GraphLimits limits() {
        return limits;
    }

    // ---- model
    //
    // Kept compact, since a mainnet graph is about 200,000 messages: each message is held once, as
    // the bytes its signer signed less what the graph already knows (the chain hash, the short
    // channel id, the node ids), and its fields are read from those bytes when asked for.

    private static final class Node {
        final PublicKey id;
        final List<Channel> channels = new ArrayList<>(2);
        /** The latest node_announcement, whole (type included), or null. */
        byte[] announcement;
        /** Token bucket of its announcements ({@link #take}); 0: not used yet. */
        long bucket;

        Node(PublicKey id) {
            this.id = id;
        }

        long timestamp() {
            if (announcement == null) {
                return -1;
            }
            int flen = u16(announcement, NodeAnnouncement.SIGNED_FROM);
            return u32(announcement, NodeAnnouncement.SIGNED_FROM + 2 + flen);
        }
    }

    private static final class Channel {
        final long scid;
        final Node node1;
        final Node node2;
        /** The announcement less chain hash, short channel id and node ids ({@link #compactAnnouncement}). */
        final byte[] announcement;
        final boolean unknownEvenFeatures;
        final long receivedAt;
        /** Each end's latest update less type, chain hash and short channel id ({@link #compactUpdate}), or null. */
        byte[] update1;
        byte[] update2;
        long bucket1;
        long bucket2;
        long capacitySat = -1;
        long spentAtHeight = -1;

        Channel(long scid, Node node1, Node node2, byte[] announcement, boolean unknownEvenFeatures, long receivedAt) {
            this.scid = scid;
            this.node1 = node1;
            this.node2 = node2;
            this.announcement = announcement;
            this.unknownEvenFeatures = unknownEvenFeatures;
            this.receivedAt = receivedAt;
        }

        Node end(int direction) {
            return direction == 0 ? node1 : node2;
        }

        byte[] update(int direction) {
            return direction == 0 ? update1 : update2;
        }
    }

    // Offsets in a compact update: signature, then the fields after short_channel_id.
    private static final int U_TIMESTAMP = 64;
    private static final int U_MESSAGE_FLAGS = 68;
    private static final int U_CHANNEL_FLAGS = 69;
    private static final int U_CLTV = 70;
    private static final int U_HTLC_MIN = 72;
    private static final int U_FEE_BASE = 80;
    private static final int U_FEE_PROP = 84;
    private static final int U_HTLC_MAX = 88;
    private static final int U_END = 96;
    /** chain_hash and short_channel_id, which a compact update leaves out. */
    private static final int CHAIN_AND_SCID = 32 + 8;

    private static byte[] compactUpdate(byte[] encoded) {
        byte[] out = new byte[encoded.length - 2 - CHAIN_AND_SCID];
        System.arraycopy(encoded, 2, out, 0, 64);
        System.arraycopy(encoded, 2 + 64 + CHAIN_AND_SCID, out, 64, out.length - 64);
        return out;
    }

    private byte[] fullUpdate(long scid, byte[] compact) {
        byte[] out = new byte[compact.length + 2 + CHAIN_AND_SCID];
        out[0] = (byte) (GossipMessage.CHANNEL_UPDATE >>> 8);
        out[1] = (byte) GossipMessage.CHANNEL_UPDATE;
        System.arraycopy(compact, 0, out, 2, 64);
        limits.chainHash().bytes().copyTo(out, 2 + 64);
        putU64(out, 2 + 64 + 32, scid);
        System.arraycopy(compact, 64, out, 2 + 64 + CHAIN_AND_SCID, compact.length - 64);
        return out;
    }

    /**
     * A channel_announcement less what the channel knows: signatures ‖ len ‖ features ‖ bitcoin_key_1
     * ‖ bitcoin_key_2 ‖ excess (chain_hash, short_channel_id and the node ids left out).
     */
    private static byte[] compactAnnouncement(byte[] encoded) {
        int flen = u16(encoded, ChannelAnnouncement.SIGNED_FROM);
        int featuresEnd = ChannelAnnouncement.SIGNED_FROM + 2 + flen;
        int keys = featuresEnd + CHAIN_AND_SCID + 2 * 33;
        byte[] out = new byte[encoded.length - 2 - CHAIN_AND_SCID - 2 * 33];
        System.arraycopy(encoded, 2, out, 0, featuresEnd - 2);
        System.arraycopy(encoded, keys, out, featuresEnd - 2, encoded.length - keys);
        return out;
    }

    private byte[] fullAnnouncement(Channel ch) {
        byte[] c = ch.announcement;
        int flen = u16(c, 4 * 64);
        int featuresEnd = 4 * 64 + 2 + flen;
        byte[] out = new byte[c.length + 2 + CHAIN_AND_SCID + 2 * 33];
        out[0] = (byte) (GossipMessage.CHANNEL_ANNOUNCEMENT >>> 8);
        out[1] = (byte) GossipMessage.CHANNEL_ANNOUNCEMENT;
        System.arraycopy(c, 0, out, 2, featuresEnd);
        int at = 2 + featuresEnd;
        limits.chainHash().bytes().copyTo(out, at);
        putU64(out, at + 32, ch.scid);
        ch.node1.id.bytes().copyTo(out, at + CHAIN_AND_SCID);
        ch.node2.id.bytes().copyTo(out, at + CHAIN_AND_SCID + 33);
        System.arraycopy(c, featuresEnd, out, at + CHAIN_AND_SCID + 66, c.length - featuresEnd);
        return out;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    private static long u64(byte[] b, int at) {
        return (u32(b, at) << 32) | u32(b, at + 4);
    }

    private static void putU64(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long timestamp(byte[] compactUpdate) {
        return compactUpdate == null ? -1 : u32(compactUpdate, U_TIMESTAMP);
    }

    /**
     * A token bucket in one long: whole tokens in the high 16 bits, the last refill (unix seconds) in
     * the low 48; 0 is a full bucket not used yet. Returns the new state, or -1 when it is empty.
     */
    private static long take(long state, long now, GraphLimits limits) {
        long tokens = state == 0 ? limits.updateBurst() : state >>> 48;
        long last = state == 0 ? now : state & 0xffff_ffff_ffffL;
        long interval = Math.max(1, limits.updateInterval().toSeconds());
        if (now > last) {
            long refill = (now - last) / interval;
            if (refill > 0) {
                tokens = Math.min(limits.updateBurst(), tokens + refill);
                last += refill * interval;
            }
        }
        if (tokens == 0) {
            return -1;
        }
        return ((tokens - 1) << 48) | (last & 0xffff_ffff_ffffL);
    }

    // ---- snapshots handed out

    /** A channel end's policy as its latest {@code channel_update} sets it. */
    public record Policy(long timestamp, int messageFlags, int channelFlags, int cltvExpiryDelta,
            long htlcMinimumMsat, long feeBaseMsat, long feeProportionalMillionths, long htlcMaximumMsat,
            long checksum) {
        public boolean disabled() {
            return (channelFlags & ChannelUpdate.DISABLE) != 0;
        }
    }

    /** What we know of a channel. */
    public record ChannelInfo(ShortChannelId shortChannelId, PublicKey node1, PublicKey node2,
            Optional<Policy> policy1, Optional<Policy> policy2, OptionalLong capacitySat, boolean unknownEvenFeatures,
            Features features) {
        public Optional<Policy> policy(int direction) {
            return direction == 0 ? policy1 : policy2;
        }
    }

    /** What we know of a node: its announcement's fields, if it sent one. */
    public record NodeInfo(PublicKey nodeId, OptionalLong timestamp, Features features, String alias, Bytes color,
            List<NodeAddress> addresses, int channels) {
    }

    /** A message the graph stored, for whoever persists or relays it. */
    public record Accepted(int type, Bytes encoded, long timestamp, Optional<Bytes> announcementFirst) {
    }

    // ---- step 1: check

    /**
     * What {@link #check} decided: either an outcome at once, or a message to {@link #verify()} and
     * {@link #apply}.
     */
    public static final class Candidate {
        final GossipMessage message;
        final byte[] encoded;
        final Point signer;
        /** The signer's (or announcing node's) key when the graph has it parsed already. */
        PublicKey knownKey;
        final boolean trusted;
        GossipOutcome decided;
        boolean verified;
        PublicKey key1;
        PublicKey key2;
        List<NodeAddress> addresses;

        Candidate(GossipMessage message, byte[] encoded, Point signer, boolean trusted) {
            this.message = message;
            this.encoded = encoded;
            this.signer = signer;
            this.trusted = trusted;
        }

        static Candidate decided(GossipMessage message, GossipOutcome outcome) {
            Candidate c = new Candidate(message, null, null, false);
            c.decided = outcome;
            return c;
        }

        public GossipMessage message() {
            return message;
        }

        /** The outcome when {@link #check} needed no signature check, else empty. */
        public Optional<GossipOutcome> decided() {
            return Optional.ofNullable(decided);
        }

        /** A {@code channel_announcement} still to be checked against the chain. */
        public Optional<ChannelAnnouncement> announcement() {
            return decided == null && message instanceof ChannelAnnouncement a ? Optional.of(a) : Optional.empty();
        }

        /**
         * Step 2: the signatures (and the points and addresses they come with). Thread-safe, no
         * lock; call it once, on any thread.
         */
        public Candidate verify() {
            if (decided != null || verified) {
                return this;
            }
            verified = true;
            try {
                if (message instanceof ChannelAnnouncement a) {
                    key1 = a.nodeId1().toPublicKey(); // a bad point: MALFORMED below
                    key2 = a.nodeId2().toPublicKey();
                    GossipSignatures.Failure f = trusted ? null : GossipSignatures.verify(a, key1, key2);
                    if (f == GossipSignatures.Failure.INVALID_POINT) {
                        decided = GossipOutcome.MALFORMED;
                    } else if (f != null) {
                        decided = GossipOutcome.BAD_SIGNATURE;
                    }
                } else if (message instanceof NodeAnnouncement n) {
                    addresses = NodeAddress.parseAll(n.addresses());
                    GossipSignatures.Failure f = trusted ? null
                            : knownKey != null ? GossipSignatures.verify(n, knownKey) : GossipSignatures.verify(n);
                    if (f != null) {
                        decided = f == GossipSignatures.Failure.INVALID_POINT ? GossipOutcome.MALFORMED
                                : GossipOutcome.BAD_SIGNATURE;
                    }
                } else if (message instanceof ChannelUpdate u) {
                    GossipSignatures.Failure f = trusted ? null
                            : knownKey != null ? GossipSignatures.verify(u, knownKey) : GossipSignatures.verify(u, signer);
                    if (f != null) {
                        decided = f == GossipSignatures.Failure.INVALID_POINT ? GossipOutcome.MALFORMED
                                : GossipOutcome.BAD_SIGNATURE;
                    }
                }
            } catch (DecodeException e) {
                decided = GossipOutcome.MALFORMED; // BOLT 7: addrlen insufficient, a bad point
            }
            return this;
        }
    }

    /** Step 1 for a message a peer sent (its signatures are checked in step 2). */
    public Candidate check(GossipMessage message, long now) {
        return check(message, now, false);
    }

    private Candidate check(GossipMessage message, long now, boolean trusted) {
        Objects.requireNonNull(message, "message");
        if (message instanceof ChannelAnnouncement a) {
            return checkAnnouncement(a, trusted);
        }
        if (message instanceof ChannelUpdate u) {
            return checkUpdate(u, now, trusted);
        }
        if (message instanceof NodeAnnouncement n) {
            return checkNode(n, now, trusted);
        }
        return Candidate.decided(message, GossipOutcome.NOT_APPLICABLE);
    }

    private Candidate checkAnnouncement(ChannelAnnouncement a, boolean trusted) {
        // BOLT 7: "if the specified chain_hash is unknown to the receiver: MUST ignore the message."
        if (!a.chainHash().equals(limits.chainHash())) {
            return Candidate.decided(a, GossipOutcome.WRONG_CHAIN);
        }
        if (a.nodeId1().equals(a.nodeId2())) {
            return Candidate.decided(a, GossipOutcome.MALFORMED);
        }
        long scid = a.shortChannelId().value();
        synchronized (lock) {
            if (blacklist.contains(a.nodeId1().bytes()) || blacklist.contains(a.nodeId2().bytes())) {
                return Candidate.decided(a, GossipOutcome.BLACKLISTED); // "SHOULD ignore the message"
            }
            Channel known = channels.get(scid);
            if (known != null) {
                if (known.node1.id.bytes().equals(a.nodeId1().bytes())
                        && known.node2.id.bytes().equals(a.nodeId2().bytes())) {
                    return Candidate.decided(a, GossipOutcome.DUPLICATE);
                }
                // A conflicting announcement: verified, it blacklists both pairs (see apply).
                return new Candidate(a, WireCodec.encode(a), null, trusted);
            }
            if (pending.containsKey(scid)) {
                return Candidate.decided(a, GossipOutcome.DUPLICATE); // another peer's copy is being checked
            }
            if (full(a)) {
                return Candidate.decided(a, GossipOutcome.GRAPH_FULL);
            }
            if (pending.size() >= MAX_PENDING) {
                pending.clear(); // only reachable if candidates were dropped unapplied; they fail in apply
            }
            pending.put(scid, new Point[] {a.nodeId1(), a.nodeId2()});
        }
        return new Candidate(a, WireCodec.encode(a), null, trusted);
    }

    /** Whether storing {@code a} would pass {@link GraphLimits#maxChannels()} or {@link GraphLimits#maxNodes()}. */
    private boolean full(ChannelAnnouncement a) {
        return channels.size() >= limits.maxChannels() || nodes.size() + newNodes(a) > limits.maxNodes();
    }

    private int newNodes(ChannelAnnouncement a) {
        return (nodes.containsKey(a.nodeId1().bytes()) ? 0 : 1) + (nodes.containsKey(a.nodeId2().bytes()) ? 0 : 1);
    }

    private Candidate checkUpdate(ChannelUpdate u, long now, boolean trusted) {
        if (!u.chainHash().equals(limits.chainHash())) {
            return Candidate.decided(u, GossipOutcome.WRONG_CHAIN); // "MUST ignore the channel update"
        }
        if (!trusted && u.timestamp() > now + limits.maxFutureSkew().toSeconds()) {
            return Candidate.decided(u, GossipOutcome.FUTURE_TIMESTAMP); // "MAY discard"
        }
        if (!trusted && u.timestamp() < now - limits.staleAfter().toSeconds()) {
            return Candidate.decided(u, GossipOutcome.STALE); // two weeks old: "MAY ignore the channel"
        }
        int direction = u.direction();
        long scid = u.shortChannelId().value();
        Point signer;
        PublicKey known = null;
        synchronized (lock) {
            Channel c = channels.get(scid);
            if (c != null) {
                // BOLT 7: an update not newer than the last one for this channel and node "SHOULD" be ignored.
                if (u.timestamp() <= timestamp(c.update(direction))) {
                    return Candidate.decided(u, GossipOutcome.DUPLICATE);
                }
                if (c.spentAtHeight >= 0 && !u.disabled()) {
                    // "if the channel output has been spent: MUST ignore channel_updates, unless they have the disable bit set"
                    return Candidate.decided(u, GossipOutcome.FUNDING_REFUSED);
                }
                known = c.end(direction).id;
                signer = Point.of(known);
            } else {
                Point[] ids = pending.get(scid);
                if (ids == null) {
                    // "if the short_channel_id does NOT match a previous channel_announcement: MUST ignore"
                    return Candidate.decided(u, GossipOutcome.UNKNOWN_CHANNEL);
                }
                signer = ids[direction];
            }
        }
        Candidate candidate = new Candidate(u, WireCodec.encode(u), signer, trusted);
        candidate.knownKey = known;
        return candidate;
    }

    private Candidate checkNode(NodeAnnouncement n, long now, boolean trusted) {
        if (!trusted && n.timestamp() > now + limits.maxFutureSkew().toSeconds()) {
            return Candidate.decided(n, GossipOutcome.FUTURE_TIMESTAMP);
        }
        synchronized (lock) {
            if (blacklist.contains(n.nodeId().bytes())) {
                return Candidate.decided(n, GossipOutcome.BLACKLISTED);
            }
            Node node = nodes.get(n.nodeId().bytes());
            if (node == null && !pendingNode(n.nodeId())) {
                // "if node_id is NOT previously known from a channel_announcement message ... SHOULD ignore"
                return Candidate.decided(n, GossipOutcome.UNKNOWN_NODE);
            }
            if (node != null && n.timestamp() <= node.timestamp()) {
                return Candidate.decided(n, GossipOutcome.DUPLICATE); // "timestamp is NOT greater"
            }
            Candidate candidate = new Candidate(n, WireCodec.encode(n), null, trusted);
            candidate.knownKey = node == null ? null : node.id;
            return candidate;
        }
    }

    private boolean pendingNode(Point id) {
        for (Point[] ids : pending.values()) {
            if (ids[0].equals(id) || ids[1].equals(id)) {
                return true;
            }
        }
        return false;
    }

    // ---- step 3: apply

    /** Step 3 with no chain check (the {@link FundingOutputs#unchecked()} port). */
    public GossipOutcome apply(Candidate c, long now) {
        return apply(c, FundingOutputs.Check.accepted(OptionalLong.empty()), now);
    }

    /**
     * Step 3: stores a verified candidate if it is still new, within the limits and (for an
     * announcement) accepted by the funding check. Every candidate from {@link #check} should come
     * here, even one that failed {@link Candidate#verify()}: that is what releases its pending
     * announcement.
     */
    public GossipOutcome apply(Candidate c, FundingOutputs.Check funding, long now) {
        Objects.requireNonNull(c, "candidate");
        if (c.decided == null && !c.verified) {
            c.verify();
        }
        synchronized (lock) {
            if (c.message instanceof ChannelAnnouncement a) {
                return applyAnnouncement(c, a, funding, now);
            }
            if (c.decided != null) {
                return c.decided;
            }
            if (c.message instanceof ChannelUpdate u) {
                return applyUpdate(c, u, now);
            }
            return applyNode(c, (NodeAnnouncement) c.message, now);
        }
    }

    private GossipOutcome applyAnnouncement(Candidate c, ChannelAnnouncement a, FundingOutputs.Check funding,
            long now) {
        long scid = a.shortChannelId().value();
        if (c.encoded != null) {
            Point[] mine = pending.get(scid);
            if (mine != null && mine[0].equals(a.nodeId1()) && mine[1].equals(a.nodeId2())) {
                pending.remove(scid);
            }
        }
        if (c.decided != null) {
            return c.decided;
        }
        if (!funding.accepted()) {
            return GossipOutcome.FUNDING_REFUSED;
        }
        Channel known = channels.get(scid);
        if (known != null) {
            if (known.node1.id.bytes().equals(a.nodeId1().bytes()) && known.node2.id.bytes().equals(a.nodeId2().bytes())) {
                return GossipOutcome.DUPLICATE;
            }
            // BOLT 7: a valid announcement for the same transaction with other node ids: "SHOULD blacklist the
            // previous message's node_id_1 and node_id_2, as well as this node_id_1 and node_id_2 AND forget any
            // channels connected to them".
            blacklist(known.node1.id.bytes());
            blacklist(known.node2.id.bytes());
            blacklist(a.nodeId1().bytes());
            blacklist(a.nodeId2().bytes());
            return GossipOutcome.BLACKLISTED;
        }
        if (full(a)) {
            return GossipOutcome.GRAPH_FULL;
        }
        Node n1 = nodes.computeIfAbsent(a.nodeId1().bytes(), k -> new Node(c.key1));
        Node n2 = nodes.computeIfAbsent(a.nodeId2().bytes(), k -> new Node(c.key2));
        boolean unknownEven = !a.features().unknownEvenBits(bit -> false).isEmpty();
        Channel ch = new Channel(scid, n1, n2, compactAnnouncement(c.encoded), unknownEven, now);
        ch.capacitySat = funding.capacitySat().orElse(-1);
        channels.put(scid, ch);
        n1.channels.add(ch);
        n2.channels.add(ch);
        // BOLT 7 (gossip_timestamp_filter): an announcement goes out with its first update, not before.
        notify(new Accepted(a.type(), Bytes.wrap(c.encoded), 0, Optional.empty()));
        return GossipOutcome.ACCEPTED;
    }

    private GossipOutcome applyUpdate(Candidate c, ChannelUpdate u, long now) {
        Channel ch = channels.get(u.shortChannelId().value());
        int direction = u.direction();
        if (ch == null || !Point.of(ch.end(direction).id).equals(c.signer)) {
            return GossipOutcome.UNKNOWN_CHANNEL; // its announcement failed, or was replaced meanwhile
        }
        if (u.timestamp() <= timestamp(ch.update(direction))) {
            return GossipOutcome.DUPLICATE;
        }
        if (!c.trusted) {
            long state = take(direction == 0 ? ch.bucket1 : ch.bucket2, now, limits);
            if (state < 0) {
                return GossipOutcome.RATE_LIMITED;
            }
            if (direction == 0) {
                ch.bucket1 = state;
            } else {
                ch.bucket2 = state;
            }
        }
        boolean first = ch.update1 == null && ch.update2 == null;
        byte[] compact = compactUpdate(c.encoded);
        if (direction == 0) {
            ch.update1 = compact;
        } else {
            ch.update2 = compact;
        }
        notify(new Accepted(u.type(), Bytes.wrap(c.encoded), u.timestamp(),
                first ? Optional.of(Bytes.wrap(fullAnnouncement(ch))) : Optional.empty()));
        return GossipOutcome.ACCEPTED;
    }

    private GossipOutcome applyNode(Candidate c, NodeAnnouncement n, long now) {
        Node node = nodes.get(n.nodeId().bytes());
        if (node == null) {
            return GossipOutcome.UNKNOWN_NODE;
        }
        if (n.timestamp() <= node.timestamp()) {
            return GossipOutcome.DUPLICATE;
        }
        if (!c.trusted) {
            long state = take(node.bucket, now, limits);
            if (state < 0) {
                return GossipOutcome.RATE_LIMITED;
            }
            node.bucket = state;
        }
        node.announcement = c.encoded;
        notify(new Accepted(n.type(), Bytes.wrap(c.encoded), n.timestamp(), Optional.empty()));
        return GossipOutcome.ACCEPTED;
    }

    private void notify(Accepted accepted) {
        for (Consumer<Accepted> l : listeners) {
            l.accept(accepted);
        }
    }

    private void blacklist(Bytes nodeId) {
        blacklist.remove(nodeId);
        blacklist.add(nodeId);
        while (blacklist.size() > limits.maxBlacklisted()) {
            Iterator<Bytes> it = blacklist.iterator();
            it.next();
            it.remove();
        }
        Node node = nodes.remove(nodeId);
        if (node != null) {
            for (Channel ch : List.copyOf(node.channels)) {
                removeChannel(ch);
            }
        }
    }

    private void removeChannel(Channel ch) {
        channels.remove(ch.scid);
        for (Node n : new Node[] {ch.node1, ch.node2}) {
            n.channels.remove(ch);
            if (n.channels.isEmpty()) {
                // BOLT 7 (Pruning): a node with no channels left MAY be pruned, with its announcement.
                nodes.remove(n.id.bytes());
            }
        }
    }

    /** The alias as text: UTF-8 up to its trailing zero bytes (malformed sequences replaced). */
    static String alias(Bytes alias) {
        byte[] a = alias.toArray();
        int end = a.length;
        while (end > 0 && a[end - 1] == 0) {
            end--;
        }
        return new String(a, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * BOLT 7: "the CRC32C checksum ... of this channel_update without its signature and timestamp
     * fields" (the fields from {@code chain_hash} to {@code htlc_maximum_msat}, timestamp left out).
     */
    public static long checksum(ChannelUpdate u) {
        byte[] e = WireCodec.encode(u);
        CRC32C crc = new CRC32C();
        int start = ChannelUpdate.SIGNED_FROM; // chain_hash
        crc.update(e, start, 32 + 8); // chain_hash, short_channel_id
        int afterTimestamp = start + 32 + 8 + 4;
        crc.update(e, afterTimestamp, 1 + 1 + 2 + 8 + 4 + 4 + 8);
        return crc.getValue();
    }

    /** {@link #checksum(ChannelUpdate)} of a compact update of channel {@code scid}. */
    private long checksum(long scid, byte[] compact) {
        CRC32C crc = new CRC32C();
        byte[] chainAndScid = new byte[CHAIN_AND_SCID];
        limits.chainHash().bytes().copyTo(chainAndScid, 0);
        putU64(chainAndScid, 32, scid);
        crc.update(chainAndScid);
        crc.update(compact, U_MESSAGE_FLAGS, U_END - U_MESSAGE_FLAGS);
        return crc.getValue();
    }

    // ---- restoring and pruning

    /**
     * Adds a message from our own store, written by an earlier run: its signatures were checked
     * then, and are not again; everything else (chain, order, limits) is, so a store from another
     * chain or a damaged one cannot put into the graph what {@link #check} would refuse.
     *
     * @return the outcome, or {@link GossipOutcome#MALFORMED} for bytes that are not a gossip message
     */
    public GossipOutcome restore(byte[] encoded, long now) {
        WireMessage m;
        try {
            m = WireCodec.decode(encoded);
        } catch (DecodeException e) {
            return GossipOutcome.MALFORMED;
        }
        if (!(m instanceof GossipMessage g)) {
            return GossipOutcome.MALFORMED;
        }
        Candidate c = check(g, now, true);
        return apply(c.verify(), now);
    }

    /**
     * BOLT 7, Recommendation on Pruning Stale Entries: forgets channels whose latest update in either
     * direction is older than {@link GraphLimits#staleAfter()} (or that have gone without an update
     * in one direction that long since we got them), channels spent {@value #SPENT_DELAY_BLOCKS}
     * blocks before {@code blockHeight} (pass -1 without a chain), and nodes left without channels.
     *
     * @return how many channels were forgotten
     */
    public int prune(long now, long blockHeight) {
        long cutoff = now - limits.staleAfter().toSeconds();
        int removed = 0;
        synchronized (lock) {
            for (Channel ch : List.copyOf(channels.values())) {
                boolean stale = false;
                for (byte[] u : new byte[][] {ch.update1, ch.update2}) {
                    stale |= u == null ? ch.receivedAt < cutoff : timestamp(u) < cutoff;
                }
                boolean spent = ch.spentAtHeight >= 0 && blockHeight >= ch.spentAtHeight + SPENT_DELAY_BLOCKS;
                if (stale || spent) {
                    removeChannel(ch);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** The host's chain source saw {@code scid}'s funding output spent at {@code height}. */
    public void fundingSpent(ShortChannelId scid, long height) {
        synchronized (lock) {
            Channel ch = channels.get(scid.value());
            if (ch != null && ch.spentAtHeight < 0) {
                ch.spentAtHeight = height;
            }
        }
    }

    // ---- listeners

    /** Called, under the graph's lock, with every message stored from now on. */
    public void onAccepted(Consumer<Accepted> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ---- reads

    public int channelCount() {
        synchronized (lock) {
            return channels.size();
        }
    }

    public int nodeCount() {
        synchronized (lock) {
            return nodes.size();
        }
    }

    /** Messages stored: announcements, updates and node announcements. */
    public int messageCount() {
        synchronized (lock) {
            int n = channels.size();
            for (Channel ch : channels.values()) {
                n += (ch.update1 == null ? 0 : 1) + (ch.update2 == null ? 0 : 1);
            }
            for (Node node : nodes.values()) {
                n += node.announcement == null ? 0 : 1;
            }
            return n;
        }
    }

    /** Nodes whose {@code node_announcement} we hold. */
    public int announcedNodeCount() {
        synchronized (lock) {
            int n = 0;
            for (Node node : nodes.values()) {
                n += node.announcement == null ? 0 : 1;
            }
            return n;
        }
    }

    public Optional<ChannelInfo> channel(ShortChannelId scid) {
        synchronized (lock) {
            Channel ch = channels.get(scid.value());
            return ch == null ? Optional.empty() : Optional.of(info(ch));
        }
    }

    /** Every channel, ascending by short channel id. */
    public List<ChannelInfo> channels() {
        synchronized (lock) {
            List<ChannelInfo> out = new ArrayList<>(channels.size());
            for (Channel ch : channels.values()) {
                out.add(info(ch));
            }
            out.sort((x, y) -> x.shortChannelId().compareTo(y.shortChannelId()));
            return out;
        }
    }

    /** The channels of {@code nodeId}. */
    public List<ChannelInfo> channelsOf(PublicKey nodeId) {
        synchronized (lock) {
            Node n = nodes.get(nodeId.bytes());
            if (n == null) {
                return List.of();
            }
            List<ChannelInfo> out = new ArrayList<>(n.channels.size());
            for (Channel ch : n.channels) {
                out.add(info(ch));
            }
            return out;
        }
    }

    public Optional<NodeInfo> node(PublicKey nodeId) {
        synchronized (lock) {
            Node n = nodes.get(nodeId.bytes());
            return n == null ? Optional.empty() : Optional.of(info(n));
        }
    }

    /** Every node, ascending by id. */
    public List<NodeInfo> nodes() {
        synchronized (lock) {
            List<NodeInfo> out = new ArrayList<>(nodes.size());
            for (Node n : nodes.values()) {
                out.add(info(n));
            }
            out.sort((x, y) -> x.nodeId().compareTo(y.nodeId()));
            return out;
        }
    }

    /**
     * The node at end {@code direction} (0: {@code node_id_1}) of channel {@code scid}: BOLT 1's
     * {@code sciddir_or_pubkey}.
     */
    public Optional<PublicKey> channelEnd(ShortChannelId scid, int direction) {
        synchronized (lock) {
            Channel ch = channels.get(scid.value());
            return ch == null ? Optional.empty() : Optional.of(ch.end(direction).id);
        }
    }

    /**
     * The nodes with a channel to {@code nodeId} that onion messages may cross: not with unknown even
     * channel features (BOLT 7: "MUST NOT attempt to route messages through the channel"), not
     * disabled in both directions, and neither end announcing unknown even features or lacking
     * {@code option_onion_messages} when it announced its features.
     */
    public Set<PublicKey> links(PublicKey nodeId) {
        synchronized (lock) {
            Node n = nodes.get(nodeId.bytes());
            if (n == null || !relays(n)) {
                return Set.of();
            }
            Set<PublicKey> out = new LinkedHashSet<>();
            for (Channel ch : n.channels) {
                if (ch.unknownEvenFeatures || ch.spentAtHeight >= 0 || (disabled(ch.update1) && disabled(ch.update2))) {
                    continue;
                }
                Node other = ch.node1 == n ? ch.node2 : ch.node1;
                if (relays(other)) {
                    out.add(other.id);
                }
            }
            return Collections.unmodifiableSet(out);
        }
    }

    private static boolean disabled(byte[] update) {
        return update != null && (update[U_CHANNEL_FLAGS] & ChannelUpdate.DISABLE) != 0;
    }

    private static boolean relays(Node n) {
        if (n.announcement == null) {
            return true; // no announcement: its features are unknown
        }
        Features f = new Features(Bytes.of(n.announcement, NodeAnnouncement.SIGNED_FROM + 2,
                NodeAnnouncement.SIGNED_FROM + 2 + u16(n.announcement, NodeAnnouncement.SIGNED_FROM)));
        return f.unknownEvenBits(Features.Feature::isKnownBit).isEmpty()
                && (f.hasBit(Features.ONION_MESSAGES_REQ) || f.hasBit(Features.ONION_MESSAGES_OPT));
    }

    /** The short channel ids whose block is in [{@code firstBlock}, {@code endBlock}), ascending. */
    public List<ShortChannelId> shortChannelIds(long firstBlock, long endBlock) {
        List<ShortChannelId> out = new ArrayList<>();
        synchronized (lock) {
            for (long scid : channels.keySet()) {
                long block = scid >>> 40;
                if (block >= firstBlock && block < endBlock) {
                    out.add(new ShortChannelId(scid));
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /** The stored messages of one channel, for {@code query_short_channel_ids}. */
    public record ChannelMessages(Bytes announcement, Optional<Bytes> update1, Optional<Bytes> update2,
            Optional<Bytes> node1, Optional<Bytes> node2, PublicKey nodeId1, PublicKey nodeId2) {
    }

    public Optional<ChannelMessages> messages(ShortChannelId scid) {
        synchronized (lock) {
            Channel ch = channels.get(scid.value());
            if (ch == null) {
                return Optional.empty();
            }
            return Optional.of(new ChannelMessages(Bytes.wrap(fullAnnouncement(ch)), update(ch, ch.update1),
                    update(ch, ch.update2), Optional.ofNullable(ch.node1.announcement).map(Bytes::wrap),
                    Optional.ofNullable(ch.node2.announcement).map(Bytes::wrap), ch.node1.id, ch.node2.id));
        }
    }

    private Optional<Bytes> update(Channel ch, byte[] compact) {
        return compact == null ? Optional.empty() : Optional.of(Bytes.wrap(fullUpdate(ch.scid, compact)));
    }

    /**
     * The stored gossip whose timestamp passes {@code filter}, in the order BOLT 7 wants it sent: each
     * channel's announcement (timed by its updates, and never one without an update) before its
     * updates, the node announcements last. For {@code gossip_timestamp_filter}, and to persist
     * the whole graph ({@code filter} accepting everything).
     */
    public List<Bytes> messages(java.util.function.LongPredicate filter, boolean withNodes) {
        List<Bytes> out = new ArrayList<>();
        synchronized (lock) {
            for (Channel ch : channels.values()) {
                boolean one = ch.update1 != null && filter.test(timestamp(ch.update1));
                boolean two = ch.update2 != null && filter.test(timestamp(ch.update2));
                if (!one && !two) {
                    continue;
                }
                out.add(Bytes.wrap(fullAnnouncement(ch)));
                if (one) {
                    out.add(Bytes.wrap(fullUpdate(ch.scid, ch.update1)));
                }
                if (two) {
                    out.add(Bytes.wrap(fullUpdate(ch.scid, ch.update2)));
                }
            }
            if (withNodes) {
                for (Node n : nodes.values()) {
                    if (n.announcement != null && filter.test(n.timestamp())) {
                        out.add(Bytes.wrap(n.announcement));
                    }
                }
            }
        }
        return out;
    }

    /** Every stored message (announcements without updates too), for writing the store afresh. */
    public List<Bytes> allMessages() {
        List<Bytes> out = new ArrayList<>();
        synchronized (lock) {
            for (Channel ch : channels.values()) {
                out.add(Bytes.wrap(fullAnnouncement(ch)));
                for (byte[] u : new byte[][] {ch.update1, ch.update2}) {
                    if (u != null) {
                        out.add(Bytes.wrap(fullUpdate(ch.scid, u)));
                    }
                }
            }
            for (Node n : nodes.values()) {
                if (n.announcement != null) {
                    out.add(Bytes.wrap(n.announcement));
                }
            }
        }
        return out;
    }

    private ChannelInfo info(Channel ch) {
        Features features = new Features(Bytes.of(ch.announcement, 4 * 64 + 2, 4 * 64 + 2 + u16(ch.announcement, 4 * 64)));
        return new ChannelInfo(new ShortChannelId(ch.scid), ch.node1.id, ch.node2.id, policy(ch.scid, ch.update1),
                policy(ch.scid, ch.update2), ch.capacitySat < 0 ? OptionalLong.empty() : OptionalLong.of(ch.capacitySat),
                ch.unknownEvenFeatures, features);
    }

    private Optional<Policy> policy(long scid, byte[] u) {
        return u == null ? Optional.empty() : Optional.of(new Policy(u32(u, U_TIMESTAMP), u[U_MESSAGE_FLAGS] & 0xff,
                u[U_CHANNEL_FLAGS] & 0xff, u16(u, U_CLTV), u64(u, U_HTLC_MIN), u32(u, U_FEE_BASE), u32(u, U_FEE_PROP),
                u64(u, U_HTLC_MAX), checksum(scid, u)));
    }

    private static NodeInfo info(Node n) {
        if (n.announcement == null) {
            return new NodeInfo(n.id, OptionalLong.empty(), Features.EMPTY, "", Bytes.EMPTY, List.of(), n.channels.size());
        }
        NodeAnnouncement a = (NodeAnnouncement) WireCodec.decode(n.announcement); // our own, checked when stored
        List<NodeAddress> addresses;
        try {
            addresses = NodeAddress.parseAll(a.addresses());
        } catch (DecodeException e) {
            addresses = List.of();
        }
        return new NodeInfo(n.id, OptionalLong.of(a.timestamp()), a.features(), alias(a.alias()), a.rgbColor(),
                addresses, n.channels.size());
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "ChannelGraph[" + channels.size() + " channels, " + nodes.size() + " nodes]";
        }
    }

    /** For tests: the announcements being checked now. */
    int pendingAnnouncements() {
        synchronized (lock) {
            return pending.size();
        }
    }
}
