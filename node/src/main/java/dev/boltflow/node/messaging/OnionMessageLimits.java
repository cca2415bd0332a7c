package dev.boltflow.node.messaging;

import java.time.Duration;
import java.util.Objects;

/**
 * How many {@code onion_message}s a peer may send us: a token bucket per connection that holds
 * at most {@code burst} messages and gains one every {@code refillInterval}. A message that finds
 * the bucket empty is dropped before any Sphinx work (no ECDH) and counted in
 * {@link PeerOnionMessenger#rateLimited()}.
 *
 * <p>Core Lightning allows one message per 250 ms with a burst of 4 ({@link #defaults()});
 * Eclair 10 per second ({@code perSecond(10)}).
 *
 * @param burst          messages accepted back to back from a quiet peer (at least 1)
 * @param refillInterval the time that gives back one message (positive)
 */
public record OnionMessageLimits(int burst, Duration refillInterval) {

    public OnionMessageLimits {
        Objects.requireNonNull(refillInterval, "refillInterval");
        if (burst < 1) {
            throw new IllegalArgumentException("onion message burst must be at least 1: " + burst);
        }
        if (refillInterval.isNegative() || refillInterval.isZero()) {
            throw new IllegalArgumentException("onion message refill interval must be positive: " + refillInterval);
        }
    }

    /** Core Lightning's: a burst of 4, then one every 250 ms. */
    public static OnionMessageLimits defaults() {
        return new OnionMessageLimits(4, Duration.ofMillis(250));
    }

    /** {@code perSecond} a second, evenly spread, with a burst of as many (Eclair's style, with 10). */
    public static OnionMessageLimits perSecond(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("onion messages per second must be at least 1: " + perSecond);
        }
        return new OnionMessageLimits(perSecond, Duration.ofNanos(1_000_000_000L / perSecond));
    }
}
