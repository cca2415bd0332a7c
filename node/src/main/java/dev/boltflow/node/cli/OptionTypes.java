package dev.boltflow.node.cli;

import dev.boltflow.node.config.Network;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value types of our options, each checked when the command line (or a config file) is read,
 * so a bad value is one line naming the option before anything starts (see {@link Main}). A new
 * option picks one with {@code converter = ...}.
 */
final class OptionTypes {
    private static final Pattern SECONDS = Pattern.compile("([0-9]{1,10})\\s*(s)?");
    private static final Pattern MILLIS = Pattern.compile("([0-9]{1,10})\\s*(ms)?");

    private OptionTypes() {
    }

    /** Whole seconds, at least 1: {@code 90}, {@code 90s} or {@code 90 s}; printed {@code 90 s}. */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher m = SECONDS.matcher(value.strip());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a whole number of seconds");
            }
            long s = Long.parseLong(m.group(1));
            if (s < 1) {
                throw new TypeConversionException("must be at least 1 s, got '" + value + "'");
            }
            return Duration.ofSeconds(s);
        }
    }

    /** Whole milliseconds, at least 1: {@code 250} or {@code 250ms}. */
    static final class Millis implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher m = MILLIS.matcher(value.strip());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a whole number of milliseconds");
            }
            long ms = Long.parseLong(m.group(1));
            if (ms < 1) {
                throw new TypeConversionException("must be at least 1 ms, got '" + value + "'");
            }
            return Duration.ofMillis(ms);
        }
    }

    /** A decimal integer within [min, max]. */
    abstract static class LongIn implements ITypeConverter<Long> {
        private final long min;
        private final long max;

        LongIn(long min, long max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Long convert(String value) {
            long n;
            try {
                n = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (n < min || n > max) {
                throw new TypeConversionException(n < min && min == 0 ? "must not be negative, got " + n
                        : "must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        }
    }

    /** An {@code int} within [min, max]. */
    abstract static class IntIn implements ITypeConverter<Integer> {
        private final LongIn range;

        IntIn(long min, long max) {
            this.range = new LongIn(min, max) { };
        }

        @Override
        public Integer convert(String value) {
            return range.convert(value).intValue();
        }
    }

    static final class NonNegative extends LongIn {
        NonNegative() {
            super(0, Long.MAX_VALUE);
        }
    }

    static final class Positive extends LongIn {
        Positive() {
            super(1, Long.MAX_VALUE);
        }
    }

    static final class AtLeastOne extends IntIn {
        AtLeastOne() {
            super(1, Integer.MAX_VALUE);
        }
    }

    /** BOLT 8's message length: 2 (a type) to 65535. */
    static final class MessageLength extends IntIn {
        MessageLength() {
            super(2, 65_535);
        }
    }

    /** The JSON-RPC request size: at least 64 bytes. */
    static final class RequestBytes extends IntIn {
        RequestBytes() {
            super(64, Integer.MAX_VALUE);
        }
    }

    static final class NetworkName implements ITypeConverter<Network> {
        @Override
        public Network convert(String value) {
            try {
                return Network.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code HOST:PORT} ({@code [v6]:PORT} too), port 0 to 65535. */
    static final class HostPort implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String s) {
            int colon = s.lastIndexOf(':');
            if (colon <= 0) {
                throw new TypeConversionException("expected HOST:PORT, got '" + s + "'");
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new TypeConversionException("bad port in '" + s + "'");
            }
            return new InetSocketAddress(s.substring(0, colon).replace("[", "").replace("]", ""), port);
        }
    }
}
