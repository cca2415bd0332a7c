package dev.boltflow.node.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.sendinvoice.InvoicePayment;
import dev.boltflow.core.sendinvoice.NewInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.core.sendinvoice.StoredInvoice;
import dev.boltflow.node.testing.ClnSchemas;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sendinvoice answer's field names and types are Core Lightning's, paid or not. */
class SendInvoiceResultSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StoredInvoice unpaid() {
        NewInvoice n = new NewInvoice("label", Optional.of("refund"), PaymentPreimage.random(new SecureRandom()),
                1_800_000_090L, 50_000, "lni1qqexample", Optional.empty(), Optional.empty());
        return StoredInvoice.created(n, 7);
    }

    @Test
    void paid_answer_validates_against_sendinvoice_json() {
        StoredInvoice paid = unpaid().paid(new InvoicePayment(3, 50_000, 1_800_000_010L), 4);
        JsonNode json = JSON.valueToTree(SendInvoiceResult.of(paid).toMap());
        assertEquals(List.of(), ClnSchemas.validateResponse("sendinvoice", json));
        assertEquals("paid", json.get("status").asText());
        assertEquals(paid.preimage().reveal().toHex(), json.get("payment_preimage").asText());
    }

    @Test
    void unpaid_answer_validates_and_carries_no_preimage() {
        JsonNode json = JSON.valueToTree(SendInvoiceResult.of(unpaid()).toMap());
        assertEquals(List.of(), ClnSchemas.validateResponse("sendinvoice", json));
        assertFalse(json.has("payment_preimage"));
        assertFalse(json.has("updated_index"));
    }
}
