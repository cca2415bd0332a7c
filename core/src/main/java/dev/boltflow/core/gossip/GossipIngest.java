package dev.boltflow.core.gossip;

import java.time.Clock;
import java.util.Objects;
import java.util.OptionalLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Feeds a peer's gossip into a {@link ChannelGraph}: {@link ChannelGraph#check} as each message
 * arrives, the signatures on {@code cpu} with up to {@code parallelism} messages at once, the
 * {@link FundingOutputs} port for announcements, and {@link ChannelGraph#apply} in the order the peer
 * sent them (so an announcement is stored before the updates that follow it). Demand follows the
 * graph: a peer's stream is read only as fast as it is verified.
 */
public final class GossipIngest {
    private static final Mono<FundingOutputs.Check> UNCHECKED = Mono.just(FundingOutputs.Check.accepted(OptionalLong.empty()));

    private final ChannelGraph graph;
    private final FundingOutputs funding;
    private final Clock clock;
    private final Scheduler cpu;
    private final int parallelism;

    /**
     * @param clock       the time timestamps are judged by
     * @param cpu         where signatures are verified (e.g. {@code Schedulers.parallel()})
     * @param parallelism messages of one stream verified at once
     */
    public GossipIngest(ChannelGraph graph, FundingOutputs funding, Clock clock, Scheduler cpu, int parallelism) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.funding = Objects.requireNonNull(funding, "funding");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
    }

    public ChannelGraph graph() {
        return graph;
    }

    /** The outcome of each message, in order. */
    public Flux<GossipOutcome> ingest(Flux<? extends dev.boltflow.core.wire.GossipMessage> messages) {
        return messages
                .map(m -> graph.check(m, now()))
                .flatMapSequential(c -> c.decided().isPresent() ? Mono.just(c)
                        : Mono.fromCallable(c::verify).subscribeOn(cpu), parallelism, parallelism)
                .concatMap(c -> c.announcement().map(funding::check).orElse(UNCHECKED)
                        .map(check -> graph.apply(c, check, now())), 1);
    }

    private long now() {
        return clock.millis() / 1000;
    }
}
