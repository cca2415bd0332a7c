package dev.boltflow.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.boltflow.core.features.Features;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.EachSecp256k1Provider;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** encode∘decode is the identity; arbitrary bytes decode to a stable message or a typed error. */
@AddLifecycleHook(EachSecp256k1Provider.class)
class WireCodecPropertiesTest {

    private static Arbitrary<Bytes> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max).map(Bytes::of);
    }

    private static Arbitrary<Bytes32> bytes32() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::of);
    }

    private static Arbitrary<PublicKey> publicKeys() {
        return Arbitraries.bigIntegers().between(BigInteger.ONE, BigInteger.valueOf(Long.MAX_VALUE))
                .map(k -> PrivateKey.fromBytes(dev.boltflow.core.crypto.Secp256k1.toBytes32(k)).publicKey());
    }

    /** Odd TLV records with distinct types, sorted; avoiding {@code excluded}. */
    private static Arbitrary<TlvStream> oddTlvs(long... excluded) {
        Arbitrary<TlvRecord> record = Combinators.combine(
                        Arbitraries.longs().between(0, 1L << 40).map(t -> t | 1),
                        bytes(40))
                .as(TlvRecord::new);
        return record.list().ofMaxSize(4).map(list -> {
            List<TlvRecord> keep = new ArrayList<>();
            for (TlvRecord r : list) {
                boolean clash = keep.stream().anyMatch(k -> k.type() == r.type());
                for (long x : excluded) {
                    clash |= r.type() == x;
                }
                if (!clash) {
                    keep.add(r);
                }
            }
            return TlvStream.sorted(keep);
        });
    }

    @Provide
    Arbitrary<WireMessage> messages() {
        Arbitrary<WireMessage> init = Combinators.combine(bytes(6), bytes(12),
                        bytes32().list().ofMaxSize(3).optional(), bytes(20).optional(),
                        oddTlvs(WireMessage.Init.NETWORKS, WireMessage.Init.REMOTE_ADDR))
                .as((g, f, n, a, u) -> new WireMessage.Init(g, f, n, a, u));
        Arbitrary<WireMessage> warning = Combinators.combine(bytes32(), bytes(60), oddTlvs())
                .as(WireMessage.Warning::new);
        Arbitrary<WireMessage> error = Combinators.combine(bytes32(), bytes(60), oddTlvs())
                .as(WireMessage.Error::new);
        Arbitrary<WireMessage> ping = Combinators.combine(Arbitraries.integers().between(0, 65535),
                        Arbitraries.integers().between(0, 300), oddTlvs())
                .as(WireMessage.Ping::new);
        Arbitrary<WireMessage> pong = Combinators.combine(Arbitraries.integers().between(0, 300), oddTlvs())
                .as(WireMessage.Pong::new);
        Arbitrary<WireMessage> onion = Combinators.combine(publicKeys(), bytes(400), oddTlvs())
                .as(WireMessage.OnionMessage::new);
        Arbitrary<WireMessage> unknown = Combinators.combine(
                        Arbitraries.integers().between(0, 65535).map(t -> t | 1)
                                .filter(t -> !WireMessage.isKnownType(t)),
                        bytes(100))
                .as(WireMessage.Unknown::new);
        return Arbitraries.oneOf(init, warning, error, ping, pong, onion, unknown);
    }

    @Property(tries = 500)
    void decode_of_encode_is_identity(@ForAll("messages") WireMessage m) {
        byte[] encoded = WireCodec.encode(m);
        assertEquals(m, WireCodec.decode(encoded));
        assertArrayEquals(encoded, WireCodec.encode(WireCodec.decode(encoded)));
    }

    @Property(tries = 2000)
    void arbitrary_bytes_decode_stably_or_fail_typed(@ForAll @Size(max = 120) byte[] input) {
        checkStableOrTyped(input);
    }

    /** Bytes after a known type, so every decoder is exercised on garbage. */
    @Property(tries = 2000)
    void garbage_after_a_known_type_decodes_stably_or_fails_typed(
            @ForAll @IntRange(min = 0, max = 5) int which, @ForAll @Size(max = 120) byte[] payload) {
        int[] types = {WireMessage.WARNING, WireMessage.INIT, WireMessage.ERROR, WireMessage.PING,
                WireMessage.PONG, WireMessage.ONION_MESSAGE};
        byte[] input = new byte[payload.length + 2];
        input[0] = (byte) (types[which] >>> 8);
        input[1] = (byte) types[which];
        System.arraycopy(payload, 0, input, 2, payload.length);
        checkStableOrTyped(input);
    }

    private static void checkStableOrTyped(byte[] input) {
        WireMessage m;
        try {
            m = WireCodec.decode(input);
        } catch (WireDecodeException e) {
            return; // the one exception decode may throw; anything else fails the property
        }
        byte[] again = WireCodec.encode(m);
        assertEquals(m, WireCodec.decode(again));
        if (!(m instanceof WireMessage.Ping) && !(m instanceof WireMessage.Pong)) {
            // Only ping/pong drop the content of `ignored`; everything else is byte-exact.
            assertArrayEquals(input, again);
        } else {
            assertEquals(input.length, again.length);
        }
    }

    @Property(tries = 200)
    void init_features_round_trip_through_feature_bits(@ForAll @Size(max = 8) List<@IntRange(max = 200) Integer> bits) {
        Features f = Features.of(bits.stream().mapToInt(Integer::intValue).toArray());
        WireMessage.Init init = WireMessage.Init.of(f);
        WireMessage.Init back = (WireMessage.Init) WireCodec.decode(WireCodec.encode(init));
        assertEquals(f, back.combinedFeatures());
        assertEquals(Optional.empty(), back.networks());
    }
}
