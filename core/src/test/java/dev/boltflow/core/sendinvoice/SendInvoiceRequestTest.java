package dev.boltflow.core.sendinvoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.sendinvoice.SendInvoiceException.InvalidParam;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The sendinvoice parameters (lightning-sendinvoice(7)): defaults and -32602 for malformed values. */
class SendInvoiceRequestTest {
    private static final String INVREQ = "lnr1qqg804wzdsyn8g4mf2yc22k8xvjpjzstwd5k6urvv5s8getnw3gzqp3zderp";

    private static void assertInvalid(String param, Executable e) {
        SendInvoiceException x = assertThrows(SendInvoiceException.class, e);
        assertEquals(-32602, x.code());
        assertEquals(SendInvoiceException.Code.INVALID_PARAMS, x.kind());
        assertEquals(new InvalidParam(param, Optional.empty()), x.data().orElseThrow());
        assertTrue(x.getMessage().startsWith(param + ": "), x.getMessage());
    }

    @Test
    void defaults_are_core_lightnings() {
        SendInvoiceRequest r = SendInvoiceRequest.of(INVREQ, "label");
        assertEquals(INVREQ, r.invreq());
        assertEquals("label", r.label());
        assertEquals(OptionalLong.empty(), r.amountMsat());
        assertEquals(Duration.ofSeconds(90), r.timeout());
        assertEquals(90, r.timeoutSeconds());
        assertEquals(OptionalLong.empty(), r.quantity());
        // null optionals (as a JSON adapter may pass them) mean "absent" and "default".
        assertEquals(r, new SendInvoiceRequest(INVREQ, "label", null, null, null));
    }

    @Test
    void optional_parameters_are_kept() {
        SendInvoiceRequest r = SendInvoiceRequest.of(INVREQ, "").withAmountMsat(5).withTimeout(Duration.ofSeconds(7200))
                .withQuantity(0);
        assertEquals(OptionalLong.of(5), r.amountMsat());
        assertEquals(7200, r.timeoutSeconds());
        assertEquals(OptionalLong.of(0), r.quantity());
        assertEquals("", r.label());
    }

    @Test
    void invreq_and_label_are_required() {
        assertInvalid("invreq", () -> SendInvoiceRequest.of(null, "l"));
        assertInvalid("invreq", () -> SendInvoiceRequest.of(" \n", "l"));
        assertInvalid("label", () -> SendInvoiceRequest.of(INVREQ, null));
    }

    @Test
    void amount_must_be_positive_and_at_most_21_million_bitcoin() {
        assertInvalid("amount_msat", () -> SendInvoiceRequest.of(INVREQ, "l").withAmountMsat(0));
        assertInvalid("amount_msat", () -> SendInvoiceRequest.of(INVREQ, "l").withAmountMsat(-1));
        assertInvalid("amount_msat", () -> SendInvoiceRequest.of(INVREQ, "l").withAmountMsat(2_100_000_000_000_000_001L));
        assertEquals(1, SendInvoiceRequest.of(INVREQ, "l").withAmountMsat(1).amountMsat().getAsLong());
        assertEquals(2_100_000_000_000_000_000L, SendInvoiceRequest.of(INVREQ, "l")
                .withAmountMsat(2_100_000_000_000_000_000L).amountMsat().getAsLong());
    }

    /** Checked before anything is decoded or signed: -32602 naming the label, never -1 from the store. */
    @Test
    void label_is_text_without_nul_of_at_most_1024_bytes() {
        assertInvalid("label", () -> SendInvoiceRequest.of(INVREQ, "a\0b"));
        assertInvalid("label", () -> SendInvoiceRequest.of(INVREQ, "\0b"));
        assertInvalid("label", () -> SendInvoiceRequest.of(INVREQ, "x".repeat(1025)));
        assertInvalid("label", () -> SendInvoiceRequest.of(INVREQ, "\u00e9".repeat(513))); // 1026 bytes of UTF-8
        assertInvalid("label", () -> SendInvoiceRequest.of(INVREQ, "lone \ud800 surrogate"));
        assertEquals(1024, SendInvoiceRequest.of(INVREQ, "x".repeat(1024)).label().length());
        assertEquals(512, SendInvoiceRequest.of(INVREQ, "\u00e9".repeat(512)).label().length());
        assertEquals("\ud83d\udca1 ok", SendInvoiceRequest.of(INVREQ, "\ud83d\udca1 ok").label());
    }

    @Test
    void timeout_must_be_positive_and_fit_a_u32() {
        SendInvoiceRequest r = SendInvoiceRequest.of(INVREQ, "l");
        assertInvalid("timeout", () -> r.withTimeout(Duration.ZERO));
        assertInvalid("timeout", () -> r.withTimeout(Duration.ofSeconds(-1)));
        assertInvalid("timeout", () -> r.withTimeout(Duration.ofSeconds(0x1_0000_0000L)));
        assertInvalid("timeout", () -> r.withTimeout(Duration.ofSeconds(0xffffffffL).plusNanos(1)));
        assertInvalid("timeout", () -> r.withTimeout(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
        assertEquals(0xffffffffL, r.withTimeout(Duration.ofSeconds(0xffffffffL)).timeoutSeconds());
        // Sub-second parts round up: the invoice never expires before the wait ends.
        assertEquals(1, r.withTimeout(Duration.ofMillis(1)).timeoutSeconds());
        assertEquals(91, r.withTimeout(Duration.ofMillis(90_001)).timeoutSeconds());
    }
}
