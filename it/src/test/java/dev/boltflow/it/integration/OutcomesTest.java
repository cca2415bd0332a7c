package dev.boltflow.it.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.node.rpc.RpcException;
import dev.boltflow.transport.testing.NettyLeaks;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each outcome of {@code sendinvoice} end to end between whole nodes over BOLT 8 on loopback: the
 * payer behind an introduction node that relays for it, the payee answering its invoice_request
 * through the RPC socket. Paid (with every field of the answer checked), invoice_error (1004) with
 * the payer's fields, timeout (1005), expired (1002) and unreachable (1003).
 */
@ExtendWith(NettyLeaks.class)
class OutcomesTest {
    private static final long AMOUNT = 123_000;

    @TempDir
    Path dir;
    private Cluster cluster;
    private Cluster.TestNode payee;
    private Cluster.TestNode intro;
    private Cluster.TestNode payer;

    @BeforeEach
    void nodes() {
        cluster = new Cluster(dir);
        payee = cluster.listening("payee");
        intro = cluster.listening("intro");
        payer = cluster.hidden("payer");
        payer.connect(intro);
        payee.knows(intro);
        payer.knows(payee);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void paid_answerCarriesThePaymentAndThePreimageOfItsHash() {
        long before = Instant.now().getEpochSecond();
        String lnr = payer.invoiceRequest(AMOUNT);

        JsonNode paid = payee.call("sendinvoice", "invreq", lnr, "label", "outcome-paid", "timeout", 30);

        assertEquals("paid", paid.get("status").asText());
        assertEquals("outcome-paid", paid.get("label").asText());
        assertEquals(1, paid.get("pay_index").asLong());
        assertEquals(1, paid.get("created_index").asLong());
        assertEquals(AMOUNT, paid.get("amount_msat").asLong());
        assertEquals(AMOUNT, paid.get("amount_received_msat").asLong());
        long paidAt = paid.get("paid_at").asLong();
        assertTrue(paidAt >= before && paidAt <= Instant.now().getEpochSecond() + 1, "paid_at " + paidAt);
        Bytes32 hash = Bytes32.fromHex(paid.get("payment_hash").asText());
        Bytes preimage = Bytes.fromHex(paid.get("payment_preimage").asText());
        assertEquals(hash, Hashes.sha256Of(preimage.toArray()), "the preimage hashes to the payment hash");
        assertTrue(paid.get("bolt12").asText().startsWith("lni1"));
        // The payer saw the same payment: it paid that hash and holds that preimage.
        Payer.Event.Paid event = assertInstanceOf(Payer.Event.Paid.class, payer.nextEvent(0));
        assertEquals(hash, event.paymentHash());
        assertEquals(preimage, event.preimage().bytes());
        // And the store agrees: listinvoices and waitinvoice answer the same invoice, paid.
        JsonNode listed = payee.call("listinvoices", "label", "outcome-paid").get("invoices");
        assertEquals(1, listed.size());
        assertEquals(paid, listed.get(0));
        assertEquals(paid, payee.call("waitinvoice", "label", "outcome-paid"));
        assertEquals(0, payee.node.sendInvoice().pending());
    }

    @Test
    void payerRefuses_1004CarriesThePayersErroneousFieldAndMessage() {
        payer.host.policy = invoice -> Optional.of(InvoiceError.of(Bolt12Field.INVOICE_AMOUNT,
                "this payer refuses the amount"));
        String lnr = payer.invoiceRequest(AMOUNT);

        RpcException e = payee.fails("sendinvoice", "invreq", lnr, "label", "outcome-1004", "timeout", 30);

        assertEquals(SendInvoiceException.INVOICE_ERROR_RECEIVED, e.code());
        JsonNode data = e.data().orElseThrow();
        // Core Lightning's types: erroneous_field a JSON number, error a string.
        assertTrue(data.get("erroneous_field").isIntegralNumber(), data.toString());
        assertEquals(Bolt12Field.INVOICE_AMOUNT, data.get("erroneous_field").longValue());
        assertTrue(data.get("error").isTextual(), data.toString());
        assertEquals("this payer refuses the amount", data.get("error").textValue());
        assertInstanceOf(Payer.Event.Refused.class, payer.nextEvent(0));
        // Refused, not paid: the invoice stays unpaid (payable until it expires).
        assertEquals("unpaid", payee.call("listinvoices", "label", "outcome-1004")
                .get("invoices").get(0).get("status").asText());
        assertEquals(0, payee.node.sendInvoice().pending());
    }

    /**
     * Whole nodes over BOLT 8: the payer's payment of one invoice hangs (held before it leaves); an
     * invoice for another request that its policy refuses is answered all the same (1004), while the
     * first payment is still held. Before, the payer handled invoices one at a time and the refusal
     * waited behind the payment (a Core Lightning payee saw it 26 s late).
     */
    @Test
    void aRefusalIsAnsweredWhileAnotherPaymentHangs() {
        var release = payer.host.holdPayments();
        payer.host.policy = invoice -> invoice.invoiceAmount().getAsLong() == AMOUNT + 1
                ? Optional.of(InvoiceError.of(Bolt12Field.INVOICE_AMOUNT, "not this one")) : Optional.empty();
        String held = payer.invoiceRequest(AMOUNT);
        String refused = payer.invoiceRequest(AMOUNT + 1);
        var first = payee.node.sendInvoice().send(dev.boltflow.core.sendinvoice.SendInvoiceRequest.of(held, "held")
                .withTimeout(java.time.Duration.ofSeconds(60))).toFuture();
        payer.host.toPay.asFlux().next().block(java.time.Duration.ofSeconds(30)); // its payment is held now

        RpcException e = payee.fails("sendinvoice", "invreq", refused, "label", "refused", "timeout", 60);

        assertEquals(SendInvoiceException.INVOICE_ERROR_RECEIVED, e.code());
        assertTrue(!first.isDone(), "the first payment is still held");
        release.tryEmitEmpty();
        assertEquals("paid", first.join().status().wireName());
    }

    @Test
    void payerSilent_1005AfterTheShortTimeout_invoiceExpired() {
        String lnr = payer.invoiceRequest(AMOUNT);
        String invreqId = payer.call("listinvoicerequests").get("invoicerequests").get(0).get("invreq_id").asText();
        payer.call("disableinvoicerequest", "invreq_id", invreqId);

        RpcException e = payee.fails("sendinvoice", "invreq", lnr, "label", "outcome-1005", "timeout", 1);

        assertEquals(SendInvoiceException.TIMEOUT, e.code());
        String invoice = e.data().orElseThrow().get("invstring").asText();
        assertTrue(invoice.startsWith("lni1"), invoice);
        JsonNode stored = payee.call("listinvoices", "label", "outcome-1005").get("invoices").get(0);
        assertEquals("expired", stored.get("status").asText());
        assertEquals(invoice, stored.get("bolt12").asText());
        RpcException late = payee.fails("waitinvoice", "label", "outcome-1005");
        assertEquals(903, late.code());
    }

    @Test
    void expiredInvoiceRequest_1002_nothingStored() {
        long past = Instant.now().getEpochSecond() - 60;
        String lnr = payer.invoiceRequest(AMOUNT, "absolute_expiry", past);

        RpcException e = payee.fails("sendinvoice", "invreq", lnr, "label", "outcome-1002");

        assertEquals(SendInvoiceException.OFFER_EXPIRED, e.code());
        assertEquals(Long.toString(past), e.data().orElseThrow().get("offer_absolute_expiry").asText());
        assertEquals(0, payee.call("listinvoices").get("invoices").size());
    }

    @Test
    void introductionNodeUnknown_1003() {
        // A payee that knows no address for the payer's introduction node and is not connected to it.
        Cluster.TestNode stranger = cluster.listening("stranger");
        String lnr = payer.invoiceRequest(AMOUNT);

        RpcException e = stranger.fails("sendinvoice", "invreq", lnr, "label", "outcome-1003", "timeout", 30);

        assertEquals(SendInvoiceException.UNREACHABLE, e.code());
        assertTrue(e.getMessage().contains(intro.id().toHex()), e.getMessage());
        assertEquals(0, stranger.node.sendInvoice().pending());
    }
}
