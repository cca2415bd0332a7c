package dev.boltflow.core.sendinvoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PaymentPreimage;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * listinvoices' filters as a store adapter applies them with {@link InvoiceListQuery#matches}: each
 * filter keeps exactly the invoice it names, and the index's {@code start} is inclusive.
 */
class InvoiceListQueryTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Bytes32 OFFER = Bytes32.random(RANDOM);

    private static StoredInvoice invoice(String label, long createdIndex) {
        return StoredInvoice.created(new NewInvoice(label, Optional.empty(), PaymentPreimage.random(RANDOM), 1_900_000_000L,
                1_000, "lni1" + label, Optional.of(OFFER), Optional.empty()), createdIndex);
    }

    @Test
    void each_filter_keeps_only_the_invoice_it_names() {
        StoredInvoice a = invoice("a", 1);
        StoredInvoice b = invoice("b", 2);
        assertTrue(InvoiceListQuery.byLabel("a").matches(a));
        assertFalse(InvoiceListQuery.byLabel("a").matches(b));
        assertTrue(InvoiceListQuery.byInvstring("lni1b").matches(b));
        assertFalse(InvoiceListQuery.byInvstring("lni1b").matches(a));
        assertTrue(InvoiceListQuery.byPaymentHash(a.paymentHash()).matches(a));
        assertFalse(InvoiceListQuery.byPaymentHash(a.paymentHash()).matches(b));
        assertTrue(InvoiceListQuery.byOfferId(OFFER).matches(a));
        assertFalse(InvoiceListQuery.byOfferId(Bytes32.random(RANDOM)).matches(a));
        assertTrue(InvoiceListQuery.all().matches(a) && InvoiceListQuery.all().matches(b));
    }

    @Test
    void start_is_inclusive_on_the_chosen_index_and_unchanged_invoices_have_no_updated_index() {
        StoredInvoice second = invoice("x", 2);
        StoredInvoice updated = second.expired(7);
        InvoiceListQuery created = InvoiceListQuery.all();
        assertTrue(created.indexed(InvoiceListQuery.ListIndex.CREATED, 2, OptionalLong.empty()).matches(second));
        assertFalse(created.indexed(InvoiceListQuery.ListIndex.CREATED, 3, OptionalLong.empty()).matches(second));
        assertFalse(created.indexed(InvoiceListQuery.ListIndex.UPDATED, 0, OptionalLong.empty()).matches(second));
        assertTrue(created.indexed(InvoiceListQuery.ListIndex.UPDATED, 7, OptionalLong.empty()).matches(updated));
        assertFalse(created.indexed(InvoiceListQuery.ListIndex.UPDATED, 8, OptionalLong.empty()).matches(updated));
        assertEquals("updated", InvoiceListQuery.ListIndex.UPDATED.wireName());
    }

    @Test
    void at_most_one_filter_a_non_negative_start_and_a_u32_limit() {
        Optional<String> l = Optional.of("a");
        assertThrows(IllegalArgumentException.class, () -> new InvoiceListQuery(l, Optional.of("lni1a"), Optional.empty(),
                Optional.empty(), InvoiceListQuery.ListIndex.CREATED, 0, OptionalLong.empty()));
        assertThrows(IllegalArgumentException.class, () -> InvoiceListQuery.all()
                .indexed(InvoiceListQuery.ListIndex.CREATED, -1, OptionalLong.empty()));
        assertThrows(IllegalArgumentException.class, () -> InvoiceListQuery.all()
                .indexed(InvoiceListQuery.ListIndex.CREATED, 0, OptionalLong.of(InvoiceListQuery.MAX_LIMIT + 1)));
        assertThrows(IllegalArgumentException.class, () -> InvoiceListQuery.all()
                .indexed(InvoiceListQuery.ListIndex.CREATED, 0, OptionalLong.of(-1)));
        assertEquals(OptionalLong.of(InvoiceListQuery.MAX_LIMIT), InvoiceListQuery.all()
                .indexed(InvoiceListQuery.ListIndex.CREATED, 0, OptionalLong.of(InvoiceListQuery.MAX_LIMIT)).limit());
    }
}
