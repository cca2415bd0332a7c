package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of one call, by name. Core Lightning takes params by name (an object) or by
 * position (an array, mapped onto the method's declared parameter list); {@code null} counts as
 * absent, as in Core Lightning. The typed getters throw a -32602 {@link RpcException} naming the
 * parameter ({@code "amount_msat: should be a millisatoshi amount: invalid token '\"x\"'"}).
 * Asking for a parameter the method did not declare is a programming error
 * ({@link IllegalArgumentException}).
 */
public final class RpcParams {
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");
    /** Core Lightning's amount strings: {@code 123}, {@code 123msat}, {@code 5sat}, {@code 1btc}, {@code 0.0001btc}. */
    private static final Pattern AMOUNT = Pattern.compile("([0-9]{1,20})(msat|sat|btc)?|([0-9]{1,20})\\.([0-9]{1,11})btc");
    private static final BigInteger MSAT_PER_BTC = BigInteger.valueOf(100_000_000_000L);

    private final List<String> declared;
    private final Map<String, JsonNode> values;

    private RpcParams(List<String> declared, Map<String, JsonNode> values) {
        this.declared = declared;
        this.values = values;
    }

    /**
     * Maps {@code params} (an object, an array, or null/missing for none) onto {@code declared}.
     * Throws -32602 for too many positional params, an unknown name, or a params member that is
     * neither an array nor an object.
     */
    public static RpcParams of(List<String> declared, JsonNode params) {
        List<String> names = List.copyOf(declared);
        Map<String, JsonNode> values = new LinkedHashMap<>();
        if (params == null || params.isNull() || params.isMissingNode()) {
            return new RpcParams(names, Collections.unmodifiableMap(values));
        }
        if (params.isArray()) {
            if (params.size() > names.size()) {
                throw RpcException.invalidParams("too many parameters: got " + params.size() + ", expected at most "
                        + names.size() + " " + names);
            }
            for (int i = 0; i < params.size(); i++) {
                put(values, names.get(i), params.get(i));
            }
        } else if (params.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = params.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (!names.contains(e.getKey())) {
                    throw RpcException.invalidParams("unknown parameter: " + e.getKey() + " (expected " + names + ")");
                }
                put(values, e.getKey(), e.getValue());
            }
        } else {
            throw RpcException.invalidParams("params must be an array or an object, not " + RpcException.token(params));
        }
        return new RpcParams(names, Collections.unmodifiableMap(values));
    }

    private static void put(Map<String, JsonNode> values, String name, JsonNode value) {
        if (!value.isNull()) {
            values.put(name, value);
        }
    }

    /** Whether {@code name} was given (and not null). */
    public boolean has(String name) {
        return raw(name).isPresent();
    }

    /** The value as sent, for parameters of a shape the typed getters do not cover. */
    public Optional<JsonNode> raw(String name) {
        if (!declared.contains(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' is not declared; declared: " + declared);
        }
        return Optional.ofNullable(values.get(name));
    }

    private JsonNode required(String name) {
        return raw(name).orElseThrow(() -> RpcException.missingParam(name));
    }

    // ---- string

    /** A required JSON string. */
    public String string(String name) {
        return string(name, required(name));
    }

    public Optional<String> optionalString(String name) {
        return raw(name).map(v -> string(name, v));
    }

    private static String string(String name, JsonNode v) {
        if (!v.isTextual()) {
            throw bad(name, "should be a string", v);
        }
        return v.textValue();
    }

    // ---- integers

    /**
     * A required unsigned 64-bit integer: a JSON integer or a string of decimal digits (Core
     * Lightning accepts both). The result is unsigned: values above {@link Long#MAX_VALUE} are
     * negative longs, read them with {@link Long#toUnsignedString(long)}.
     */
    public long u64(String name) {
        return u64(name, required(name));
    }

    public OptionalLong optionalU64(String name) {
        Optional<JsonNode> v = raw(name);
        return v.isPresent() ? OptionalLong.of(u64(name, v.get())) : OptionalLong.empty();
    }

    private static long u64(String name, JsonNode v) {
        BigInteger n = integer(v).filter(i -> i.signum() >= 0 && i.compareTo(U64_MAX) <= 0)
                .orElseThrow(() -> bad(name, "should be an unsigned 64 bit integer", v));
        return n.longValue();
    }

    /** A required unsigned 32-bit integer (JSON integer or decimal string), 0 to 4294967295. */
    public long u32(String name) {
        return u32(name, required(name));
    }

    public OptionalLong optionalU32(String name) {
        Optional<JsonNode> v = raw(name);
        return v.isPresent() ? OptionalLong.of(u32(name, v.get())) : OptionalLong.empty();
    }

    private static long u32(String name, JsonNode v) {
        BigInteger n = integer(v).filter(i -> i.signum() >= 0 && i.bitLength() <= 32)
                .orElseThrow(() -> bad(name, "should be an unsigned 32 bit integer", v));
        return n.longValue();
    }

    private static Optional<BigInteger> integer(JsonNode v) {
        if (v.isIntegralNumber()) {
            return Optional.of(v.bigIntegerValue());
        }
        if (v.isTextual() && DIGITS.matcher(v.textValue()).matches()) {
            return Optional.of(new BigInteger(v.textValue()));
        }
        return Optional.empty();
    }

    // ---- amounts

    /**
     * A required millisatoshi amount, in every form Core Lightning's {@code msat} parameters take: a
     * JSON integer (msat), or a string {@code "123"} or {@code "123msat"} (msat), {@code "5sat"}
     * (times 1,000), {@code "1btc"} or {@code "0.0001btc"} (up to 11 decimals: whole msat). Anything
     * else is -32602 "should be a millisatoshi amount". At most {@link Long#MAX_VALUE} msat (far
     * above the 21 million bitcoin cap, which callers enforce).
     */
    public long msat(String name) {
        return msat(name, required(name));
    }

    public OptionalLong optionalMsat(String name) {
        Optional<JsonNode> v = raw(name);
        return v.isPresent() ? OptionalLong.of(msat(name, v.get())) : OptionalLong.empty();
    }

    private static long msat(String name, JsonNode v) {
        BigInteger amount = null;
        if (v.isIntegralNumber()) {
            amount = v.bigIntegerValue();
        } else if (v.isTextual()) {
            Matcher m = AMOUNT.matcher(v.textValue());
            if (m.matches() && m.group(1) != null) {
                amount = new BigInteger(m.group(1));
                if ("sat".equals(m.group(2))) {
                    amount = amount.multiply(BigInteger.valueOf(1000));
                } else if ("btc".equals(m.group(2))) {
                    amount = amount.multiply(MSAT_PER_BTC);
                }
            } else if (m.matches()) {
                String decimals = (m.group(4) + "00000000000").substring(0, 11);
                amount = new BigInteger(m.group(3)).multiply(MSAT_PER_BTC).add(new BigInteger(decimals));
            }
        }
        if (amount == null || amount.signum() < 0 || amount.bitLength() > 63) {
            throw bad(name, "should be a millisatoshi amount", v);
        }
        return amount.longValue();
    }

    // ---- labels

    /**
     * A required label: a JSON string, or a number (Core Lightning's {@code param_label} takes both;
     * {@code 2024} is the label "2024").
     */
    public String label(String name) {
        JsonNode v = required(name);
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNumber()) {
            return v.asText();
        }
        throw bad(name, "should be a string or a number", v);
    }

    // ---- booleans

    /** A required boolean: JSON {@code true}/{@code false} (or those words as strings). */
    public boolean bool(String name) {
        return bool(name, required(name));
    }

    public Optional<Boolean> optionalBool(String name) {
        return raw(name).map(v -> bool(name, v));
    }

    private static boolean bool(String name, JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.textValue().equals("true") || v.textValue().equals("false"))) {
            return Boolean.parseBoolean(v.textValue());
        }
        throw bad(name, "should be 'true' or 'false'", v);
    }

    private static RpcException bad(String name, String problem, JsonNode v) {
        Objects.requireNonNull(v, "v");
        return RpcException.invalidParam(name, problem + ": invalid token '" + RpcException.token(v) + "'");
    }

    @Override
    public String toString() {
        return "RpcParams" + values.keySet();
    }
}
