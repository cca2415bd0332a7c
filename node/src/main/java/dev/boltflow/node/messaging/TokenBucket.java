package dev.boltflow.node.messaging;

/**
 * A token bucket over a caller-supplied clock in nanoseconds: starts full with {@code burst}
 * tokens and gains one per {@code refillNanos}, never beyond {@code burst}. Not thread-safe: one
 * connection's messages arrive one at a time (Reactive Streams' serial {@code onNext}).
 *
 * <p>A clock that goes backwards (wall-clock schedulers do) refills nothing until it passes the
 * last refill again.
 */
final class TokenBucket {
    private final int burst;
    private final long refillNanos;
    private int tokens;
    /** When the last token we counted was earned (or the bucket was last seen full). */
    private long lastRefill;

    TokenBucket(OnionMessageLimits limits, long nowNanos) {
        this.burst = limits.burst();
        this.refillNanos = Math.max(1, limits.refillInterval().toNanos());
        this.tokens = burst;
        this.lastRefill = nowNanos;
    }

    /** Takes a token if there is one at {@code nowNanos}. */
    boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens == 0) {
            return false;
        }
        tokens--;
        return true;
    }

    /** Tokens available at {@code nowNanos}. */
    int available(long nowNanos) {
        refill(nowNanos);
        return tokens;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefill;
        if (tokens == burst || elapsed < 0) {
            // Full: time spent full earns nothing. Or the clock went back: count again from here.
            lastRefill = nowNanos;
            return;
        }
        long earned = elapsed / refillNanos;
        if (earned == 0) {
            return;
        }
        if (earned >= burst - tokens) {
            tokens = burst;
            lastRefill = nowNanos;
        } else {
            tokens += (int) earned;
            lastRefill += earned * refillNanos; // keep the part of an interval already elapsed
        }
    }
}
