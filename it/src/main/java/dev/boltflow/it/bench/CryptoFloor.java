package dev.boltflow.it.bench;

import dev.boltflow.core.crypto.Secp256k1Provider;
import dev.boltflow.core.crypto.Secp256k1Providers;
import dev.boltflow.node.bench.BackToBack;
import dev.boltflow.node.bench.BenchFixtures;
import dev.boltflow.node.bench.SendInvoiceStages;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * How far one sendinvoice is from its crypto floor, for each secp256k1 provider in the same run. It
 * counts the secp256k1 operations one {@code pipeline} (decode+verify, build+sign, onion build: the
 * {@code bench} stage) asks of the {@link Secp256k1Provider}, times each kind of operation alone on
 * one thread, and compares the sum (count × cost) with the measured pipeline, all in the thread's CPU
 * time (robust on a shared machine). Hashing, ChaCha20 and encoding are outside the floor, so the
 * ratio is an upper bound of our overhead.
 *
 * <pre>java -cp it/target/boltflow-benchmarks.jar dev.boltflow.it.bench.CryptoFloor [seconds per measurement] [bouncycastle|native ...]</pre>
 *
 * Without provider names it measures both, BouncyCastle first. One table per provider on stdout,
 * then one JSON line per provider.
 */
public final class CryptoFloor {
    private static final long MAX_WARMUP = 3_000_000_000L;
    /** Point operations, then the scalar product (no point arithmetic, but part of the floor). */
    private static final List<String> KINDS = List.of("parse", "publicKey", "ecdh", "tweak", "add", "signSchnorr",
            "verifySchnorr", "multiplySecret");
    private static volatile Object sink;

    private CryptoFloor() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        List<Secp256k1Providers.Choice> choices = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            choices.add(Secp256k1Providers.Choice.parse(args[i]));
        }
        if (choices.isEmpty()) {
            choices = List.of(Secp256k1Providers.Choice.BOUNCYCASTLE, Secp256k1Providers.Choice.NATIVE);
        }
        System.out.printf(Locale.ROOT, "# CryptoFloor: Java %s, %d CPUs, %.1f s per measurement, µs of thread CPU time%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds);
        List<String> json = new ArrayList<>();
        for (Secp256k1Providers.Choice choice : choices) {
            json.add(measure(Secp256k1Providers.select(choice).provider(), (long) (seconds * 1e9)));
        }
        json.forEach(System.out::println);
    }

    /** Counts, times and compares for one provider; prints its table and returns its JSON line. */
    static String measure(Secp256k1Provider provider, long nanos) {
        long warmup = Math.min(nanos, MAX_WARMUP);
        // 1. What one pipeline asks of the provider (the workload is made under it, as in production).
        Counting counting = new Counting(provider);
        Secp256k1Provider previous = Secp256k1Providers.install(counting);
        int sends = 200;
        try {
            SendInvoiceStages counted = new SendInvoiceStages(new BenchFixtures(), System.currentTimeMillis() / 1000);
            counting.reset();
            for (int i = 0; i < sends; i++) {
                sink = counted.pipeline();
            }
        } finally {
            Secp256k1Providers.install(provider);
        }
        // The timed pipeline's keys are the provider's own (a key made under the counting wrapper
        // would be parsed again at every use).
        SendInvoiceStages stages = new SendInvoiceStages(new BenchFixtures(), System.currentTimeMillis() / 1000);

        // 2. Each operation alone, with the pipeline's kind of inputs.
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        secret[0] &= 0x7f;
        Object point = provider.publicKey(secret);
        byte[] encoded = provider.serialize(point);
        byte[] msg = new byte[32];
        byte[] aux = new byte[32];
        random.nextBytes(msg);
        msg[0] &= 0x7f;
        byte[] sig = provider.signSchnorr(secret, point, msg, aux);
        byte[] xOnly = Arrays.copyOfRange(encoded, 1, 33);
        Object other = provider.publicKey(msg);
        Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
        ops.put("parse", () -> provider.parse(encoded));
        ops.put("publicKey", () -> provider.publicKey(secret));
        ops.put("ecdh", () -> provider.ecdh(secret, point));
        ops.put("tweak", () -> provider.tweak(point, msg));
        ops.put("add", () -> provider.add(point, other));
        ops.put("signSchnorr", () -> provider.signSchnorr(secret, point, msg, aux));
        ops.put("verifySchnorr", () -> provider.verifySchnorr(xOnly, point, msg, sig));
        ops.put("multiplySecret", () -> provider.multiplySecret(secret, msg));

        System.out.printf(Locale.ROOT, "%n## %s%n", provider.description());
        System.out.printf(Locale.ROOT, "%-14s %10s %10s %12s%n", "operation", "per send", "µs/op", "µs/send");
        double floor = 0;
        long pointOps = 0;
        StringBuilder json = new StringBuilder("{\"provider\":\"").append(provider.name()).append("\",\"ops\":{");
        for (String kind : KINDS) {
            double perSend = counting.count(kind) / (double) sends;
            double us = BackToBack.measure(ops.get(kind), warmup, nanos).microsPerOp(BackToBack.Time.CPU);
            floor += perSend * us;
            if (!kind.equals("multiplySecret")) {
                pointOps += counting.count(kind);
            }
            System.out.printf(Locale.ROOT, "%-14s %10.2f %10.1f %12.1f%n", kind, perSend, us, perSend * us);
            json.append(String.format(Locale.ROOT, "\"%s\":{\"per_send\":%.2f,\"us_per_op\":%.2f},", kind, perSend, us));
        }
        double pipeline = BackToBack.measure(stages::pipeline, warmup, nanos).microsPerOp(BackToBack.Time.CPU);
        System.out.printf(Locale.ROOT, "%-14s %10.2f%n", "point ops", pointOps / (double) sends);
        System.out.printf(Locale.ROOT, "%-14s %10s %10s %12.1f%n", "crypto floor", "", "", floor);
        System.out.printf(Locale.ROOT, "%-14s %10s %10s %12.1f   (%.2f× the floor)%n", "pipeline", "", "", pipeline,
                pipeline / floor);
        json.setLength(json.length() - 1);
        json.append(String.format(Locale.ROOT, "},\"point_ops_per_send\":%.2f,\"floor_us\":%.1f,\"pipeline_us\":%.1f,\"ratio\":%.3f}",
                pointOps / (double) sends, floor, pipeline, pipeline / floor));
        Secp256k1Providers.install(previous);
        return json.toString();
    }

    /** Delegates every call and counts it by kind; handles are the delegate's own. */
    static final class Counting implements Secp256k1Provider {
        private final Secp256k1Provider d;
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        Counting(Secp256k1Provider delegate) {
            this.d = delegate;
        }

        void reset() {
            counts.clear();
        }

        long count(String op) {
            LongAdder a = counts.get(op);
            return a == null ? 0 : a.sum();
        }

        private void hit(String op) {
            counts.computeIfAbsent(op, k -> new LongAdder()).increment();
        }

        @Override
        public String name() {
            return "counting(" + d.name() + ")";
        }

        @Override
        public Object parse(byte[] compressed) {
            hit("parse");
            return d.parse(compressed);
        }

        @Override
        public byte[] serialize(Object point) {
            return d.serialize(point);
        }

        @Override
        public Object publicKey(byte[] secret) {
            hit("publicKey");
            return d.publicKey(secret);
        }

        @Override
        public byte[] ecdh(byte[] secret, Object point) {
            hit("ecdh");
            return d.ecdh(secret, point);
        }

        @Override
        public Object tweak(Object point, byte[] tweak) {
            hit("tweak");
            return d.tweak(point, tweak);
        }

        @Override
        public Object add(Object a, Object b) {
            hit("add");
            return d.add(a, b);
        }

        @Override
        public byte[] multiplySecret(byte[] secret, byte[] tweak) {
            hit("multiplySecret");
            return d.multiplySecret(secret, tweak);
        }

        @Override
        public byte[] signSchnorr(byte[] secret, Object publicKey, byte[] msg, byte[] aux) {
            hit("signSchnorr");
            return d.signSchnorr(secret, publicKey, msg, aux);
        }

        @Override
        public boolean verifySchnorr(byte[] xOnly, Object point, byte[] msg, byte[] sig) {
            hit("verifySchnorr");
            return d.verifySchnorr(xOnly, point, msg, sig);
        }

        @Override
        public byte[] signEcdsa(byte[] secret, byte[] hash32) {
            hit("signEcdsa");
            return d.signEcdsa(secret, hash32);
        }

        @Override
        public boolean verifyEcdsa(Object point, byte[] hash32, byte[] sig) {
            hit("verifyEcdsa");
            return d.verifyEcdsa(point, hash32, sig);
        }
    }
}
