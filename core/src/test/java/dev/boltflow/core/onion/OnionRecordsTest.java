package dev.boltflow.core.onion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.onion.EncryptedDataTlv.PaymentConstraints;
import dev.boltflow.core.onion.EncryptedDataTlv.PaymentRelay;
import dev.boltflow.core.tlv.TlvRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The onion records' value rules, their unknown odd records (kept in type order, however many),
 * and what their toStrings show: every field by name and size, never a secret, path_id or payload.
 */
class OnionRecordsTest {
    private static final PublicKey KEY = PrivateKey.fromBytes(Bytes32.fromHex("11".repeat(32)).toArray()).publicKey();
    private static final Bytes SECRET = Bytes.fromHex("5ec7e75ec7e75ec7");

    /** Ten unknown odd records, given in descending type order. */
    private static List<TlvRecord> tenUnknownOdd() {
        List<TlvRecord> out = new ArrayList<>();
        for (int i = 9; i >= 0; i--) {
            out.add(new TlvRecord(1001 + 2L * i, Bytes.fromHex("0" + i)));
        }
        return out;
    }

    private static void assertAscending(List<TlvRecord> records) {
        for (int i = 0; i < records.size(); i++) {
            assertEquals(1001 + 2L * i, records.get(i).type());
        }
    }

    // ---------------------------------------------------------------- PaymentOnionPayload

    /** BOLT 4 amounts are msat, never negative; 0 is an amount (a tu64 of no bytes). */
    @Test
    void paymentPayload_amountsMayBeZero_neverNegative() {
        PaymentOnionPayload zero = PaymentOnionPayload.EMPTY.withAmtToForward(0).withTotalAmountMsat(0)
                .withOutgoingCltvValue(0);
        assertEquals(zero, PaymentOnionPayload.decode(zero.encode()));
        assertEquals("amt_to_forward must not be negative: -1", assertThrows(IllegalArgumentException.class,
                () -> PaymentOnionPayload.EMPTY.withAmtToForward(-1)).getMessage());
        assertEquals("total_amount_msat must not be negative: -1", assertThrows(IllegalArgumentException.class,
                () -> PaymentOnionPayload.EMPTY.withTotalAmountMsat(-1)).getMessage());
        assertEquals("total_msat must not be negative: -1", assertThrows(IllegalArgumentException.class,
                () -> new PaymentOnionPayload.PaymentData(Bytes32.ZERO, -1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PaymentOnionPayload.EMPTY.withOutgoingCltvValue(-1));
        assertThrows(IllegalArgumentException.class, () -> PaymentOnionPayload.EMPTY.withOutgoingCltvValue(1L << 32));
        assertEquals(0xffffffffL, PaymentOnionPayload.EMPTY.withOutgoingCltvValue(0xffffffffL).outgoingCltvValue()
                .getAsLong());
    }

    @Test
    void paymentPayload_keepsAnyNumberOfUnknownOddRecords_inTypeOrder() {
        PaymentOnionPayload p = PaymentOnionPayload.EMPTY.withAmtToForward(1).withUnknownOdd(tenUnknownOdd());
        assertAscending(p.unknownOdd());
        PaymentOnionPayload back = PaymentOnionPayload.decode(p.encode());
        assertEquals(p, back);
        assertEquals(11, back.types().size());
    }

    @Test
    void paymentPayload_toString_namesEveryField_notTheSecretOrMetadata() {
        PaymentOnionPayload p = PaymentOnionPayload.EMPTY.withAmtToForward(1000).withOutgoingCltvValue(800)
                .withShortChannelId(0x0000010000020003L)
                .withPaymentData(new PaymentOnionPayload.PaymentData(Bytes32.wrap(Bytes.fromHex("ab".repeat(32))
                        .toArray()), 5000))
                .withEncryptedRecipientData(SECRET).withCurrentPathKey(KEY).withPaymentMetadata(SECRET)
                .withTotalAmountMsat(6000).withUnknownOdd(List.of(new TlvRecord(33, SECRET)));
        String s = p.toString();
        for (String shown : List.of("amt_to_forward=1000", "outgoing_cltv_value=800", "short_channel_id=1x2x3",
                "payment_data(total=5000)", "encrypted_recipient_data=8B", "current_path_key=" + KEY,
                "payment_metadata=8B", "total_amount_msat=6000", "33:8B")) {
            assertTrue(s.contains(shown), shown + " in " + s);
        }
        assertFalse(s.contains(SECRET.toHex()), s);
        assertFalse(s.contains("abab"), s);
        assertEquals("PaymentData[secret=<redacted>, totalMsat=5000]", p.paymentData().get().toString());
    }

    // ---------------------------------------------------------------- EncryptedDataTlv

    @Test
    void encryptedData_keepsAnyNumberOfUnknownOddRecords_inTypeOrder() {
        EncryptedDataTlv d = EncryptedDataTlv.EMPTY.withPathId(SECRET).withUnknownOdd(tenUnknownOdd());
        assertAscending(d.unknownOdd());
        assertEquals(d, EncryptedDataTlv.decode(d.encode()));
    }

    @Test
    void encryptedData_toString_namesEveryField_notThePathId() {
        EncryptedDataTlv d = EncryptedDataTlv.EMPTY.withPadding(Bytes.wrap(new byte[3])).withShortChannelId(0x0000010000020003L)
                .withNextNodeId(KEY).withPathId(SECRET).withNextPathKeyOverride(KEY)
                .withPaymentRelay(new PaymentRelay(40, 250, 7)).withPaymentConstraints(new PaymentConstraints(900, 1))
                .withAllowedFeatures(Bytes.fromHex("0102")).withUnknownOdd(List.of(new TlvRecord(33, SECRET)));
        String s = d.toString();
        for (String shown : List.of("padding=3B", "scid=1x2x3", "next_node_id=" + KEY, "path_id=<8B>",
                "next_path_key_override=" + KEY, new PaymentRelay(40, 250, 7).toString(),
                new PaymentConstraints(900, 1).toString(), "allowed_features=0102", "33:8B")) {
            assertTrue(s.contains(shown), shown + " in " + s);
        }
        assertFalse(s.contains(SECRET.toHex()), s);
    }

    // ---------------------------------------------------------------- OnionMessagePayload, PeelResult

    @Test
    void messagePayload_factoriesCarryTheirOneField() {
        Bytes tlvs = Bytes.fromHex("0a0b");
        OnionMessagePayload request = OnionMessagePayload.ofInvoiceRequest(tlvs);
        assertEquals(Optional.of(tlvs), request.invoiceRequest());
        assertEquals(1, request.payloadFieldCount());
        assertEquals(request, OnionMessagePayload.decode(request.encode()));
        assertEquals(Optional.of(tlvs), OnionMessagePayload.ofInvoice(tlvs).invoice());
        assertEquals(Optional.of(tlvs), OnionMessagePayload.ofInvoiceError(tlvs).invoiceError());
        assertEquals(3, request.withInvoice(tlvs).withInvoiceError(tlvs).payloadFieldCount());
    }

    @Test
    void messagePayload_keepsAnyNumberOfUnknownOddRecords_inTypeOrder() {
        OnionMessagePayload p = OnionMessagePayload.ofInvoice(SECRET).withUnknownOdd(tenUnknownOdd());
        assertAscending(p.unknownOdd());
        assertEquals(p, OnionMessagePayload.decode(p.encode()));
    }

    @Test
    void messagePayload_andPeelResults_toString_showSizes_neverContents() {
        BlindedPath path = RouteBlinding.create(PrivateKey.fromBytes(Bytes32.fromHex("22".repeat(32)).toArray()),
                List.of(KEY), List.of(EncryptedDataTlv.EMPTY.withPathId(SECRET)));
        OnionMessagePayload p = OnionMessagePayload.EMPTY.withReplyPath(path).withEncryptedRecipientData(SECRET)
                .withInvoiceRequest(SECRET).withInvoice(Bytes.fromHex("01")).withInvoiceError(Bytes.fromHex("0203"))
                .withUnknownOdd(List.of(new TlvRecord(77, SECRET)));
        String s = p.toString();
        for (String shown : List.of("reply_path(1 hops)", "encrypted_recipient_data=8B", "invoice_request=8B",
                "invoice=1B", "invoice_error=2B", "77:8B")) {
            assertTrue(s.contains(shown), shown + " in " + s);
        }
        assertFalse(s.contains(SECRET.toHex()), s);

        assertEquals("Deliver[" + p + ", path_id present]", new PeelResult.Deliver(p, Optional.of(SECRET)).toString());
        assertEquals("Deliver[" + p + "]", new PeelResult.Deliver(p, Optional.empty()).toString());
        PeelResult.Forward f = new PeelResult.Forward(new NextHop.Node(KEY), KEY, Bytes.wrap(new byte[1366]));
        assertEquals(PeelResult.Kind.FORWARD, f.kind());
        assertEquals("Forward[next=" + new NextHop.Node(KEY) + ", nextPathKey=" + KEY + ", packet=1366B]", f.toString());
    }

    // ---------------------------------------------------------------- BlindedPayInfo

    /** BOLT 12 blinded_payinfo: flen is a u16, so features may be longer than the fixed 28 bytes before them. */
    @Test
    void payInfo_withLongFeatures_roundTrips() {
        BlindedPayInfo info = new BlindedPayInfo(1, 2, 3, 4, 5, Features.of(301));
        byte[] one = info.encode();
        assertEquals(28 + info.features().bitmap().length(), one.length);
        assertEquals(info, BlindedPayInfo.read(new ByteReader(one)));
        assertEquals(List.of(info, info), BlindedPayInfo.readAll(new ByteReader(BlindedPayInfo.encodeAll(List.of(info, info)))));
    }
}
