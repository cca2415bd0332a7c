package dev.boltflow.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.boltflow.core.testing.Vectors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Core Lightning's RPC schemas (read where they live, {@code ../shared/cln-schemas}) turned into
 * standard JSON Schema, so our answers can be checked field for field. Core Lightning's schemas use
 * their own scalar types ({@code msat}, {@code pubkey}, {@code hex}, …); as Core Lightning's test
 * harness does, we give each of them a concrete check.
 */
public final class ClnSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private ClnSchemas() {
    }

    /**
     * The violations of {@code response} against the response schema of {@code command}. boltflow's
     * own fields, which Core Lightning's schemas do not know, live in one top-level {@code boltflow}
     * object (getinfo's {@code boltflow.secp256k1}); it is left out, everything else is checked.
     */
    public static List<String> validateResponse(String command, JsonNode response) {
        JsonSchema schema = CACHE.computeIfAbsent(command + "#response", k -> load(command, "response"));
        JsonNode checked = response;
        if (response instanceof ObjectNode o && o.get(BOLTFLOW_FIELDS) instanceof ObjectNode) {
            checked = o.deepCopy().without(BOLTFLOW_FIELDS);
        }
        return messages(schema.validate(checked));
    }

    /** The top-level member that holds boltflow's extensions to Core Lightning's answers. */
    public static final String BOLTFLOW_FIELDS = "boltflow";

    /** The violations of {@code request} (the params object) against the request schema. */
    public static List<String> validateRequest(String command, JsonNode params) {
        JsonSchema schema = CACHE.computeIfAbsent(command + "#request", k -> load(command, "request"));
        return messages(schema.validate(params));
    }

    /** The raw Core Lightning schema file of a command. */
    public static JsonNode raw(String command) {
        return Vectors.readJson(Vectors.clnSchemasDir().resolve(command + ".json"));
    }

    private static List<String> messages(Set<ValidationMessage> set) {
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : set) {
            out.add(m.getMessage());
        }
        return out;
    }

    private static JsonSchema load(String command, String part) {
        JsonNode doc = raw(command);
        JsonNode section = doc.get(part);
        if (section == null) {
            throw new IllegalArgumentException(command + ".json has no " + part + " schema");
        }
        ObjectNode standard = (ObjectNode) translate(section.deepCopy());
        if (!standard.has("type")) {
            standard.put("type", "object");
        }
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(standard);
    }

    /** Replaces Core Lightning's scalar types with standard ones, recursively. */
    static JsonNode translate(JsonNode node) {
        if (node instanceof ObjectNode o) {
            JsonNode type = o.get("type");
            if (type != null && type.isTextual()) {
                ObjectNode replacement = scalar(type.asText());
                if (replacement != null) {
                    o.remove("type");
                    o.setAll(replacement);
                }
            }
            Iterator<Map.Entry<String, JsonNode>> fields = o.properties().iterator();
            List<Map.Entry<String, JsonNode>> copy = new ArrayList<>();
            fields.forEachRemaining(copy::add);
            for (Map.Entry<String, JsonNode> e : copy) {
                if (e.getKey().equals("description")) {
                    continue;
                }
                o.set(e.getKey(), translate(e.getValue()));
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, translate(a.get(i)));
            }
        }
        return node;
    }

    private static ObjectNode scalar(String type) {
        switch (type) {
            case "hex":
            case "signature":
                return string("^([0-9a-f]{2})*$");
            case "hash":
            case "secret":
            case "txid":
                return string("^[0-9a-f]{64}$");
            case "pubkey":
                return string("^0[23][0-9a-f]{64}$");
            case "bip340sig":
                return string("^[0-9a-f]{128}$");
            case "short_channel_id":
                return string("^[0-9]+x[0-9]+x[0-9]+$");
            case "short_channel_id_dir":
                return string("^[0-9]+x[0-9]+x[0-9]+/[01]$");
            case "outpoint":
                return string("^[0-9a-f]{64}:[0-9]+$");
            case "currency":
                return string("^[A-Z]{3}$");
            case "u8":
                return unsigned(0xffL);
            case "u16":
                return unsigned(0xffffL);
            case "u32":
                return unsigned(0xffffffffL);
            case "u64":
            case "msat":
            case "sat":
                return unsigned(-1);
            case "msat_or_all":
            case "msat_or_any":
            case "sat_or_all":
            case "feerate":
                return F.objectNode().set("type", F.arrayNode().add("integer").add("string"));
            case "outputdesc":
                return F.objectNode().put("type", "object");
            default:
                return null;
        }
    }

    private static ObjectNode string(String pattern) {
        return F.objectNode().put("type", "string").put("pattern", pattern);
    }

    private static ObjectNode unsigned(long max) {
        ObjectNode o = F.objectNode().put("type", "integer").put("minimum", 0);
        if (max > 0) {
            o.put("maximum", max);
        }
        return o;
    }
}
