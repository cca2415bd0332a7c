package dev.boltflow.node.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceBuilder;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPayInfo;
import dev.boltflow.core.onion.BlindedPaymentOnion;
import dev.boltflow.core.onion.BlindedPayments;
import dev.boltflow.core.onion.EncryptedDataTlv;
import dev.boltflow.core.onion.PaymentOnionException;
import dev.boltflow.core.sendinvoice.IncomingPayment;
import dev.boltflow.core.sendinvoice.InvoicePayment;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.PaymentDecision;
import dev.boltflow.core.sendinvoice.StoredInvoice;
import dev.boltflow.core.sendinvoice.memory.InMemoryNetworkView;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.node.messaging.PeerOnionMessenger;
import dev.boltflow.node.payments.SimulatedPaymentException.Reason;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The link between two nodes over in-memory connections (their real messengers read them): the
 * payer's side against a payee whose HTLC entry point the test plays, and the payee's side fed
 * adds directly. Timeouts run on a virtual-time scheduler passed in; {@link #WAIT} only bounds a
 * broken run.
 */
class SimulatedPaymentLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long HEIGHT = 900_000;
    private static final long AMOUNT = 50_000;
    private static final Bytes PATH_ID = Bytes.fromHex("5eed");

    private final SecureRandom random = new SecureRandom();
    private final VirtualTimeScheduler timers = VirtualTimeScheduler.create();
    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
        timers.dispose();
    }

    /** A node: key, in-memory peers, network view, messenger, link. */
    final class Node {
        final PrivateKey key = PrivateKey.random(random);
        final MemoryPeers peers = new MemoryPeers(key.publicKey());
        final InMemoryNetworkView view = new InMemoryNetworkView();
        final List<IncomingPayment> received = new CopyOnWriteArrayList<>();
        Function<IncomingPayment, Mono<PaymentDecision>> decide = p -> Mono.just(
                new PaymentDecision.Reject(PaymentDecision.Reason.UNKNOWN_INVOICE, "no invoice"));
        PeerOnionMessenger messenger;
        SimulatedPaymentLink link;

        PublicKey id() {
            return key.publicKey();
        }

        /** Starts the messenger and the link; connections made before are read. */
        Node start(Scheduler cpu) {
            messenger = new PeerOnionMessenger(peers, key, view, true, cpu, random);
            cleanup.add(messenger::dispose);
            link = new SimulatedPaymentLink(peers, messenger, key, view, p -> {
                received.add(p);
                return decide.apply(p);
            }, () -> HEIGHT, new SimulatedPaymentLink.Config(TIMEOUT, 18), timers, cpu, random);
            cleanup.add(link::dispose);
            return this;
        }
    }

    /** A path to {@code payee} (through {@code relays}) whose final hop carries {@link #PATH_ID}. */
    private BlindedPayments.PaymentPath path(Node payee, List<BlindedPayments.IntermediateHop> relays) {
        return BlindedPayments.create(relays, new BlindedPayments.Recipient(payee.id(), PATH_ID, 1, Long.MAX_VALUE, 18,
                HEIGHT + 2016), random);
    }

    /** A signed invoice of {@code payee} for {@code hash} over {@code paths}. */
    private Invoice invoice(Node payee, Bytes32 hash, List<BlindedPayments.PaymentPath> paths) {
        InvoiceRequest request = InvoiceRequest.decode(TlvStream.sorted(List.of(
                new TlvRecord(Bolt12Field.INVREQ_METADATA, Bytes32.random(random).bytes()),
                new TlvRecord(Bolt12Field.OFFER_DESCRIPTION, Bytes.wrap("test".getBytes())),
                new TlvRecord(Bolt12Field.INVREQ_AMOUNT, new ByteWriter().truncated(AMOUNT).toBytes()),
                new TlvRecord(Bolt12Field.INVREQ_PAYER_ID, PrivateKey.random(random).publicKey().bytes()))).encode());
        return InvoiceBuilder.forRequest(request).createdAt(1_800_000_000L).paymentHash(hash).amountMsat(AMOUNT)
                .nodeId(payee.id()).paths(paths).build().sign(payee.key, random);
    }

    /** A payee decision that settles when the blinded data is its own and the amount is right. */
    private static Function<IncomingPayment, Mono<PaymentDecision>> settlesWith(Node payee, PaymentPreimage preimage) {
        return p -> {
            BlindedPayments.ReceivedPayment data = BlindedPayments.decryptRecipientData(payee.key, p.pathKey(),
                    p.encryptedRecipientData());
            if (!data.pathId().equals(Optional.of(PATH_ID))) {
                return Mono.just(new PaymentDecision.Reject(PaymentDecision.Reason.WRONG_PATH_ID, "not ours"));
            }
            if (p.amountMsat() < AMOUNT) {
                return Mono.just(new PaymentDecision.Reject(PaymentDecision.Reason.WRONG_AMOUNT,
                        p.amountMsat() + " msat for an invoice of " + AMOUNT + " msat"));
            }
            return Mono.just(new PaymentDecision.Settle(new StoredInvoice("l", Optional.empty(), p.paymentHash(),
                    InvoiceStatus.PAID, 1, OptionalLong.of(1), 2_000_000_000L, AMOUNT, "lni1", Optional.empty(),
                    Optional.empty(), Optional.of(new InvoicePayment(1, p.amountMsat(), 1_800_000_001L)), preimage)));
        };
    }

    private Node[] connectedPair() {
        Node payer = new Node();
        Node payee = new Node();
        MemoryPeers.pair(payer.peers, payee.peers);
        payer.start(Schedulers.parallel());
        payee.start(Schedulers.parallel());
        return new Node[] {payer, payee};
    }

    @Test
    void pay_payeeSettles_completesWithThePreimage_andThePayeeGotTheBlindedHop() {
        Node[] n = connectedPair();
        PaymentPreimage preimage = PaymentPreimage.random(random);
        n[1].decide = settlesWith(n[1], preimage);
        BlindedPayments.PaymentPath path = path(n[1], List.of());
        Invoice invoice = invoice(n[1], preimage.paymentHash(), List.of(path));

        Bytes32 got = n[0].link.pay(invoice).block(WAIT);

        assertEquals(preimage.reveal(), got);
        IncomingPayment htlc = n[1].received.get(0);
        assertEquals(preimage.paymentHash(), htlc.paymentHash());
        assertEquals(AMOUNT, htlc.amountMsat());
        assertEquals(HEIGHT + 18, htlc.cltvExpiry());
        assertEquals(path.path().firstPathKey(), htlc.pathKey());
        assertEquals(path.path().hops().get(0).encryptedRecipientData(), htlc.encryptedRecipientData());
        assertEquals(0, n[0].link.pendingPayments());
    }

    @Test
    void pay_payeeRejects_failsRefusedWithItsReasonAndTheDetailsCode() {
        Node[] n = connectedPair();
        n[1].decide = p -> Mono.just(new PaymentDecision.Reject(PaymentDecision.Reason.ALREADY_PAID, "already paid"));
        Invoice invoice = invoice(n[1], Bytes32.random(random), List.of(path(n[1], List.of())));

        SimulatedPaymentException e = failure(n[0].link.pay(invoice));

        assertEquals(Reason.REFUSED, e.reason());
        assertEquals(PaymentOnionException.INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS, e.failureCode().getAsInt());
        assertTrue(e.getMessage().contains("ALREADY_PAID: already paid"), e.getMessage());
        assertEquals(0, n[0].link.pendingPayments());
    }

    @Test
    void pay_fulfilledWithAnotherPreimage_failsBadPreimage() {
        Node[] n = connectedPair();
        n[1].decide = settlesWith(n[1], PaymentPreimage.random(random));
        Invoice invoice = invoice(n[1], Bytes32.random(random), List.of(path(n[1], List.of())));

        assertEquals(Reason.BAD_PREIMAGE, failure(n[0].link.pay(invoice)).reason());
    }

    /** A started payer whose connection to the payee (the path's introduction node) never answers. */
    private record SilentPayee(Node payer, MemoryPeers.Connection silent, Invoice invoice) {
    }

    private SilentPayee silentPayee() {
        Node payer = new Node();
        Node payee = new Node();
        MemoryPeers.Connection silent = payer.peers.silentTo(payee.id());
        payer.start(Schedulers.immediate());
        return new SilentPayee(payer, silent, invoice(payee, Bytes32.random(random), List.of(path(payee, List.of()))));
    }

    @Test
    void pay_aSilentIntroductionNode_timesOutOnTheInjectedScheduler_notBefore() {
        SilentPayee t = silentPayee();
        Node payer = t.payer();
        Invoice invoice = t.invoice();

        StepVerifier.create(payer.link.pay(invoice))
                .expectSubscription()
                .then(() -> timers.advanceTimeBy(TIMEOUT.minusMillis(1)))
                .expectNoEvent(Duration.ZERO)
                .then(() -> timers.advanceTimeBy(Duration.ofMillis(1)))
                .expectErrorSatisfies(e -> assertEquals(Reason.TIMEOUT, ((SimulatedPaymentException) e).reason()))
                .verify(WAIT);
        LinkMessage.Add add = (LinkMessage.Add) LinkMessage.fromWire(t.silent().sent.get(0)).orElseThrow();
        assertEquals(invoice.invoicePaymentHash().orElseThrow(), add.paymentHash());
        assertEquals(BlindedPaymentOnion.PACKET_LENGTH, add.onion().length());
        assertEquals(Optional.empty(), add.pathKey());
        assertEquals(0, payer.link.pendingPayments());
    }

    /**
     * A peer that does not run the link (Core Lightning, say: it ignores message 32769) does not set
     * the link's init bit: the payment fails at once, naming the missing support, and nothing is sent.
     */
    @Test
    void pay_anIntroductionNodeWithoutTheLinksFeatureBit_failsAtOnceAndSendsNothing() {
        SilentPayee t = silentPayee();
        t.silent().remoteFeatures = Features.of(Features.ONION_MESSAGES_OPT);

        StepVerifier.create(t.payer().link.pay(t.invoice()))
                .expectErrorSatisfies(e -> {
                    SimulatedPaymentException s = (SimulatedPaymentException) e;
                    assertEquals(Reason.UNSUPPORTED_PEER, s.reason());
                    assertTrue(s.getMessage().contains("does not run boltflow's simulated payment link (no init feature"
                            + " bit 261)"), s.getMessage());
                })
                .verify(WAIT);
        assertEquals(List.of(), t.silent().sent);
        assertEquals(0, t.payer().link.pendingPayments());
        assertEquals(0, timers.now(java.util.concurrent.TimeUnit.NANOSECONDS), "no time passed");
    }

    @Test
    void pay_theConnectionClosesBeforeAnAnswer_failsDisconnectedAtOnce() {
        SilentPayee t = silentPayee();
        Node payer = t.payer();

        StepVerifier.create(payer.link.pay(t.invoice()))
                .expectSubscription()
                .then(() -> assertEquals(1, payer.link.pendingPayments()))
                .expectNoEvent(Duration.ZERO)
                .then(t.silent()::closeNow)
                .expectErrorSatisfies(e -> assertEquals(Reason.DISCONNECTED, ((SimulatedPaymentException) e).reason()))
                .verify(WAIT);
        assertEquals(0, payer.link.pendingPayments());
    }

    @Test
    void answersFromAnotherPeer_orForUnknownIds_areIgnored() {
        Node payer = new Node();
        Node payee = new Node();
        Node stranger = new Node();
        MemoryPeers.Connection toPayee = payer.peers.silentTo(payee.id());
        MemoryPeers.Connection fromStranger = MemoryPeers.pair(stranger.peers, payer.peers);
        payer.start(Schedulers.immediate());
        PaymentPreimage preimage = PaymentPreimage.random(random);
        Invoice invoice = invoice(payee, preimage.paymentHash(), List.of(path(payee, List.of())));

        StepVerifier.create(payer.link.pay(invoice))
                .expectSubscription()
                .then(() -> {
                    long id = ((LinkMessage.Add) LinkMessage.fromWire(toPayee.sent.get(0)).orElseThrow()).id();
                    // The right preimage, but from a node we did not send the HTLC to: ignored.
                    fromStranger.send(new LinkMessage.Fulfill(id, preimage.reveal()).toWire()).block();
                    fromStranger.send(new LinkMessage.Fail(id, 1, "no").toWire()).block();
                    timers.advanceTimeBy(TIMEOUT);
                })
                .expectErrorSatisfies(e -> assertEquals(Reason.TIMEOUT, ((SimulatedPaymentException) e).reason()))
                .verify(WAIT);
    }

    @Test
    void pay_noConnectionAndNoAddress_isUnreachable() {
        Node payer = new Node().start(Schedulers.immediate());
        Node payee = new Node();
        Invoice invoice = invoice(payee, Bytes32.random(random), List.of(path(payee, List.of())));

        assertEquals(Reason.UNREACHABLE, failure(payer.link.pay(invoice)).reason());
        assertEquals(0, payer.link.pendingPayments());
    }

    @Test
    void pay_anInvoiceOfOurOwn_isUnsupported_andAnUnusablePathIsNoUsablePath() {
        Node payer = new Node().start(Schedulers.immediate());
        assertEquals(Reason.UNSUPPORTED_PATH, failure(payer.link.pay(invoice(payer, Bytes32.random(random),
                List.of(path(payer, List.of()))))).reason());

        Node payee = new Node();
        BlindedPayments.PaymentPath p = path(payee, List.of());
        BlindedPayments.PaymentPath tooSmall = new BlindedPayments.PaymentPath(p.path(),
                new BlindedPayInfo(0, 0, 18, 1, AMOUNT - 1, Features.EMPTY));
        SimulatedPaymentException e = failure(payer.link.pay(invoice(payee, Bytes32.random(random), List.of(tooSmall))));
        assertEquals(Reason.NO_USABLE_PATH, e.reason());
        assertTrue(e.getMessage().contains("path 0"), e.getMessage());
    }

    @Test
    void disabled_refusesEveryPaymentSayingHowToEnable() {
        SimulatedPaymentException e = assertThrows(SimulatedPaymentException.class,
                () -> SimulatedPaymentLink.disabled().pay(invoice(new Node(), Bytes32.random(random),
                        List.of(path(new Node(), List.of())))).block(WAIT));
        assertEquals(Reason.DISABLED, e.reason());
        assertTrue(e.getMessage().contains("--simulated-payments"));
    }

    @Test
    void dispose_failsWaitingPayments() {
        Node payer = new Node();
        Node payee = new Node();
        payer.peers.silentTo(payee.id());
        payer.start(Schedulers.immediate());
        Invoice invoice = invoice(payee, Bytes32.random(random), List.of(path(payee, List.of())));

        StepVerifier.create(payer.link.pay(invoice))
                .expectSubscription()
                .then(payer.link::dispose)
                .expectErrorSatisfies(e -> assertEquals(Reason.DISPOSED, ((SimulatedPaymentException) e).reason()))
                .verify(WAIT);
    }

    // ------------------------------------------------------------------ the payee's side, fed adds directly

    /** The payee's answer to {@code add}: the next message its end of the connection sends. */
    private LinkMessage answer(Node payee, MemoryPeers.Connection fromPayer, LinkMessage.Add add) {
        MemoryPeers.Connection back = fromPayer.partner;
        int before = back.sent.size();
        fromPayer.send(add.toWire()).block(WAIT);
        return back.sentMessages().skip(before).next().map(m -> LinkMessage.fromWire(m).orElseThrow()).block(WAIT);
    }

    private LinkMessage.Add add(Node payee, Bytes32 hash, Bytes32 adHash, long amount, long cltv, boolean tamper,
            List<BlindedPayments.IntermediateHop> relays) {
        BlindedPayments.PaymentPath p = path(payee, relays);
        BlindedPaymentOnion.Outgoing out = BlindedPaymentOnion.create(PrivateKey.random(random), p.path(), p.info(),
                AMOUNT, HEIGHT, adHash);
        byte[] onion = out.packet().toArray();
        if (tamper) {
            onion[500] ^= 0x40;
        }
        return new LinkMessage.Add(42, hash, amount, cltv, Bytes.wrap(onion), Optional.empty());
    }

    @Test
    void payee_tamperedOnion_orOtherPaymentHash_failsWithTheOnionCode_beforeThePayeeSeesIt() {
        Node payer = new Node();
        Node payee = new Node();
        MemoryPeers.Connection c = MemoryPeers.pair(payer.peers, payee.peers);
        payee.start(Schedulers.parallel());
        Bytes32 hash = Bytes32.random(random);

        LinkMessage.Fail tampered = assertInstanceOf(LinkMessage.Fail.class,
                answer(payee, c, add(payee, hash, hash, AMOUNT, HEIGHT + 18, true, List.of())));
        assertEquals(42, tampered.id());
        assertEquals(PaymentOnionException.INVALID_ONION_HMAC, tampered.failureCode());
        assertTrue(tampered.reason().startsWith("BAD_HMAC"), tampered.reason());

        LinkMessage.Fail otherHash = assertInstanceOf(LinkMessage.Fail.class,
                answer(payee, c, add(payee, hash, Bytes32.random(random), AMOUNT, HEIGHT + 18, false, List.of())));
        assertEquals(PaymentOnionException.INVALID_ONION_HMAC, otherHash.failureCode());
        assertEquals(List.of(), payee.received);
    }

    @Test
    void payee_htlcBelowTheOnionsAmount_failsFinalAmount_belowTheInvoice_failsWithThePayeesReason() {
        Node payer = new Node();
        Node payee = new Node();
        MemoryPeers.Connection c = MemoryPeers.pair(payer.peers, payee.peers);
        payee.start(Schedulers.parallel());
        payee.decide = settlesWith(payee, PaymentPreimage.random(random));
        Bytes32 hash = Bytes32.random(random);

        LinkMessage.Fail belowOnion = assertInstanceOf(LinkMessage.Fail.class,
                answer(payee, c, add(payee, hash, hash, AMOUNT - 1, HEIGHT + 18, false, List.of())));
        assertEquals(PaymentOnionException.FINAL_INCORRECT_HTLC_AMOUNT, belowOnion.failureCode());

        // An onion for less than the invoice, with an HTLC to match: the onion is fine, the payee refuses.
        BlindedPayments.PaymentPath p = path(payee, List.of());
        BlindedPaymentOnion.Outgoing out = BlindedPaymentOnion.create(PrivateKey.random(random), p.path(), p.info(),
                AMOUNT - 10_000, HEIGHT, hash);
        LinkMessage.Fail belowInvoice = assertInstanceOf(LinkMessage.Fail.class, answer(payee, c,
                new LinkMessage.Add(43, hash, out.amountMsat(), out.cltvExpiry(), out.packet(), Optional.empty())));
        assertEquals(43, belowInvoice.id());
        assertEquals(PaymentOnionException.INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS, belowInvoice.failureCode());
        assertTrue(belowInvoice.reason().startsWith("WRONG_AMOUNT: 40000 msat for an invoice of 50000 msat"),
                belowInvoice.reason());
    }

    @Test
    void introductionNodeAskedToForward_failsSayingTheLinkDoesNotForward() {
        Node payer = new Node();
        Node intro = new Node();
        MemoryPeers.Connection c = MemoryPeers.pair(payer.peers, intro.peers);
        intro.start(Schedulers.parallel());
        Node payee = new Node();
        Bytes32 hash = Bytes32.random(random);
        LinkMessage.Add add = add(payee, hash, hash, AMOUNT + 1_000, HEIGHT + 58, false,
                List.of(new BlindedPayments.IntermediateHop(intro.id(), 0x0000010000020003L,
                        new EncryptedDataTlv.PaymentRelay(40, 0, 1_000), 1, Long.MAX_VALUE)));

        LinkMessage.Fail fail = assertInstanceOf(LinkMessage.Fail.class, answer(intro, c, add));

        assertEquals(PaymentOnionException.INVALID_ONION_BLINDING, fail.failureCode());
        assertTrue(fail.reason().startsWith("FORWARD_UNSUPPORTED"), fail.reason());
    }

    @Test
    void payee_malformedLinkMessages_areIgnored_andTheNextAddIsStillAnswered() {
        Node payer = new Node();
        Node payee = new Node();
        MemoryPeers.Connection c = MemoryPeers.pair(payer.peers, payee.peers);
        payee.start(Schedulers.parallel());
        c.send(new WireMessage.Unknown(LinkMessage.ADD_TYPE, Bytes.fromHex("00"))).block(WAIT);
        Bytes32 hash = Bytes32.random(random);

        assertInstanceOf(LinkMessage.Fail.class, answer(payee, c, add(payee, hash, hash, AMOUNT, HEIGHT + 18, true,
                List.of())));
    }

    private static SimulatedPaymentException failure(Mono<?> payment) {
        return assertThrows(SimulatedPaymentException.class, () -> payment.block(WAIT));
    }
}
