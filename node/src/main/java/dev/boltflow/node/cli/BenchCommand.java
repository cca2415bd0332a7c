package dev.boltflow.node.cli;

import dev.boltflow.core.crypto.Secp256k1Provider;
import dev.boltflow.core.sendinvoice.InvoiceRequestValidator;
import dev.boltflow.node.bench.BackToBack;
import dev.boltflow.node.bench.BenchFixtures;
import dev.boltflow.node.bench.Parallel;
import dev.boltflow.node.bench.SendInvoiceStages;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: how fast this machine does the CPU work of one sendinvoice, the way
 * {@code openssl speed} measures: warmed up, then each stage run back to back for a fixed time, on
 * one thread or on {@code --threads N} at once (each with its own workload), operations divided by
 * the measuring threads' CPU time (robust on a machine others share), or by wall-clock time with
 * {@code --elapsed}. One compact JSON line
 * per stage on stdout, always in the same order and with the same names (scripts compare them
 * across versions): {@code {"name":"pipeline","provider":"native","ops_per_s":612.3,"us_per_op":1633.2}}
 * — {@code ops_per_s} over all threads, {@code us_per_op} the time of one operation on one thread
 * (threads ÷ ops/s), {@code provider} the secp256k1 provider ({@code --secp256k1}).
 */
@Command(name = "bench",
        description = {"Measure the CPU stages of sendinvoice; one JSON line per stage."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {" 0:measured", " 1:--secp256k1 native and libsecp256k1 does not load", "64:usage error"})
public final class BenchCommand implements Callable<Integer> {
    /** The stage names, in output order. Stable: scripts compare them. */
    public static final List<String> STAGES = List.of("invreq_decode_verify", "invoice_build_sign",
            "onion_build_3hop", "pipeline", "onion_peel_hop", "bolt8_encrypt_msg");
    private static final double MAX_SECONDS = 3600;
    private static final double MAX_WARMUP_SECONDS = 3;
    private static final int MAX_THREADS = 1024;

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    Secp256k1Option secp256k1 = new Secp256k1Option();

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "3", converter = MeasuredSeconds.class,
            description = "Measured time per stage in seconds, fractions allowed (more than 0, at most 3600)")
    double seconds;

    @Option(names = "--warmup", paramLabel = "N", converter = WarmupSeconds.class,
            description = "Warm-up time in seconds: the pipeline once, then each stage (0 to 3600; default: as "
                    + "--seconds, at most 3)")
    Double warmupSeconds;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", converter = Threads.class,
            description = "Measuring threads, each with its own workload; ops_per_s is their total")
    int threads;

    @Option(names = "--elapsed", defaultValue = "false",
            description = "Divide by wall-clock time instead of the measuring threads' CPU time (as openssl speed -elapsed; "
                    + "default: off)")
    boolean elapsed;

    /** Seconds with fractions within (0, 3600], or [0, 3600] when zero is allowed. */
    abstract static class SecondsIn implements CommandLine.ITypeConverter<Double> {
        private final boolean zeroAllowed;

        SecondsIn(boolean zeroAllowed) {
            this.zeroAllowed = zeroAllowed;
        }

        @Override
        public Double convert(String value) {
            double v;
            try {
                v = Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a number of seconds");
            }
            if (!(v > 0 || (zeroAllowed && v == 0)) || v > MAX_SECONDS || Double.isNaN(v)) {
                throw new CommandLine.TypeConversionException("must be " + (zeroAllowed ? "between 0" : "more than 0")
                        + " and at most " + (long) MAX_SECONDS + " seconds, got " + value);
            }
            return v;
        }
    }

    static final class MeasuredSeconds extends SecondsIn {
        MeasuredSeconds() {
            super(false);
        }
    }

    static final class WarmupSeconds extends SecondsIn {
        WarmupSeconds() {
            super(true);
        }
    }

    /** Measuring threads: 1 to {@value #MAX_THREADS}. */
    static final class Threads extends OptionTypes.IntIn {
        Threads() {
            super(1, MAX_THREADS);
        }
    }

    @Override
    public Integer call() {
        double warmup = warmupSeconds != null ? warmupSeconds : Math.min(seconds, MAX_WARMUP_SECONDS);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Secp256k1Provider> installed = secp256k1.installOrReport(err);
        if (installed.isEmpty()) {
            return 1;
        }
        Secp256k1Provider provider = installed.get();
        BackToBack.Time time = elapsed || !BackToBack.cpuTimeSupported() ? BackToBack.Time.ELAPSED : BackToBack.Time.CPU;
        err.printf(Locale.ROOT, "# boltflow bench: %d thread%s, secp256k1: %s, %.2f s warm-up + %.2f s per stage, "
                        + "per second of %s; Java %s on %s, %d CPUs%n",
                threads, threads == 1 ? "" : "s", provider.description(), warmup, seconds,
                time == BackToBack.Time.CPU ? "thread CPU time" : "wall-clock time",
                System.getProperty("java.version"), System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
        err.flush();

        // One workload per thread: the stages are not thread-safe.
        long now = System.currentTimeMillis() / 1000;
        List<List<Supplier<Object>>> opsByStage = new ArrayList<>();
        List<Supplier<Object>> pipelines = new ArrayList<>();
        for (int i = 0; i < STAGES.size(); i++) {
            opsByStage.add(new ArrayList<>());
        }
        for (int t = 0; t < threads; t++) {
            SendInvoiceStages s = new SendInvoiceStages(new BenchFixtures(), now);
            // invoice_build_sign and onion_build_3hop take the previous stage's output, made once;
            // pipeline runs all three on each op.
            InvoiceRequestValidator.Accepted accepted = s.decodeVerify();
            SendInvoiceStages.SignedInvoice signed = s.buildSign(accepted);
            List<Supplier<Object>> ops = List.of(
                    s::decodeVerify,
                    () -> s.buildSign(accepted),
                    () -> s.buildOnion(signed),
                    s::pipeline,
                    s::peelHop,
                    s::encryptMessage);
            for (int i = 0; i < ops.size(); i++) {
                opsByStage.get(i).add(ops.get(i));
            }
            pipelines.add(s::pipeline);
        }
        long warmupNanos = (long) (warmup * 1e9);
        long measureNanos = (long) (seconds * 1e9);
        try (Parallel parallel = new Parallel(threads)) {
            // The whole pipeline first, so that the code every stage shares is compiled before any is measured.
            parallel.measure(pipelines, warmupNanos, 0, time);
            for (int i = 0; i < STAGES.size(); i++) {
                Parallel.Throughput r = parallel.measure(opsByStage.get(i), warmupNanos, measureNanos, time);
                out.printf(Locale.ROOT, "{\"name\":\"%s\",\"provider\":\"%s\",\"ops_per_s\":%.1f,\"us_per_op\":%.3f}%n",
                        STAGES.get(i), provider.name(), r.opsPerSecond(), r.microsPerOp());
                out.flush();
            }
        }
        return 0;
    }
}
