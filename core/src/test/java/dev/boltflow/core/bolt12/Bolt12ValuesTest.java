package dev.boltflow.core.bolt12;

import static dev.boltflow.core.bolt12.Bolt12Field.*;
import static dev.boltflow.core.bolt12.TestStreams.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.features.Features;
import dev.boltflow.core.tlv.TlvStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Offers, requests and invoices are values: equal when their bytes are, hashed from them (so they
 * spread in hash maps), and printed as their bolt12 string; an unsigned invoice never prints one.
 */
class Bolt12ValuesTest {
    private static TlvStream offer(String description) {
        return stream(utf8(OFFER_DESCRIPTION, description), point(OFFER_ISSUER_ID, key(1)));
    }

    @Test
    void equal_bytes_make_equal_objects_and_nothing_else_does() {
        Offer a = Offer.decode(lno(offer("a")));
        assertEquals(a, Offer.decode(offer("a").encode()));
        assertEquals(a.hashCode(), Offer.decode(offer("a").encode()).hashCode());
        assertNotEquals(a, Offer.decode(lno(offer("b"))));
        assertNotEquals(a, null);
        assertNotEquals(a, lno(offer("a")));
        // The same bytes as another kind of object are another object.
        TlvStream request = stream(hex(INVREQ_METADATA, "01"), utf8(OFFER_DESCRIPTION, "a"));
        assertNotEquals(InvoiceRequest.decode(request.encode()), Invoice.decode(request.encode()));
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            hashes.add(Offer.decode(offer("offer " + i).encode()).hashCode());
        }
        assertTrue(hashes.size() > 45, "hash codes spread: " + hashes.size() + " of 50 distinct");
    }

    @Test
    void an_object_prints_as_its_bolt12_string() {
        String lno = lno(offer("coffee"));
        assertEquals(lno, Offer.decode(lno).toString());
        String lnr = lnr(stream(hex(INVREQ_METADATA, "01"), utf8(OFFER_DESCRIPTION, "a")));
        assertEquals(lnr, InvoiceRequest.decode(lnr).toString());
    }

    @Test
    void an_unsigned_invoice_prints_its_node_id_and_record_types_but_no_string() {
        InvoiceRequest r = InvoiceFixtures.decodeRequest(InvoiceFixtures.request(1000));
        UnsignedInvoice unsigned = InvoiceFixtures.builder(r).build();
        String s = unsigned.toString();
        assertTrue(s.startsWith("UnsignedInvoice[node_id=" + InvoiceFixtures.NODE.publicKey()), s);
        assertTrue(s.contains("170:"), s); // invoice_amount's record
        assertFalse(s.contains("lni1"), s);
    }

    @Test
    void invreq_features_read_back() {
        TlvStream s = stream(hex(INVREQ_METADATA, "01"), rec(INVREQ_FEATURES, Features.of(3, 9).bitmap()));
        assertEquals(Features.of(3, 9), InvoiceRequest.decode(s.encode()).invreqFeatures().orElseThrow());
        assertTrue(InvoiceRequest.decode(stream(hex(INVREQ_METADATA, "01")).encode()).invreqFeatures().isEmpty());
    }
}
