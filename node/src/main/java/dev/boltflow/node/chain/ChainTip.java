package dev.boltflow.node.chain;

import dev.boltflow.core.sendinvoice.BlockHeight;
import dev.boltflow.node.config.ConfigException;
import dev.boltflow.node.config.Network;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;

/**
 * The best block height the node works with (it has no chain backend of its own): our payment
 * paths' {@code max_cltv_expiry} is this height plus 2016 blocks, so a height that is too low makes
 * every real HTLC look too late and refused; one that is too high only lets HTLCs expire later.
 * Where it comes from, in order of preference:
 * <ol>
 * <li>{@link #polling}: an HTTP endpoint the operator names that answers the height as plain text
 *     (Esplora's and mempool.space's {@code /blocks/tip/height}, or a local electrs), read at start and
 *     then every {@link #POLL_EVERY};</li>
 * <li>{@link #fixed}: a height given on the command line (regtest, or a host that knows better);</li>
 * <li>{@link #estimate}: on mainnet, a checkpoint plus the time since, counted at one block per
 *     {@link HeightEstimate#SECONDS_PER_BLOCK} s — faster than the 600 s target, so it errs high.</li>
 * </ol>
 * Testnet and signet have no checkpoint here: they need one of the first two.
 */
public final class ChainTip implements BlockHeight, Disposable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainTip.class);
    /** How often a polled height is read again. */
    public static final Duration POLL_EVERY = Duration.ofSeconds(60);
    /** How long one read of a polled height may take. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final AtomicLong height;
    private final BlockHeight fallback;
    private final String source;
    private final Disposable polling;
    /** Ends once the first read of a polled height has finished, however it went (fixed ones: at once). */
    private final Sinks.Empty<Void> firstRead = Sinks.empty();

    private ChainTip(long initial, BlockHeight fallback, String source, Disposable polling) {
        if (initial >= 0 || fallback != null && !(polling instanceof Disposable.Swap)) {
            firstRead.tryEmitEmpty();
        }
        this.height = new AtomicLong(initial);
        this.fallback = fallback;
        this.source = source;
        this.polling = polling;
    }

    /** Always {@code height}. */
    public static ChainTip fixed(long height) {
        if (height < 0) {
            throw new ConfigException("--block-height: must not be negative, got " + height);
        }
        return new ChainTip(height, null, "--block-height " + height, Disposables.disposed());
    }

    /** The checkpoint estimate of {@code network} at {@code clock}'s time; a network without one is a config error. */
    public static ChainTip estimate(Network network, Clock clock) {
        HeightEstimate estimate = HeightEstimate.of(network).orElseThrow(() -> new ConfigException(
                "on " + network.cliName() + " the block height is needed and there is no checkpoint to estimate it"
                        + " from: give --block-height N or --block-height-url URL"));
        return new ChainTip(-1, () -> estimate.at(clock.instant()), estimate.describe(), Disposables.disposed());
    }

    /**
     * The height {@code url} answers, read now and then every {@link #POLL_EVERY} on {@code timers};
     * until the first answer, and whenever one fails, {@code fallback}. A read that fails keeps the last
     * height read (heights never go down here) and logs one line.
     */
    public static ChainTip polling(URI url, BlockHeight fallback, Scheduler timers) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(fallback, "fallback");
        ChainTip[] self = new ChainTip[1];
        Disposable.Swap poll = Disposables.swap();
        ChainTip tip = new ChainTip(-1, fallback, url.toString(), poll);
        self[0] = tip;
        poll.update(Flux.interval(Duration.ZERO, POLL_EVERY, timers)
                .onBackpressureLatest() // a tick during a read: one more read right after it
                .concatMap(tick -> read(url)
                        .doOnNext(h -> self[0].advanceTo(h))
                        .onErrorResume(e -> {
                            LOG.warn("could not read the block height from {}: {}; using {}", url, e.getMessage(),
                                    self[0].current());
                            return Mono.empty();
                        })
                        .doFinally(s -> self[0].firstRead.tryEmitEmpty()))
                .subscribe(null, e -> LOG.error("polling the block height from {} stopped: {}", url, e.toString())));
        return tip;
    }

    /** One read of {@code url}: its body must be a height, decimal, nothing else but whitespace. */
    static Mono<Long> read(URI url) {
        return HttpClient.create()
                .responseTimeout(READ_TIMEOUT)
                .get()
                .uri(url)
                .responseSingle((response, body) -> response.status().code() == 200
                        ? body.asString(StandardCharsets.US_ASCII).defaultIfEmpty("")
                        : Mono.error(new IllegalStateException("HTTP " + response.status().code())))
                .map(ChainTip::parseHeight)
                .timeout(READ_TIMEOUT);
    }

    static long parseHeight(String body) {
        String s = body.strip();
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit)) {
            throw new IllegalStateException("not a block height: '" + (s.length() > 20 ? s.substring(0, 20) + "…" : s) + "'");
        }
        return Long.parseLong(s);
    }

    private void advanceTo(long h) {
        long before = height.getAndAccumulate(h, Math::max);
        if (before < 0) {
            LOG.info("block height {} from {}", h, source);
        }
    }

    @Override
    public long current() {
        long h = height.get();
        return h >= 0 ? h : fallback.current();
    }

    /** Where the height comes from, for the log and {@code getinfo}. */
    public String source() {
        return source;
    }

    /**
     * Completes once the first read of a polled height has finished (read or failed), at once for
     * a fixed height or an estimate: a node waits for it so that it starts with the URL's height.
     */
    public Mono<Void> firstRead() {
        return firstRead.asMono();
    }

    /** Whether a polled height has been read yet (a fixed one always has). */
    public boolean known() {
        return height.get() >= 0;
    }

    @Override
    public void dispose() {
        polling.dispose();
    }

    @Override
    public boolean isDisposed() {
        return polling.isDisposed();
    }

    /** A checkpoint (height at a time) and the pace the estimate counts blocks at. */
    public record HeightEstimate(long checkpointHeight, Instant checkpointTime) {
        /**
         * The estimate's seconds per block: 10 % under the 600 s target, so that it runs ahead of the
         * chain (blocks have come at about 9.5 minutes on average) rather than behind.
         */
        public static final long SECONDS_PER_BLOCK = 540;

        /**
         * Mainnet block 840,000 (the fourth halving), mined at 2024-04-20T00:09:27Z. No checkpoint
         * is kept for testnet or signet.
         */
        public static Optional<HeightEstimate> of(Network network) {
            return network == Network.BITCOIN
                    ? Optional.of(new HeightEstimate(840_000, Instant.parse("2024-04-20T00:09:27Z")))
                    : Optional.empty();
        }

        /** The estimated height at {@code now}: never below the checkpoint, one more block per 540 s begun. */
        public long at(Instant now) {
            long seconds = Math.max(0, now.getEpochSecond() - checkpointTime.getEpochSecond());
            return checkpointHeight + (seconds + SECONDS_PER_BLOCK - 1) / SECONDS_PER_BLOCK;
        }

        String describe() {
            return "estimate: block " + checkpointHeight + " at " + checkpointTime + " plus one block per "
                    + SECONDS_PER_BLOCK + " s since";
        }
    }
}
