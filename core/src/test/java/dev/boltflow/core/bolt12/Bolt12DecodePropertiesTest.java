package dev.boltflow.core.bolt12;

import dev.boltflow.core.onion.BlindedPayInfo;
import dev.boltflow.core.features.Features;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.testing.EachSecp256k1Provider;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.Size;

/**
 * For any input, {@link Bolt12Object#decode(String)} either round-trips exactly or throws
 * {@link Bolt12ParseException}: never another exception type, never a hang.
 */
@AddLifecycleHook(EachSecp256k1Provider.class)
class Bolt12DecodePropertiesTest {
    private static final String[] HRPS = {"lno", "lnr", "lni"};
    private static final String BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /** Decode; on success check the round trip; any other throwable fails the property. */
    private static void decodesOrRejects(String input) {
        Bolt12Object o;
        try {
            o = Bolt12Object.decode(input);
        } catch (Bolt12ParseException e) {
            assertEquals(false, e.getMessage() == null || e.getMessage().isBlank(), "message for " + input);
            Statistics.label("outcome").collect(e.kind().name());
            return;
        } catch (Throwable t) {
            throw new AssertionError("decode threw " + t + " for " + input, t);
        }
        try {
            assertEquals(FormatStringVectorTest.normalized(input), o.encode());
            assertEquals(o.hrp(), Bolt12String.decode(input).hrp());
            List<Bolt12ParseException> violations = o.violations();
            Statistics.label("outcome").collect(violations.isEmpty() ? "valid" : "decoded, violations");
            for (Bolt12ParseException v : violations) {
                assertEquals(false, v.getMessage().isBlank());
            }
            if (o instanceof InvoiceRequest r) {
                r.nonOfferViolations(java.util.Set.of(ChainHashes.BITCOIN));
            }
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("decoded object threw " + t + " for " + input, t);
        }
    }

    @Property(tries = 400)
    void arbitrary_bytes_under_each_prefix(@ForAll @Size(max = 400) byte[] payload) {
        for (String hrp : HRPS) {
            String s = Bolt12String.encode(hrp, payload);
            decodesOrRejects(s);
            decodesOrRejects(s.toUpperCase(Locale.ROOT));
        }
    }

    @Property(tries = 600)
    void arbitrary_streams_of_known_types(@ForAll("streams") byte[] tlv) {
        for (String hrp : HRPS) {
            decodesOrRejects(Bolt12String.encode(hrp, tlv));
        }
        try {
            InvoiceError.decode(tlv).violations();
        } catch (Bolt12ParseException expected) {
            // fine
        }
    }

    @Property(tries = 600)
    void arbitrary_strings(@ForAll("strings") String s) {
        decodesOrRejects(s);
    }

    @Property(tries = 300)
    void mutated_valid_strings(@ForAll("mutations") String s) {
        decodesOrRejects(s);
    }

    @Property(tries = 200)
    void string_codec_round_trips(@ForAll @Size(max = 300) byte[] payload) {
        for (String hrp : HRPS) {
            Bolt12String d = Bolt12String.decode(Bolt12String.encode(hrp, payload));
            assertEquals(hrp, d.hrp());
            assertArrayEquals(payload, d.data().toArray());
        }
    }

    @Provide
    Arbitrary<String> strings() {
        Arbitrary<String> body = Arbitraries.strings()
                .withChars(BECH32 + BECH32.toUpperCase(Locale.ROOT) + "+++   \n\r\t1bio")
                .withCharRange('\u0000', '\u00ff')
                .ofMaxLength(120);
        Arbitrary<String> prefix = Arbitraries.of("lno1", "lnr1", "lni1", "LNO1", "l+no1", "", "lnx1");
        return Combinators.combine(prefix, body).as((p, b) -> p + b);
    }

    /** Records of the namespaces' own types (and some others) with random small values. */
    @Provide
    Arbitrary<byte[]> streams() {
        long[] types = {0, 1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 33, 80, 82, 84, 86, 88, 89, 90, 91, 160, 161,
            162, 164, 166, 168, 170, 172, 174, 176, 240, 241, 1_000_000_001L, 2_000_000_001L, 3_000_000_001L};
        Arbitrary<byte[]> value = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(12),
                Arbitraries.bytes().array(byte[].class).ofSize(32),
                Arbitraries.bytes().array(byte[].class).ofSize(64),
                Arbitraries.just(TestStreams.key(5).toArray()),
                Arbitraries.just(TestStreams.path(1).encode()),
                Arbitraries.just(BlindedPayInfo.encodeAll(List.of(TestStreams.payinfo(Features.EMPTY)))));
        Arbitrary<TlvRecord> record = Combinators.combine(Arbitraries.of(toList(types)), value)
                .as((t, v) -> new TlvRecord(t, dev.boltflow.core.bytes.Bytes.wrap(v)));
        return record.list().ofMaxSize(14).map(rs -> {
            TreeMap<Long, TlvRecord> byType = new TreeMap<>(Long::compareUnsigned);
            for (TlvRecord r : rs) {
                byType.put(r.type(), r);
            }
            ByteWriter w = new ByteWriter();
            TlvStream.of(new ArrayList<>(byType.values())).writeTo(w);
            return w.toByteArray();
        });
    }

    /** The CLN and vector strings with one character replaced, dropped or duplicated. */
    @Provide
    Arbitrary<String> mutations() {
        List<String> seeds = List.of(
                "lno1pgx9getnwss8vetrw3hhyuckyypwa3eyt44h6txtxquqh7lz5djge4afgfjn7k4rgrkuag0jsd5xvxg",
                Bolt12String.encode("lnr", TestStreams.stream(TestStreams.hex(0, "00"),
                        TestStreams.point(88, TestStreams.key(3)), TestStreams.paths(90, TestStreams.path(2))).encode()));
        return Combinators.combine(Arbitraries.of(seeds), Arbitraries.integers().between(0, 10_000),
                Arbitraries.of(BECH32.toCharArray()), Arbitraries.integers().between(0, 2))
                .as((seed, pos, c, op) -> {
                    int i = pos % seed.length();
                    switch (op) {
                        case 0:
                            return seed.substring(0, i) + c + seed.substring(i + 1);
                        case 1:
                            return seed.substring(0, i) + seed.substring(i + 1);
                        default:
                            return seed.substring(0, i) + seed.charAt(i) + seed.substring(i);
                    }
                });
    }

    private static List<Long> toList(long[] a) {
        List<Long> out = new ArrayList<>(a.length);
        for (long v : a) {
            out.add(v);
        }
        return out;
    }
}
