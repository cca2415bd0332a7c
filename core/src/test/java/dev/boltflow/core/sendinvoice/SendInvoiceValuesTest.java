package dev.boltflow.core.sendinvoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.crypto.PaymentPreimage;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The configuration's derived values, and what the results and errors print (never a preimage). */
class SendInvoiceValuesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SendInvoiceConfig DEFAULTS = SendInvoiceConfig.defaults(ChainHashes.REGTEST);

    @Test
    void the_payment_path_takes_twice_the_amount_within_the_configured_bounds() {
        assertEquals(100_000, DEFAULTS.htlcMaximumFor(50_000));
        assertEquals(2 * SendInvoiceRequest.MAX_AMOUNT_MSAT, DEFAULTS.htlcMaximumFor(SendInvoiceRequest.MAX_AMOUNT_MSAT));
        // No overflow past 2^63: capped by the configured maximum.
        assertEquals(DEFAULTS.htlcMaximumMsat(), DEFAULTS.htlcMaximumFor(Long.MAX_VALUE));
        SendInvoiceConfig narrow = new SendInvoiceConfig(ChainHashes.REGTEST, java.util.List.of(), java.util.List.of(), 18,
                2016, 1_000, 5_000, dev.boltflow.core.features.Features.EMPTY, 1, true, 10);
        assertEquals(1_000, narrow.htlcMaximumFor(1), "never below htlc_minimum_msat");
        assertEquals(5_000, narrow.htlcMaximumFor(4_000), "never above htlc_maximum_msat");
        assertEquals(3_000, narrow.htlcMaximumFor(1_500));
    }

    @Test
    void each_with_changes_its_own_setting_only() {
        SendInvoiceConfig two = DEFAULTS.withParallelPaths(2);
        assertEquals(2, two.parallelPaths());
        assertEquals(DEFAULTS.maxPending(), two.maxPending());
        assertFalse(DEFAULTS.withResendAtHalfTimeout(false).resendAtHalfTimeout());
        assertEquals(7, DEFAULTS.withMaxPending(7).maxPending());
    }

    private static StoredInvoice stored(String label) {
        return StoredInvoice.created(new NewInvoice(label, Optional.of("rent"), PaymentPreimage.random(RANDOM),
                1_900_000_000L, 1_000, "lni1" + label, Optional.empty(), Optional.empty()), 3);
    }

    @Test
    void a_result_prints_its_ids_and_its_pay_index_once_paid_never_the_preimage() {
        StoredInvoice unpaid = stored("rent");
        StoredInvoice paid = unpaid.paid(new InvoicePayment(9, 1_000, 1_800_000_000L), 4);
        assertEquals("SendInvoiceResult[label=rent, status=UNPAID, payment_hash=" + unpaid.paymentHash()
                + ", created_index=3]", SendInvoiceResult.of(unpaid).toString());
        String printed = SendInvoiceResult.of(paid).toString();
        assertEquals("SendInvoiceResult[label=rent, status=PAID, payment_hash=" + paid.paymentHash()
                + ", created_index=3, pay_index=9]", printed);
        assertFalse(printed.contains(paid.paymentPreimage().orElseThrow().toHex()));
    }

    @Test
    void a_duplicate_label_prints_the_label_and_whether_the_existing_invoice_is_carried() {
        assertEquals("DuplicateLabel[label=rent]", SendInvoiceException.duplicateLabel("rent").data().orElseThrow().toString());
        String printed = SendInvoiceException.duplicateLabel(stored("rent")).data().orElseThrow().toString();
        assertEquals("DuplicateLabel[label=rent, existing invoice]", printed);
    }

    /** sendinvoice's answer, field for field as Core Lightning's schema has it: the payment's fields once paid. */
    @Test
    void a_paid_result_carries_the_payment_fields_and_an_unpaid_one_none() {
        StoredInvoice unpaid = stored("rent");
        assertEquals(java.util.Set.of("label", "description", "payment_hash", "status", "created_index", "expires_at",
                "amount_msat", "bolt12"), SendInvoiceResult.of(unpaid).toMap().keySet());
        StoredInvoice paid = unpaid.paid(new InvoicePayment(9, 1_500, 1_800_000_000L), 4);
        java.util.Map<String, Object> m = SendInvoiceResult.of(paid).toMap();
        assertEquals(4L, m.get("updated_index"));
        assertEquals(9L, m.get("pay_index"));
        assertEquals(1_500L, m.get("amount_received_msat"));
        assertEquals(1_800_000_000L, m.get("paid_at"));
        assertEquals(paid.paymentPreimage().orElseThrow().toHex(), m.get("payment_preimage"));
        assertEquals("paid", m.get("status"));
    }

    /** The signer prints its node id, never its key. */
    @Test
    void a_local_signer_prints_its_node_id_only() {
        dev.boltflow.core.crypto.PrivateKey key = dev.boltflow.core.crypto.PrivateKey.random(RANDOM);
        assertEquals("LocalNodeSigner[" + key.publicKey() + "]", new LocalNodeSigner(key, RANDOM).toString());
    }

    @Test
    void statuses_are_spelled_as_core_lightning_spells_them() {
        for (InvoiceStatus s : InvoiceStatus.values()) {
            assertEquals(s, InvoiceStatus.fromWireName(s.wireName()));
        }
        assertEquals(java.util.List.of("unpaid", "paid", "expired"),
                java.util.Arrays.stream(InvoiceStatus.values()).map(InvoiceStatus::wireName).toList());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> InvoiceStatus.fromWireName("PAID"));
        assertEquals("invoice status must be unpaid, paid or expired, got PAID", e.getMessage());
    }

    /** A NUL in a label or a bolt12 string is refused, as their first character too (a description may hold any text). */
    @Test
    void labels_and_invoice_strings_have_no_nul_even_at_their_start() {
        PaymentPreimage p = PaymentPreimage.random(RANDOM);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new NewInvoice("x",
                Optional.of("rent"), p, 1, 1, "\0lni1x", Optional.empty(), Optional.empty()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new NewInvoice("\0x",
                Optional.empty(), p, 1, 1, "lni1x", Optional.empty(), Optional.empty()));
    }

    /** An inbound message prints whether it came on a path of ours, never the path_id itself. */
    @Test
    void an_inbound_message_prints_no_path_id() {
        dev.boltflow.core.onion.OnionMessagePayload payload = dev.boltflow.core.onion.OnionMessagePayload.ofInvoice(
                dev.boltflow.core.bytes.Bytes.fromHex("0102"));
        dev.boltflow.core.bytes.Bytes pathId = dev.boltflow.core.bytes.Bytes.fromHex("c0ffee0123");
        String with = new InboundOnionMessage(payload, Optional.of(pathId)).toString();
        assertEquals("InboundOnionMessage[" + payload + ", path_id present]", with);
        assertFalse(with.contains("c0ffee0123"));
        assertEquals("InboundOnionMessage[" + payload + "]", new InboundOnionMessage(payload, Optional.empty()).toString());
    }
}
