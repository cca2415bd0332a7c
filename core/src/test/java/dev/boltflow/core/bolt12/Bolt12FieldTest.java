package dev.boltflow.core.bolt12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.testing.Vectors;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The field names and the three namespaces, read from the BOLT 12 text itself: every
 * {@code type: N (`name`)} line of a {@code tlv_stream} is what error messages and {@code decode}
 * call that field, and the types a namespace defines are exactly those its stream lists.
 */
class Bolt12FieldTest {
    private static final Pattern STREAM = Pattern.compile("^1\\. `tlv_stream`: `(\\w+)`");
    private static final Pattern TYPE = Pattern.compile("^\\s+1\\. type: (\\d+) \\(`(\\w+)`\\)");

    /** Per tlv_stream of 12-offer-encoding.md, its types and their names. */
    private static Map<String, Map<Long, String>> specStreams() {
        Map<String, Map<Long, String>> out = new TreeMap<>();
        Map<Long, String> current = null;
        for (String line : Vectors.text("12-offer-encoding.md").split("\n")) {
            Matcher s = STREAM.matcher(line);
            if (s.find()) {
                current = out.computeIfAbsent(s.group(1), k -> new TreeMap<>());
                continue;
            }
            Matcher t = TYPE.matcher(line);
            if (t.find() && current != null) {
                current.put(Long.parseLong(t.group(1)), t.group(2));
            } else if (!line.isBlank() && !line.startsWith(" ") && !line.equals("2. types:")) {
                current = null; // the stream's list ended
            }
        }
        return out;
    }

    @Test
    void every_field_the_spec_names_has_its_name() {
        Map<String, Map<Long, String>> streams = specStreams();
        assertEquals(11, streams.get("offer").size(), streams.toString());
        assertEquals(30, streams.get("invoice").size(), streams.toString());
        for (String stream : new String[] {"offer", "invoice_request", "invoice"}) {
            for (Map.Entry<Long, String> e : streams.get(stream).entrySet()) {
                assertEquals(e.getValue(), Bolt12Field.name(e.getKey()), stream + " type " + e.getKey());
                assertEquals(e.getValue() + " (" + e.getKey() + ")", Bolt12Field.describe(e.getKey()));
            }
        }
    }

    @Test
    void a_type_the_spec_does_not_name_is_described_by_its_number() {
        Map<Long, String> invoice = specStreams().get("invoice");
        for (long type = 0; type <= 1001; type++) {
            if (!invoice.containsKey(type)) {
                assertNull(Bolt12Field.name(type), "type " + type);
                assertEquals("field " + type, Bolt12Field.describe(type));
            }
        }
        assertNull(Bolt12Field.name(-1));
        assertEquals("field 18446744073709551615", Bolt12Field.describe(-1));
        assertEquals("field 1000000001", Bolt12Field.describe(1_000_000_001L));
    }

    @Test
    void each_namespace_defines_exactly_the_types_its_stream_lists() {
        Map<String, Map<Long, String>> streams = specStreams();
        Map<Namespace, Map<Long, String>> byNamespace = Map.of(Namespace.OFFER, streams.get("offer"),
                Namespace.INVOICE_REQUEST, streams.get("invoice_request"), Namespace.INVOICE, streams.get("invoice"));
        for (Map.Entry<Namespace, Map<Long, String>> e : byNamespace.entrySet()) {
            for (long type = 0; type <= 1001; type++) {
                assertEquals(e.getValue().containsKey(type), e.getKey().defines(type), e.getKey() + " type " + type);
            }
            assertFalse(e.getKey().defines(1_000_000_000L));
            assertFalse(e.getKey().defines(-2));
        }
    }

    @Test
    void signature_types_are_240_through_1000() {
        assertFalse(Bolt12Field.isSignatureType(239));
        assertTrue(Bolt12Field.isSignatureType(240));
        assertTrue(Bolt12Field.isSignatureType(1000));
        assertFalse(Bolt12Field.isSignatureType(1001));
        assertFalse(Bolt12Field.isSignatureType(-240));
    }
}
