package dev.boltflow.core.sendinvoice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** waitinvoice when the invoice changes while its first lookup is on its way back. */
class InvoiceWaitsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The lookup finds the invoice unpaid, and it is paid before that answer arrives: the change,
     * seen before the answer, is held and settles the wait (it is never lost).
     */
    @Test
    void a_payment_announced_before_the_first_lookup_answers_settles_the_wait() {
        InMemoryInvoiceStore real = new InMemoryInvoiceStore();
        StoredInvoice a = real.create(new NewInvoice("a", Optional.empty(), PaymentPreimage.random(RANDOM),
                1_900_000_000L, 1_000, "lni1a", Optional.empty(), Optional.empty())).block();
        InvoiceStore paidMeanwhile = (InvoiceStore) Proxy.newProxyInstance(InvoiceStore.class.getClassLoader(),
                new Class<?>[] {InvoiceStore.class}, (proxy, m, args) -> {
                    try {
                        Object r = m.invoke(real, args);
                        if (m.getName().equals("findByLabel")) {
                            return ((Mono<?>) r).doOnNext(unpaid ->
                                    real.markPaid(a.paymentHash(), 1_000, 1_800_000_000L).block());
                        }
                        return r;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        StepVerifier.create(InvoiceWaits.awaitSettled(paidMeanwhile, "a"))
                .assertNext(i -> assertEquals(InvoiceStatus.PAID, i.status()))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }
}
