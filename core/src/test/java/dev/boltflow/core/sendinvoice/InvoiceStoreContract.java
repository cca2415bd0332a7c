package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.crypto.PaymentPreimage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.sendinvoice.InvoiceListQuery.ListIndex;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The behaviour every {@link InvoiceStore} adapter owes (Core Lightning's listinvoices, waitinvoice,
 * waitanyinvoice and delinvoice semantics). An adapter's test extends this class and says how to
 * open (and, if it is durable, reopen) an empty store. Shipped in core's test-jar.
 */
public abstract class InvoiceStoreContract {
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);
    protected static final long NOW = 1_738_000_000L;
    protected static final long LATER = NOW + 3_600;
    private static final int THREADS = 8;

    protected InvoiceStore store;

    /** A new, empty store. */
    protected abstract InvoiceStore openStore() throws Exception;

    /** Closes {@code store} and opens the same storage again; non-durable adapters skip. */
    protected InvoiceStore reopenStore(InvoiceStore store) throws Exception {
        Assumptions.abort(getClass().getSimpleName() + " keeps nothing across a restart");
        return store;
    }

    protected void closeStore(InvoiceStore store) throws Exception {
    }

    @BeforeEach
    final void openEmptyStore() throws Exception {
        StepVerifier.setDefaultTimeout(TIMEOUT);
        store = openStore();
    }

    @AfterEach
    final void closeTheStore() throws Exception {
        StepVerifier.resetDefaultTimeout();
        if (store != null) { // null when openStore() skipped the test
            closeStore(store);
        }
    }

    // ---- test data: the store treats the bolt12 string as opaque text -------------------------

    protected static PaymentPreimage preimageFor(String seed) {
        return PaymentPreimage.of(Hashes.sha256Of(("preimage " + seed).getBytes(StandardCharsets.UTF_8)));
    }

    protected static NewInvoice invoice(String label, long expiresAt) {
        return invoice(label, expiresAt, preimageFor(label));
    }

    protected static NewInvoice invoice(String label, long expiresAt, PaymentPreimage preimage) {
        return new NewInvoice(label, Optional.of("description of " + label), preimage, expiresAt, 1_000,
                "lni1" + preimage.paymentHash().toHex(), Optional.empty(), Optional.empty());
    }

    protected static NewInvoice fullInvoice(String label, Bytes32 offerId) {
        PaymentPreimage p = preimageFor(label);
        return new NewInvoice(label, Optional.of("caf\u00e9 \u26a1 " + label), p, LATER, 123_456_789_012L,
                "lni1" + p.paymentHash().toHex() + "x".repeat(4_000), Optional.of(offerId),
                Optional.of("payer note \u2764"));
    }

    protected final StoredInvoice create(NewInvoice n) {
        return store.create(n).block(TIMEOUT);
    }

    protected final StoredInvoice pay(StoredInvoice invoice, long amount, long paidAt) {
        MarkPaidOutcome o = store.markPaid(invoice.paymentHash(), amount, paidAt).block(TIMEOUT);
        assertInstanceOf(MarkPaidOutcome.Paid.class, o);
        return o.invoice().orElseThrow();
    }

    protected final List<StoredInvoice> list(InvoiceListQuery q) {
        return store.list(q).collectList().block(TIMEOUT);
    }

    private static List<String> labels(List<StoredInvoice> invoices) {
        return invoices.stream().map(StoredInvoice::label).collect(Collectors.toList());
    }

    /** Runs every task at once on {@value #THREADS} threads, released together; returns results in order. */
    protected static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- create and find ------------------------------------------------------------------------

    @Test
    void create_twoInvoices_getCreatedIndexesOneAndTwoAndKeepEveryField() {
        Bytes32 offer = Hashes.sha256Of("offer".getBytes(StandardCharsets.UTF_8));
        NewInvoice full = fullInvoice("first", offer);
        NewInvoice bare = new NewInvoice("second", Optional.empty(), preimageFor("second"), LATER, 0, "lni1bare",
                Optional.empty(), Optional.empty());

        StepVerifier.create(store.create(full))
                .assertNext(s -> {
                    assertEquals("first", s.label());
                    assertEquals(full.description(), s.description());
                    assertEquals(full.paymentHash(), s.paymentHash());
                    assertEquals(InvoiceStatus.UNPAID, s.status());
                    assertEquals(1, s.createdIndex());
                    assertEquals(OptionalLong.empty(), s.updatedIndex());
                    assertEquals(LATER, s.expiresAt());
                    assertEquals(123_456_789_012L, s.amountMsat());
                    assertEquals(full.bolt12(), s.bolt12());
                    assertEquals(Optional.of(offer), s.localOfferId());
                    assertEquals(Optional.of("payer note \u2764"), s.invreqPayerNote());
                    assertEquals(Optional.empty(), s.payment());
                    assertEquals(full.preimage(), s.preimage());
                    assertEquals(Optional.empty(), s.paymentPreimage(), "an unpaid invoice does not show its preimage");
                })
                .expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.create(bare))
                .assertNext(s -> {
                    assertEquals(2, s.createdIndex());
                    assertEquals(Optional.empty(), s.description());
                    assertEquals(0, s.amountMsat());
                    assertEquals(Optional.empty(), s.localOfferId());
                    assertEquals(Optional.empty(), s.invreqPayerNote());
                })
                .expectComplete().verify(TIMEOUT);
        assertEquals(StoredInvoice.created(full, 1), store.findByLabel("first").block(TIMEOUT));
        assertEquals(StoredInvoice.created(bare, 2), store.findByLabel("second").block(TIMEOUT));
    }

    @Test
    void create_duplicateLabel_failsWithTheExistingInvoiceAndOverwritesNothing() {
        StoredInvoice existing = create(invoice("coffee", LATER));

        StepVerifier.create(store.create(invoice("coffee", LATER + 1, preimageFor("other"))))
                .expectErrorSatisfies(e -> {
                    DuplicateLabelException d = assertInstanceOf(DuplicateLabelException.class, e);
                    assertEquals(existing, d.existing());
                })
                .verify(TIMEOUT);
        assertEquals(existing, store.findByLabel("coffee").block(TIMEOUT));
        assertEquals(List.of(existing), list(InvoiceListQuery.all()));
        assertEquals(2, create(invoice("tea", LATER)).createdIndex(), "a refused create uses no index");
    }

    @Test
    void create_paymentHashInUse_failsAndStoresNothing() {
        StoredInvoice existing = create(invoice("a", LATER));

        StepVerifier.create(store.create(invoice("b", LATER, preimageFor("a"))))
                .expectErrorSatisfies(e -> {
                    assertInstanceOf(InvoiceStoreException.class, e);
                    assertFalse(e instanceof DuplicateLabelException);
                })
                .verify(TIMEOUT);
        assertEquals(List.of(existing), list(InvoiceListQuery.all()));
        StepVerifier.create(store.findByLabel("b")).expectComplete().verify(TIMEOUT);
    }

    @Test
    void find_byLabelPaymentHashOrInvstring_findsTheInvoiceAndNothingElse() {
        StoredInvoice a = create(invoice("a", LATER));
        create(invoice("b", LATER));

        StepVerifier.create(store.findByLabel("a")).expectNext(a).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.findByPaymentHash(a.paymentHash())).expectNext(a).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.findByInvstring(a.bolt12())).expectNext(a).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.findByLabel("A")).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.findByPaymentHash(Bytes32.ZERO)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.findByInvstring(a.bolt12() + "x")).expectComplete().verify(TIMEOUT);
    }

    @Test
    void create_concurrently_givesGapFreeCreatedIndexesAndOneWinnerPerLabel() throws Exception {
        List<Callable<Optional<StoredInvoice>>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String label = "label-" + (i % 20); // every label twice, with different preimages
            NewInvoice n = invoice(label, LATER, preimageFor(label + "/" + i));
            tasks.add(() -> store.create(n).map(Optional::of)
                    .onErrorResume(DuplicateLabelException.class, e -> Mono.just(Optional.empty()))
                    .block(TIMEOUT));
        }
        List<StoredInvoice> created = concurrently(tasks).stream().flatMap(Optional::stream).collect(Collectors.toList());

        assertEquals(20, created.size(), "one create per label wins");
        assertEquals(LongStream.rangeClosed(1, 20).boxed().collect(Collectors.toSet()),
                created.stream().map(StoredInvoice::createdIndex).collect(Collectors.toSet()));
        assertEquals(20, list(InvoiceListQuery.all()).size());
    }

    // ---- list -----------------------------------------------------------------------------------

    @Test
    void list_filters_selectByLabelInvstringPaymentHashOrOffer() {
        Bytes32 offer = Hashes.sha256Of("offer".getBytes(StandardCharsets.UTF_8));
        StoredInvoice a = create(invoice("a", LATER));
        StoredInvoice b = create(fullInvoice("b", offer));
        StoredInvoice c = create(fullInvoice("c", offer));

        assertEquals(List.of(a, b, c), list(InvoiceListQuery.all()));
        assertEquals(List.of(b), list(InvoiceListQuery.byLabel("b")));
        assertEquals(List.of(c), list(InvoiceListQuery.byInvstring(c.bolt12())));
        assertEquals(List.of(a), list(InvoiceListQuery.byPaymentHash(a.paymentHash())));
        assertEquals(List.of(b, c), list(InvoiceListQuery.byOfferId(offer)));
        assertEquals(List.of(), list(InvoiceListQuery.byLabel("nobody")));
        assertEquals(List.of(), list(InvoiceListQuery.byOfferId(Bytes32.ZERO)));
    }

    @Test
    void list_byCreatedIndex_startsAtStartAndStopsAtLimit() {
        for (int i = 1; i <= 6; i++) {
            create(invoice("i" + i, LATER));
        }
        assertEquals(List.of("i3", "i4", "i5", "i6"),
                labels(list(InvoiceListQuery.all().indexed(ListIndex.CREATED, 3, OptionalLong.empty()))));
        assertEquals(List.of("i2", "i3"),
                labels(list(InvoiceListQuery.all().indexed(ListIndex.CREATED, 2, OptionalLong.of(2)))));
        assertEquals(List.of(), labels(list(InvoiceListQuery.all().indexed(ListIndex.CREATED, 1, OptionalLong.of(0)))));
        assertEquals(List.of(), labels(list(InvoiceListQuery.all().indexed(ListIndex.CREATED, 7, OptionalLong.empty()))));
    }

    @Test
    void list_byUpdatedIndex_listsOnlyChangedInvoicesInOrderOfChange() {
        StoredInvoice a = create(invoice("a", LATER));
        create(invoice("b", LATER));
        StoredInvoice c = create(invoice("c", NOW));
        StoredInvoice d = create(invoice("d", LATER));
        pay(d, 1_000, NOW - 10);
        store.expire(NOW).blockLast(TIMEOUT);
        pay(a, 1_000, NOW);

        List<StoredInvoice> updated = list(InvoiceListQuery.all().indexed(ListIndex.UPDATED, 0, OptionalLong.empty()));
        assertEquals(List.of("d", "c", "a"), labels(updated));
        assertEquals(List.of(1L, 2L, 3L), updated.stream().map(s -> s.updatedIndex().getAsLong()).collect(Collectors.toList()));
        assertEquals(List.of("c"), labels(list(InvoiceListQuery.all().indexed(ListIndex.UPDATED, 2, OptionalLong.of(1)))));
        assertEquals(List.of("c"),
                labels(list(InvoiceListQuery.byLabel(c.label()).indexed(ListIndex.UPDATED, 0, OptionalLong.empty()))));
        assertEquals(List.of(),
                labels(list(InvoiceListQuery.byLabel("b").indexed(ListIndex.UPDATED, 0, OptionalLong.empty()))));
    }

    // ---- markPaid -------------------------------------------------------------------------------

    @Test
    void markPaid_unpaidInvoices_paysEachOnceWithTheNextIndexes() {
        StoredInvoice a = create(invoice("a", LATER));
        StoredInvoice b = create(invoice("b", LATER));

        StepVerifier.create(store.markPaid(b.paymentHash(), 1_500, NOW))
                .assertNext(o -> {
                    assertEquals(MarkPaidOutcome.Kind.PAID, o.kind());
                    StoredInvoice paid = o.invoice().orElseThrow();
                    assertEquals(InvoiceStatus.PAID, paid.status());
                    assertEquals(Optional.of(new InvoicePayment(1, 1_500, NOW)), paid.payment());
                    assertEquals(OptionalLong.of(1), paid.updatedIndex());
                    assertEquals(Optional.of(preimageFor("b").reveal()), paid.paymentPreimage());
                    assertEquals(b.createdIndex(), paid.createdIndex());
                })
                .expectComplete().verify(TIMEOUT);
        StoredInvoice paidA = pay(a, 1_000, NOW + 1);
        assertEquals(OptionalLong.of(2), paidA.payIndex());
        assertEquals(OptionalLong.of(2), paidA.updatedIndex());

        StepVerifier.create(store.markPaid(a.paymentHash(), 9_999, NOW + 2))
                .assertNext(o -> {
                    assertEquals(MarkPaidOutcome.Kind.ALREADY_PAID, o.kind());
                    assertEquals(paidA, o.invoice().orElseThrow(), "a second payment changes nothing");
                })
                .expectComplete().verify(TIMEOUT);
        assertEquals(paidA, store.findByLabel("a").block(TIMEOUT));
    }

    @Test
    void markPaid_unknownPaymentHash_isNotFound() {
        create(invoice("a", LATER));
        StepVerifier.create(store.markPaid(Bytes32.ZERO, 1_000, NOW))
                .expectNext(new MarkPaidOutcome.NotFound(Bytes32.ZERO))
                .expectComplete().verify(TIMEOUT);
    }

    @Test
    void markPaid_atOrAfterExpiry_isExpiredAndChangesNothing() {
        StoredInvoice a = create(invoice("a", NOW));

        StepVerifier.create(store.markPaid(a.paymentHash(), 1_000, NOW))
                .assertNext(o -> {
                    assertEquals(new MarkPaidOutcome.Expired(a), o);
                    assertEquals(Optional.of(a), o.invoice(), "the invoice as it is, unpayable");
                })
                .expectComplete().verify(TIMEOUT);
        assertEquals(a, store.findByLabel("a").block(TIMEOUT));

        StoredInvoice expired = store.expire(NOW).blockLast(TIMEOUT);
        StepVerifier.create(store.markPaid(a.paymentHash(), 1_000, NOW - 100))
                .expectNext(new MarkPaidOutcome.Expired(expired))
                .expectComplete().verify(TIMEOUT);
        // No pay_index was spent on the refusals.
        assertEquals(OptionalLong.of(1), pay(create(invoice("b", LATER)), 1, NOW).payIndex());
    }

    @Test
    void markPaid_concurrentlyOnOneInvoice_paysExactlyOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            StoredInvoice target = create(invoice("target-" + round, LATER));
            List<Callable<MarkPaidOutcome>> tasks = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                long amount = 1_000 + i;
                tasks.add(() -> store.markPaid(target.paymentHash(), amount, NOW).block(TIMEOUT));
            }
            List<MarkPaidOutcome> outcomes = concurrently(tasks);

            List<MarkPaidOutcome> paid = outcomes.stream()
                    .filter(o -> o.kind() == MarkPaidOutcome.Kind.PAID).collect(Collectors.toList());
            assertEquals(1, paid.size(), "exactly one Paid in round " + round);
            StoredInvoice winner = paid.get(0).invoice().orElseThrow();
            assertEquals(OptionalLong.of(round + 1), winner.payIndex());
            for (MarkPaidOutcome o : outcomes) {
                if (o.kind() != MarkPaidOutcome.Kind.PAID) {
                    assertEquals(MarkPaidOutcome.Kind.ALREADY_PAID, o.kind());
                    assertEquals(winner, o.invoice().orElseThrow());
                }
            }
            assertEquals(winner, store.findByLabel(target.label()).block(TIMEOUT));
        }
    }

    @Test
    void markPaid_concurrentlyOnManyInvoices_givesGapFreeUniquePayIndexes() throws Exception {
        List<StoredInvoice> invoices = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            invoices.add(create(invoice("inv-" + i, LATER)));
        }
        List<Callable<MarkPaidOutcome>> tasks = new ArrayList<>();
        for (StoredInvoice s : invoices) {
            tasks.add(() -> store.markPaid(s.paymentHash(), 1_000, NOW).block(TIMEOUT));
            tasks.add(() -> store.markPaid(s.paymentHash(), 1_000, NOW).block(TIMEOUT));
        }
        List<StoredInvoice> paid = concurrently(tasks).stream()
                .filter(o -> o.kind() == MarkPaidOutcome.Kind.PAID)
                .map(o -> o.invoice().orElseThrow())
                .collect(Collectors.toList());

        Set<Long> expected = LongStream.rangeClosed(1, 40).boxed().collect(Collectors.toSet());
        assertEquals(40, paid.size());
        assertEquals(expected, paid.stream().map(p -> p.payIndex().getAsLong()).collect(Collectors.toSet()));
        assertEquals(expected, paid.stream().map(p -> p.updatedIndex().getAsLong()).collect(Collectors.toSet()));
        Set<Long> stored = new HashSet<>();
        for (StoredInvoice s : list(InvoiceListQuery.all())) {
            assertEquals(InvoiceStatus.PAID, s.status());
            stored.add(s.payIndex().getAsLong());
        }
        assertEquals(expected, stored);
    }

    // ---- expire ---------------------------------------------------------------------------------

    @Test
    void expire_dueUnpaidInvoices_marksThemInCreationOrderOnce() {
        StoredInvoice a = create(invoice("a", NOW));
        create(invoice("b", LATER));
        StoredInvoice c = create(invoice("c", NOW - 50));
        StoredInvoice d = create(invoice("d", NOW - 100));
        pay(d, 1_000, NOW - 200);

        StepVerifier.create(store.nextExpiry()).expectNext(NOW - 50).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.expire(NOW))
                .assertNext(s -> {
                    assertEquals("a", s.label());
                    assertEquals(InvoiceStatus.EXPIRED, s.status());
                    assertEquals(OptionalLong.of(2), s.updatedIndex());
                    assertEquals(a.createdIndex(), s.createdIndex());
                    assertEquals(Optional.empty(), s.paymentPreimage());
                })
                .assertNext(s -> {
                    assertEquals("c", s.label());
                    assertEquals(OptionalLong.of(3), s.updatedIndex());
                })
                .expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.expire(NOW)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.nextExpiry()).expectNext(LATER).expectComplete().verify(TIMEOUT);
        assertEquals(InvoiceStatus.EXPIRED, store.findByLabel(c.label()).block(TIMEOUT).status());
        assertEquals(InvoiceStatus.UNPAID, store.findByLabel("b").block(TIMEOUT).status());
        assertEquals(InvoiceStatus.PAID, store.findByLabel("d").block(TIMEOUT).status());
    }

    /** A remote payer's text can be any valid UTF-8, NUL included: it is stored and read back unchanged. */
    @Test
    void create_anyUtf8InDescriptionAndPayerNote_isKeptExactly() {
        String text = "nul \u0000 tab \t emoji \ud83d\udca1 and \u00e9";
        NewInvoice n = new NewInvoice("utf8", Optional.of(text), preimageFor("utf8"), LATER, 1_000, "lni1utf8",
                Optional.empty(), Optional.of(text + " note"));
        StoredInvoice created = create(n);
        assertEquals(Optional.of(text), created.description());
        StoredInvoice read = store.findByLabel("utf8").block(TIMEOUT);
        assertEquals(Optional.of(text), read.description());
        assertEquals(Optional.of(text + " note"), read.invreqPayerNote());
    }

    @Test
    void expireOne_dueUnpaidInvoice_expiresOnlyThatOne() {
        StoredInvoice a = create(invoice("a", NOW));
        StoredInvoice b = create(invoice("b", NOW - 10)); // due as well, but not asked for
        StoredInvoice later = create(invoice("later", LATER));

        StepVerifier.create(store.expire(later.paymentHash(), NOW))
                .assertNext(s -> assertEquals(InvoiceStatus.UNPAID, s.status(), "not due: unchanged"))
                .expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.expire(a.paymentHash(), NOW))
                .assertNext(s -> {
                    assertEquals("a", s.label());
                    assertEquals(InvoiceStatus.EXPIRED, s.status());
                    assertEquals(OptionalLong.of(1), s.updatedIndex());
                })
                .expectComplete().verify(TIMEOUT);
        assertEquals(InvoiceStatus.UNPAID, store.findByLabel(b.label()).block(TIMEOUT).status());
        // Again: already expired, no new updated_index.
        StepVerifier.create(store.expire(a.paymentHash(), NOW + 1))
                .assertNext(s -> assertEquals(OptionalLong.of(1), s.updatedIndex()))
                .expectComplete().verify(TIMEOUT);
        // A paid invoice stays paid; an unknown one is empty.
        pay(b, 1_000, NOW - 20);
        StepVerifier.create(store.expire(b.paymentHash(), NOW))
                .assertNext(s -> assertEquals(InvoiceStatus.PAID, s.status()))
                .expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.expire(Bytes32.ZERO, NOW)).expectComplete().verify(TIMEOUT);
        assertEquals(List.of(2L), list(InvoiceListQuery.all()).stream()
                .filter(s -> s.label().equals("b")).map(s -> s.updatedIndex().getAsLong()).toList());
    }

    @Test
    void expireOne_dueUnpaidInvoice_isAnnounced() {
        StoredInvoice a = create(invoice("a", NOW));
        StepVerifier.create(store.changes().take(1))
                .then(() -> {
                    store.expire(a.paymentHash(), NOW).block(TIMEOUT);
                    pay(create(invoice("b", LATER)), 1, NOW);
                })
                .assertNext(c -> {
                    assertEquals(InvoiceChange.Kind.EXPIRED, c.kind());
                    assertEquals("a", c.invoice().label());
                })
                .expectComplete().verify(TIMEOUT);
    }

    @Test
    void markPaid_zeroAmountAtTimeZero_isRecordedAndNegativesAreRefused() {
        StoredInvoice a = create(invoice("a", LATER));
        // Whether an amount suffices is the caller's decision; the store only refuses negatives.
        assertEquals(Optional.of(new InvoicePayment(1, 0, 0)), pay(a, 0, 0).payment());
        StoredInvoice b = create(invoice("b", LATER));
        StepVerifier.create(store.markPaid(b.paymentHash(), -1, NOW))
                .expectError(IllegalArgumentException.class).verify(TIMEOUT);
        StepVerifier.create(store.markPaid(b.paymentHash(), 1, -1))
                .expectError(IllegalArgumentException.class).verify(TIMEOUT);
        assertEquals(InvoiceStatus.UNPAID, store.findByLabel("b").block(TIMEOUT).status());
    }

    @Test
    void expireOneAndMarkPaid_racing_leaveTheInvoiceEitherPaidOrExpired() throws Exception {
        for (int round = 0; round < 10; round++) {
            StoredInvoice s = create(invoice("race-" + round, NOW + 10));
            List<Callable<InvoiceStatus>> tasks = List.of(
                    () -> store.markPaid(s.paymentHash(), 1_000, NOW).map(MarkPaidOutcome::kind)
                            .map(k -> k == MarkPaidOutcome.Kind.PAID ? InvoiceStatus.PAID : InvoiceStatus.UNPAID)
                            .block(TIMEOUT),
                    () -> store.expire(s.paymentHash(), NOW + 10).map(StoredInvoice::status).block(TIMEOUT));
            List<InvoiceStatus> seen = concurrently(tasks);
            InvoiceStatus end = store.findByLabel(s.label()).block(TIMEOUT).status();
            assertNotEquals(InvoiceStatus.UNPAID, end);
            // The expire call reports the final state, whoever won.
            assertEquals(end, seen.get(1));
        }
    }

    @Test
    void nextExpiry_noUnpaidInvoice_isEmpty() {
        StepVerifier.create(store.nextExpiry()).expectComplete().verify(TIMEOUT);
        pay(create(invoice("a", LATER)), 1_000, NOW);
        StepVerifier.create(store.nextExpiry()).expectComplete().verify(TIMEOUT);
    }

    @Test
    void expireAndMarkPaid_racing_leaveEachInvoiceEitherPaidOrExpired() throws Exception {
        List<StoredInvoice> invoices = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            invoices.add(create(invoice("r-" + i, NOW + 10)));
        }
        List<Callable<List<StoredInvoice>>> tasks = new ArrayList<>();
        for (StoredInvoice s : invoices) {
            tasks.add(() -> store.markPaid(s.paymentHash(), 1_000, NOW).flux()
                    .flatMap(o -> Mono.justOrEmpty(o.kind() == MarkPaidOutcome.Kind.PAID ? o.invoice() : Optional.empty()))
                    .collectList().block(TIMEOUT));
        }
        for (int i = 0; i < 4; i++) {
            tasks.add(() -> store.expire(NOW + 10).collectList().block(TIMEOUT));
        }
        List<StoredInvoice> changed = concurrently(tasks).stream().flatMap(List::stream).collect(Collectors.toList());

        assertEquals(30, changed.size(), "every invoice changed exactly once");
        assertEquals(LongStream.rangeClosed(1, 30).boxed().collect(Collectors.toSet()),
                changed.stream().map(s -> s.updatedIndex().getAsLong()).collect(Collectors.toSet()));
        for (StoredInvoice s : list(InvoiceListQuery.all())) {
            assertNotEquals(InvoiceStatus.UNPAID, s.status());
        }
    }

    // ---- delete ---------------------------------------------------------------------------------

    @Test
    void delete_expectedStatus_removesTheInvoiceAndFreesItsLabel() {
        StoredInvoice a = create(invoice("a", LATER));
        create(invoice("b", LATER));

        StepVerifier.create(store.delete("a", InvoiceStatus.UNPAID)).expectNext(a).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.findByLabel("a")).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.findByPaymentHash(a.paymentHash())).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.findByInvstring(a.bolt12())).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.markPaid(a.paymentHash(), 1_000, NOW))
                .expectNext(new MarkPaidOutcome.NotFound(a.paymentHash()))
                .expectComplete().verify(TIMEOUT);
        assertEquals(List.of("b"), labels(list(InvoiceListQuery.all())));

        StoredInvoice again = create(invoice("a", LATER));
        assertEquals(3, again.createdIndex(), "created indexes are never reused");
    }

    @Test
    void delete_paidInvoice_removesItFromPayIndexOrder() {
        StoredInvoice a = pay(create(invoice("a", LATER)), 1_000, NOW);
        StoredInvoice b = pay(create(invoice("b", LATER)), 1_000, NOW);

        StepVerifier.create(store.delete("a", InvoiceStatus.PAID)).expectNext(a).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.firstPaidAfter(0)).expectNext(b).expectComplete().verify(TIMEOUT);
        assertEquals(List.of("b"), labels(list(InvoiceListQuery.all().indexed(ListIndex.UPDATED, 0, OptionalLong.empty()))));
    }

    @Test
    void delete_otherStatus_failsWithBothStatusesAndKeepsTheInvoice() {
        StoredInvoice a = create(invoice("a", LATER));

        StepVerifier.create(store.delete("a", InvoiceStatus.PAID))
                .expectErrorSatisfies(e -> {
                    InvoiceStatusMismatchException m = assertInstanceOf(InvoiceStatusMismatchException.class, e);
                    assertEquals("a", m.label());
                    assertEquals(InvoiceStatus.UNPAID, m.currentStatus());
                    assertEquals(InvoiceStatus.PAID, m.expectedStatus());
                })
                .verify(TIMEOUT);
        assertEquals(a, store.findByLabel("a").block(TIMEOUT));
    }

    @Test
    void delete_unknownLabel_failsNotFound() {
        StepVerifier.create(store.delete("nobody", InvoiceStatus.UNPAID))
                .expectErrorSatisfies(e -> assertEquals("nobody",
                        assertInstanceOf(InvoiceNotFoundException.class, e).label()))
                .verify(TIMEOUT);
    }

    // ---- changes and waits ----------------------------------------------------------------------

    @Test
    void changes_paidExpiredDeleted_areAnnouncedInOrder() {
        StoredInvoice a = create(invoice("a", LATER));
        StoredInvoice b = create(invoice("b", NOW));

        StepVerifier.create(store.changes().take(3))
                .then(() -> {
                    pay(a, 1_000, NOW);
                    store.expire(NOW).blockLast(TIMEOUT);
                    store.delete("b", InvoiceStatus.EXPIRED).block(TIMEOUT);
                })
                .assertNext(c -> {
                    assertEquals(InvoiceChange.Kind.PAID, c.kind());
                    assertEquals("a", c.invoice().label());
                    assertEquals(OptionalLong.of(1), c.invoice().payIndex());
                })
                .assertNext(c -> {
                    assertEquals(InvoiceChange.Kind.EXPIRED, c.kind());
                    assertEquals(b.createdIndex(), c.invoice().createdIndex());
                })
                .assertNext(c -> {
                    assertEquals(InvoiceChange.Kind.DELETED, c.kind());
                    assertEquals(InvoiceStatus.EXPIRED, c.invoice().status());
                })
                .expectComplete().verify(TIMEOUT);
    }

    @Test
    void nextPaidAfter_paidInvoicesExist_answersTheSmallestPayIndexAbove() {
        StoredInvoice a = pay(create(invoice("a", LATER)), 1_000, NOW);
        StoredInvoice b = pay(create(invoice("b", LATER)), 1_000, NOW);

        StepVerifier.create(store.nextPaidAfter(0)).expectNext(a).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.nextPaidAfter(1)).expectNext(b).expectComplete().verify(TIMEOUT);
    }

    @Test
    void nextPaidAfter_negativeIndex_isRefused() {
        StepVerifier.create(store.nextPaidAfter(-1))
                .expectErrorSatisfies(e -> {
                    assertInstanceOf(IllegalArgumentException.class, e);
                    assertEquals("lastpay_index must not be negative", e.getMessage());
                })
                .verify(TIMEOUT);
    }

    @Test
    void nextPaidAfter_noPaymentYet_answersTheNextPayment() {
        StoredInvoice a = pay(create(invoice("a", LATER)), 1_000, NOW);
        StoredInvoice b = create(invoice("b", LATER));
        StoredInvoice c = create(invoice("c", LATER));

        StepVerifier.create(store.nextPaidAfter(a.payIndex().getAsLong()))
                .expectSubscription()
                .then(() -> pay(c, 2_000, NOW + 1))
                .assertNext(s -> {
                    assertEquals("c", s.label());
                    assertEquals(OptionalLong.of(2), s.payIndex());
                })
                .expectComplete()
                .verify(TIMEOUT);
        assertEquals(InvoiceStatus.UNPAID, store.findByLabel(b.label()).block(TIMEOUT).status());
    }

    @Test
    void nextPaidAfter_waitanyinvoiceLoop_seesEveryPaymentOnce() throws Exception {
        List<StoredInvoice> invoices = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            invoices.add(create(invoice("w-" + i, LATER)));
        }
        // A waiter iterating like a waitanyinvoice client, while the payments land concurrently.
        Mono<List<Long>> waiter = Mono.defer(() -> collectPayIndexes(20));
        List<Callable<List<Long>>> tasks = new ArrayList<>();
        tasks.add(() -> waiter.block(TIMEOUT));
        for (StoredInvoice s : invoices) {
            tasks.add(() -> {
                pay(s, 1_000, NOW);
                return List.of();
            });
        }
        List<Long> seen = concurrently(tasks).get(0);
        assertEquals(LongStream.rangeClosed(1, 20).boxed().collect(Collectors.toList()), seen);
    }

    private Mono<List<Long>> collectPayIndexes(int count) {
        List<Long> seen = new ArrayList<>();
        return Mono.just(0L)
                .expand(last -> seen.size() == count ? Mono.empty()
                        : store.nextPaidAfter(last).map(s -> {
                            long next = s.payIndex().getAsLong();
                            seen.add(next);
                            return next;
                        }))
                .then(Mono.fromSupplier(() -> seen));
    }

    @Test
    void awaitSettled_unpaidThenPaid_answersThePaidInvoice() {
        StoredInvoice a = create(invoice("a", LATER));

        StepVerifier.create(store.awaitSettled("a"))
                .expectSubscription()
                .then(() -> pay(a, 1_000, NOW))
                .assertNext(s -> assertEquals(InvoiceStatus.PAID, s.status()))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void awaitSettled_unpaidThenExpired_answersTheExpiredInvoice() {
        create(invoice("a", NOW));

        StepVerifier.create(store.awaitSettled("a"))
                .expectSubscription()
                .then(() -> store.expire(NOW).blockLast(TIMEOUT))
                .assertNext(s -> assertEquals(InvoiceStatus.EXPIRED, s.status()))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void awaitSettled_deletedWhileUnpaid_completesEmpty() {
        create(invoice("a", LATER));

        StepVerifier.create(store.awaitSettled("a"))
                .expectSubscription()
                .then(() -> store.delete("a", InvoiceStatus.UNPAID).block(TIMEOUT))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void awaitSettled_alreadySettledOrUnknown_answersAtOnce() {
        StoredInvoice paid = pay(create(invoice("a", LATER)), 1_000, NOW);

        StepVerifier.create(store.awaitSettled("a")).expectNext(paid).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.awaitSettled("nobody")).expectComplete().verify(TIMEOUT);
    }

    // ---- secrets --------------------------------------------------------------------------------

    @Test
    void toString_ofEveryValue_neverShowsThePreimage() {
        NewInvoice n = invoice("secret", LATER);
        String hex = n.preimage().reveal().toHex();
        StoredInvoice unpaid = create(n);
        StoredInvoice paid = pay(unpaid, 1_000, NOW);
        Throwable duplicate = store.create(n).then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(TIMEOUT);
        assertInstanceOf(DuplicateLabelException.class, duplicate);

        for (Object o : List.of(n, n.preimage(), unpaid, paid, new MarkPaidOutcome.Paid(paid),
                new MarkPaidOutcome.AlreadyPaid(paid), InvoiceChange.paid(paid), duplicate)) {
            assertFalse(o.toString().contains(hex), () -> o.getClass().getSimpleName() + " shows the preimage");
        }
        assertEquals(Optional.of(n.preimage().reveal()), paid.paymentPreimage());
    }

    // ---- durability -----------------------------------------------------------------------------

    @Test
    void restart_reopenedStore_keepsEverythingAndContinuesEveryIndex() throws Exception {
        Bytes32 offer = Hashes.sha256Of("offer".getBytes(StandardCharsets.UTF_8));
        create(fullInvoice("a", offer));
        StoredInvoice b = create(invoice("b", LATER));
        create(invoice("c", NOW));
        pay(b, 4_242, NOW - 1);
        store.expire(NOW).blockLast(TIMEOUT);
        List<StoredInvoice> before = list(InvoiceListQuery.all());

        store = reopenStore(store);

        assertEquals(before, list(InvoiceListQuery.all()));
        StepVerifier.create(store.nextPaidAfter(0)).expectNext(before.get(1)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.create(invoice("b", LATER, preimageFor("again"))))
                .expectError(DuplicateLabelException.class)
                .verify(TIMEOUT);
        assertEquals(4, create(invoice("d", LATER)).createdIndex());
        StoredInvoice paidA = pay(before.get(0), 1, NOW);
        assertEquals(OptionalLong.of(2), paidA.payIndex());
        assertEquals(OptionalLong.of(3), paidA.updatedIndex());
    }
}
