package dev.boltflow.node.gossip;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.gossip.ChannelGraph;
import dev.boltflow.core.gossip.GossipIngest;
import dev.boltflow.core.gossip.GossipOutcome;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.GossipMessage.EncodedShortIds;
import dev.boltflow.core.wire.GossipMessage.EncodedTimestamps;
import dev.boltflow.core.wire.GossipMessage.GossipTimestampFilter;
import dev.boltflow.core.wire.GossipMessage.NodeAnnouncement;
import dev.boltflow.core.wire.GossipMessage.QueryChannelRange;
import dev.boltflow.core.wire.GossipMessage.QueryShortChannelIds;
import dev.boltflow.core.wire.GossipMessage.ReplyChannelRange;
import dev.boltflow.core.wire.GossipMessage.ReplyShortChannelIdsEnd;
import dev.boltflow.core.wire.GossipMessage.UpdateChecksums;
import dev.boltflow.core.wire.GossipMessage.UpdatePair;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.core.wire.WireCodec;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.node.messaging.PeerGossip;
import dev.boltflow.transport.PeerConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The node's part in BOLT 7, for each peer connection the messenger reads ({@link PeerGossip}):
 *
 * <ul>
 *   <li><b>Receiving</b>: announcements and updates go through {@link GossipIngest} into the
 *       {@link ChannelGraph}; each outcome is counted against the peer, and a connection that sends
 *       {@link GossipConfig#peerFaultLimit()} malformed or badly signed messages is warned and
 *       closed (BOLT 7: "MAY close the connection"). Nothing well-formed closes a connection.</li>
 *   <li><b>Asking</b>: to the first {@link GossipConfig#syncPeers()} peers that offer
 *       {@code gossip_queries} we send a {@code gossip_timestamp_filter} from two weeks ago
 *       ("A node which wants any gossip messages has to send this").</li>
 *   <li><b>Answering</b>: {@code gossip_timestamp_filter} (the stored gossip in the range at once,
 *       then what is new at each flush), {@code query_channel_range} (with timestamps and checksums
 *       when asked) and {@code query_short_channel_ids} (with query flags), as BOLT 7 requires of a
 *       node that keeps a graph. Updates with {@code dont_forward} never go out.</li>
 *   <li><b>Keeping</b>: what the graph stores is appended to the {@link FileGossipStore} each
 *       second; stale channels are pruned every {@link GossipConfig#pruneInterval()}, and the file
 *       is rewritten when it holds twice what the graph does.</li>
 * </ul>
 */
public final class GossipManager implements PeerGossip, Disposable {
    private static final Logger LOG = LoggerFactory.getLogger(GossipManager.class);
    /** Short channel ids per {@code reply_channel_range}: with both TLVs, 24 bytes each, well within 65535. */
    static final int IDS_PER_REPLY = 2_000;
    /** BOLT 7 pruning horizon, also how far back our {@code gossip_timestamp_filter} asks. */
    private static final long TWO_WEEKS = 14 * 24 * 3600L;
    /** Messages written to one peer at once while answering. */
    private static final int SEND_CONCURRENCY = 32;

    private final ChannelGraph graph;
    private final GossipIngest ingest;
    private final Optional<FileGossipStore> store;
    private final GossipConfig config;
    private final Bytes32 chainHash;
    private final Clock clock;
    private final Scheduler cpu;
    private final Map<PeerConnection, PeerState> peers = new ConcurrentHashMap<>();
    private final Set<PeerConnection> syncing = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<ChannelGraph.Accepted> toRelay = new ConcurrentLinkedQueue<>();
    private final AtomicInteger relayQueued = new AtomicInteger();
    /** Connected peers that sent a gossip_timestamp_filter: only then is new gossip queued for relay. */
    private final AtomicInteger filtering = new AtomicInteger();
    private final ConcurrentLinkedQueue<Bytes> toStore = new ConcurrentLinkedQueue<>();
    private final AtomicLong storeDropped = new AtomicLong();
    private final Disposable.Composite timers = Disposables.composite();

    /** What one peer sent us, by outcome. */
    public record PeerStats(PublicKey peer, Map<GossipOutcome, Long> outcomes, long faults) {
    }

    private final class PeerState {
        final PeerConnection connection;
        final Map<GossipOutcome, LongAdder> outcomes = new EnumMap<>(GossipOutcome.class);
        final AtomicLong faults = new AtomicLong();
        final Disposable.Swap dump = Disposables.swap();
        volatile GossipTimestampFilter filter;

        PeerState(PeerConnection connection) {
            this.connection = connection;
            for (GossipOutcome o : GossipOutcome.values()) {
                outcomes.put(o, new LongAdder());
            }
        }

        void count(GossipOutcome o) {
            outcomes.get(o).increment();
            if (o.peerFault() && faults.incrementAndGet() == config.peerFaultLimit()) {
                LOG.warn("{} sent {} malformed or badly signed gossip messages; closing the connection",
                        connection.remoteNodeId(), config.peerFaultLimit());
                connection.send(WireMessage.Warning.of("too many invalid gossip messages"))
                        .onErrorResume(e -> Mono.empty())
                        .doFinally(s -> connection.dispose())
                        .subscribe();
            }
        }

        PeerStats stats() {
            Map<GossipOutcome, Long> m = new EnumMap<>(GossipOutcome.class);
            outcomes.forEach((k, v) -> m.put(k, v.sum()));
            return new PeerStats(connection.remoteNodeId(), m, faults.get());
        }
    }

    /**
     * @param store   where the graph is kept across restarts (empty: in memory only)
     * @param timers  where the flush, store and prune timers run
     * @param cpu     where queries are answered
     */
    public GossipManager(ChannelGraph graph, GossipIngest ingest, Optional<FileGossipStore> store, GossipConfig config,
            Clock clock, Scheduler timers, Scheduler cpu) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.chainHash = graph.limits().chainHash();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
        graph.onAccepted(this::accepted);
        this.timers.add(Flux.interval(config.flushInterval(), config.flushInterval(), timers)
                .onBackpressureDrop()
                .concatMap(t -> flush().onErrorResume(e -> {
                    LOG.warn("relaying gossip failed: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe());
        this.timers.add(Flux.interval(config.pruneInterval(), config.pruneInterval(), timers)
                .onBackpressureDrop()
                .concatMap(t -> prune(), 1)
                .subscribe());
        store.ifPresent(s -> this.timers.add(Flux.interval(java.time.Duration.ofSeconds(1), timers)
                .onBackpressureDrop()
                .concatMap(t -> persist(s), 1)
                .subscribe()));
    }

    public ChannelGraph graph() {
        return graph;
    }

    private void accepted(ChannelGraph.Accepted a) {
        if (store.isPresent()) {
            toStore.add(a.encoded());
        }
        if (a.type() != GossipMessage.CHANNEL_ANNOUNCEMENT && filtering.get() > 0) {
            if (relayQueued.incrementAndGet() <= config.maxQueued()) {
                toRelay.add(a);
            } else {
                relayQueued.decrementAndGet();
            }
        }
    }

    // ---- per connection

    @Override
    public Publisher<Void> handle(PeerConnection from, Flux<GossipMessage> messages) {
        return Mono.defer(() -> {
            PeerState st = new PeerState(from);
            peers.put(from, st);
            askForGossip(from);
            return messages.publish(shared -> Flux.merge(
                    ingest.ingest(shared.filter(GossipManager::forGraph)).doOnNext(st::count).then(),
                    shared.filter(m -> !forGraph(m)).concatMap(m -> answer(st, m), 1).then())).then()
                    .doFinally(s -> {
                        peers.remove(from);
                        if (st.filter != null) {
                            filtering.decrementAndGet();
                        }
                        st.dump.dispose();
                        if (syncing.remove(from)) {
                            LOG.debug("gossip sync peer {} gone", from.remoteNodeId());
                        }
                    });
        });
    }

    private static boolean forGraph(GossipMessage m) {
        return m instanceof ChannelAnnouncement || m instanceof ChannelUpdate || m instanceof NodeAnnouncement;
    }

    /** BOLT 7: a node "which wants any gossip messages has to send" gossip_timestamp_filter; to a few peers. */
    private void askForGossip(PeerConnection c) {
        Features features = c.remoteInit().combinedFeatures();
        if (!features.supports(Features.Feature.GOSSIP_QUERIES)) {
            return;
        }
        synchronized (syncing) {
            if (syncing.size() >= config.syncPeers()) {
                return;
            }
            syncing.add(c);
        }
        long first = Math.max(0, now() - TWO_WEEKS);
        c.send(new GossipTimestampFilter(chainHash, first, 0xffffffffL))
                .subscribe(null, e -> LOG.debug("asking {} for gossip failed: {}", c.remoteNodeId(), e.toString()));
    }

    public Optional<PeerStats> stats(PublicKey peer) {
        for (PeerState st : peers.values()) {
            if (st.connection.remoteNodeId().equals(peer)) {
                return Optional.of(st.stats());
            }
        }
        return Optional.empty();
    }

    /** The peers we asked for gossip, connected now. */
    public int syncPeers() {
        return syncing.size();
    }

    // ---- answering

    private Mono<Void> answer(PeerState st, GossipMessage m) {
        if (m instanceof GossipTimestampFilter f) {
            if (f.chainHash().equals(chainHash)) {
                if (st.filter == null) {
                    filtering.incrementAndGet();
                }
                st.filter = f;
                // The stored gossip in the range now; later gossip goes out with the flushes.
                st.dump.update(sendAll(st.connection,
                        Mono.fromCallable(() -> forwardable(graph.messages(f::accepts, true))).subscribeOn(cpu))
                        .subscribe(null, e -> LOG.debug("gossip to {} stopped: {}", st.connection.remoteNodeId(),
                                e.toString())));
            }
            return Mono.empty();
        }
        if (m instanceof QueryChannelRange q) {
            return sendAll(st.connection, Mono.fromCallable(() -> replies(q)).subscribeOn(cpu));
        }
        if (m instanceof QueryShortChannelIds q) {
            return Mono.fromCallable(() -> Optional.ofNullable(answer(q))).subscribeOn(cpu).flatMap(answer -> {
                if (answer.isEmpty()) {
                    st.count(GossipOutcome.MALFORMED);
                    return st.connection.send(WireMessage.Warning.of("query_short_channel_ids does not decode"))
                            .onErrorResume(e -> Mono.empty());
                }
                return sendAll(st.connection, Mono.just(answer.get()));
            });
        }
        st.count(GossipOutcome.NOT_APPLICABLE); // replies to queries we did not send, announcement_signatures
        return Mono.empty();
    }

    private Mono<Void> sendAll(PeerConnection to, Mono<List<Bytes>> messages) {
        return messages.flatMapMany(Flux::fromIterable)
                .flatMapSequential(b -> to.send(WireCodec.decode(b.toArray())), SEND_CONCURRENCY)
                .then();
    }

    /** BOLT 7 (query_channel_range): whole replies, ascending, the last one with sync_complete. */
    List<Bytes> replies(QueryChannelRange q) {
        List<Bytes> out = new ArrayList<>();
        if (!q.chainHash().equals(chainHash)) {
            out.add(Bytes.wrap(WireCodec.encode(new ReplyChannelRange(q.chainHash(), q.firstBlocknum(),
                    q.numberOfBlocks(), 1, EncodedShortIds.of(List.of()), Optional.empty(), Optional.empty(),
                    dev.boltflow.core.tlv.TlvStream.EMPTY))));
            return out;
        }
        long end = Math.min(q.endBlock(), 0x1_0000_0000L);
        List<ShortChannelId> ids = graph.shortChannelIds(q.firstBlocknum(), end);
        int chunks = Math.max(1, (ids.size() + IDS_PER_REPLY - 1) / IDS_PER_REPLY);
        long first = q.firstBlocknum();
        for (int i = 0; i < chunks; i++) {
            List<ShortChannelId> chunk = ids.subList(i * IDS_PER_REPLY, Math.min(ids.size(), (i + 1) * IDS_PER_REPLY));
            boolean last = i == chunks - 1;
            long to = last ? end : chunk.get(chunk.size() - 1).blockHeight() + 1;
            Optional<EncodedTimestamps> timestamps = Optional.empty();
            Optional<UpdateChecksums> checksums = Optional.empty();
            if (q.wants(QueryChannelRange.WANT_TIMESTAMPS) || q.wants(QueryChannelRange.WANT_CHECKSUMS)) {
                List<UpdatePair> ts = new ArrayList<>(chunk.size());
                List<UpdatePair> cs = new ArrayList<>(chunk.size());
                for (ShortChannelId id : chunk) {
                    Optional<ChannelGraph.ChannelInfo> c = graph.channel(id);
                    ts.add(new UpdatePair(c.flatMap(x -> x.policy1()).map(ChannelGraph.Policy::timestamp).orElse(0L),
                            c.flatMap(x -> x.policy2()).map(ChannelGraph.Policy::timestamp).orElse(0L)));
                    cs.add(new UpdatePair(c.flatMap(x -> x.policy1()).map(ChannelGraph.Policy::checksum).orElse(0L),
                            c.flatMap(x -> x.policy2()).map(ChannelGraph.Policy::checksum).orElse(0L)));
                }
                if (q.wants(QueryChannelRange.WANT_TIMESTAMPS)) {
                    timestamps = Optional.of(EncodedTimestamps.of(ts));
                }
                if (q.wants(QueryChannelRange.WANT_CHECKSUMS)) {
                    checksums = Optional.of(UpdateChecksums.of(cs));
                }
            }
            out.add(Bytes.wrap(WireCodec.encode(new ReplyChannelRange(chainHash, first, Math.max(1, to - first),
                    last ? 1 : 0, EncodedShortIds.of(chunk), timestamps, checksums,
                    dev.boltflow.core.tlv.TlvStream.EMPTY))));
            first = to;
            if (!last && chunk.get(chunk.size() - 1).blockHeight() == ids.get((i + 1) * IDS_PER_REPLY).blockHeight()) {
                first = chunk.get(chunk.size() - 1).blockHeight(); // a block split across replies
            }
        }
        return out;
    }

    /**
     * BOLT 7 (query_short_channel_ids): for each known channel, what the flags ask (all of it without
     * flags), node announcements once each, then {@code reply_short_channel_ids_end}. Null when the
     * query does not decode or its flags do not match its ids.
     */
    List<Bytes> answer(QueryShortChannelIds q) {
        List<ShortChannelId> ids;
        Optional<List<Long>> flags;
        try {
            ids = q.shortIds().ids();
            flags = q.queryFlags().map(f -> f.flags());
        } catch (DecodeException e) {
            return null;
        }
        if (flags.isPresent() && flags.get().size() != ids.size()) {
            return null; // "does not decode to exactly one flag per short_channel_id"
        }
        List<Bytes> out = new ArrayList<>();
        boolean ours = q.chainHash().equals(chainHash);
        Set<PublicKey> nodesSent = new HashSet<>();
        for (int i = 0; ours && i < ids.size(); i++) {
            // Without query flags: the announcement, both updates and both node announcements.
            long flag = flags.isPresent() ? flags.get().get(i) : 0x1f;
            Optional<ChannelGraph.ChannelMessages> m = graph.messages(ids.get(i));
            if (m.isEmpty()) {
                continue;
            }
            ChannelGraph.ChannelMessages c = m.get();
            if ((flag & QueryShortChannelIds.WANT_ANNOUNCEMENT) != 0) {
                out.add(c.announcement());
            }
            if ((flag & QueryShortChannelIds.WANT_UPDATE_1) != 0) {
                c.update1().filter(GossipManager::forwardable).ifPresent(out::add);
            }
            if ((flag & QueryShortChannelIds.WANT_UPDATE_2) != 0) {
                c.update2().filter(GossipManager::forwardable).ifPresent(out::add);
            }
            if ((flag & QueryShortChannelIds.WANT_NODE_1) != 0 && c.node1().isPresent() && nodesSent.add(c.nodeId1())) {
                out.add(c.node1().get());
            }
            if ((flag & QueryShortChannelIds.WANT_NODE_2) != 0 && c.node2().isPresent() && nodesSent.add(c.nodeId2())) {
                out.add(c.node2().get());
            }
        }
        out.add(Bytes.wrap(WireCodec.encode(new ReplyShortChannelIdsEnd(q.chainHash(), ours))));
        return out;
    }

    /** BOLT 7: a {@code channel_update} with {@code dont_forward} "MUST NOT" go to other peers. */
    private static boolean forwardable(Bytes message) {
        if (message.length() < 2 + ChannelUpdate.SIGNED_FROM + 32 + 8 + 4 + 1
                || ((message.get(0) & 0xff) << 8 | (message.get(1) & 0xff)) != GossipMessage.CHANNEL_UPDATE) {
            return true;
        }
        int messageFlags = message.get(ChannelUpdate.SIGNED_FROM + 32 + 8 + 4) & 0xff;
        return (messageFlags & ChannelUpdate.DONT_FORWARD) == 0;
    }

    private static List<Bytes> forwardable(List<Bytes> messages) {
        List<Bytes> out = new ArrayList<>(messages.size());
        for (Bytes b : messages) {
            if (forwardable(b)) {
                out.add(b);
            }
        }
        return out;
    }

    // ---- timers

    /** Sends what was stored since the last flush to every peer whose filter takes it. */
    Mono<Void> flush() {
        List<ChannelGraph.Accepted> batch = new ArrayList<>();
        for (ChannelGraph.Accepted a; (a = toRelay.poll()) != null;) {
            relayQueued.decrementAndGet();
            batch.add(a);
        }
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        List<Mono<Void>> sends = new ArrayList<>();
        for (PeerState st : peers.values()) {
            GossipTimestampFilter f = st.filter;
            if (f == null) {
                continue;
            }
            List<Bytes> out = new ArrayList<>();
            for (ChannelGraph.Accepted a : batch) {
                if (f.accepts(a.timestamp()) && forwardable(a.encoded())) {
                    a.announcementFirst().ifPresent(out::add);
                    out.add(a.encoded());
                }
            }
            if (!out.isEmpty()) {
                sends.add(sendAll(st.connection, Mono.just(out)).onErrorResume(e -> Mono.empty()));
            }
        }
        return Mono.when(sends);
    }

    private Mono<Void> persist(FileGossipStore s) {
        List<Bytes> batch = new ArrayList<>();
        for (Bytes b; (b = toStore.poll()) != null;) {
            batch.add(b);
        }
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        return s.append(batch).onErrorResume(e -> {
            storeDropped.addAndGet(batch.size());
            LOG.warn("could not store {} gossip messages: {}", batch.size(), e.toString());
            return Mono.empty();
        });
    }

    /** Prunes stale channels, and rewrites the store when it holds twice what the graph does. */
    Mono<Void> prune() {
        return Mono.defer(() -> {
            int pruned = graph.prune(now(), -1);
            if (pruned > 0) {
                LOG.info("pruned {} stale channels; {}", pruned, graph);
            }
            return store.map(this::compactIfLarge).orElse(Mono.empty());
        }).onErrorResume(e -> {
            LOG.warn("pruning gossip failed: {}", e.toString());
            return Mono.empty();
        });
    }

    /** Rewrites the store from the graph if it is more than twice the graph's size (or some writes were lost). */
    public Mono<Void> compactIfLarge(FileGossipStore s) {
        return Mono.defer(() -> {
            if (s.records() <= 2L * graph.messageCount() + 1_000 && storeDropped.get() == 0) {
                return Mono.empty();
            }
            storeDropped.set(0);
            // Cleared before the snapshot: what is accepted from here on is in the snapshot, or queued, or both
            // (a message written twice is read back once).
            toStore.clear();
            return s.rewrite(graph.allMessages());
        });
    }

    private long now() {
        return clock.millis() / 1000;
    }

    @Override
    public void dispose() {
        timers.dispose();
        peers.values().forEach(st -> st.dump.dispose());
    }

    /** Writes what is still queued; for a clean stop. */
    public Mono<Void> drain() {
        return store.map(this::persist).orElse(Mono.empty());
    }

    @Override
    public boolean isDisposed() {
        return timers.isDisposed();
    }
}
