package dev.boltflow.node.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.bolt12.Bolt12Check;
import dev.boltflow.core.bolt12.Bolt12Object;
import dev.boltflow.core.bytes.DecodeException;
import java.util.Objects;
import java.util.Optional;

/**
 * Core Lightning's {@code decode} for BOLT 12 strings, shared by the {@code decode} subcommand and
 * the {@code decode} RPC method: strip a {@code lightning:} prefix, decode, check the rules at a
 * given time, and render with {@link Bolt12Json}.
 */
public final class Bolt12Decoding {
    private Bolt12Decoding() {
    }

    /** How a string fared. */
    public enum Verdict {
        /** Decodes, and its structure and signature are right (expiry is only a warning). */
        VALID,
        /** Decodes but breaks a rule; the JSON says {@code valid: false} and lists the reasons. */
        BREAKS_A_RULE,
        /** Cannot be decoded at all. */
        UNDECODABLE
    }

    /**
     * The answer: {@code json} is Core Lightning's decode object (or, when undecodable, {@code valid:
     * false} with the reason); {@code failure} is the decode error when there is one.
     */
    public record Outcome(ObjectNode json, Verdict verdict, Optional<DecodeException> failure) {
        public Outcome {
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** Decodes {@code s} and checks it as of {@code nowEpochSeconds}. */
    public static Outcome decode(String s, long nowEpochSeconds) {
        String text = stripUri(s);
        Bolt12Object object;
        try {
            object = Bolt12Object.decode(text);
        } catch (DecodeException e) {
            return new Outcome(Bolt12Json.undecodable(text, e), Verdict.UNDECODABLE, Optional.of(e));
        }
        Bolt12Check.Result check = Bolt12Check.check(object, nowEpochSeconds);
        return new Outcome(Bolt12Json.decode(object, check),
                check.isValid() ? Verdict.VALID : Verdict.BREAKS_A_RULE, Optional.empty());
    }

    /** Core Lightning accepts a {@code lightning:} (any case) URI prefix. */
    public static String stripUri(String s) {
        return s.regionMatches(true, 0, "lightning:", 0, "lightning:".length())
                ? s.substring("lightning:".length()) : s;
    }
}
