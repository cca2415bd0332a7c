package dev.boltflow.core.bolt12;

import dev.boltflow.core.crypto.PaymentPreimage;
import static dev.boltflow.core.bolt12.Bolt12Field.*;
import static dev.boltflow.core.bolt12.InvoiceFixtures.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.Schnorr;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayInfo;
import dev.boltflow.core.onion.BlindedPayments.PaymentPath;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** BOLT 12 "Invoices", writer requirements: what {@link InvoiceBuilder} and {@link UnsignedInvoice} write. */
class InvoiceBuilderTest {

    /** Decodes the invoice's own text form again and runs every check a payer runs. */
    static Invoice checkedRoundTrip(Invoice invoice, InvoiceRequest request) {
        Invoice again = Invoice.decode(invoice.encode());
        assertEquals(invoice, again);
        assertEquals(invoice.tlvBytes(), again.tlvBytes());
        assertSameFields(again, invoice);
        assertEquals(List.of(), again.violations());
        long created = again.invoiceCreatedAt().orElseThrow();
        Bolt12Check.Result check = Bolt12Check.check(again, created);
        assertTrue(check.isValid(), check.violations().toString());
        assertEquals(List.of(), InvoiceReader.violations(again, request, created));
        return again;
    }

    /**
     * The signed invoice reuses the request's parsed fields instead of parsing its bytes again: every
     * typed accessor must answer exactly as on the invoice decoded from its bytes.
     */
    static void assertSameFields(Invoice decoded, Invoice built) {
        int compared = 0;
        for (java.lang.reflect.Method m : Invoice.class.getMethods()) {
            if (m.getParameterCount() == 0 && !java.lang.reflect.Modifier.isStatic(m.getModifiers())
                    && m.getDeclaringClass() != Object.class && !m.getName().equals("hashCode")) {
                try {
                    assertEquals(m.invoke(decoded), m.invoke(built), m.getName());
                    compared++;
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(m.getName(), e);
                }
            }
        }
        assertTrue(compared > 30, "compared only " + compared + " accessors");
    }

    /** The records of {@code s} in the invoice_request ranges 0–159 and 1e9–2999999999. */
    static List<TlvRecord> mirrored(TlvStream s) {
        return s.filter(InvoiceRequest::inInvreqRange).records();
    }

    @Test
    void cln_request_gets_an_invoice_that_copies_it_and_passes_every_check() {
        InvoiceRequest request = InvoiceRequest.parse(clnInvreq());
        Invoice invoice = builder(request).relativeExpiry(90).build().sign(NODE, AUX);
        Invoice again = checkedRoundTrip(invoice, request);

        // Every non-signature record of the request, byte for byte, and nothing else below 160.
        assertEquals(mirrored(request.records()), mirrored(again.records()));
        List<TlvRecord> requestRecords = request.records().filter(t -> t != SIGNATURE).records();
        assertEquals(requestRecords, again.records().filter(t -> t < INVOICE_PATHS).records());
        // The request's signature is not copied: the invoice's is by invoice_node_id.
        assertNotEquals(request.signature(), again.signature());
        assertEquals(2, again.invoiceAmount().orElseThrow());
        assertEquals(NOW, again.invoiceCreatedAt().orElseThrow());
        assertEquals(90, again.invoiceRelativeExpiry().orElseThrow());
        assertEquals(PAYMENT_HASH, again.invoicePaymentHash().orElseThrow());
        assertEquals(NODE.publicKey(), again.invoiceNodeId().orElseThrow());
        assertEquals(List.of(selfPath(0).path()), again.invoicePaths().orElseThrow());
        assertEquals(List.of(selfPath(0).info()), again.invoiceBlindedpay().orElseThrow());
        assertTrue(again.invoiceFeatures().isEmpty());
        assertTrue(again.invoiceFallbacks().isEmpty());
        // The same types as Core Lightning's own answer to this request (json_example[0].response).
        List<Long> ours = again.records().records().stream().map(TlvRecord::type).toList();
        List<Long> cln = Invoice.decode(clnInvoice()).records().records().stream().map(TlvRecord::type).toList();
        assertEquals(cln, ours);
    }

    @Test
    void unsigned_cln_request_is_answered_the_same_way() {
        TlvStream unsignedRequest = without(InvoiceRequest.decode(clnInvreq()).records(), SIGNATURE);
        InvoiceRequest request = decodeRequest(unsignedRequest);
        Invoice invoice = checkedRoundTrip(builder(request).build().sign(NODE, AUX), request);
        assertEquals(unsignedRequest.records(), invoice.records().filter(t -> t < INVOICE_PATHS).records());
    }

    @Test
    void unknown_odd_fields_in_both_ranges_are_copied_byte_for_byte() {
        TlvRecord[] unknown = {hex(1, "00"), hex(81, ""), hex(159, "ffeeddccbbaa"), hex(1_000_000_001L, "0102"),
                hex(1_999_999_999L, "ab".repeat(300)), hex(2_000_000_001L, "cd"), hex(2_999_999_999L, "ef01")};
        TlvStream raw = signRequest(request(25_000, unknown), PAYER);
        InvoiceRequest request = decodeRequest(raw);
        Invoice invoice = checkedRoundTrip(builder(request).build().sign(NODE, AUX), request);
        for (TlvRecord r : unknown) {
            assertEquals(r, invoice.records().find(r.type()).orElseThrow(), "type " + r.type());
        }
        assertEquals(mirrored(raw), mirrored(invoice.records()));
        // The records the invoice adds sit between the two ranges, the signature after them.
        assertEquals(without(raw, SIGNATURE).records(), mirrored(invoice.records()));
    }

    @Test
    void relative_expiry_7200_is_left_out_and_any_other_value_written() {
        InvoiceRequest request = decodeRequest(request(1000));
        Invoice byDefault = builder(request).build().sign(NODE, AUX);
        assertFalse(byDefault.records().contains(INVOICE_RELATIVE_EXPIRY));
        assertEquals(NOW + 7200, builder(request).build().expiresAt());
        Invoice explicit7200 = builder(request).relativeExpiry(7200).build().sign(NODE, AUX);
        assertEquals(byDefault, explicit7200);
        for (long seconds : new long[] {1, 90, 7199, 7201, 0xffffffffL}) {
            Invoice inv = checkedRoundTrip(builder(request).relativeExpiry(seconds).build().sign(NODE, AUX), request);
            assertEquals(OptionalLong.of(seconds), inv.invoiceRelativeExpiry(), "expiry " + seconds);
            assertFalse(inv.isExpired(NOW + seconds));
            assertTrue(inv.isExpired(NOW + seconds + 1));
        }
        assertThrows(IllegalArgumentException.class, () -> builder(request).relativeExpiry(0));
        assertThrows(IllegalArgumentException.class, () -> builder(request).relativeExpiry(0x1_0000_0000L));
    }

    @Test
    void signing_with_a_key_other_than_invoice_node_id_is_refused() {
        UnsignedInvoice unsigned = builder(decodeRequest(request(1000))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> unsigned.sign(OTHER, AUX));
        assertTrue(e.getMessage().contains("invoice_node_id"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> unsigned.sign(PAYER, new SecureRandom()));
        // A signature made elsewhere is taken only if it verifies under invoice_node_id.
        Signature foreign = Schnorr.sign(OTHER, unsigned.signatureHash(), AUX);
        assertThrows(IllegalArgumentException.class, () -> unsigned.withSignature(foreign));
    }

    @Test
    void external_signature_over_the_signature_hash_gives_the_same_invoice() {
        InvoiceRequest request = decodeRequest(request(1000));
        UnsignedInvoice unsigned = builder(request).build();
        assertEquals(Bolt12Signatures.signatureHash(Bolt12Signatures.INVOICE, unsigned.records()),
                unsigned.signatureHash());
        Signature byNode = Schnorr.sign(NODE, unsigned.signatureHash(), AUX);
        Invoice invoice = unsigned.withSignature(byNode);
        assertEquals(unsigned.sign(NODE, AUX), invoice);
        assertEquals(byNode, invoice.signature().orElseThrow());
        assertEquals(unsigned.records(), invoice.records().filter(t -> t != SIGNATURE));
        checkedRoundTrip(invoice, request);
        // Fresh aux randomness: another signature, equally valid.
        Invoice random = unsigned.sign(NODE, new SecureRandom());
        assertEquals(unsigned.records(), random.records().filter(t -> t != SIGNATURE));
        checkedRoundTrip(random, request);
    }

    @Test
    void unsigned_invoice_has_no_text_form() {
        UnsignedInvoice unsigned = builder(decodeRequest(request(1000))).build();
        assertFalse(unsigned.toString().contains("lni1"), unsigned.toString());
        assertFalse(unsigned.records().contains(SIGNATURE));
        assertEquals(PAYMENT_HASH, unsigned.paymentHash());
        assertEquals(1000, unsigned.amountMsat());
        assertEquals(NOW, unsigned.createdAt());
        assertEquals(7200, unsigned.relativeExpirySeconds());
        assertEquals(NODE.publicKey(), unsigned.invoiceNodeId());
    }

    @Test
    void each_required_field_must_be_set() {
        InvoiceBuilder b = InvoiceBuilder.forRequest(decodeRequest(request(1000)));
        IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
        assertEquals("invoice_created_at (164) is required: call createdAt(..)", e.getMessage());
        b = b.createdAt(NOW);
        assertTrue(assertThrows(IllegalStateException.class, b::build).getMessage().startsWith("invoice_payment_hash"));
        b = b.paymentHash(PAYMENT_HASH);
        assertTrue(assertThrows(IllegalStateException.class, b::build).getMessage().startsWith("invoice_node_id"));
        b = b.nodeId(NODE.publicKey());
        assertTrue(assertThrows(IllegalStateException.class, b::build).getMessage().startsWith("invoice_paths"));
        b = b.paths(List.of(selfPath(0)));
        assertEquals(1000, b.build().amountMsat());
        // Without invreq_amount there is no default amount.
        InvoiceBuilder noAmount = builder(decodeRequest(without(request(1000), INVREQ_AMOUNT)));
        assertTrue(assertThrows(IllegalStateException.class, noAmount::build).getMessage().startsWith("invoice_amount"));
        assertEquals(7, noAmount.amountMsat(7).build().amountMsat());
    }

    @Test
    void builder_is_immutable() {
        InvoiceBuilder base = builder(decodeRequest(request(1000)));
        InvoiceBuilder other = base.amountMsat(5).relativeExpiry(60).features(Features.of(17));
        assertEquals(1000, base.build().amountMsat());
        assertEquals(7200, base.build().relativeExpirySeconds());
        assertEquals(5, other.build().amountMsat());
        assertEquals(base.build().records(), base.build().records());
    }

    @Test
    void paths_are_required_non_empty_and_with_hops() {
        InvoiceBuilder b = builder(decodeRequest(request(1000)));
        assertThrows(IllegalArgumentException.class, () -> b.paths(List.of()));
        PaymentPath hopless = new PaymentPath(new BlindedPath(selfPath(0).path().firstNodeId(),
                selfPath(0).path().firstPathKey(), List.of()), selfPath(0).info());
        assertThrows(IllegalArgumentException.class, () -> b.paths(List.of(selfPath(0), hopless)));
    }

    @Test
    void several_paths_keep_their_order_with_one_payinfo_each() {
        InvoiceRequest request = decodeRequest(request(1_000_000));
        List<PaymentPath> paths = List.of(relayedPath(1), selfPath(2), relayedPath(3));
        Invoice invoice = checkedRoundTrip(builder(request).paths(paths).build().sign(NODE, AUX), request);
        assertEquals(paths.stream().map(PaymentPath::path).toList(), invoice.invoicePaths().orElseThrow());
        assertEquals(paths.stream().map(PaymentPath::info).toList(), invoice.invoiceBlindedpay().orElseThrow());
        assertEquals(List.of(0, 1, 2), invoice.usablePaths());
        BlindedPayInfo relayed = invoice.invoiceBlindedpay().orElseThrow().get(0);
        assertEquals(1000, relayed.feeBaseMsat());
        assertEquals(100, relayed.feeProportionalMillionths());
        assertEquals(40 + 18, relayed.cltvExpiryDelta());
        assertEquals(Bytes.wrap(BlindedPath.encodeAll(paths.stream().map(PaymentPath::path).toList())),
                invoice.records().value(INVOICE_PATHS).orElseThrow());
    }

    @Test
    void features_are_written_minimal_and_only_when_set() {
        InvoiceRequest request = decodeRequest(request(1000));
        assertFalse(builder(request).features(Features.EMPTY).build().records().contains(INVOICE_FEATURES));
        assertFalse(builder(request).features(new Features(Bytes.fromHex("0000"))).build().records()
                .contains(INVOICE_FEATURES));
        Invoice mpp = checkedRoundTrip(builder(request).features(new Features(Bytes.fromHex("00020000"))).build()
                .sign(NODE, AUX), request);
        assertEquals(Bytes.fromHex("020000"), mpp.records().value(INVOICE_FEATURES).orElseThrow());
        assertTrue(mpp.invoiceFeatures().orElseThrow().hasBit(Invoice.FEATURE_MPP_OPTIONAL));
        // An unknown even bit is written as asked; payers reject it.
        Invoice odd = builder(request).features(Features.of(40)).build().sign(NODE, AUX);
        assertEquals(INVOICE_FEATURES, odd.violations().get(0).field().orElseThrow().type());
    }

    @Test
    void fallbacks_are_written_when_given() {
        InvoiceRequest request = decodeRequest(request(1000));
        List<FallbackAddress> fallbacks = List.of(new FallbackAddress(0, Bytes.fromHex("11".repeat(20))),
                new FallbackAddress(1, Bytes.fromHex("22".repeat(32))));
        Invoice invoice = checkedRoundTrip(builder(request).fallbacks(fallbacks).build().sign(NODE, AUX), request);
        assertEquals(fallbacks, invoice.invoiceFallbacks().orElseThrow());
        assertFalse(builder(request).fallbacks(List.of()).build().records().contains(INVOICE_FALLBACKS));
    }

    @Test
    void amount_defaults_to_invreq_amount_and_a_lower_one_is_flagged_by_strict_readers() {
        InvoiceRequest request = decodeRequest(request(50_000));
        assertEquals(50_000, builder(request).build().amountMsat());
        // Core Lightning lets sendinvoice's amount_msat lower the amount and its payer accepts it;
        // BOLT 12's reader requires invoice_amount == invreq_amount, and so does InvoiceReader.
        Invoice lower = builder(request).amountMsat(40_000).build().sign(NODE, AUX);
        assertEquals(40_000, lower.invoiceAmount().orElseThrow());
        List<Bolt12ParseException> v = InvoiceReader.violations(lower, request, NOW);
        assertEquals(1, v.size(), v.toString());
        assertEquals(INVOICE_AMOUNT, v.get(0).field().orElseThrow().type());
        assertThrows(IllegalArgumentException.class, () -> builder(request).amountMsat(0));
        // Amounts are unsigned 64-bit.
        Invoice huge = builder(decodeRequest(request(-1L))).build().sign(NODE, AUX);
        assertEquals(-1L, huge.invoiceAmount().orElseThrow());
        assertEquals(Bytes.fromHex("ffffffffffffffff"), huge.records().value(INVOICE_AMOUNT).orElseThrow());
    }

    @Test
    void a_request_with_records_outside_its_ranges_is_refused() {
        for (long t : new long[] {161, 239, 1001, 999_999_999L, 3_000_000_001L}) {
            InvoiceRequest bad = decodeRequest(request(1000, hex(t, "00")));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InvoiceBuilder.forRequest(bad), "type " + t);
            assertTrue(e.getMessage().contains(Long.toString(t)), e.getMessage());
        }
        // Odd types in the signature range are signatures: left out, not refused.
        InvoiceRequest withSigRange = decodeRequest(request(1000, hex(241, "00"), hex(999, "00")));
        Invoice invoice = builder(withSigRange).build().sign(NODE, AUX);
        assertFalse(invoice.records().contains(241));
        assertFalse(invoice.records().contains(999));
        checkedRoundTrip(invoice, withSigRange);
    }

    @Test
    void preimage_hashes_to_the_payment_hash_and_never_prints() {
        SecureRandom random = new SecureRandom();
        PaymentPreimage p = PaymentPreimage.random(random);
        assertEquals(Hashes.sha256Of(p.reveal().toArray()), p.paymentHash());
        assertFalse(p.toString().contains(p.reveal().toHex()), p.toString());
        assertEquals(p, PaymentPreimage.of(p.reveal()));
        assertEquals(p.hashCode(), PaymentPreimage.of(p.reveal()).hashCode());
        assertNotEquals(p, PaymentPreimage.random(random));
        // The invoice carries only the hash.
        Invoice invoice = builder(decodeRequest(request(1000))).paymentHash(p.paymentHash()).build().sign(NODE, AUX);
        assertEquals(p.paymentHash(), invoice.invoicePaymentHash().orElseThrow());
        assertFalse(invoice.tlvBytes().toHex().contains(p.reveal().toHex()));
        assertArrayEquals(p.paymentHash().toArray(), invoice.records().value(INVOICE_PAYMENT_HASH).orElseThrow().toArray());
    }
}
