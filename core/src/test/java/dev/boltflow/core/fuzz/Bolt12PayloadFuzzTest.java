package dev.boltflow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.boltflow.core.bolt12.Bolt12Object;
import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceError;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bolt12.Offer;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The typed BOLT 12 decoders from hostile TLV bytes: the same bytes are read as an offer, an
 * invoice_request, an invoice and an invoice_error. Invariant: each either throws
 * {@link Bolt12ParseException} or keeps the bytes exactly (decode→encode gives the input, also
 * through the bolt12 string), and its reader checks run without throwing. Seeds: the offers of
 * {@code bolt12/offers-test.json}, requests grown from them and invoices answering those.
 */
class Bolt12PayloadFuzzTest {
    private static final long BUDGET_PER_BYTE = 1024;

    static Stream<Arguments> seeds() {
        FuzzSeeds seeds = FuzzSeeds.builder();
        Bolt12Seeds.payloads(seeds);
        return seeds.arguments();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void bolt12Payload(byte[] input) {
        FuzzChecks.withinAllocation(FuzzChecks.CRYPTO_ALLOWANCE + BUDGET_PER_BYTE * input.length, input,
                () -> check(input));
    }

    private static void check(byte[] input) {
        typed(input, Bolt12String.OFFER_HRP, Offer::decode);
        typed(input, Bolt12String.INVOICE_REQUEST_HRP, InvoiceRequest::decode);
        typed(input, Bolt12String.INVOICE_HRP, Invoice::decode);
        try {
            InvoiceError e = InvoiceError.decode(input);
            for (Bolt12ParseException v : e.violations()) {
                assertFalse(v.getMessage().isBlank());
            }
        } catch (RuntimeException e) {
            FuzzChecks.isTypedDecodeError(e, input);
        }
    }

    private static void typed(byte[] input, String hrp, Function<byte[], ? extends Bolt12Object> decoder) {
        Bolt12Object o;
        try {
            o = decoder.apply(input);
        } catch (RuntimeException e) {
            FuzzChecks.isTypedDecodeError(e, input);
            return;
        }
        assertEquals(hrp, o.hrp());
        assertArrayEquals(input, o.tlvBytes().toArray(), "bytes kept as decoded");
        assertArrayEquals(input, o.records().encode(), "records re-encode to the input");
        String s = o.encode();
        assertEquals(Bolt12String.encode(hrp, input), s);
        Bolt12Object again = Bolt12Object.decode(s);
        assertArrayEquals(input, again.tlvBytes().toArray(), "string round trip");
        readerChecksDoNotThrow(o, input);
    }

    /** The reader rules report violations as typed values; computing them must not throw. */
    static void readerChecksDoNotThrow(Bolt12Object o, byte[] input) {
        List<Bolt12ParseException> violations;
        try {
            violations = o.violations();
            if (o instanceof InvoiceRequest r) {
                violations = r.nonOfferViolations(Set.of(ChainHashes.BITCOIN));
            }
        } catch (RuntimeException e) {
            throw FuzzChecks.untyped(e, input);
        }
        for (Bolt12ParseException v : violations) {
            assertFalse(v.getMessage() == null || v.getMessage().isBlank(), "violation without a message");
        }
    }
}
