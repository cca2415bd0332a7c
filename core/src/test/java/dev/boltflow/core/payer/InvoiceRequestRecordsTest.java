package dev.boltflow.core.payer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.payer.memory.InMemoryInvoiceRequestStore;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Our invoice_requests as listinvoicerequests shows them, and the in-memory store that keeps them. */
class InvoiceRequestRecordsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static OurInvoiceRequest request(String label, boolean singleUse) {
        return new OurInvoiceRequest(Bytes32.random(RANDOM), "lnr1" + label, Bytes32.random(RANDOM).bytes(),
                Optional.of(label), singleUse, true, false);
    }

    @Test
    void paying_uses_a_request_and_ends_a_single_use_one_only() {
        OurInvoiceRequest once = request("once", true).paid();
        assertTrue(once.used());
        assertFalse(once.active());
        OurInvoiceRequest multi = request("multi", false).paid();
        assertTrue(multi.used());
        assertTrue(multi.active());
        assertFalse(request("off", false).disabled().paid().active(), "a disabled request stays disabled");
    }

    @Test
    void the_list_entry_has_core_lightnings_fields_and_our_last_outcome() {
        OurInvoiceRequest r = request("rent", true);
        Map<String, Object> m = r.toMap();
        assertEquals(List.of("invreq_id", "active", "single_use", "bolt12", "used", "label"), List.copyOf(m.keySet()));
        assertEquals(r.invreqId().toHex(), m.get("invreq_id"));
        assertEquals("rent", m.get("label"));
        assertEquals(m, r.toListEntry(), "no outcome yet");
        dev.boltflow.core.crypto.PublicKey payee = dev.boltflow.core.crypto.PrivateKey.random(RANDOM).publicKey();
        PayerOutcome outcome = new PayerOutcome(PayerOutcome.Status.REFUSED, Bytes32.ZERO, OptionalLong.of(5_000),
                Optional.of(payee), "invoice_amount (170): too little", 1_800_000_000L);
        Map<String, Object> entry = r.withOutcome(outcome).toListEntry();
        assertEquals(outcome.toMap(), entry.get("last_outcome"));
        assertEquals(Map.of("status", "refused", "payment_hash", Bytes32.ZERO.toHex(), "amount_msat", 5_000L,
                "invoice_node_id", payee.toHex(), "detail", "invoice_amount (170): too little", "at", 1_800_000_000L),
                outcome.toMap());
        assertEquals(Map.of("status", "paying", "payment_hash", Bytes32.ZERO.toHex(), "at", 7L),
                new PayerOutcome(PayerOutcome.Status.PAYING, Bytes32.ZERO, OptionalLong.empty(), Optional.empty(), "", 7)
                        .toMap(), "no detail while paying");
        assertFalse(new OurInvoiceRequest(r.invreqId(), r.bolt12(), r.metadata(), Optional.empty(), true, true, false)
                .toMap().containsKey("label"));
    }

    @Test
    void the_store_lists_in_creation_order_and_marks_paid_once() {
        InMemoryInvoiceRequestStore store = new InMemoryInvoiceRequestStore();
        List<OurInvoiceRequest> made = IntStream.range(0, 20).mapToObj(i -> request("r" + i, true)).toList();
        made.forEach(r -> store.create(r).block());
        assertEquals(made.stream().map(OurInvoiceRequest::invreqId).collect(Collectors.toList()),
                store.list(false).map(OurInvoiceRequest::invreqId).collectList().block());

        OurInvoiceRequest first = made.get(0);
        assertTrue(store.markPaid(first.invreqId()).block().used());
        assertNull(store.markPaid(first.invreqId()).block(), "no longer active: nothing changes");
        assertNull(store.markPaid(Bytes32.ZERO).block(), "unknown");
        assertEquals(19, store.list(true).count().block());

        PayerOutcome outcome = new PayerOutcome(PayerOutcome.Status.PAID, Bytes32.ZERO, OptionalLong.empty(),
                Optional.empty(), "", 1);
        assertEquals(Optional.of(outcome), store.recordOutcome(first.invreqId(), outcome).block().lastOutcome());
        assertNull(store.recordOutcome(Bytes32.ZERO, outcome).block(), "unknown");
        assertEquals(Optional.of(outcome), store.findByMetadata(first.metadata()).block().lastOutcome());
        assertNull(store.findByMetadata(Bytes.fromHex("00")).block());
        assertNull(store.disable(Bytes32.ZERO).block());
    }
}
