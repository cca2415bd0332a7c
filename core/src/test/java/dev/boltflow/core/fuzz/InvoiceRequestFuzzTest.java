package dev.boltflow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.InvoiceFixtures;
import dev.boltflow.core.sendinvoice.InvoiceRequestValidator;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sendinvoice's check of a hostile {@code invoice_request}: decode plus
 * {@link InvoiceRequestValidator}. Invariant: an {@code Accepted} whose request is the input byte
 * for byte, breaks no reader rule, and whose amount and expiry are in range; or a
 * {@link SendInvoiceException} with code -32602 (bad request or parameter) or 1002 (expired).
 * Nothing else. Seeds: requests grown from the offers of {@code bolt12/offers-test.json}, and Core
 * Lightning's {@code lnr1} example ({@code ../shared/cln-schemas}).
 */
class InvoiceRequestFuzzTest {
    private static final long BUDGET_PER_BYTE = 2048;
    private static final Set<Integer> CODES = Set.of(SendInvoiceException.INVALID_PARAMS,
            SendInvoiceException.OFFER_EXPIRED);

    static Stream<Arguments> seeds() {
        FuzzSeeds seeds = FuzzSeeds.builder();
        Bolt12Seeds.payloads(seeds);
        seeds.add("Core Lightning sendinvoice example",
                Bolt12String.decode(InvoiceFixtures.clnInvreq()).data().toArray());
        return seeds.arguments();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void invoiceRequest(byte[] input) {
        FuzzChecks.withinAllocation(FuzzChecks.CRYPTO_ALLOWANCE + BUDGET_PER_BYTE * input.length, input,
                () -> check(input));
    }

    private static void check(byte[] input) {
        String lnr = Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP, input);
        SendInvoiceRequest plain = SendInvoiceRequest.of(lnr, "fuzz");
        validate(input, plain);
        // The parameters that interact with the request: a lower amount, a quantity, a long timeout.
        validate(input, plain.withAmountMsat(1).withTimeout(Duration.ofSeconds(SendInvoiceRequest.MAX_TIMEOUT_SECONDS)));
        validate(input, new SendInvoiceRequest(lnr, "fuzz", java.util.OptionalLong.empty(), Duration.ofSeconds(1),
                java.util.OptionalLong.of(input.length == 0 ? 1 : input[0] & 0xff)));
    }

    private static void validate(byte[] input, SendInvoiceRequest params) {
        InvoiceRequestValidator.Accepted ok;
        try {
            ok = InvoiceRequestValidator.validate(params, ChainHashes.BITCOIN, InvoiceFixtures.NOW);
        } catch (SendInvoiceException e) {
            assertTrue(CODES.contains(e.code()), "code " + e.code() + " (" + e.getMessage() + ") for "
                    + FuzzChecks.describe(input));
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return;
        } catch (RuntimeException e) {
            throw FuzzChecks.untyped(e, input);
        }
        assertArrayEquals(input, ok.invoiceRequest().tlvBytes().toArray(), "accepted request keeps its bytes");
        assertEquals(Set.of(), Set.copyOf(ok.invoiceRequest().violations()), "accepted despite violations");
        assertEquals(Set.of(), Set.copyOf(ok.invoiceRequest().nonOfferViolations(Set.of(ChainHashes.BITCOIN))));
        long requested = ok.invoiceRequest().invreqAmount().getAsLong();
        assertTrue(ok.amountMsat() != 0 && Long.compareUnsigned(ok.amountMsat(), requested) <= 0,
                "amount " + ok.amountMsat() + " for invreq_amount " + requested);
        assertTrue(ok.relativeExpirySeconds() >= 1 && ok.relativeExpirySeconds() <= params.timeoutSeconds());
    }
}
