package dev.boltflow.core.tlv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BOLT 1 Appendix B, read from ../shared/bolts/vectors/bolt01-tlv.json: the generic stream rules of
 * {@link TlvStream} plus two small test namespaces (n1, n2) that apply exact field lengths.
 */
class TlvVectorTest {
    private static final String FILE = "vectors/bolt01-tlv.json";

    /** A namespace of the appendix: which types it knows and how their values read. */
    enum Namespace {
        N1(t -> t == 1 || t == 2 || t == 3 || t == 254),
        N2(t -> t == 0 || t == 11);

        final LongPredicate known;

        Namespace(LongPredicate known) {
            this.known = known;
        }

        static Namespace of(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }

        /** Decodes the stream with this namespace; values as {record: {field: text}}. */
        Map<String, Map<String, String>> decode(byte[] stream) {
            TlvStream s = TlvStream.decode(stream, known);
            Map<String, Map<String, String>> out = new TreeMap<>();
            for (TlvRecord r : s.records()) {
                if (known.test(r.type())) {
                    out.put(recordName(r.type()), fields(r));
                }
            }
            return out;
        }

        private String recordName(long type) {
            if (this == N1) {
                return type == 1 ? "tlv1" : type == 2 ? "tlv2" : type == 3 ? "tlv3" : "tlv4";
            }
            return type == 0 ? "tlv1" : "tlv2";
        }

        private Map<String, String> fields(TlvRecord r) {
            ByteReader in = new ByteReader(r.value().toArray());
            Map<String, String> f = new TreeMap<>();
            if (this == N1) {
                switch ((int) r.type()) {
                    case 1:
                        f.put("amount_msat", Long.toUnsignedString(in.truncated(8, "amount_msat")));
                        break;
                    case 2:
                        f.put("scid", scid(in.u64("scid")));
                        break;
                    case 3:
                        f.put("node_id", PublicKey.fromBytes(in.bytes(33, "node_id")).toHex());
                        f.put("amount_msat_1", Long.toUnsignedString(in.u64("amount_msat_1")));
                        f.put("amount_msat_2", Long.toUnsignedString(in.u64("amount_msat_2")));
                        break;
                    default:
                        f.put("cltv_delta", Integer.toString(in.u16("cltv_delta")));
                        break;
                }
            } else if (r.type() == 0) {
                f.put("amount_msat", Long.toUnsignedString(in.truncated(8, "amount_msat")));
            } else {
                f.put("cltv_expiry", Long.toString(in.truncated(4, "cltv_expiry")));
            }
            if (!in.isEmpty()) {
                throw new DecodeException("record " + r.type() + " longer than its fields");
            }
            return f;
        }

        private static String scid(long v) {
            return (v >>> 40) + "x" + ((v >>> 16) & 0xffffff) + "x" + (v & 0xffff);
        }
    }

    private static JsonNode vectors() {
        return Vectors.json(FILE);
    }

    /** One argument set per (case, namespace) pair. */
    private static Stream<Arguments> cases(String group) {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : Vectors.elements(vectors().get(group))) {
            for (JsonNode ns : c.get("namespaces")) {
                String what = c.has("reason") ? c.get("reason").asText()
                        : c.has("values_text") ? c.get("values_text").asText() : c.get("explanation").asText();
                out.add(Arguments.of(ns.asText() + " " + c.get("stream_spec_text").asText() + " (" + what + ")",
                        Namespace.of(ns.asText()), c));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> decodingFailures() {
        return cases("decoding_failures");
    }

    static Stream<Arguments> decodingSuccesses() {
        return cases("decoding_successes");
    }

    static Stream<Arguments> streamDecodingFailures() {
        return cases("stream_decoding_failures");
    }

    private static byte[] stream(JsonNode c) {
        return Bytes.fromHex(c.get("stream").asText()).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodingFailures")
    void decoding_failure_rejected(String name, Namespace ns, JsonNode c) {
        assertThrows(DecodeException.class, () -> ns.decode(stream(c)), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamDecodingFailures")
    void stream_decoding_failure_rejected(String name, Namespace ns, JsonNode c) {
        assertThrows(TlvDecodeException.class, () -> TlvStream.decode(stream(c)), name);
        assertThrows(DecodeException.class, () -> ns.decode(stream(c)), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodingSuccesses")
    void decoding_success_gives_the_values(String name, Namespace ns, JsonNode c) {
        byte[] data = stream(c);
        assertEquals(expectedValues(c.get("values")), ns.decode(data), name);
        // Every record is kept byte for byte, so re-encoding gives the input.
        assertEquals(Bytes.wrap(data), Bytes.wrap(TlvStream.decode(data).encode()), name);
    }

    private static Map<String, Map<String, String>> expectedValues(JsonNode values) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> rec : values.properties()) {
            Map<String, String> f = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : rec.getValue().properties()) {
                f.put(e.getKey(), e.getValue().asText());
            }
            out.put(rec.getKey(), f);
        }
        return out;
    }

    @Test
    void every_group_is_present() {
        JsonNode v = vectors();
        assertFalse(v.get("decoding_failures").isEmpty());
        assertFalse(v.get("decoding_successes").isEmpty());
        assertFalse(v.get("stream_decoding_failures").isEmpty());
        assertEquals(2, v.get("stream_rules").size());
    }

    // stream_rules[0]: "Any appending of an invalid stream to a valid stream should trigger a
    // decoding failure."
    @Property(generation = GenerationMode.EXHAUSTIVE)
    void invalid_stream_appended_to_valid_stream_fails(@ForAll("validAndInvalid") Case[] pair) {
        Case valid = pair[0];
        Case invalid = pair[1];
        byte[] joined = concat(valid.bytes, invalid.bytes);
        assertThrows(DecodeException.class, () -> valid.ns.decode(joined),
                valid.ns + ": " + valid.hex + " + " + invalid.hex);
    }

    // stream_rules[1]: "Any appending of a higher-numbered valid stream to a lower-numbered valid
    // stream should not trigger a decoding failure."
    @Property(generation = GenerationMode.EXHAUSTIVE)
    void higher_valid_stream_appended_to_lower_valid_stream_decodes(@ForAll("ascendingValidPairs") Case[] pair) {
        Case low = pair[0];
        Case high = pair[1];
        Map<String, Map<String, String>> expected = new TreeMap<>(low.ns.decode(low.bytes));
        expected.putAll(low.ns.decode(high.bytes));
        assertEquals(expected, low.ns.decode(concat(low.bytes, high.bytes)), low.hex + " + " + high.hex);
    }

    /** A vector stream with the namespace it applies to. */
    record Case(Namespace ns, String hex, byte[] bytes) {
        @Override
        public String toString() {
            return ns + ":" + hex;
        }
    }

    private static List<Case> load(String group) {
        List<Case> out = new ArrayList<>();
        for (JsonNode c : Vectors.elements(vectors().get(group))) {
            for (JsonNode ns : c.get("namespaces")) {
                out.add(new Case(Namespace.of(ns.asText()), c.get("stream").asText(), stream(c)));
            }
        }
        return out;
    }

    @Provide
    Arbitrary<Case[]> validAndInvalid() {
        List<Case> valid = load("decoding_successes");
        List<Case> invalid = new ArrayList<>(load("decoding_failures"));
        invalid.addAll(load("stream_decoding_failures"));
        List<Case[]> pairs = new ArrayList<>();
        for (Case v : valid) {
            for (Case i : invalid) {
                if (v.ns == i.ns) {
                    pairs.add(new Case[] {v, i});
                }
            }
        }
        return Arbitraries.of(pairs);
    }

    @Provide
    Arbitrary<Case[]> ascendingValidPairs() {
        List<Case> valid = load("decoding_successes");
        List<Case[]> pairs = new ArrayList<>();
        for (Case a : valid) {
            for (Case b : valid) {
                if (a.ns != b.ns || a.bytes.length == 0 || b.bytes.length == 0) {
                    continue;
                }
                List<TlvRecord> ra = TlvStream.decode(a.bytes).records();
                List<TlvRecord> rb = TlvStream.decode(b.bytes).records();
                long lastA = ra.get(ra.size() - 1).type();
                long firstB = rb.get(0).type();
                if (Long.compareUnsigned(lastA, firstB) < 0) {
                    pairs.add(new Case[] {a, b});
                }
            }
        }
        return Arbitraries.of(pairs);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
