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
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.NodeSigner;
import dev.boltflow.core.sendinvoice.OnionMessenger;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
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

/**
 * The other side of sendinvoice: we write an invoice_request ("I want to pay you N msat"), and
 * when an invoice for it arrives on its {@code invreq_paths} we check it with every rule a reader of
 * an invoice applies (BOLT 12, Invoices) against our request, then pay it — or answer with an
 * {@code invoice_error} over its {@code reply_path} naming the field that is wrong.
 */
public final class Payer implements Disposable {
    private static final System.Logger LOG = System.getLogger(Payer.class.getName());
    /** Invoices waiting while another is checked and paid; beyond this the newest are dropped. */
    static final int MAX_QUEUED_INVOICES = 4096;
    private static final byte[] INVREQ_CONTEXT = "boltflow/invreq/".getBytes(StandardCharsets.US_ASCII);

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
    private final Supplier<List<PublicKey>> pathIntermediates;
    private final NodeSigner signer;
    private final InvoiceRequestStore store;
    private final OnionMessenger messenger;
    private final PaymentSender payments;
    private final Function<Invoice, Optional<InvoiceError>> policy;
    private final Clock clock;
    private final Scheduler work;
    private final SecureRandom random;
    private final Set<Bytes32> inFlight = ConcurrentHashMap.newKeySet();
    private final Sinks.Many<Event> events = Sinks.many().multicast().directBestEffort();
    private final Disposable inbound;

    /**
     * @param pathIntermediates the hops before us in the {@code invreq_paths} we write, asked for each
     *        new request (a connected peer when we are not publicly reachable; empty: we introduce
     *        the path ourselves)
     * @param policy            a last say over invoices that pass every rule (empty = pay it); the
     *                          demo uses it to show an invoice_error
     */
    public Payer(Bytes32 chain, Supplier<List<PublicKey>> pathIntermediates, NodeSigner signer, InvoiceRequestStore store,
            OnionMessenger messenger, PaymentSender payments, Function<Invoice, Optional<InvoiceError>> policy,
            Clock clock, Scheduler work, SecureRandom random) {
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
        this.inbound = messenger.inbound()
                .filter(m -> m.payload().invoice().isPresent())
                // One invoice is handled at a time (a single-use request is paid at most once), and
                // the messenger's stream drops what a busy subscriber has not asked for: invoices
                // that arrive meanwhile wait here. Beyond the bound the newest are dropped (the
                // payee sends again at half its timeout).
                .onBackpressureBuffer(MAX_QUEUED_INVOICES,
                        m -> LOG.log(Level.WARNING, "dropped an invoice: {0} are waiting to be handled", MAX_QUEUED_INVOICES),
                        BufferOverflowStrategy.DROP_LATEST)
                .concatMap(m -> onInvoice(m).onErrorResume(e -> {
                    LOG.log(Level.WARNING, "handling an invoice failed: {0}", e.toString());
                    return Mono.empty();
                }))
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
            return replyError(m, Optional.empty(), InvoiceError.of("invoice cannot be decoded: " + e.getMessage()));
        }
        Optional<Bytes> metadata = invoice.invreqMetadata();
        if (metadata.isEmpty() || !signer.recognise(m.pathId().get(), invreqContext(metadata.get()))) {
            LOG.log(Level.INFO, "ignored an invoice for no invoice_request of ours");
            return Mono.empty();
        }
        return store.findByMetadata(metadata.get()).flatMap(ours -> handle(m, invoice, ours));
    }

    private Mono<Void> handle(InboundOnionMessage m, Invoice invoice, OurInvoiceRequest ours) {
        Bytes32 hash = invoice.invoicePaymentHash().orElse(Bytes32.ZERO);
        if (!ours.active() || !inFlight.add(hash)) {
            // A request already paid, or a resent copy (the payee retries at half its timeout)
            // of an invoice we are still handling. Once handled, the payee has its answer and
            // sends no more copies, so the set only holds invoices in flight.
            return Mono.empty();
        }
        return check(m, invoice, ours, hash).doFinally(s -> inFlight.remove(hash));
    }

    private Mono<Void> check(InboundOnionMessage m, Invoice invoice, OurInvoiceRequest ours, Bytes32 hash) {
        InvoiceRequest request = InvoiceRequest.decode(ours.bolt12());
        List<Bolt12ParseException> violations = InvoiceReader.violations(invoice, request, clock.instant().getEpochSecond());
        if (!violations.isEmpty()) {
            Bolt12ParseException first = violations.get(0);
            InvoiceError error = first.field().isPresent()
                    ? InvoiceError.of(first.field().get().type(), first.getMessage())
                    : InvoiceError.of(first.getMessage());
            return refuse(m, ours, error);
        }
        Optional<InvoiceError> veto = policy.apply(invoice);
        if (veto.isPresent()) {
            return refuse(m, ours, veto.get());
        }
        long amount = invoice.invoiceAmount().orElse(0);
        return payments.pay(invoice)
                .flatMap(preimage -> store.markPaid(ours.invreqId())
                        .doOnNext(x -> events.tryEmitNext(new Event.Paid(ours.invreqId(), hash, preimage, amount)))
                        .then())
                .onErrorResume(e -> {
                    events.tryEmitNext(new Event.PaymentFailed(ours.invreqId(), hash, String.valueOf(e.getMessage())));
                    return Mono.empty();
                });
    }

    private Mono<Void> refuse(InboundOnionMessage m, OurInvoiceRequest ours, InvoiceError error) {
        return replyError(m, Optional.of(ours), error);
    }

    /** BOLT 12, Invoice Errors: sent over the invoice's {@code reply_path}, if it has one. */
    private Mono<Void> replyError(InboundOnionMessage m, Optional<OurInvoiceRequest> ours, InvoiceError error) {
        ours.ifPresent(o -> events.tryEmitNext(new Event.Refused(o.invreqId(), error)));
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
    }

    @Override
    public boolean isDisposed() {
        return inbound.isDisposed();
    }
}
