import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-package bars of the mutation profile (README "Mutation testing"), checked on PIT's
 * mutations.xml of one module: for every package, score = killed ÷ all and strength = killed ÷
 * covered, where a timed-out or memory-exhausted mutant counts as killed and a mutant listed in the
 * equivalents file (each with its reason) counts as neither. Prints one line per package and exits
 * 1 when a package is below its bar, or when the equivalents file has a line without a reason or a
 * line that matched no surviving mutant (so the list cannot rot).
 *
 * <p>Run as a single-file program: {@code java .ci/MutationThresholds.java MODULE_TARGET EQUIVALENTS
 * RULE...}; a rule is {@code PACKAGE_PREFIX:score=90} or {@code PACKAGE:strength=95} (a package
 * matches a prefix rule when it starts with the prefix).
 */
public final class MutationThresholds {
    private static final Pattern MUTATION = Pattern.compile("<mutation [^>]*detected='(true|false)'[^>]*status='([A-Z_]+)'[^>]*>(.*?)</mutation>",
            Pattern.DOTALL);

    record Mutant(String clazz, String method, int line, String mutator, String status, String description) {
        String pkg() {
            int dot = clazz.lastIndexOf('.');
            return dot < 0 ? "" : clazz.substring(0, dot);
        }

        boolean killed() {
            return status.equals("KILLED") || status.equals("TIMED_OUT") || status.equals("MEMORY_ERROR")
                    || status.equals("RUN_ERROR");
        }

        boolean covered() {
            return !status.equals("NO_COVERAGE");
        }

        String key() {
            return clazz + "|" + method + "|" + line + "|" + shortMutator();
        }

        String shortMutator() {
            int dot = mutator.lastIndexOf('.');
            return dot < 0 ? mutator : mutator.substring(dot + 1);
        }
    }

    record Equivalent(String key, String reason, int lineNumber) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: java MutationThresholds.java MODULE_TARGET EQUIVALENTS RULE...");
            System.exit(64);
        }
        Path report = Path.of(args[0], "pit-reports", "mutations.xml");
        if (!Files.exists(report)) {
            // The parent pom (in the reactor with -am or a build from the root) has no code to mutate, and
            // a module none of whose classes match -DtargetClasses gets no report from PIT
            // (-DfailWhenNoMutations=false): either way there is nothing to check.
            System.out.println(Files.isDirectory(Path.of(args[0], "classes"))
                    ? "no mutants in " + args[0] + " for this run: nothing to check"
                    : "no production code in " + args[0] + ": nothing to check");
            System.exit(0);
        }
        String xml = Files.readString(report);
        List<Mutant> mutants = new ArrayList<>();
        Matcher m = MUTATION.matcher(xml);
        while (m.find()) {
            String body = m.group(3);
            mutants.add(new Mutant(tag(body, "mutatedClass"), tag(body, "mutatedMethod"),
                    Integer.parseInt(tag(body, "lineNumber")), tag(body, "mutator"), m.group(2), tag(body, "description")));
        }
        List<Equivalent> equivalents = new ArrayList<>();
        boolean ok = true;
        List<String> lines = Files.exists(Path.of(args[1])) ? Files.readAllLines(Path.of(args[1])) : List.of();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sep = line.indexOf(" -- ");
            if (sep < 0 || line.substring(sep + 4).isBlank()) {
                System.out.println(args[1] + ":" + (i + 1) + ": an equivalent mutant needs its reason after ' -- '");
                ok = false;
                continue;
            }
            equivalents.add(new Equivalent(line.substring(0, sep).strip(), line.substring(sep + 4).strip(), i + 1));
        }
        Map<String, int[]> byPackage = new TreeMap<>(); // all, killed, covered, excluded
        List<Equivalent> used = new ArrayList<>();
        for (Mutant mu : mutants) {
            int[] c = byPackage.computeIfAbsent(mu.pkg(), k -> new int[4]);
            if (!mu.killed()) {
                Equivalent e = equivalents.stream().filter(q -> q.key().equals(mu.key())).findFirst().orElse(null);
                if (e != null) {
                    used.add(e);
                    c[3]++;
                    continue;
                }
            }
            c[0]++;
            if (mu.killed()) {
                c[1]++;
            }
            if (mu.covered()) {
                c[2]++;
            }
        }
        for (Equivalent e : equivalents) {
            if (module(e.key(), mutants) && !used.contains(e)) {
                System.out.println(args[1] + ":" + e.lineNumber() + ": no surviving mutant " + e.key()
                        + " in this module: take the line out");
                ok = false;
            }
        }
        for (Map.Entry<String, int[]> p : byPackage.entrySet()) {
            int[] c = p.getValue();
            double score = c[0] == 0 ? 100 : 100.0 * c[1] / c[0];
            double strength = c[2] == 0 ? 100 : 100.0 * c[1] / c[2];
            StringBuilder verdict = new StringBuilder();
            for (int i = 2; i < args.length; i++) {
                String[] rule = args[i].split("[:=]");
                if (!p.getKey().startsWith(rule[0])) {
                    continue;
                }
                double bar = Double.parseDouble(rule[2]);
                double value = rule[1].equals("score") ? score : strength;
                if (value < bar) {
                    verdict.append(" BELOW ").append(rule[1]).append(" ").append(rule[2]).append(" %");
                    ok = false;
                }
            }
            System.out.printf(Locale.ROOT, "%-40s score %5.1f %% (%d of %d)  strength %5.1f %% (%d covered)%s%s%n",
                    p.getKey(), score, c[1], c[0], strength, c[2],
                    c[3] == 0 ? "" : "  [" + c[3] + " equivalent]", verdict);
        }
        System.exit(ok ? 0 : 1);
    }

    /** Whether the equivalent's class was mutated in this module's report at all. */
    private static boolean module(String key, List<Mutant> mutants) {
        String clazz = key.substring(0, key.indexOf('|'));
        return mutants.stream().anyMatch(mu -> mu.clazz().equals(clazz));
    }

    private static String tag(String body, String name) {
        int a = body.indexOf("<" + name + ">");
        int b = body.indexOf("</" + name + ">");
        if (a < 0 || b < 0) {
            a = body.indexOf("<" + name);
            return "";
        }
        return body.substring(a + name.length() + 2, b).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
