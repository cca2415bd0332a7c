package dev.boltflow.node.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema translation accepts Core Lightning's own documented answers and refuses broken ones. */
class ClnSchemasTest {

    private static JsonNode documentedResponse(String command) {
        return ClnSchemas.raw(command).get("json_example").get(0).get("response");
    }

    @Test
    void sendinvoice_documented_example_is_valid() {
        assertEquals(List.of(), ClnSchemas.validateResponse("sendinvoice", documentedResponse("sendinvoice")));
    }

    @Test
    void sendinvoice_paid_without_preimage_is_refused() {
        ObjectNode broken = documentedResponse("sendinvoice").deepCopy();
        broken.remove("payment_preimage");
        assertFalse(ClnSchemas.validateResponse("sendinvoice", broken).isEmpty());
    }

    @Test
    void sendinvoice_bad_hash_and_negative_amount_are_refused() {
        ObjectNode broken = documentedResponse("sendinvoice").deepCopy();
        broken.put("payment_hash", "xyz");
        assertFalse(ClnSchemas.validateResponse("sendinvoice", broken).isEmpty());
        ObjectNode negative = documentedResponse("sendinvoice").deepCopy();
        negative.put("amount_msat", -2);
        assertFalse(ClnSchemas.validateResponse("sendinvoice", negative).isEmpty());
    }

    @Test
    void sendinvoice_unknown_field_is_refused() {
        ObjectNode broken = documentedResponse("sendinvoice").deepCopy();
        broken.put("surprise", 1);
        assertFalse(ClnSchemas.validateResponse("sendinvoice", broken).isEmpty());
    }
}
