package dev.boltflow.it.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The outcomes a load run asks for, as weights ({@code paid=90,error=5,timeout=5}): how many sends
 * end paid, refused by the payer with an {@code invoice_error} (1004), or unanswered (1005).
 */
public record Mix(Map<Outcome, Integer> weights) {

    /** What the payer does with the invoice of one send. */
    public enum Outcome {
        /** checks and pays it over the simulated link */
        paid(0),
        /** answers invoice_error: sendinvoice fails with 1004 */
        error(1004),
        /** stays silent (its request is disabled): sendinvoice fails with 1005 at its timeout */
        timeout(1005);

        private final int code;

        Outcome(int code) {
            this.code = code;
        }

        /** The sendinvoice error code this outcome ends with; 0 for paid. */
        public int code() {
            return code;
        }

        /** "paid", or the error code as a string: the keys of the harness's outcome maps. */
        public String key() {
            return code == 0 ? "paid" : Integer.toString(code);
        }
    }

    public Mix {
        Objects.requireNonNull(weights, "weights");
        EnumMap<Outcome, Integer> copy = new EnumMap<>(Outcome.class);
        int total = 0;
        for (Outcome o : Outcome.values()) {
            int w = weights.getOrDefault(o, 0);
            if (w < 0) {
                throw new IllegalArgumentException("mix weight of " + o + " is negative: " + w);
            }
            copy.put(o, w);
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("mix weights add up to 0");
        }
        weights = Collections.unmodifiableMap(copy);
    }

    /** Parses {@code paid=90,error=5,timeout=5}; an outcome not named has weight 0. */
    public static Mix parse(String text) {
        EnumMap<Outcome, Integer> weights = new EnumMap<>(Outcome.class);
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("mix entry '" + part + "' is not outcome=weight");
            }
            Outcome o;
            try {
                o = Outcome.valueOf(kv[0].trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mix outcome '" + kv[0].trim() + "' is not one of paid, error, timeout");
            }
            int w;
            try {
                w = Integer.parseInt(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mix weight '" + kv[1].trim() + "' is not an integer");
            }
            if (weights.put(o, w) != null) {
                throw new IllegalArgumentException("mix names " + o + " twice");
            }
        }
        return new Mix(weights);
    }

    /** Exact counts for {@code n} sends (largest remainder: they add up to {@code n}). */
    public Map<Outcome, Integer> counts(int n) {
        long total = weights.values().stream().mapToLong(Integer::longValue).sum();
        EnumMap<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        List<Outcome> byRemainder = new ArrayList<>(List.of(Outcome.values()));
        int assigned = 0;
        for (Outcome o : Outcome.values()) {
            int c = (int) ((long) n * weights.get(o) / total);
            counts.put(o, c);
            assigned += c;
        }
        byRemainder.sort((a, b) -> Long.compare((long) n * weights.get(b) % total, (long) n * weights.get(a) % total));
        for (int i = 0; assigned < n; i = (i + 1) % byRemainder.size()) {
            Outcome o = byRemainder.get(i);
            if (weights.get(o) > 0) {
                counts.merge(o, 1, Integer::sum);
                assigned++;
            }
        }
        return counts;
    }

    /** {@link #counts} outcomes in a shuffled order (seeded), so every part of the run sees the mix. */
    public List<Outcome> plan(int n, long seed) {
        List<Outcome> plan = new ArrayList<>(n);
        counts(n).forEach((o, c) -> {
            for (int i = 0; i < c; i++) {
                plan.add(o);
            }
        });
        Collections.shuffle(plan, new Random(seed));
        return plan;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        weights.forEach((o, w) -> sb.append(sb.length() == 0 ? "" : ",").append(o).append('=').append(w));
        return sb.toString();
    }
}
