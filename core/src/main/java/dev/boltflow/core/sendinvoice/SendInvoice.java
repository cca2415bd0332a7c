package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.crypto.Secp256k1Providers;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceBuilder;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bolt12.UnsignedInvoice;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayments;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The sendinvoice use case: an {@code invoice_request} in, a signed and stored invoice sent as an
 * onion message, and one {@link Mono} that resolves on the first of the payment, an
 * {@code invoice_error} on our reply path, or the invoice's expiry.
 *
 * <p>Steps: check the parameters and the request (-32602 / 1002) → reach the first reachable
 * destination (1003 when none: nothing is stored) → build and sign, dated now → store under the
 * unique label (900) → send with a {@code reply_path} → wait (paid, 1004, 1005). The waiter is
 * registered before the message is written, because a reply can beat the write's completion.
 * Correlation is a hash lookup by payment hash (payments) and by reply {@code path_id} (errors);
 * both ids are HMACs under the node key, recognised without storage.
 *
 * <p><b>Timing.</b> A connection that must be dialled is dialled before the invoice is written, so
 * the time spent dialling comes out of neither the wait nor the invoice's life: the invoice is dated
 * when it is sent, its {@code invoice_relative_expiry} is the timeout (shortened to
 * {@code offer_absolute_expiry}), and the wait starts once the invoice is handed to the first hop
 * (as Core Lightning starts its timer) and ends when the invoice expires, the moment no payment can
 * be accepted any more. Half-way there the invoice is sent once more, over the next path.
 *
 * <p>The outcome always agrees with the store: at the end this invoice (and only this one) is
 * expired in the store, atomically against {@code markPaid}, so a payment racing the timer either
 * wins (the Mono reports it paid) or is refused; and a payment accepted after the Mono stopped
 * waiting still marks the invoice paid — money received is never lost.
 *
 * <p>Threads: CPU work (verifying, signing, blinding, HMACs) runs on {@code work}, and every answer
 * from the store or the messenger is handed back there before more work is done on it.
 */
public final class SendInvoice implements Disposable {
    private static final System.Logger LOG = System.getLogger(SendInvoice.class.getName());
    private static final byte[] PAYMENT_CONTEXT = "boltflow/payment/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY_CONTEXT = "boltflow/reply/".getBytes(StandardCharsets.US_ASCII);

    private final SendInvoiceConfig config;
    private final InvoiceStore store;
    private final OnionMessenger messenger;
    private final NodeSigner signer;
    private final BlockHeight blockHeight;
    private final Clock clock;
    private final Scheduler timers;
    private final Scheduler work;
    private final SecureRandom random;
    private final SendInvoiceMetrics metrics;

    private final ConcurrentHashMap<Bytes32, Waiter> byPaymentHash = new ConcurrentHashMap<>();
    /**
     * Keyed by SHA256(path_id), never by the path_id itself: a lookup compares keys with a
     * non-constant-time {@code equals}, and a peer probing with guessed path_ids must learn nothing
     * about ours from how long the miss took. The match is then confirmed in constant time.
     */
    private final ConcurrentHashMap<Bytes32, Waiter> byReplyPathId = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Disposable inbound;
    private volatile boolean disposed;

    /**
     * @param clock  the time invoices are dated and expired by; it must agree with {@code timers}
     * @param timers where the timeout and the resend are scheduled (a virtual-time scheduler in tests)
     * @param work   where validation, building and signing run (CPU work, off the caller's thread)
     */
    public SendInvoice(SendInvoiceConfig config, InvoiceStore store, OnionMessenger messenger, NodeSigner signer,
            BlockHeight blockHeight, Clock clock, Scheduler timers, Scheduler work, SecureRandom random) {
        this(config, store, messenger, signer, blockHeight, clock, timers, work, random, SendInvoiceMetrics.NONE);
    }

    /** As above, reporting every send, outcome and payment to {@code metrics}. */
    public SendInvoice(SendInvoiceConfig config, InvoiceStore store, OnionMessenger messenger, NodeSigner signer,
            BlockHeight blockHeight, Clock clock, Scheduler timers, Scheduler work, SecureRandom random,
            SendInvoiceMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.messenger = Objects.requireNonNull(messenger, "messenger");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.blockHeight = Objects.requireNonNull(blockHeight, "blockHeight");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.work = Objects.requireNonNull(work, "work");
        this.random = Objects.requireNonNull(random, "random");
        // The secp256k1 provider is picked (its native library loaded) here, where the caller builds
        // the service, not on the work scheduler by the first send.
        Secp256k1Providers.current();
        this.inbound = InboundStreams.guarded(messenger::inbound, this::onInbound, timers, LOG, "invoice_error replies");
    }

    /** Sends that are waiting for an outcome now. */
    public int pending() {
        return pending.get();
    }

    /** Waiters registered now (the same as {@link #pending()} once every send has settled). */
    public int waiters() {
        return byPaymentHash.size();
    }

    /**
     * sendinvoice. Emits once: the paid invoice; or fails with a {@link SendInvoiceException} (900,
     * 1002, 1003, 1004, 1005, -32602, or -1). Cancelling removes the waiter; the stored invoice stays
     * payable until it expires.
     */
    public Mono<SendInvoiceResult> send(SendInvoiceRequest request) {
        Objects.requireNonNull(request, "request");
        return Mono.defer(() -> {
            metrics.started();
            long startedAt = timers.now(TimeUnit.NANOSECONDS);
            return sendNow(request)
                    .doOnSuccess(r -> metrics.outcome("paid", timers.now(TimeUnit.NANOSECONDS) - startedAt))
                    .doOnError(e -> metrics.outcome(e instanceof SendInvoiceException s ? String.valueOf(s.code()) : "-1",
                            timers.now(TimeUnit.NANOSECONDS) - startedAt))
                    .doOnCancel(() -> metrics.outcome("cancelled", timers.now(TimeUnit.NANOSECONDS) - startedAt));
        });
    }

    private Mono<SendInvoiceResult> sendNow(SendInvoiceRequest request) {
        return Mono.defer(() -> {
            if (disposed) {
                return Mono.error(stopped());
            }
            if (pending.incrementAndGet() > config.maxPending()) {
                pending.decrementAndGet();
                return Mono.error(SendInvoiceException.other(
                        "too many pending sendinvoice calls (limit " + config.maxPending() + ")", null));
            }
            return Mono.fromCallable(() -> check(request))
                    .subscribeOn(work)
                    .flatMap(checked -> firstReachable(checked.destinations)
                            .publishOn(work)
                            .map(first -> prepare(checked, request, first)))
                    .flatMap(p -> store.create(p.newInvoice)
                            .onErrorMap(DuplicateLabelException.class,
                                    e -> SendInvoiceException.duplicateLabel(((DuplicateLabelException) e).existing()))
                            .publishOn(work)
                            .flatMap(stored -> await(p, stored)))
                    .onErrorMap(e -> !(e instanceof SendInvoiceException),
                            e -> SendInvoiceException.other(String.valueOf(e.getMessage()), e))
                    .doFinally(s -> pending.decrementAndGet());
        });
    }

    /** A request that passed every check, and where its invoice goes. */
    private static final class Checked {
        final InvoiceRequestValidator.Accepted accepted;
        final List<OnionMessages.Destination> destinations;

        Checked(InvoiceRequestValidator.Accepted accepted, List<OnionMessages.Destination> destinations) {
            this.accepted = accepted;
            this.destinations = destinations;
        }
    }

    /** What {@link #send} prepares before anything is stored or sent. */
    private static final class Prepared {
        final Invoice invoice;
        final NewInvoice newInvoice;
        final List<OnionMessages.Destination> destinations;
        /** The first destination found reachable: delivery starts there. */
        final int firstReachable;

        Prepared(Invoice invoice, NewInvoice newInvoice, List<OnionMessages.Destination> destinations,
                int firstReachable) {
            this.invoice = invoice;
            this.newInvoice = newInvoice;
            this.destinations = destinations;
            this.firstReachable = firstReachable;
        }
    }

    private Checked check(SendInvoiceRequest request) {
        InvoiceRequestValidator.Accepted accepted = InvoiceRequestValidator.validate(request, config.chain(),
                clock.instant().getEpochSecond());
        return new Checked(accepted, destinations(accepted.invoiceRequest()));
    }

    /**
     * The index of the first destination the messenger can reach (dialling it if it must); none is
     * 1003 and nothing is stored. Core Lightning tries the invreq_paths in order.
     */
    private Mono<Integer> firstReachable(List<OnionMessages.Destination> destinations) {
        List<Throwable> failures = new ArrayList<>();
        return Flux.range(0, destinations.size())
                .concatMap(i -> messenger.reach(destinations.get(i))
                        .thenReturn(i)
                        .onErrorResume(OnionMessengerException.class, e -> {
                            synchronized (failures) {
                                failures.add(e);
                            }
                            return Mono.empty();
                        }))
                .next()
                .switchIfEmpty(Mono.error(() -> unreachable(destinations.size(), failures)));
    }

    private Prepared prepare(Checked checked, SendInvoiceRequest request, int firstReachable) {
        long now = clock.instant().getEpochSecond();
        InvoiceRequest invreq = checked.accepted.invoiceRequest();
        // Dated now, after any dial; the request may have expired meanwhile (1002).
        long relativeExpiry = InvoiceRequestValidator.relativeExpiryAt(invreq, request.timeoutSeconds(), now);
        long amount = checked.accepted.amountMsat();
        PaymentPreimage preimage = PaymentPreimage.random(random);
        Bytes32 hash = preimage.paymentHash();
        BlindedPayments.PaymentPath path = signer.paymentPath(config.paymentPathHops(),
                new BlindedPayments.Recipient(signer.nodeId(), signer.pathId(paymentContext(hash)).bytes(),
                        config.htlcMinimumMsat(), config.htlcMaximumFor(amount), config.minFinalCltvExpiryDelta(),
                        blockHeight.current() + config.paymentPathCltvExpiry()));
        UnsignedInvoice unsigned = InvoiceBuilder.forRequest(invreq)
                .createdAt(now)
                .relativeExpiry(relativeExpiry)
                .paymentHash(hash)
                .amountMsat(amount)
                .features(config.invoiceFeatures())
                .nodeId(signer.nodeId())
                .paths(List.of(path))
                .build();
        Invoice invoice = signer.sign(unsigned);
        NewInvoice newInvoice = new NewInvoice(request.label(), invreq.offerDescription(), preimage,
                unsigned.expiresAt(), amount, invoice.encode(), Optional.empty(), invreq.invreqPayerNote());
        return new Prepared(invoice, newInvoice, checked.destinations, firstReachable);
    }

    /** BOLT 12: "MUST use invreq_paths if present, otherwise MUST use invreq_payer_id as the node id". */
    private static List<OnionMessages.Destination> destinations(InvoiceRequest invreq) {
        List<OnionMessages.Destination> out = new ArrayList<>();
        Optional<List<BlindedPath>> paths = invreq.invreqPaths();
        if (paths.isPresent() && !paths.get().isEmpty()) {
            for (BlindedPath p : paths.get()) {
                out.add(new OnionMessages.Destination.Path(p));
            }
        } else {
            out.add(new OnionMessages.Destination.Node(invreq.invreqPayerId().orElseThrow(), Optional.empty()));
        }
        return List.copyOf(out);
    }

    /** One send waiting for its outcome. */
    private static final class Waiter {
        final StoredInvoice stored;
        final Bytes32 replyPathId;
        final OnionMessagePayload payload;
        final List<OnionMessages.Destination> destinations;
        final Sinks.One<SendInvoiceResult> outcome = Sinks.one();
        /** Index of the last destination the invoice was handed to. */
        volatile int lastUsed = -1;

        Waiter(StoredInvoice stored, Bytes replyPathId, OnionMessagePayload payload,
                List<OnionMessages.Destination> destinations) {
            this.stored = stored;
            this.replyPathId = lookupKey(replyPathId);
            this.payload = payload;
            this.destinations = destinations;
        }
    }

    private Mono<SendInvoiceResult> await(Prepared p, StoredInvoice stored) {
        Bytes32 hash = stored.paymentHash();
        Bytes replyContext = replyContext(hash);
        BlindedPath replyPath = signer.replyPath(config.replyPathIntermediates(), replyContext);
        OnionMessagePayload payload = OnionMessagePayload.ofInvoice(p.invoice.tlvBytes()).withReplyPath(replyPath);
        Waiter w = new Waiter(stored, signer.pathId(replyContext).bytes(), payload, p.destinations);
        return Mono.defer(() -> {
            // Registered before the first write: a reply (or a payment) can beat its completion.
            byPaymentHash.put(hash, w);
            byReplyPathId.put(w.replyPathId, w);
            if (disposed) {
                // dispose() ran while this send was being prepared: it did not see this waiter.
                w.outcome.tryEmitError(stopped());
            }
            // The wait starts once the invoice is on its way (Core Lightning's timer does too).
            Mono<SendInvoiceResult> afterSending = deliver(w, p.firstReachable).then(Mono.defer(() -> untilExpiry(w)));
            return Mono.firstWithSignal(w.outcome.asMono(), afterSending);
        }).doFinally(s -> {
            byPaymentHash.remove(hash, w);
            byReplyPathId.remove(w.replyPathId, w);
        });
    }

    /**
     * Waits until the invoice expires (then no payment can be accepted: 1005 unless one just won),
     * resending half-way there if configured. Timed by {@code timers}, from the clock the invoice is
     * dated by.
     */
    private Mono<SendInvoiceResult> untilExpiry(Waiter w) {
        Duration left = Duration.ofMillis(Math.max(0, w.stored.expiresAt() * 1000 - clock.millis()));
        Mono<SendInvoiceResult> end = Mono.delay(left, timers).then(settleAtExpiry(w));
        if (!config.resendAtHalfTimeout()) {
            return end;
        }
        Mono<SendInvoiceResult> resend = Mono.delay(left.dividedBy(2), timers).then(resend(w)).then(Mono.never());
        return Mono.firstWithSignal(end, resend);
    }

    /**
     * Hands the invoice to the first {@code parallelPaths} reachable destinations from {@code start}
     * (the first one found reachable), in order (Core Lightning tries the invreq_paths in order).
     * None reachable is 1003 (the invoice stays stored, payable until it expires).
     */
    private Mono<Void> deliver(Waiter w, int start) {
        List<Throwable> failures = new ArrayList<>();
        return Flux.range(start, w.destinations.size() - start)
                .concatMap(i -> messenger.send(w.destinations.get(i), w.payload)
                        .thenReturn(i)
                        .onErrorResume(OnionMessengerException.class, e -> {
                            synchronized (failures) {
                                failures.add(e);
                            }
                            return Mono.empty();
                        }))
                .take(config.parallelPaths())
                .collectList()
                .publishOn(work)
                .flatMap(used -> {
                    if (used.isEmpty()) {
                        return Mono.error(unreachable(w.destinations.size() - start, failures));
                    }
                    w.lastUsed = used.get(used.size() - 1);
                    return Mono.empty();
                });
    }

    /**
     * BOLT 4, Onion Messages: SHOULD retry via another path when no response came. Sends once more
     * over the next reachable destination after the last one used (wrapping round, so a single path
     * is tried again). A failure here changes nothing: the expiry still decides. Reads the last
     * destination used when it runs, not when the wait is assembled.
     */
    private Mono<Void> resend(Waiter w) {
        return Mono.defer(() -> {
            int n = w.destinations.size();
            int start = w.lastUsed + 1;
            return Flux.range(0, n)
                    .map(k -> (start + k) % n)
                    .concatMap(i -> messenger.send(w.destinations.get(i), w.payload).thenReturn(i)
                            .onErrorResume(OnionMessengerException.class, e -> Mono.empty()))
                    .next()
                    .doOnNext(i -> w.lastUsed = i)
                    .then();
        });
    }

    /**
     * At the invoice's expiry, the store decides: expiring it is atomic against {@code markPaid}, so
     * either the payment already won (we report it paid) or no payment can win any more (1005). Only
     * this invoice is touched.
     */
    private Mono<SendInvoiceResult> settleAtExpiry(Waiter w) {
        return Mono.defer(() -> {
            long nowMillis = clock.millis();
            long expiresAtMillis = w.stored.expiresAt() * 1000;
            if (nowMillis < expiresAtMillis) {
                // Our timer ran ahead of the clock the invoice is dated by: wait for its expiry.
                return Mono.delay(Duration.ofMillis(expiresAtMillis - nowMillis), timers).then(settleAtExpiry(w));
            }
            return store.expire(w.stored.paymentHash(), nowMillis / 1000)
                    .publishOn(work)
                    .flatMap(current -> current.status() == InvoiceStatus.PAID
                            ? Mono.just(SendInvoiceResult.of(current))
                            : Mono.<SendInvoiceResult>empty())
                    .switchIfEmpty(Mono.error(() -> SendInvoiceException.timeout(w.stored.bolt12())));
        });
    }

    private static Bytes32 lookupKey(Bytes pathId) {
        return Hashes.sha256Of(pathId.toArray());
    }

    private void onInbound(InboundOnionMessage m) {
        Optional<Bytes> error = m.payload().invoiceError();
        if (error.isEmpty()) {
            return; // not for this use case (e.g. an invoice_request for the payer side)
        }
        if (m.pathId().isEmpty()) {
            LOG.log(Level.INFO, "ignored an invoice_error that came on no path of ours");
            return;
        }
        Waiter w = byReplyPathId.get(lookupKey(m.pathId().get()));
        if (w == null || !signer.recognise(m.pathId().get(), replyContext(w.stored.paymentHash()))) {
            LOG.log(Level.INFO, "ignored an invoice_error on a reply path we are not waiting on");
            return;
        }
        InvoiceError decoded;
        try {
            decoded = InvoiceError.decode(error.get().toArray());
        } catch (DecodeException e) {
            // The payer answered, and not with a payment: end now, as Core Lightning does
            // (invoice_error_hex), rather than wait for an expiry that can only bring 1005.
            LOG.log(Level.INFO, "an invoice_error on our reply path does not decode: {0}", e.getMessage());
            w.outcome.tryEmitError(SendInvoiceException.invoiceErrorUnparseable(error.get(), e.getMessage()));
            return;
        }
        w.outcome.tryEmitError(SendInvoiceException.invoiceErrorReceived(decoded));
    }

    /**
     * The entry point for the host node's HTLC layer: an HTLC that ends at us over one of our blinded
     * payment paths. Checks the path's data ({@code path_id} of this payment hash, constraints), the
     * invoice (exists, unpaid, unexpired, amount between {@code invoice_amount} and twice it, as Core
     * Lightning checks), then marks it paid in the store exactly once and wakes its waiter, if any.
     */
    public Mono<PaymentDecision> acceptPayment(IncomingPayment payment) {
        Objects.requireNonNull(payment, "payment");
        return Mono.defer(() -> {
            BlindedPayments.ReceivedPayment data;
            try {
                data = signer.decryptPaymentData(payment.pathKey(), payment.encryptedRecipientData());
            } catch (DecodeException e) {
                return reject(PaymentDecision.Reason.NOT_FOR_US, "encrypted_recipient_data: " + e.getMessage());
            }
            if (data.isForward()) {
                return reject(PaymentDecision.Reason.NOT_FOR_US, "the blinded data names a next hop");
            }
            Bytes32 hash = payment.paymentHash();
            if (data.pathId().isEmpty() || !signer.recognise(data.pathId().get(), paymentContext(hash))) {
                return reject(PaymentDecision.Reason.WRONG_PATH_ID, "path_id does not belong to this payment hash");
            }
            if (!data.allows(payment.amountMsat(), payment.cltvExpiry())) {
                return reject(PaymentDecision.Reason.CONSTRAINTS, "payment_constraints refuse this HTLC");
            }
            long now = clock.instant().getEpochSecond();
            return store.findByPaymentHash(hash)
                    .publishOn(work)
                    .flatMap(invoice -> settle(invoice, payment, now))
                    .switchIfEmpty(reject(PaymentDecision.Reason.UNKNOWN_INVOICE, "no invoice with this payment hash"));
        });
    }

    private Mono<PaymentDecision> settle(StoredInvoice invoice, IncomingPayment payment, long now) {
        if (invoice.status() == InvoiceStatus.PAID) {
            return reject(PaymentDecision.Reason.ALREADY_PAID, "already paid");
        }
        if (invoice.status() == InvoiceStatus.EXPIRED || invoice.isPastExpiry(now)) {
            return reject(PaymentDecision.Reason.EXPIRED, "expired at " + invoice.expiresAt());
        }
        long amount = payment.amountMsat();
        // At least invoice_amount and at most twice it (Core Lightning); written to never overflow.
        if (amount < invoice.amountMsat() || amount - invoice.amountMsat() > invoice.amountMsat()) {
            return reject(PaymentDecision.Reason.WRONG_AMOUNT,
                    amount + " msat for an invoice of " + invoice.amountMsat() + " msat");
        }
        return store.markPaid(invoice.paymentHash(), amount, now).publishOn(work).flatMap(outcome -> {
            switch (outcome.kind()) {
                case PAID: {
                    StoredInvoice paid = outcome.invoice().orElseThrow();
                    metrics.invoicePaid(paid.payment().map(InvoicePayment::amountReceivedMsat).orElse(amount));
                    Waiter w = byPaymentHash.get(paid.paymentHash());
                    if (w != null) {
                        w.outcome.tryEmitValue(SendInvoiceResult.of(paid));
                    }
                    return Mono.just(new PaymentDecision.Settle(paid));
                }
                case ALREADY_PAID:
                    return reject(PaymentDecision.Reason.ALREADY_PAID, "already paid");
                case EXPIRED:
                    return reject(PaymentDecision.Reason.EXPIRED, "expired");
                default:
                    return reject(PaymentDecision.Reason.UNKNOWN_INVOICE, "deleted");
            }
        });
    }

    private static Mono<PaymentDecision> reject(PaymentDecision.Reason reason, String detail) {
        return Mono.just(new PaymentDecision.Reject(reason, detail));
    }

    /** The context our payment path's {@code path_id} authenticates. */
    static Bytes paymentContext(Bytes32 paymentHash) {
        return Bytes.wrap(PAYMENT_CONTEXT).concat(paymentHash.bytes());
    }

    /** The context our reply path's {@code path_id} authenticates (distinct from the payment's). */
    static Bytes replyContext(Bytes32 paymentHash) {
        return Bytes.wrap(REPLY_CONTEXT).concat(paymentHash.bytes());
    }

    private static SendInvoiceException unreachable(int tried, List<Throwable> failures) {
        StringBuilder sb = new StringBuilder();
        Throwable last = null;
        synchronized (failures) {
            for (Throwable t : failures) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append(t.getMessage());
                last = t;
            }
        }
        return SendInvoiceException.unreachable("no reachable destination among " + tried + ": "
                + (sb.length() == 0 ? "none tried" : sb.toString()), last);
    }

    private static SendInvoiceException stopped() {
        return SendInvoiceException.other("sendinvoice stopped: the node is shutting down", null);
    }

    /**
     * Stops: every send still waiting fails at once with -1 (rather than at its timeout, against a
     * store that may be closed by then), and later sends are refused with -1. Stored invoices stay
     * as they are; {@link #acceptPayment} still settles a payment that arrives meanwhile.
     */
    @Override
    public void dispose() {
        disposed = true;
        inbound.dispose();
        for (Waiter w : byPaymentHash.values()) {
            w.outcome.tryEmitError(stopped());
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }
}
