package dev.boltflow.node.payments;

import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayInfo;
import dev.boltflow.core.onion.BlindedPaymentOnion;
import dev.boltflow.core.onion.OnionException;
import dev.boltflow.core.onion.PaymentOnionException;
import dev.boltflow.core.payer.PaymentSender;
import dev.boltflow.core.sendinvoice.BlockHeight;
import dev.boltflow.core.sendinvoice.IncomingPayment;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.sendinvoice.PaymentDecision;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.node.messaging.PeerMessage;
import dev.boltflow.node.messaging.PeerOnionMessenger;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.PeerManager;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A channel-less "simulated payment link" for tests and the demo (issue 7): <b>no channel, no
 * money</b>. The payer builds a real payment onion into one of the invoice's blinded paths
 * ({@link BlindedPaymentOnion}) and hands it, as an HTLC, to the path's introduction node over
 * the BOLT 8 connection in boltflow-private messages ({@link LinkMessage}: add, fulfill, fail).
 * The node at the end checks it exactly as it would a real HTLC — onion peeled with the payment
 * hash as associated data, the payload's TLVs, amounts and expiries
 * ({@link BlindedPaymentOnion#peel}), then the blinded data, {@code path_id}, amount and invoice
 * state ({@code SendInvoice.acceptPayment}) — and answers with the preimage or a fail.
 *
 * <p><b>Paths.</b> Any path is paid into; the node at the end of the onion's first layer must be
 * the recipient: a node asked to forward (a path with hops before the recipient) fails the HTLC
 * with {@code invalid_onion_blinding} and says that the simulated link does not forward.
 *
 * <p><b>Negotiated.</b> A node that runs the link says so in its {@code init}: the private, odd
 * feature bit {@value #FEATURE_BIT} ({@link #advertise}; odd, so every other implementation ignores
 * it). A payment whose first hop's connection does not carry it fails at once
 * ({@link SimulatedPaymentException.Reason#UNSUPPORTED_PEER}) instead of waiting for an answer that a
 * peer which does not speak the link (Core Lightning, say) will never send.
 *
 * <p>Both sides run in every node that enables it: {@link #pay} (the payer's
 * {@link PaymentSender}) and the answer to adds from peers. A node runs it only when explicitly
 * enabled ({@code --simulated-payments}); {@link #disabled()} is the payment sender otherwise.
 * Creating a link logs one WARN saying payments are simulated.
 *
 * <p>Reading: this link never subscribes to a connection; it reads
 * {@link PeerOnionMessenger#peerMessages()} (the messenger is every connection's one reader) and
 * dials through {@link PeerOnionMessenger#connect}. Timeouts run on the injected {@code timers}.
 */
public final class SimulatedPaymentLink implements PaymentSender, Disposable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedPaymentLink.class);
    /** Adds being answered at once; more wait in a buffer of {@value #ADD_BUFFER}, beyond which they are dropped. */
    static final int MAX_ADDS_IN_FLIGHT = 64;
    static final int ADD_BUFFER = 1024;
    /**
     * The {@code init} feature bit of the link: odd ("it's OK to be odd", BOLT 1), above every bit
     * BOLT 9 assigns, in the range others keep for custom features (256 and up).
     */
    public static final int FEATURE_BIT = 261;

    /** {@code features} with the link's bit: what a node running the link sends in its {@code init}. */
    public static Features advertise(Features features) {
        return features.with(FEATURE_BIT);
    }

    /** Whether the peer on {@code connection} said in its {@code init} that it runs the link. */
    public static boolean speaksLink(PeerConnection connection) {
        Features theirs = connection.remoteInit().combinedFeatures();
        return theirs.hasBit(FEATURE_BIT) || theirs.hasBit(FEATURE_BIT - 1);
    }

    /**
     * @param timeout                  how long a payment waits for a fulfill or fail
     * @param minFinalCltvExpiryDelta  ours as a recipient (SendInvoiceConfig's), for the final hop's expiry check
     */
    public record Config(Duration timeout, int minFinalCltvExpiryDelta) {
        public Config {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            if (minFinalCltvExpiryDelta < 0 || minFinalCltvExpiryDelta > 0xffff) {
                throw new IllegalArgumentException("minFinalCltvExpiryDelta must be a u16");
            }
        }

        /** 60 seconds, and SendInvoiceConfig's default final delta of 18 blocks. */
        public static Config defaults() {
            return new Config(Duration.ofSeconds(60), 18);
        }
    }

    private final PeerManager peers;
    private final PeerOnionMessenger messenger;
    private final PrivateKey nodeKey;
    private final PublicKey us;
    private final NetworkView network;
    private final Function<IncomingPayment, Mono<PaymentDecision>> payee;
    private final BlockHeight blockHeight;
    private final Config config;
    private final Scheduler timers;
    private final Scheduler cpu;
    private final SecureRandom random;

    private final AtomicLong nextId = new AtomicLong();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Disposable reading;
    private volatile boolean disposed;

    /** A payment of ours waiting for its answer from {@code peer}. */
    private static final class Pending {
        final PublicKey peer;
        final Bytes32 paymentHash;
        final Sinks.One<Bytes32> outcome = Sinks.one();

        Pending(PublicKey peer, Bytes32 paymentHash) {
            this.peer = peer;
            this.paymentHash = paymentHash;
        }
    }

    /**
     * Starts answering adds from peers and logs that payments are simulated.
     *
     * @param peers     the node's peer manager (to answer on the connection an add came on)
     * @param nodeKey   the node key (the payee peels onions with it)
     * @param payee     the recipient's HTLC entry point, {@code SendInvoice::acceptPayment}
     * @param timers    where payment timeouts are scheduled
     * @param cpu       where onions are built and peeled
     */
    public SimulatedPaymentLink(PeerManager peers, PeerOnionMessenger messenger, PrivateKey nodeKey, NetworkView network,
            Function<IncomingPayment, Mono<PaymentDecision>> payee, BlockHeight blockHeight, Config config,
            Scheduler timers, Scheduler cpu, SecureRandom random) {
        this.peers = Objects.requireNonNull(peers, "peers");
        this.messenger = Objects.requireNonNull(messenger, "messenger");
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.us = nodeKey.publicKey();
        if (!us.equals(messenger.nodeId()) || !us.equals(peers.nodeId())) {
            throw new IllegalArgumentException("nodeKey is not the key of the messenger's and peer manager's node");
        }
        this.network = Objects.requireNonNull(network, "network");
        this.payee = Objects.requireNonNull(payee, "payee");
        this.blockHeight = Objects.requireNonNull(blockHeight, "blockHeight");
        this.config = Objects.requireNonNull(config, "config");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
        this.random = Objects.requireNonNull(random, "random");
        log.warn("payments are SIMULATED (--simulated-payments): no channels and no money; HTLCs travel as "
                + "boltflow-private messages {}/{}/{} between peers. For tests and demos only.",
                LinkMessage.ADD_TYPE, LinkMessage.FULFILL_TYPE, LinkMessage.FAIL_TYPE);
        this.reading = messenger.peerMessages()
                .filter(m -> m.message() instanceof WireMessage.Unknown u
                        && LinkMessage.isLinkType(u.type()))
                .onBackpressureBuffer(ADD_BUFFER, m -> log.warn("dropped a payment link message from {}: {} waiting",
                        m.from(), ADD_BUFFER), BufferOverflowStrategy.DROP_LATEST)
                .flatMap(this::onMessage, MAX_ADDS_IN_FLIGHT)
                .subscribe(null, e -> log.error("payment link stopped reading: {}", e.toString()));
    }

    /** The payment sender of a node without {@code --simulated-payments}: every payment fails, saying so. */
    public static PaymentSender disabled() {
        return invoice -> Mono.error(new SimulatedPaymentException(SimulatedPaymentException.Reason.DISABLED,
                "no payment link: this node has no channels; start it with --simulated-payments to simulate payments"));
    }

    /** Payments of ours waiting for an answer now. */
    public int pendingPayments() {
        return pending.size();
    }

    // ------------------------------------------------------------------ paying

    /**
     * Pays {@code invoice} over its first usable path (BOLT 12: SHOULD prefer earlier paths): the
     * onion's final {@code outgoing_cltv_value} is the current block height; the HTLC pays the
     * path's fee and delta on top. Completes with the preimage once the introduction node fulfills
     * with one that hashes to the payment hash; fails with a {@link SimulatedPaymentException}.
     */
    @Override
    public Mono<Bytes32> pay(Invoice invoice) {
        Objects.requireNonNull(invoice, "invoice");
        return Mono.defer(() -> {
            if (disposed) {
                return Mono.<Bytes32>error(failure(SimulatedPaymentException.Reason.DISPOSED, "the payment link is disposed"));
            }
            Bytes32 hash = invoice.invoicePaymentHash().orElseThrow(
                    () -> failure(SimulatedPaymentException.Reason.NO_USABLE_PATH, "the invoice has no payment hash"));
            long amount = invoice.invoiceAmount().orElseThrow(
                    () -> failure(SimulatedPaymentException.Reason.NO_USABLE_PATH, "the invoice has no amount"));
            BlindedPaymentOnion.Route route = route(invoice, amount);
            if (route.firstNode().equals(us)) {
                return Mono.<Bytes32>error(failure(SimulatedPaymentException.Reason.UNSUPPORTED_PATH,
                        "the path's introduction node is this node; the simulated link does not pay itself"));
            }
            BlindedPaymentOnion.Outgoing out = route.onion(PrivateKey.random(random), hash);
            long id = nextId.incrementAndGet();
            Pending p = new Pending(out.firstNode(), hash);
            pending.put(id, p);
            LinkMessage.Add add = new LinkMessage.Add(id, hash, out.amountMsat(), out.cltvExpiry(), out.packet(),
                    Optional.empty());
            return reach(out.firstNode())
                    .flatMap(c -> speaksLink(c) ? Mono.just(c) : Mono.error(failure(
                            SimulatedPaymentException.Reason.UNSUPPORTED_PEER, out.firstNode() + " does not run boltflow's"
                                    + " simulated payment link (no init feature bit " + FEATURE_BIT + "): it cannot be paid"
                                    + " over it; a real payment needs channels")))
                    .flatMap(c -> c.send(add.toWire()).onErrorMap(e -> !(e instanceof SimulatedPaymentException),
                            e -> new SimulatedPaymentException(SimulatedPaymentException.Reason.SEND_FAILED,
                                    "could not send the HTLC to " + out.firstNode() + ": " + e.getMessage(),
                                    OptionalInt.empty(), e))
                            // The add exists only on this connection (nothing is persisted): once it
                            // closes, no answer can come, so the payment fails now rather than at the
                            // timeout (a payer that waits on it would stall behind a dead peer).
                            .then(Mono.firstWithSignal(p.outcome.asMono(),
                                    c.onClose().then(Mono.error(() -> failure(SimulatedPaymentException.Reason.DISCONNECTED,
                                            "the connection to " + out.firstNode() + " closed before an answer"))))))
                    .timeout(config.timeout(), timers)
                    .onErrorMap(TimeoutException.class, e -> failure(SimulatedPaymentException.Reason.TIMEOUT,
                            "no answer from " + out.firstNode() + " within " + dev.boltflow.node.config.Durations.format(config.timeout())))
                    .doFinally(s -> pending.remove(id, p));
        }).subscribeOn(cpu);
    }

    /** The first path the sender's rules accept (BlindedPaymentOnion.route refuses the others). */
    private BlindedPaymentOnion.Route route(Invoice invoice, long amount) {
        List<BlindedPath> paths = invoice.invoicePaths().orElse(List.of());
        List<BlindedPayInfo> infos = invoice.invoiceBlindedpay().orElse(List.of());
        List<String> refused = new ArrayList<>();
        long height = blockHeight.current();
        for (int i = 0; i < Math.min(paths.size(), infos.size()); i++) {
            try {
                return BlindedPaymentOnion.route(paths.get(i), infos.get(i), amount, amount, height);
            } catch (OnionException e) {
                refused.add("path " + i + ": " + e.getMessage());
            }
        }
        throw failure(SimulatedPaymentException.Reason.NO_USABLE_PATH, "no usable invoice path of " + paths.size()
                + (refused.isEmpty() ? "" : ": " + String.join("; ", refused)));
    }

    /** A live connection to {@code node}, or one dialled to its known addresses in order. */
    private Mono<PeerConnection> reach(PublicKey node) {
        Optional<PeerConnection> live = peers.connection(node).filter(PeerConnection::isActive);
        if (live.isPresent()) {
            messenger.attach(live.get());
            return Mono.just(live.get());
        }
        List<NetworkView.Address> addresses = network.node(node).map(NetworkView.NodeInfo::addresses).orElse(List.of());
        if (addresses.isEmpty()) {
            return Mono.error(failure(SimulatedPaymentException.Reason.UNREACHABLE,
                    "not connected to " + node + " and no known address"));
        }
        List<String> failures = new ArrayList<>();
        return Flux.fromIterable(addresses)
                .concatMap(a -> messenger.connect(node, InetSocketAddress.createUnresolved(a.host(), a.port()))
                        .onErrorResume(e -> {
                            synchronized (failures) {
                                failures.add(a + ": " + e.getMessage());
                            }
                            return Mono.empty();
                        }))
                .next()
                .switchIfEmpty(Mono.error(() -> failure(SimulatedPaymentException.Reason.UNREACHABLE,
                        "could not connect to " + node + ": " + failures)));
    }

    // ------------------------------------------------------------------ answering

    private Mono<Void> onMessage(PeerMessage m) {
        LinkMessage msg;
        try {
            msg = LinkMessage.fromWire(m.message()).orElseThrow();
        } catch (DecodeException e) {
            log.info("ignored a malformed payment link message from {}: {}", m.from(), e.getMessage());
            return Mono.empty();
        }
        if (msg instanceof LinkMessage.Add add) {
            return onAdd(m.from(), add);
        }
        Pending p = pending.get(msg.id());
        // Only the node we sent the HTLC to answers it, once; the entry goes before the payer hears.
        if (p == null || !p.peer.equals(m.from()) || !pending.remove(msg.id(), p)) {
            log.info("ignored an answer from {} to HTLC {} that we are not waiting for", m.from(), msg.id());
            return Mono.empty();
        }
        if (msg instanceof LinkMessage.Fulfill f) {
            // The preimage must be the payment hash's: only then is the payment proven.
            if (Bytes.wrap(Hashes.sha256(f.preimage().bytes().toArray())).constantTimeEquals(p.paymentHash.bytes())) {
                p.outcome.tryEmitValue(f.preimage());
            } else {
                p.outcome.tryEmitError(failure(SimulatedPaymentException.Reason.BAD_PREIMAGE,
                        m.from() + " fulfilled HTLC " + msg.id() + " with a preimage that is not the payment hash's"));
            }
        } else {
            LinkMessage.Fail fail = (LinkMessage.Fail) msg;
            p.outcome.tryEmitError(new SimulatedPaymentException(SimulatedPaymentException.Reason.REFUSED,
                    "payment refused by " + m.from() + " (failure 0x" + Integer.toHexString(fail.failureCode()) + "): "
                            + fail.reason(), OptionalInt.of(fail.failureCode()), null));
        }
        return Mono.empty();
    }

    /** An HTLC for us: peel, hand the final hop to the payee, answer on the connection it came on. */
    private Mono<Void> onAdd(PublicKey from, LinkMessage.Add add) {
        BlindedPaymentOnion.IncomingHtlc htlc = new BlindedPaymentOnion.IncomingHtlc(add.paymentHash(),
                add.amountMsat(), add.cltvExpiry(), add.pathKey(), add.onion());
        return Mono.fromCallable(() -> BlindedPaymentOnion.peel(nodeKey, htlc, blockHeight.current(),
                        config.minFinalCltvExpiryDelta()))
                .subscribeOn(cpu)
                .flatMap(received -> decide(add, received))
                .onErrorResume(PaymentOnionException.class, e -> Mono.just(new LinkMessage.Fail(add.id(),
                        e.failureCode(), e.reason() + ": " + e.getMessage())))
                .onErrorResume(e -> {
                    log.warn("failed to handle HTLC {} from {}", add.id(), from, e);
                    return Mono.just(new LinkMessage.Fail(add.id(),
                            PaymentOnionException.INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS, "internal error"));
                })
                .flatMap(answer -> answer(from, answer));
    }

    private Mono<LinkMessage> decide(LinkMessage.Add add, BlindedPaymentOnion.Received received) {
        if (received instanceof BlindedPaymentOnion.Received.Forward f) {
            return Mono.just(new LinkMessage.Fail(add.id(), PaymentOnionException.INVALID_ONION_BLINDING,
                    "FORWARD_UNSUPPORTED: the simulated payment link does not forward HTLCs (next hop " + f.next() + ")"));
        }
        BlindedPaymentOnion.Received.Final fin = (BlindedPaymentOnion.Received.Final) received;
        if (fin.totalAmountMsat() > fin.amtToForward()) {
            return Mono.just(new LinkMessage.Fail(add.id(), fin.rejectionCode(),
                    "MULTI_PART_UNSUPPORTED: total_amount_msat " + fin.totalAmountMsat() + " > amt_to_forward "
                            + fin.amtToForward()));
        }
        // What arrived is the HTLC's amount (at least amt_to_forward, peel checked it).
        IncomingPayment payment = new IncomingPayment(add.paymentHash(), add.amountMsat(), add.cltvExpiry(),
                fin.pathKey(), fin.encryptedRecipientData());
        return payee.apply(payment).map(d -> {
            if (d instanceof PaymentDecision.Settle s) {
                return new LinkMessage.Fulfill(add.id(), s.preimage());
            }
            PaymentDecision.Reject r = (PaymentDecision.Reject) d;
            return new LinkMessage.Fail(add.id(), fin.rejectionCode(), r.reason() + ": " + r.detail());
        });
    }

    private Mono<Void> answer(PublicKey to, LinkMessage answer) {
        Optional<PeerConnection> c = peers.connection(to).filter(PeerConnection::isActive);
        if (c.isEmpty()) {
            log.warn("cannot answer HTLC {} from {}: the connection is gone", answer.id(), to);
            return Mono.empty();
        }
        return c.get().send(answer.toWire()).onErrorResume(e -> {
            log.warn("cannot answer HTLC {} from {}: {}", answer.id(), to, e.toString());
            return Mono.empty();
        });
    }

    private static SimulatedPaymentException failure(SimulatedPaymentException.Reason reason, String message) {
        return new SimulatedPaymentException(reason, message);
    }

    // ------------------------------------------------------------------ lifecycle

    /** Stops answering adds; payments still waiting fail with {@link SimulatedPaymentException.Reason#DISPOSED}. */
    @Override
    public void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        reading.dispose();
        for (Pending p : pending.values()) {
            p.outcome.tryEmitError(failure(SimulatedPaymentException.Reason.DISPOSED, "the payment link was disposed"));
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    @Override
    public String toString() {
        return "SimulatedPaymentLink[" + us + ", " + pending.size() + " payments waiting]";
    }
}
