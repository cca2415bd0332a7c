package dev.boltflow.core.payer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.onion.BlindedPaymentOnion;
import dev.boltflow.core.payer.memory.InMemoryInvoiceRequestStore;
import dev.boltflow.core.sendinvoice.IncomingPayment;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.PaymentDecision;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import dev.boltflow.core.sendinvoice.memory.InMemoryOnionNetwork;
import dev.boltflow.core.testing.SchedulerClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Our Payer pays our SendInvoice's invoice with a real payment onion into the invoice's blinded
 * path, peeled at the payee exactly as an HTLC would be ({@link BlindedPaymentOnion}) and handed
 * to {@link SendInvoice#acceptPayment}: the in-process form of the node's simulated payment link.
 * Everything runs on the caller's thread; timers are virtual and never advanced.
 */
class OnionPaymentTest {
    private static final Instant EPOCH = Instant.ofEpochSecond(1_800_000_000L);
    private static final long BLOCK_HEIGHT = 900_000;
    private static final int MIN_FINAL = 18;
    private static final long AMOUNT = 75_000;

    private final SecureRandom random = new SecureRandom();

    final class World {
        final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        final SchedulerClock clock = new SchedulerClock(vts, EPOCH);
        final InMemoryOnionNetwork net = new InMemoryOnionNetwork(Schedulers.immediate(), random);
        final PrivateKey payeeKey = PrivateKey.random(random);
        final PrivateKey payerKey = PrivateKey.random(random);
        final InMemoryOnionNetwork.Node payeeNode = net.addNode(payeeKey, true, false);
        final InMemoryOnionNetwork.Node payerNode = net.addNode(payerKey, true, false);
        final InMemoryInvoiceStore invoices = new InMemoryInvoiceStore();
        final SendInvoice payee;
        final Payer payer;
        final List<Payer.Event> events = new CopyOnWriteArrayList<>();

        /** @param onionAmount the amount the payer's onion delivers, given the invoice's */
        World(LongUnaryOperator onionAmount) {
            payee = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.REGTEST), invoices, payeeNode,
                    new LocalNodeSigner(payeeKey, random), () -> BLOCK_HEIGHT, clock, vts, Schedulers.immediate(), random);
            payer = new Payer(ChainHashes.REGTEST, () -> List.of(), new LocalNodeSigner(payerKey, random),
                    new InMemoryInvoiceRequestStore(), payerNode, invoice -> payByOnion(invoice, onionAmount),
                    invoice -> Optional.empty(), clock, Schedulers.immediate(), random);
            payer.events().subscribe(events::add);
        }

        /** Sender: onion into the first path. Payee: peel with its node key, then acceptPayment. */
        Mono<Bytes32> payByOnion(Invoice invoice, LongUnaryOperator onionAmount) {
            return Mono.defer(() -> {
                Bytes32 hash = invoice.invoicePaymentHash().orElseThrow();
                BlindedPaymentOnion.Outgoing out = BlindedPaymentOnion.create(PrivateKey.random(random),
                        invoice.invoicePaths().orElseThrow().get(0), invoice.invoiceBlindedpay().orElseThrow().get(0),
                        onionAmount.applyAsLong(invoice.invoiceAmount().getAsLong()), BLOCK_HEIGHT, hash);
                BlindedPaymentOnion.Received.Final fin = assertInstanceOf(BlindedPaymentOnion.Received.Final.class,
                        BlindedPaymentOnion.peel(payeeKey, new BlindedPaymentOnion.IncomingHtlc(hash, out.amountMsat(),
                                out.cltvExpiry(), Optional.empty(), out.packet()), BLOCK_HEIGHT, MIN_FINAL));
                return payee.acceptPayment(new IncomingPayment(hash, out.amountMsat(), out.cltvExpiry(), fin.pathKey(),
                        fin.encryptedRecipientData()));
            }).flatMap(d -> d.settles() ? Mono.just(((PaymentDecision.Settle) d).preimage())
                    : Mono.error(new IllegalStateException(((PaymentDecision.Reject) d).reason() + ": "
                            + ((PaymentDecision.Reject) d).detail())));
        }

        OurInvoiceRequest request() {
            return payer.createInvoiceRequest(Payer.Params.of(AMOUNT, "refund")).block();
        }
    }

    @Test
    void onionForTheInvoiceAmount_settles_payerGetsTheProvenPreimage() {
        World w = new World(amount -> amount);
        OurInvoiceRequest ours = w.request();

        SendInvoiceResult result = w.payee.send(SendInvoiceRequest.of(ours.bolt12(), "paid")).block();

        assertEquals(InvoiceStatus.PAID, result.status());
        assertEquals(AMOUNT, result.amountReceivedMsat().getAsLong());
        Payer.Event.Paid paid = assertInstanceOf(Payer.Event.Paid.class, w.events.get(0));
        assertEquals(result.paymentHash(), Hashes.sha256Of(paid.preimage().toArray()));
    }

    @Test
    void onionForLessThanTheInvoice_isRefusedWithThePayeesReason_andTheInvoiceStaysUnpaid() {
        World w = new World(amount -> amount - 10_000);
        OurInvoiceRequest ours = w.request();

        CompletableFuture<SendInvoiceResult> outcome = w.payee.send(SendInvoiceRequest.of(ours.bolt12(), "short"))
                .toFuture();

        Payer.Event.PaymentFailed failed = assertInstanceOf(Payer.Event.PaymentFailed.class, w.events.get(0));
        assertTrue(failed.reason().startsWith("WRONG_AMOUNT: 65000 msat for an invoice of 75000 msat"), failed.reason());
        assertFalse(outcome.isDone(), "sendinvoice still waits for a payment");
        assertEquals(InvoiceStatus.UNPAID, w.invoices.findByLabel("short").block().status());
        outcome.cancel(true);
    }
}
