package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.VectorJson.hex;
import static dev.boltflow.core.onion.VectorJson.point;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.EachSecp256k1Provider;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.tlv.TlvDecodeException;
import dev.boltflow.core.tlv.TlvRecord;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BOLT 4 {@code payload} codec, checked against blinded-payment-onion-test.json's hop payloads. */
@AddLifecycleHook(EachSecp256k1Provider.class)
class PaymentOnionPayloadTest extends OnEachSecp256k1Provider {

    static Stream<Arguments> vectorHops() {
        JsonNode hops = Vectors.json("bolt04/blinded-payment-onion-test.json").get("generate").get("full_route").get("hops");
        return Vectors.elements(hops).stream().map(h -> Arguments.of(Named.of(h.get("alias").asText(), h)));
    }

    /** The vector's payload hex is BigSize length ‖ TLV stream. */
    static Bytes withoutLength(Bytes lengthPrefixed) {
        ByteReader r = new ByteReader(lengthPrefixed.toArray());
        long len = r.bigSize("length");
        Bytes payload = r.read((int) len, "payload");
        assertTrue(r.isEmpty());
        return payload;
    }

    @ParameterizedTest
    @MethodSource("vectorHops")
    void vectorPayload_decodesToItsFields_andReencodesByteForByte(JsonNode hop) {
        Bytes raw = withoutLength(hex(hop.get("payload")));
        PaymentOnionPayload p = PaymentOnionPayload.decode(raw);
        assertEquals(raw, p.encode());

        JsonNode tlvs = hop.get("tlvs");
        assertEquals(optLong(tlvs, "amt_to_forward"), p.amtToForward());
        assertEquals(optLong(tlvs, "outgoing_cltv_value"), p.outgoingCltvValue());
        assertEquals(optLong(tlvs, "total_amount_msat"), p.totalAmountMsat());
        assertEquals(tlvs.has("outgoing_channel_id") ? OptionalLong.of(VectorJson.scid(tlvs.get("outgoing_channel_id")))
                : OptionalLong.empty(), p.shortChannelId());
        assertEquals(tlvs.has("current_path_key") ? Optional.of(point(tlvs.get("current_path_key"))) : Optional.empty(),
                p.currentPathKey());
        assertEquals(tlvs.has("encrypted_recipient_data"), p.encryptedRecipientData().isPresent());
        assertEquals(Optional.empty(), p.paymentData());
        assertEquals(Optional.empty(), p.paymentMetadata());
        assertEquals(List.of(), p.unknownOdd());
    }

    private static OptionalLong optLong(JsonNode tlvs, String field) {
        return tlvs.has(field) ? OptionalLong.of(tlvs.get(field).asLong()) : OptionalLong.empty();
    }

    @Test
    void everyField_encodesInTypeOrder_andDecodesBack() {
        PublicKey key = PublicKey.fromHex("0324653eac434488002cc06bbfb7f10fe18991e35f9fe4302dbea6d2353dc0ab1c");
        PaymentOnionPayload p = PaymentOnionPayload.EMPTY
                .withTotalAmountMsat(150_000)
                .withPaymentMetadata(Bytes.fromHex("beef"))
                .withCurrentPathKey(key)
                .withEncryptedRecipientData(Bytes.fromHex("0102"))
                .withPaymentData(new PaymentOnionPayload.PaymentData(Bytes32.fromHex(
                        "1111111111111111111111111111111111111111111111111111111111111111"), 150_000))
                .withShortChannelId(0x0102030405060708L)
                .withOutgoingCltvValue(749_000)
                .withAmtToForward(100_000)
                .withUnknownOdd(List.of(new TlvRecord(65_537, Bytes.fromHex("aa"))));
        assertEquals(List.of(2L, 4L, 6L, 8L, 10L, 12L, 16L, 18L, 65_537L), p.types());
        assertEquals(p, PaymentOnionPayload.decode(p.encode()));
        String shown = p.toString();
        assertFalse(shown.contains("beef") || shown.contains("1111"), shown);
    }

    @Test
    void unknownOdd_isKept_unknownEven_isRefusedNamingItsType() {
        Bytes odd = tlv(2, "0186a0").concat(tlv(19, "abcd"));
        PaymentOnionPayload p = PaymentOnionPayload.decode(odd);
        assertEquals(List.of(new TlvRecord(19, Bytes.fromHex("abcd"))), p.unknownOdd());
        assertEquals(odd, p.encode());

        TlvDecodeException e = assertThrows(TlvDecodeException.class,
                () -> PaymentOnionPayload.decode(tlv(2, "0186a0").concat(tlv(20, "00"))));
        assertEquals(20, e.type());
    }

    @Test
    void badKnownRecords_areTypedErrorsNamingTheRecord() {
        assertType(2, tlv(2, "00ff")); // tu64 not minimal
        assertType(2, tlv(2, "010203040506070809")); // tu64 longer than 8 bytes
        assertType(2, tlv(2, "8000000000000000")); // above Long.MAX_VALUE msat
        assertType(4, tlv(4, "0102030405")); // tu32 longer than 4 bytes
        assertType(6, tlv(6, "01020304050607")); // short_channel_id must be 8 bytes
        assertType(8, tlv(8, "00".repeat(31))); // payment_secret truncated
        assertType(12, tlv(12, "02" + "00".repeat(32))); // not a point
        assertType(12, tlv(12, "02")); // wrong length
        assertType(18, tlv(18, "0000"));
    }

    @Test
    void streamErrors_areDecodeExceptions() {
        assertThrows(DecodeException.class, () -> PaymentOnionPayload.decode(tlv(4, "01").concat(tlv(2, "01"))));
        assertThrows(DecodeException.class, () -> PaymentOnionPayload.decode(tlv(2, "01").concat(tlv(2, "02"))));
        assertThrows(DecodeException.class, () -> PaymentOnionPayload.decode(Bytes.fromHex("0205aa")));
    }

    @Property
    void arbitraryBytes_roundTripOrTypedError(@ForAll @Size(max = 160) byte[] data) {
        PaymentOnionPayload p;
        try {
            p = PaymentOnionPayload.decode(data);
        } catch (DecodeException e) {
            return;
        }
        assertArrayEquals(data, p.encode().toArray());
    }

    @Property(tries = 300)
    void encodeThenDecode_isIdentity(@ForAll("payloads") PaymentOnionPayload p) {
        assertEquals(p, PaymentOnionPayload.decode(p.encode()));
    }

    @Provide
    Arbitrary<PaymentOnionPayload> payloads() {
        Arbitrary<Long> amounts = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Bytes> blobs = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Bytes::wrap);
        return Builders.withBuilder(() -> PaymentOnionPayload.EMPTY)
                .use(amounts).withProbability(0.5).in((p, v) -> p.withAmtToForward(v))
                .use(Arbitraries.longs().between(0, 0xffffffffL)).withProbability(0.5).in((p, v) -> p.withOutgoingCltvValue(v))
                .use(Arbitraries.longs()).withProbability(0.5).in((p, v) -> p.withShortChannelId(v))
                .use(blobs).withProbability(0.5).in((p, v) -> p.withEncryptedRecipientData(v))
                .use(blobs).withProbability(0.3).in((p, v) -> p.withPaymentMetadata(v))
                .use(amounts).withProbability(0.5).in((p, v) -> p.withTotalAmountMsat(v))
                .use(Arbitraries.longs().between(0, 1L << 40).map(t -> t * 2 + 19)).withProbability(0.3)
                .in((p, t) -> p.withUnknownOdd(List.of(new TlvRecord(t, Bytes.fromHex("01")))))
                .build();
    }

    private static void assertType(long type, Bytes data) {
        TlvDecodeException e = assertThrows(TlvDecodeException.class, () -> PaymentOnionPayload.decode(data));
        assertEquals(type, e.type(), e.getMessage());
    }

    private static Bytes tlv(long type, String hex) {
        Bytes v = Bytes.fromHex(hex);
        return new ByteWriter().bigSize(type).bigSize(v.length()).bytes(v).toBytes();
    }
}
