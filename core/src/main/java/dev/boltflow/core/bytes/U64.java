package dev.boltflow.core.bytes;

import java.math.BigInteger;

/**
 * The unsigned 64-bit values of the wire ({@code u64}, {@code tu64}, BigSize) held in a Java
 * {@code long}: every value from 2^63 up is a negative {@code long}, so such a value must never be
 * printed, compared or handed to JSON as a signed number.
 */
public final class U64 {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private U64() {
    }

    /** The value as a JSON-ready number: a {@link Long} below 2^63, else the {@link BigInteger}. */
    public static Number toNumber(long value) {
        return value >= 0 ? Long.valueOf(value) : BigInteger.valueOf(value).add(TWO_64);
    }

    /** The decimal digits of the unsigned value. */
    public static String toString(long value) {
        return Long.toUnsignedString(value);
    }
}
