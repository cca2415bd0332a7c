package dev.boltflow.node.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.bolt12.Bolt12Check;
import dev.boltflow.core.bolt12.Bolt12Object;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bolt12.Offer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Core Lightning's {@code decode} for BOLT 12 strings, shared by the {@code decode} subcommand and
 * the {@code decode} RPC method: strip a {@code lightning:} prefix, decode, check the rules at a
 * given time, and render with {@link Bolt12Json}. Every answer is one Core Lightning's
 * {@code decode.json} allows: expiry is not part of it (Core Lightning has no field for it).
 */
public final class Bolt12Decoding {
    private Bolt12Decoding() {
    }

    /** How a string fared. */
    public enum Verdict {
        /** Decodes, and its structure and signature are right (expiry is only a note). */
        VALID,
        /** Decodes but breaks a rule: {@code valid: false} with Core Lightning's warnings, or an error. */
        BREAKS_A_RULE,
        /** Cannot be decoded at all. */
        UNDECODABLE
    }

    /**
     * The answer: Core Lightning's decode object ({@code json}, valid or not, always within
     * {@code decode.json}), or, where Core Lightning's decoder would refuse the string, the
     * {@code error} message for a -32602 on {@code string}. {@code notes} are for a person (an
     * expiry passed), never part of the answer.
     */
    public record Outcome(Optional<ObjectNode> json, Verdict verdict, Optional<String> error, List<String> notes) {
        public Outcome {
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(error, "error");
            notes = List.copyOf(notes);
            if (json.isPresent() == error.isPresent()) {
                throw new IllegalArgumentException("an outcome is either a decode object or an error");
            }
        }
    }

    /** Decodes {@code s} and checks it as of {@code nowEpochSeconds}. */
    public static Outcome decode(String s, long nowEpochSeconds) {
        String text = stripUri(s);
        Bolt12Object object;
        try {
            object = Bolt12Object.decode(text);
        } catch (DecodeException e) {
            return new Outcome(Optional.empty(), Verdict.UNDECODABLE, Optional.of("invalid string: " + e.getMessage()),
                    List.of());
        }
        Bolt12Check.Result check = Bolt12Check.check(object, nowEpochSeconds);
        Optional<ObjectNode> json = Bolt12Json.decode(object, check);
        if (json.isEmpty()) {
            StringBuilder why = new StringBuilder("invalid ").append(kind(object)).append(": ");
            for (int i = 0; i < check.violations().size(); i++) {
                why.append(i == 0 ? "" : "; ").append(check.violations().get(i).getMessage());
            }
            return new Outcome(Optional.empty(), Verdict.BREAKS_A_RULE, Optional.of(why.toString()), check.warnings());
        }
        boolean valid = json.get().get("valid").asBoolean();
        return new Outcome(json, valid ? Verdict.VALID : Verdict.BREAKS_A_RULE, Optional.empty(), check.warnings());
    }

    private static String kind(Bolt12Object object) {
        return object instanceof Offer ? "offer" : object instanceof InvoiceRequest ? "invoice_request" : "invoice";
    }

    /** Core Lightning accepts a {@code lightning:} (any case) URI prefix. */
    public static String stripUri(String s) {
        return s.regionMatches(true, 0, "lightning:", 0, "lightning:".length())
                ? s.substring("lightning:".length()) : s;
    }
}
