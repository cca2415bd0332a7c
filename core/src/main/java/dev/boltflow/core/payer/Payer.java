package dev.boltflow.core.payer;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bolt12.InvoiceReader;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.bytes.U64;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.InboundStreams;
import dev.boltflow.core.sendinvoice.NodeSigner;
import dev.boltflow.core.sendinvoice.OnionMessenger;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * The other side of sendinvoice: we write an invoice_request ("I want to pay you N msat"), and
 * when an invoice for it arrives on its {@code invreq_paths} we check it with every rule a reader of
 * an invoice applies (BOLT 12, Invoices) against our request, then pay it — or answer with an
 * {@code invoice_error} over its {@code reply_path} naming the field that is wrong.
 *
 * <p><b>Concurrency.</b> Invoices are checked as they arrive, up to {@link Limits#maxChecks} at
 * once: one that must be refused is answered at once, whatever payments are in flight. Payments run
 * concurrently for different requests (up to {@link Limits#maxPayments}) and one after another for
 * the same request (at most {@link Limits#maxQueuedPerRequest} waiting), so a single-use request is
 * paid at most once: the next invoice for it finds it used. What is over a limit is dropped and
 * logged; the payee sends its invoice again at half its timeout.
 *
 * <p><b>Logging.</b> Each invoice for one of our requests is logged at INFO when it is received
 * (request id, payee, amount), refused (field and reason), being paid, paid, or its payment failed
 * (reason); the last of these shows in {@code listinvoicerequests}. No preimage and no key is logged.
 */
public final class Payer implements Disposable {
    private static final System.Logger LOG = System.getLogger(Payer.class.getName());
    private static final byte[] INVREQ_CONTEXT = "boltflow/invreq/".getBytes(StandardCharsets.US_ASCII);

    /**
     * The payer's bounds.
     *
     * @param maxQueuedInvoices   invoices waiting to be checked; beyond, the newest are dropped
     * @param maxChecks           invoices checked at once
     * @param maxPayments         payments in flight (or waiting behind another for the same request)
     * @param maxQueuedPerRequest payments waiting behind the one in flight for the same request
     */
    public record Limits(int maxQueuedInvoices, int maxChecks, int maxPayments, int maxQueuedPerRequest) {
        public Limits {
            if (maxQueuedInvoices < 1 || maxChecks < 1 || maxPayments < 1 || maxQueuedPerRequest < 0) {
                throw new IllegalArgumentException("payer limits must be positive");
            }
        }

        /** 4,096 waiting, 32 checks and 256 payments at once, 4 waiting per request. */
        public static Limits defaults() {
            return new Limits(4096, 32, 256, 4);
        }
    }

    /** What {@code invoicerequest} takes (Core Lightning's parameters, amounts in msat). */
    public record Params(long amountMsat, String description, Optional<String> issuer, Optional<String> label,
            OptionalLong absoluteExpiry, boolean singleUse, boolean signed) {
        public Params {
            if (amountMsat <= 0) {
                throw new IllegalArgumentException("amount must be positive");
            }
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(absoluteExpiry, "absoluteExpiry");
        }

        /** Single use and signed, as Core Lightning's defaults are. */
        public static Params of(long amountMsat, String description) {
            return new Params(amountMsat, description, Optional.empty(), Optional.empty(), OptionalLong.empty(), true, true);
        }

        public Params unsigned() {
            return new Params(amountMsat, description, issuer, label, absoluteExpiry, singleUse, false);
        }

        public Params withLabel(String l) {
            return new Params(amountMsat, description, issuer, Optional.of(l), absoluteExpiry, singleUse, signed);
        }

        public Params withAbsoluteExpiry(long t) {
            return new Params(amountMsat, description, issuer, label, OptionalLong.of(t), singleUse, signed);
        }

        public Params multiUse() {
            return new Params(amountMsat, description, issuer, label, absoluteExpiry, false, signed);
        }
    }

    /** What happened to an invoice that arrived for one of our requests. */
    public sealed interface Event {
        Bytes32 invreqId();

        /** We paid it; {@code preimage} proves it. */
        record Paid(Bytes32 invreqId, Bytes32 paymentHash, Bytes32 preimage, long amountMsat) implements Event {
            /** Never shows the preimage. */
            @Override
            public String toString() {
                return "Paid[invreqId=" + invreqId + ", paymentHash=" + paymentHash + ", preimage=<redacted>, amountMsat="
                        + amountMsat + "]";
            }
        }

        /** It broke a rule (or our policy): we answered with this invoice_error. */
        record Refused(Bytes32 invreqId, InvoiceError error) implements Event {
        }

        /** It was acceptable but paying it failed. */
        record PaymentFailed(Bytes32 invreqId, Bytes32 paymentHash, String reason) implements Event {
        }
    }

    private final Bytes32 chain;
    private final PayerMetrics metrics;
    private final Supplier<List<PublicKey>> pathIntermediates;
    private final NodeSigner signer;
    private final InvoiceRequestStore store;
    private final OnionMessenger messenger;
    private final PaymentSender payments;
    private final Function<Invoice, Optional<InvoiceError>> policy;
    private final Clock clock;
    private final Scheduler work;
    private final SecureRandom random;
    private final Limits limits;
    /** Payment hashes being handled now: a resent copy of one of them is ignored. */
    private final Set<Bytes32> inFlight = ConcurrentHashMap.newKeySet();
    /** Per request, the last payment queued: the next one for it runs after it. */
    private final Map<Bytes32, Lane> lanes = new HashMap<>();
    /** Payments queued or running, over all requests (guarded by {@code lanes}). */
    private int queuedPayments;
    private final Sinks.Many<Event> events = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<Mono<Void>> paymentQueue;
    private final Disposable inbound;
    private final Disposable paying;

    /** The payments of one request, one after another. */
    private static final class Lane {
        Mono<Void> tail = Mono.empty();
        int queued;
    }

    /** As the full constructor, with {@link Limits#defaults()}. */
    public Payer(Bytes32 chain, Supplier<List<PublicKey>> pathIntermediates, NodeSigner signer, InvoiceRequestStore store,
            OnionMessenger messenger, PaymentSender payments, Function<Invoice, Optional<InvoiceError>> policy,
            Clock clock, Scheduler work, SecureRandom random) {
        this(chain, pathIntermediates, signer, store, messenger, payments, policy, clock, work, random, Limits.defaults());
    }

    /**
     * @param pathIntermediates the hops before us in the {@code invreq_paths} we write, asked for each
     *        new request (a connected peer when we are not publicly reachable; empty: we introduce
     *        the path ourselves)
     * @param policy            a last say over invoices that pass every rule (empty = pay it); the
     *                          demo uses it to show an invoice_error
     */
    public Payer(Bytes32 chain, Supplier<List<PublicKey>> pathIntermediates, NodeSigner signer, InvoiceRequestStore store,
            OnionMessenger messenger, PaymentSender payments, Function<Invoice, Optional<InvoiceError>> policy,
            Clock clock, Scheduler work, SecureRandom random, Limits limits) {
        this(chain, pathIntermediates, signer, store, messenger, payments, policy, clock, work, random, limits,
                PayerMetrics.NONE);
    }

    /** As above, reporting invoices received, refused and paid to {@code metrics}. */
    public Payer(Bytes32 chain, Supplier<List<PublicKey>> pathIntermediates, NodeSigner signer, InvoiceRequestStore store,
            OnionMessenger messenger, PaymentSender payments, Function<Invoice, Optional<InvoiceError>> policy,
            Clock clock, Scheduler work, SecureRandom random, Limits limits, PayerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.pathIntermediates = Objects.requireNonNull(pathIntermediates, "pathIntermediates");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.store = Objects.requireNonNull(store, "store");
        this.messenger = Objects.requireNonNull(messenger, "messenger");
        this.payments = Objects.requireNonNull(payments, "payments");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.work = Objects.requireNonNull(work, "work");
        this.random = Objects.requireNonNull(random, "random");
        this.limits = Objects.requireNonNull(limits, "limits");
        dev.boltflow.core.crypto.Secp256k1Providers.current(); // picked here, not by the first invoice on work
        this.paymentQueue = Sinks.many().unicast().onBackpressureBuffer(Queues.<Mono<Void>>get(limits.maxPayments()).get());
        this.paying = paymentQueue.asFlux()
                .flatMap(payment -> payment, limits.maxPayments())
                .subscribe();
        this.inbound = InboundStreams.resubscribing(messenger::inbound, Schedulers.parallel(), LOG, "invoices for our requests")
                .filter(m -> m.payload().invoice().isPresent())
                // The messenger's stream drops what a subscriber has not asked for: invoices wait
                // here to be checked. Beyond the bound the newest are dropped (the payee sends
                // again at half its timeout).
                .onBackpressureBuffer(limits.maxQueuedInvoices(),
                        m -> LOG.log(Level.WARNING, "dropped an invoice: {0} are waiting to be checked",
                                limits.maxQueuedInvoices()),
                        BufferOverflowStrategy.DROP_LATEST)
                .flatMap(m -> Mono.defer(() -> onInvoice(m)).onErrorResume(e -> {
                    // One invoice (or one bug) costs that invoice, never the stream.
                    LOG.log(Level.WARNING, "handling an invoice failed: {0}", e.toString());
                    return Mono.empty();
                }), limits.maxChecks())
                .subscribe();
    }

    /** Outcomes of the invoices we received. Hot. */
    public Flux<Event> events() {
        return events.asFlux();
    }

    /**
     * invoicerequest: writes and stores an invoice_request (BOLT 12, writer not responding to an
     * offer): unpredictable {@code invreq_metadata}, a payer id derived from it, {@code invreq_paths}
     * leading to us, {@code invreq_chain} unless bitcoin, {@code invreq_amount}; signed unless asked
     * not to (Core Lightning signs, LDK's refunds do not).
     */
    public Mono<OurInvoiceRequest> createInvoiceRequest(Params params) {
        Objects.requireNonNull(params, "params");
        return Mono.fromCallable(() -> write(params)).subscribeOn(work).flatMap(store::create);
    }

    private OurInvoiceRequest write(Params params) {
        byte[] metadataBytes = new byte[16];
        random.nextBytes(metadataBytes);
        Bytes metadata = Bytes.wrap(metadataBytes);
        BlindedPath path = signer.replyPath(List.copyOf(pathIntermediates.get()), invreqContext(metadata));
        List<TlvRecord> records = new ArrayList<>();
        records.add(new TlvRecord(Bolt12Field.INVREQ_METADATA, metadata));
        records.add(new TlvRecord(Bolt12Field.OFFER_DESCRIPTION, utf8(params.description())));
        params.absoluteExpiry().ifPresent(t -> records.add(new TlvRecord(Bolt12Field.OFFER_ABSOLUTE_EXPIRY, tu64(t))));
        params.issuer().ifPresent(i -> records.add(new TlvRecord(Bolt12Field.OFFER_ISSUER, utf8(i))));
        if (!chain.equals(ChainHashes.BITCOIN)) {
            records.add(new TlvRecord(Bolt12Field.INVREQ_CHAIN, chain.bytes()));
        }
        records.add(new TlvRecord(Bolt12Field.INVREQ_AMOUNT, tu64(params.amountMsat())));
        records.add(new TlvRecord(Bolt12Field.INVREQ_PAYER_ID, signer.payerId(metadata).bytes()));
        records.add(new TlvRecord(Bolt12Field.INVREQ_PATHS, Bytes.wrap(BlindedPath.encodeAll(List.of(path)))));
        TlvStream unsigned = TlvStream.sorted(records);
        TlvStream full = params.signed()
                ? unsigned.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, signer.signInvoiceRequest(unsigned, metadata).bytes())))
                : unsigned;
        String bolt12 = Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP, full.encode());
        return new OurInvoiceRequest(invreqId(full), bolt12, metadata, params.label(), params.singleUse(), true, false);
    }

    /** Core Lightning's invreq_id: SHA256 of the request's records below type 160. */
    public static Bytes32 invreqId(TlvStream records) {
        return Hashes.sha256Of(records.filter(t -> Long.compareUnsigned(t, 160) < 0).encode());
    }

    public Flux<OurInvoiceRequest> list(boolean activeOnly) {
        return store.list(activeOnly);
    }

    public Mono<OurInvoiceRequest> disable(Bytes32 invreqId) {
        return store.disable(invreqId);
    }

    /** Checks an invoice now; refuses it at once, or queues its payment. Never waits for a payment. */
    private Mono<Void> onInvoice(InboundOnionMessage m) {
        if (m.pathId().isEmpty()) {
            // BOLT 12, reader of an invoice: with invreq_paths it MUST have arrived via one of them.
            LOG.log(Level.INFO, "ignored an invoice that came on no path of ours");
            return Mono.empty();
        }
        Invoice invoice;
        try {
            invoice = Invoice.decode(m.payload().invoice().get().toArray());
        } catch (DecodeException e) {
            LOG.log(Level.INFO, "refused an invoice that cannot be decoded: {0}", e.getMessage());
            return replyError(m, InvoiceError.of("invoice cannot be decoded: " + e.getMessage()));
        }
        Optional<Bytes> metadata = invoice.invreqMetadata();
        if (metadata.isEmpty() || !signer.recognise(m.pathId().get(), invreqContext(metadata.get()))) {
            LOG.log(Level.INFO, "ignored an invoice for no invoice_request of ours");
            return Mono.empty();
        }
        return store.findByMetadata(metadata.get())
                .publishOn(work)
                .flatMap(ours -> handle(m, invoice, ours));
    }

    private Mono<Void> handle(InboundOnionMessage m, Invoice invoice, OurInvoiceRequest ours) {
        Bytes32 hash = invoice.invoicePaymentHash().orElse(Bytes32.ZERO);
        if (!ours.active() || !inFlight.add(hash)) {
            // A request already paid, or a resent copy (the payee retries at half its timeout)
            // of an invoice we are still handling. Once handled, the payee has its answer and
            // sends no more copies, so the set only holds invoices in flight.
            return Mono.empty();
        }
        metrics.invoiceReceived();
        PayerOutcome received = new PayerOutcome(PayerOutcome.Status.RECEIVED, hash, invoice.invoiceAmount(),
                invoice.invoiceNodeId(), "", now());
        LOG.log(Level.INFO, "invoice received for invoice_request {0}: payee {1}, {2} msat, payment_hash {3}",
                ours.invreqId(), invoice.invoiceNodeId().map(Object::toString).orElse("(none)"),
                invoice.invoiceAmount().isPresent() ? U64.toString(invoice.invoiceAmount().getAsLong()) : "(no amount)",
                hash);
        Optional<InvoiceError> refusal;
        try {
            refusal = refusal(invoice, ours);
        } catch (RuntimeException e) {
            inFlight.remove(hash);
            throw e;
        }
        Mono<Void> outcome = refusal.isPresent()
                ? record(ours, received).then(refuse(m, ours, received, refusal.get()))
                : record(ours, received).then(Mono.fromRunnable(() -> queuePayment(ours, invoice, received)));
        return outcome.doOnTerminate(() -> {
            if (refusal.isPresent()) {
                inFlight.remove(hash);
            }
        }).doOnCancel(() -> inFlight.remove(hash));
    }

    /** The invoice_error to answer with: the first reader rule it breaks, else our policy's veto. */
    private Optional<InvoiceError> refusal(Invoice invoice, OurInvoiceRequest ours) {
        InvoiceRequest request = InvoiceRequest.decode(ours.bolt12());
        List<Bolt12ParseException> violations = InvoiceReader.violations(invoice, request, now());
        if (!violations.isEmpty()) {
            Bolt12ParseException first = violations.get(0);
            return Optional.of(first.field().isPresent()
                    ? InvoiceError.of(first.field().get().type(), first.getMessage())
                    : InvoiceError.of(first.getMessage()));
        }
        return policy.apply(invoice);
    }

    /**
     * Queues the payment behind the one in flight for the same request, if any; over the per-request
     * or the total bound it is dropped (the payee sends its invoice again at half its timeout).
     */
    private void queuePayment(OurInvoiceRequest ours, Invoice invoice, PayerOutcome received) {
        Bytes32 hash = received.paymentHash();
        Mono<Void> payment;
        synchronized (lanes) {
            Lane lane = lanes.computeIfAbsent(ours.invreqId(), k -> new Lane());
            String full = lane.queued > limits.maxQueuedPerRequest()
                    ? lane.queued + " payments for its invoice_request wait already"
                    : queuedPayments >= limits.maxPayments()
                            ? queuedPayments + " payments are in flight or waiting" : null;
            if (full != null) {
                if (lane.queued == 0) {
                    lanes.remove(ours.invreqId(), lane);
                }
                LOG.log(Level.WARNING, "dropped invoice {0} for invoice_request {1}: {2}", hash, ours.invreqId(), full);
                inFlight.remove(hash);
                return;
            }
            lane.queued++;
            queuedPayments++;
            payment = lane.tail.onErrorResume(e -> Mono.empty())
                    .then(Mono.defer(() -> pay(ours.invreqId(), invoice, received)))
                    .onErrorResume(e -> {
                        LOG.log(Level.WARNING, "paying invoice {0} failed unexpectedly: {1}", hash, e.toString());
                        return Mono.empty();
                    })
                    .doFinally(s -> {
                        inFlight.remove(hash);
                        synchronized (lanes) {
                            queuedPayments--;
                            if (--lane.queued == 0) {
                                lanes.remove(ours.invreqId(), lane);
                            }
                        }
                    })
                    .cache();
            lane.tail = payment;
        }
        // Never over capacity: at most maxPayments are queued or running, and the queue holds as many.
        synchronized (paymentQueue) {
            paymentQueue.emitNext(payment, Sinks.EmitFailureHandler.FAIL_FAST);
        }
    }

    /** Pays, if the request (read again: a payment before this one may have used it) still wants it. */
    private Mono<Void> pay(Bytes32 invreqId, Invoice invoice, PayerOutcome received) {
        return store.find(invreqId).publishOn(work).flatMap(ours -> {
            if (!ours.active()) {
                LOG.log(Level.INFO, "not paying invoice {0}: invoice_request {1} is used or disabled",
                        received.paymentHash(), invreqId);
                return Mono.empty();
            }
            long amount = invoice.invoiceAmount().orElse(0);
            PayerOutcome paying = received.next(PayerOutcome.Status.PAYING, "", now());
            LOG.log(Level.INFO, "paying invoice {0} for invoice_request {1}: {2} msat to {3}", received.paymentHash(),
                    invreqId, U64.toString(amount), received.payee().map(Object::toString).orElse("(none)"));
            return record(ours, paying)
                    .then(payments.pay(invoice))
                    .publishOn(work)
                    .flatMap(preimage -> store.markPaid(invreqId)
                            .then(record(ours, paying.next(PayerOutcome.Status.PAID, "", now())))
                            .then(Mono.fromRunnable(() -> {
                                LOG.log(Level.INFO, "paid invoice {0} for invoice_request {1}: {2} msat",
                                        received.paymentHash(), invreqId, U64.toString(amount));
                                metrics.invoicePaid();
                                emit(new Event.Paid(invreqId, received.paymentHash(), preimage, amount));
                            })))
                    .onErrorResume(e -> {
                        String why = String.valueOf(e.getMessage());
                        LOG.log(Level.INFO, "payment of invoice {0} for invoice_request {1} failed: {2}",
                                received.paymentHash(), invreqId, why);
                        metrics.paymentFailed();
                        emit(new Event.PaymentFailed(invreqId, received.paymentHash(), why));
                        return record(ours, paying.next(PayerOutcome.Status.PAYMENT_FAILED, why, now()));
                    })
                    .then();
        });
    }

    private Mono<Void> refuse(InboundOnionMessage m, OurInvoiceRequest ours, PayerOutcome received, InvoiceError error) {
        String field = error.erroneousField().isPresent()
                ? Bolt12Field.describe(error.erroneousField().getAsLong()) : "(no field)";
        String why = error.error().orElse("");
        LOG.log(Level.INFO, "refused invoice {0} for invoice_request {1}: {2}: {3}", received.paymentHash(),
                ours.invreqId(), field, why);
        metrics.invoiceRefused();
        emit(new Event.Refused(ours.invreqId(), error));
        return record(ours, received.next(PayerOutcome.Status.REFUSED, field + ": " + why, now()))
                .then(replyError(m, error));
    }

    /** Keeps the outcome for listinvoicerequests; a store failure is logged, not fatal. */
    private Mono<Void> record(OurInvoiceRequest ours, PayerOutcome outcome) {
        return store.recordOutcome(ours.invreqId(), outcome)
                .onErrorResume(e -> {
                    LOG.log(Level.WARNING, "could not record the outcome of invoice_request {0}: {1}", ours.invreqId(),
                            e.toString());
                    return Mono.empty();
                })
                .then();
    }

    /** BOLT 12, Invoice Errors: sent over the invoice's {@code reply_path}, if it has one. */
    private Mono<Void> replyError(InboundOnionMessage m, InvoiceError error) {
        Optional<BlindedPath> reply = m.payload().replyPath();
        if (reply.isEmpty()) {
            return Mono.empty();
        }
        return messenger.send(new OnionMessages.Destination.Path(reply.get()),
                        OnionMessagePayload.ofInvoiceError(Bytes.wrap(error.encode())))
                .onErrorResume(e -> {
                    LOG.log(Level.INFO, "could not send an invoice_error: {0}", e.getMessage());
                    return Mono.empty();
                });
    }

    private void emit(Event e) {
        synchronized (events) { // emitted from several payments at once; the sink wants serial emits
            events.tryEmitNext(e);
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** The context our invreq_paths' {@code path_id} authenticates. */
    static Bytes invreqContext(Bytes metadata) {
        return Bytes.wrap(INVREQ_CONTEXT).concat(metadata);
    }

    private static Bytes utf8(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Bytes tu64(long v) {
        return Bytes.wrap(new ByteWriter().truncated(v).toByteArray());
    }

    @Override
    public void dispose() {
        inbound.dispose();
        paying.dispose();
    }

    @Override
    public boolean isDisposed() {
        return inbound.isDisposed();
    }
}
