package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.OnionMessagesPropertiesTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.EachSecp256k1Provider;
import dev.boltflow.core.tlv.TlvDecodeException;
import dev.boltflow.core.tlv.TlvRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** encrypted_data_tlv and onionmsg_tlv codecs, and equal-length padding. */
@AddLifecycleHook(EachSecp256k1Provider.class)
class OnionCodecPropertiesTest {

    @Property(tries = 300)
    void encryptedData_encodeThenDecode_isIdentity(@ForAll("encryptedData") EncryptedDataTlv t) {
        assertEquals(t, EncryptedDataTlv.decode(t.encode()));
        assertEquals(t.encode().length, t.encodedLength());
    }

    @Property
    void encryptedData_arbitraryBytes_roundTripOrTypedError(@ForAll @Size(max = 120) byte[] data) {
        EncryptedDataTlv t;
        try {
            t = EncryptedDataTlv.decode(data);
        } catch (DecodeException e) {
            return;
        }
        assertArrayEquals(data, t.encode());
    }

    @Property(tries = 300)
    void onionMessagePayload_encodeThenDecode_isIdentity(@ForAll("payloads") OnionMessagePayload p) {
        assertEquals(p, OnionMessagePayload.decode(p.encode()));
    }

    @Property
    void onionMessagePayload_arbitraryBytes_roundTripOrTypedError(@ForAll @Size(max = 200) byte[] data) {
        OnionMessagePayload p;
        try {
            p = OnionMessagePayload.decode(data);
        } catch (DecodeException e) {
            return;
        }
        assertArrayEquals(data, p.encode());
    }

    /** BOLT 4: SHOULD pad every hop's encrypted_data_tlv to the same length. */
    @Property
    void padding_makesEveryHopTheSameLength_andKeepsTheData(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 700) Integer> pathIdLengths,
            @ForAll boolean nextNodeIds) {
        List<EncryptedDataTlv> tlvs = new ArrayList<>();
        for (int i = 0; i < pathIdLengths.size(); i++) {
            EncryptedDataTlv t = EncryptedDataTlv.EMPTY.withPathId(Bytes.wrap(new byte[pathIdLengths.get(i)]));
            tlvs.add(nextNodeIds && i % 2 == 0 ? t.withNextNodeId(key(9, i).publicKey()) : t);
        }
        List<Bytes> padded = RouteBlinding.pad(tlvs);
        for (int i = 0; i < tlvs.size(); i++) {
            assertEquals(padded.get(0).length(), padded.get(i).length());
            EncryptedDataTlv back = EncryptedDataTlv.decode(padded.get(i).toArray());
            assertEquals(tlvs.get(i), back.withoutPadding());
        }
    }

    @Example
    void padding_cannotAdd1_255_or256Bytes() {
        assertEquals(-1, RouteBlinding.paddingValueLength(1));
        assertEquals(0, RouteBlinding.paddingValueLength(2));
        assertEquals(252, RouteBlinding.paddingValueLength(254));
        assertEquals(-1, RouteBlinding.paddingValueLength(255));
        assertEquals(-1, RouteBlinding.paddingValueLength(256));
        assertEquals(253, RouteBlinding.paddingValueLength(257));
        // Two hops one byte apart: both grow (a 1-byte padding record does not exist).
        List<Bytes> padded = RouteBlinding.pad(List.of(EncryptedDataTlv.EMPTY.withPathId(Bytes.wrap(new byte[10])),
                EncryptedDataTlv.EMPTY.withPathId(Bytes.wrap(new byte[11]))));
        assertEquals(padded.get(0).length(), padded.get(1).length());
    }

    @Example
    void encryptedData_rejectsBadRecords() {
        // unknown even type 16
        assertThrows(TlvDecodeException.class, () -> EncryptedDataTlv.decode(Bytes.fromHex("1000").toArray()));
        // short_channel_id of 7 bytes
        assertThrows(TlvDecodeException.class,
                () -> EncryptedDataTlv.decode(Bytes.fromHex("020700000000000001").toArray()));
        // next_node_id that is not a point
        byte[] badPoint = new byte[35];
        badPoint[0] = 4;
        badPoint[1] = 33;
        badPoint[2] = 2;
        assertThrows(TlvDecodeException.class, () -> EncryptedDataTlv.decode(badPoint));
        // payment_relay whose tu32 fee_base_msat is not minimal
        assertThrows(TlvDecodeException.class,
                () -> EncryptedDataTlv.decode(Bytes.fromHex("0a07002400000096" + "00").toArray()));
        // payment_constraints too short
        assertThrows(TlvDecodeException.class, () -> EncryptedDataTlv.decode(Bytes.fromHex("0c03000b69").toArray()));
    }

    @Example
    void onionMessagePayload_rejectsBadReplyPaths() {
        BlindedPath path = new ReplyPaths(key(8, 1)).create(List.of(), Bytes.fromHex("01"), 0, key(8, 2));
        Bytes value = Bytes.wrap(path.encode());
        Bytes trailing = value.concat(Bytes.fromHex("00"));
        assertThrows(TlvDecodeException.class, () -> OnionMessagePayload.decode(
                new TlvRecord(2, trailing).encode()));
        BlindedPath noHops = new BlindedPath(path.firstNodeId(), path.firstPathKey(), List.of());
        assertThrows(TlvDecodeException.class, () -> OnionMessagePayload.decode(
                new TlvRecord(2, Bytes.wrap(noHops.encode())).encode()));
        assertEquals(Optional.of(path), OnionMessagePayload.decode(new TlvRecord(2, value).encode()).replyPath());
        // unknown even type 70 in the final-hop range
        assertThrows(TlvDecodeException.class, () -> OnionMessagePayload.decode(Bytes.fromHex("4600").toArray()));
    }

    @Provide
    Arbitrary<EncryptedDataTlv> encryptedData() {
        Arbitrary<Bytes> blob = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Bytes::wrap);
        Arbitrary<PublicKey> point = Arbitraries.longs().map(s -> key(s, 0).publicKey());
        Arbitrary<EncryptedDataTlv.PaymentRelay> relay = Arbitraries.integers().between(0, 0xffff)
                .flatMap(d -> Arbitraries.longs().between(0, 0xffffffffL)
                        .flatMap(p -> Arbitraries.longs().between(0, 0xffffffffL)
                                .map(b -> new EncryptedDataTlv.PaymentRelay(d, p, b))));
        Arbitrary<EncryptedDataTlv.PaymentConstraints> constraints = Arbitraries.longs().between(0, 0xffffffffL)
                .flatMap(m -> Arbitraries.longs().map(h -> new EncryptedDataTlv.PaymentConstraints(m, h)));
        Arbitrary<List<TlvRecord>> unknown = Arbitraries.longs().between(1, 1_000_000).map(t -> 2 * t + 1)
                .flatMap(t -> blob.map(v -> new TlvRecord(t, v))).list().ofMaxSize(3).uniqueElements(TlvRecord::type);
        return Builders.withBuilder(() -> EncryptedDataTlv.EMPTY)
                .use(blob.optional(0.3)).in((t, v) -> v.map(t::withPadding).orElse(t))
                .use(Arbitraries.longs().optional(0.3)).in((t, v) -> v.map(t::withShortChannelId).orElse(t))
                .use(point.optional(0.3)).in((t, v) -> v.map(t::withNextNodeId).orElse(t))
                .use(blob.optional(0.3)).in((t, v) -> v.map(t::withPathId).orElse(t))
                .use(point.optional(0.3)).in((t, v) -> v.map(t::withNextPathKeyOverride).orElse(t))
                .use(relay.optional(0.3)).in((t, v) -> v.map(t::withPaymentRelay).orElse(t))
                .use(constraints.optional(0.3)).in((t, v) -> v.map(t::withPaymentConstraints).orElse(t))
                .use(blob.optional(0.3)).in((t, v) -> v.map(t::withAllowedFeatures).orElse(t))
                .use(unknown).in(EncryptedDataTlv::withUnknownOdd)
                .build();
    }

    @Provide
    Arbitrary<OnionMessagePayload> payloads() {
        Arbitrary<Bytes> blob = Arbitraries.bytes().array(byte[].class).ofMaxSize(60).map(Bytes::wrap);
        return OnionMessagesPropertiesTest.payloads().flatMap(base -> Builders.withBuilder(() -> base)
                .use(blob.optional(0.4)).in((p, v) -> v.map(p::withEncryptedRecipientData).orElse(p))
                .use(blob.optional(0.3)).in((p, v) -> v.map(p::withInvoiceRequest).orElse(p))
                .use(blob.optional(0.3)).in((p, v) -> v.map(p::withInvoiceError).orElse(p))
                .build());
    }
}
