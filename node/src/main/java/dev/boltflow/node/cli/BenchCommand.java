package dev.boltflow.node.cli;

import dev.boltflow.core.sendinvoice.InvoiceRequestValidator;
import dev.boltflow.node.bench.BackToBack;
import dev.boltflow.node.bench.BenchFixtures;
import dev.boltflow.node.bench.SendInvoiceStages;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: how fast this machine does the CPU work of one sendinvoice, the way
 * {@code openssl speed} measures: one thread, warmed up, then each stage run back to back for a
 * fixed time. One compact JSON line per stage on stdout, always in the same order and with the
 * same names (scripts compare them across versions):
 * {@code {"name":"pipeline","ops_per_s":612.3,"us_per_op":1633.2}}.
 */
@Command(name = "bench",
        description = {"Measure the CPU stages of sendinvoice on one thread; one JSON line per stage."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {" 0:measured", "64:usage error"})
public final class BenchCommand implements Callable<Integer> {
    /** The stage names, in output order. Stable: scripts compare them. */
    public static final List<String> STAGES = List.of("invreq_decode_verify", "invoice_build_sign",
            "onion_build_3hop", "pipeline", "onion_peel_hop", "bolt8_encrypt_msg");
    private static final double MAX_SECONDS = 3600;
    private static final double MAX_WARMUP_SECONDS = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "3", converter = MeasuredSeconds.class,
            description = "Measured time per stage in seconds, fractions allowed (more than 0, at most 3600)")
    double seconds;

    @Option(names = "--warmup", paramLabel = "N", converter = WarmupSeconds.class,
            description = "Warm-up time in seconds: the pipeline once, then each stage (0 to 3600; default: as "
                    + "--seconds, at most 3)")
    Double warmupSeconds;

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

    @Override
    public Integer call() {
        double warmup = warmupSeconds != null ? warmupSeconds : Math.min(seconds, MAX_WARMUP_SECONDS);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "# boltflow bench: 1 thread, %.2f s warm-up + %.2f s per stage; Java %s on %s, %d CPUs%n",
                warmup, seconds, System.getProperty("java.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors());
        err.flush();

        SendInvoiceStages s = new SendInvoiceStages(new BenchFixtures(), System.currentTimeMillis() / 1000);
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
        long warmupNanos = (long) (warmup * 1e9);
        long measureNanos = (long) (seconds * 1e9);
        // The whole pipeline first, so that the code every stage shares is compiled before any is measured.
        BackToBack.run(s::pipeline, warmupNanos);
        for (int i = 0; i < STAGES.size(); i++) {
            double us = BackToBack.microsPerOp(ops.get(i), warmupNanos, measureNanos);
            out.printf(Locale.ROOT, "{\"name\":\"%s\",\"ops_per_s\":%.1f,\"us_per_op\":%.3f}%n",
                    STAGES.get(i), 1e6 / us, us);
            out.flush();
        }
        return 0;
    }
}
