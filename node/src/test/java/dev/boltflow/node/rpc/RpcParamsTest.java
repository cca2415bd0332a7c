package dev.boltflow.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Params by name and by position, and the typed getters' Core Lightning rules. */
class RpcParamsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DECLARED = List.of("invreq", "label", "amount_msat", "timeout", "quantity");

    private static RpcParams params(String json) {
        try {
            return RpcParams.of(DECLARED, JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static RpcException invalid(Runnable r) {
        RpcException e = assertThrows(RpcException.class, r::run);
        assertEquals(RpcException.INVALID_PARAMS, e.code());
        return e;
    }

    @Test
    void positional_mapsOntoDeclaredOrder() {
        RpcParams p = params("[\"lnr1\", \"lbl\", 5000]");
        assertEquals("lnr1", p.string("invreq"));
        assertEquals("lbl", p.string("label"));
        assertEquals(5000, p.msat("amount_msat"));
        assertEquals(OptionalLong.empty(), p.optionalU32("timeout"));
    }

    @Test
    void named_sameAsPositional() {
        RpcParams p = params("{\"label\":\"lbl\",\"invreq\":\"lnr1\"}");
        assertEquals("lnr1", p.string("invreq"));
        assertEquals(Optional.of("lbl"), p.optionalString("label"));
    }

    @Test
    void nullValue_countsAsAbsent() {
        RpcParams p = params("[\"lnr1\", null, null, 60]");
        assertFalse(p.has("label"));
        assertEquals(60, p.u32("timeout"));
        assertEquals("missing required parameter: label", invalid(() -> p.string("label")).getMessage());
    }

    @Test
    void noParams_allAbsent() {
        RpcParams p = RpcParams.of(DECLARED, null);
        assertFalse(p.has("invreq"));
        RpcException e = invalid(() -> p.string("invreq"));
        assertEquals("invreq", e.data().orElseThrow().get("param").asText());
    }

    @Test
    void tooManyPositional_unknownName_scalarParams_rejected() {
        invalid(() -> params("[1,2,3,4,5,6]"));
        assertTrue(invalid(() -> params("{\"lable\":\"x\"}")).getMessage().contains("lable"));
        invalid(() -> params("\"lnr1\""));
    }

    @Test
    void undeclaredName_isAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> params("{}").optionalString("nope"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "5000|5000", "\"5000\"|5000", "\"5000msat\"|5000", "\"5sat\"|5000", "0|0", "\"1btc\"|100000000000",
        "\"0.0001btc\"|10000000", "\"0.00000000001btc\"|1", "\"10sat\"|10000",
        "9223372036854775807|9223372036854775807"})
    void msat_acceptsNumbersAndClnStrings(String json, long expected) {
        assertEquals(expected, params("{\"amount_msat\":" + json + "}").msat("amount_msat"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"-1", "1.5", "\"1.5sat\"", "\"0.000000000001btc\"", "\"5000 sat\"", "\".1btc\"", "\"msat\"", "\"12 msat\"", "true",
        "9223372036854775808", "\"9223372036854775807sat\"", "[1]"})
    void msat_rejectsOthersNamingTheParam(String json) {
        RpcException e = invalid(() -> params("{\"amount_msat\":" + json + "}").msat("amount_msat"));
        assertTrue(e.getMessage().startsWith("amount_msat: should be a millisatoshi amount"), e.getMessage());
        assertEquals("amount_msat", e.data().orElseThrow().get("param").asText());
    }

    @Test
    void u64_fullUnsignedRange() {
        assertEquals(-1L, params("{\"quantity\":18446744073709551615}").u64("quantity"));
        assertEquals(7, params("{\"quantity\":\"7\"}").u64("quantity"));
        invalid(() -> params("{\"quantity\":18446744073709551616}").u64("quantity"));
        invalid(() -> params("{\"quantity\":-1}").u64("quantity"));
    }

    @Test
    void u32_bounds() {
        assertEquals(4294967295L, params("{\"timeout\":4294967295}").u32("timeout"));
        RpcException e = invalid(() -> params("{\"timeout\":4294967296}").u32("timeout"));
        assertEquals("timeout: should be an unsigned 32 bit integer: invalid token '4294967296'", e.getMessage());
    }

    @Test
    void bool_jsonOrWords() {
        assertTrue(params("{\"label\":true}").bool("label"));
        assertFalse(params("{\"label\":\"false\"}").bool("label"));
        assertEquals(Optional.empty(), params("{}").optionalBool("label"));
        invalid(() -> params("{\"label\":1}").bool("label"));
    }

    @Test
    void string_rejectsNonStringsQuotingTheToken() {
        RpcException e = invalid(() -> params("{\"invreq\":{\"a\":1}}").string("invreq"));
        assertEquals("invreq: should be a string: invalid token '{\"a\":1}'", e.getMessage());
    }

    @Test
    void longToken_truncatedInTheMessage() {
        String big = "[" + "1,".repeat(200) + "1]";
        RpcException e = invalid(() -> params("{\"invreq\":" + big + "}").string("invreq"));
        assertTrue(e.getMessage().length() < 150, e.getMessage());
    }

    @Test
    void raw_givesTheValueAsSent() {
        JsonNode v = params("{\"label\":{\"x\":[1]}}").raw("label").orElseThrow();
        assertEquals(1, v.get("x").get(0).asInt());
    }

    /** As many positional params as declared is fine; each typed getter at its edges, as Core Lightning's params take them. */
    @Test
    void typedGetters_acceptTheirWholeRangeAndRefuseOneBeyond() {
        RpcParams all = params("[\"lnr1\", 2024, \"18446744073709551615\", 4294967295, true]");
        assertTrue(all.has("invreq"));
        assertEquals("2024", all.label("label"), "a number is a label too");
        assertEquals(-1L, all.u64("amount_msat"), "2^64-1, unsigned");
        assertEquals(OptionalLong.of(-1L), all.optionalU64("amount_msat"));
        assertEquals(OptionalLong.empty(), params("[]").optionalU64("amount_msat"));
        assertEquals(4294967295L, all.u32("timeout"));
        assertTrue(all.bool("quantity"));
        assertEquals(Optional.of(true), all.optionalBool("quantity"));
        assertEquals(Optional.empty(), params("[]").optionalBool("quantity"));
        assertEquals("RpcParams[invreq, label, amount_msat, timeout, quantity]", all.toString());

        RpcParams beyond = params("[{}, \"x\", \"18446744073709551616\", 4294967296, \"yes\"]");
        assertEquals("lbl", params("[\"lnr1\", \"lbl\"]").label("label"));
        invalid(() -> beyond.label("invreq"));
        invalid(() -> beyond.u64("amount_msat"));
        invalid(() -> beyond.u32("timeout"));
        invalid(() -> beyond.bool("quantity"));
        assertFalse(params("[\"lnr1\", \"lbl\", 1, 2, \"false\"]").bool("quantity"));
        assertFalse(params("[\"lnr1\", \"lbl\", 1, 2, false]").bool("quantity"));
        assertEquals(OptionalLong.of(5_000_000L), params("[\"lnr1\", \"lbl\", \"5000sat\"]").optionalMsat("amount_msat"));
        assertEquals(OptionalLong.empty(), params("[]").optionalMsat("amount_msat"));
        RpcParams zeros = params("[\"lnr1\", \"lbl\", 0, 0, \"true\"]");
        assertEquals(0, zeros.u64("amount_msat"));
        assertEquals(0, zeros.u32("timeout"));
        assertTrue(zeros.bool("quantity"), "the word true");
        assertEquals(Optional.of(false), params("[\"lnr1\", \"lbl\", 1, 2, false]").optionalBool("quantity"));
    }
}
