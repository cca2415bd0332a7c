package dev.boltflow.it.bench;

import dev.boltflow.core.crypto.BouncyCastleSecp256k1;
import dev.boltflow.core.crypto.Secp256k1Provider;
import dev.boltflow.core.crypto.Secp256k1Providers;
import dev.boltflow.node.bench.BackToBack;
import dev.boltflow.node.bench.BenchFixtures;
import dev.boltflow.node.bench.SendInvoiceStages;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * How far one sendinvoice is from its crypto floor. It counts the secp256k1 operations one
 * {@code pipeline} (decode+verify, build+sign, onion build: the {@code bench} stage) asks of the
 * {@link Secp256k1Provider}, times each kind of operation alone on one thread, and compares the sum
 * (count × cost) with the measured pipeline. Hashing, ChaCha20 and encoding are outside the floor,
 * so the ratio is an upper bound of our overhead.
 *
 * <pre>java -cp it/target/boltflow-benchmarks.jar dev.boltflow.it.bench.CryptoFloor [seconds per measurement]</pre>
 */
public final class CryptoFloor {
    private static final long MAX_WARMUP = 3_000_000_000L;
    private static volatile Object sink;

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        long nanos = (long) (seconds * 1e9);
        Secp256k1Provider bc = Secp256k1Providers.current();

        // 1. What one pipeline asks of the provider.
        Counting counting = new Counting(bc);
        Secp256k1Providers.install(counting);
        SendInvoiceStages stages = new SendInvoiceStages(new BenchFixtures(), System.currentTimeMillis() / 1000);
        counting.reset();
        int sends = 200;
        for (int i = 0; i < sends; i++) {
            sink = stages.pipeline();
        }
        Secp256k1Providers.install(bc);

        // 2. Each operation alone, on the default provider, with the pipeline's kind of inputs.
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        secret[0] &= 0x7f;
        Object point = bc.publicKey(secret);
        byte[] encoded = bc.serialize(point);
        byte[] msg = new byte[32];
        byte[] aux = new byte[32];
        random.nextBytes(msg);
        byte[] sig = bc.signSchnorr(secret, point, msg, aux);
        byte[] xOnly = java.util.Arrays.copyOfRange(encoded, 1, 33);
        Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
        ops.put("parse", () -> bc.parse(encoded));
        ops.put("publicKey", () -> bc.publicKey(secret));
        ops.put("ecdh", () -> bc.ecdh(secret, point));
        ops.put("tweak", () -> bc.tweak(point, msg));
        ops.put("signSchnorr", () -> bc.signSchnorr(secret, point, msg, aux));
        ops.put("verifySchnorr", () -> bc.verifySchnorr(xOnly, point, msg, sig));
        Object other = bc.publicKey(msg);
        ops.put("add", () -> bc.add(point, other));

        System.out.printf(Locale.ROOT, "# provider %s, Java %s, %d CPUs, %.1f s per measurement%n", bc.name(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds);
        System.out.printf(Locale.ROOT, "%-14s %10s %10s %12s%n", "operation", "per send", "µs/op", "µs/send");
        double floor = 0;
        StringBuilder json = new StringBuilder("{\"provider\":\"").append(bc.name()).append("\",\"ops\":{");
        for (Map.Entry<String, Supplier<Object>> e : ops.entrySet()) {
            double perSend = counting.count(e.getKey()) / (double) sends;
            double us = BackToBack.microsPerOp(e.getValue(), Math.min(nanos, MAX_WARMUP), nanos);
            floor += perSend * us;
            System.out.printf(Locale.ROOT, "%-14s %10.2f %10.1f %12.1f%n", e.getKey(), perSend, us, perSend * us);
            json.append(String.format(Locale.ROOT, "\"%s\":{\"per_send\":%.2f,\"us_per_op\":%.2f},", e.getKey(), perSend, us));
        }
        double pipeline = BackToBack.microsPerOp(stages::pipeline, Math.min(nanos, MAX_WARMUP), nanos);
        System.out.printf(Locale.ROOT, "%-14s %10s %10s %12.1f%n", "crypto floor", "", "", floor);
        System.out.printf(Locale.ROOT, "%-14s %10s %10s %12.1f   (%.2f× the floor)%n", "pipeline", "", "", pipeline,
                pipeline / floor);
        json.setLength(json.length() - 1);
        json.append(String.format(Locale.ROOT, "},\"floor_us\":%.1f,\"pipeline_us\":%.1f,\"ratio\":%.3f}", floor,
                pipeline, pipeline / floor));
        System.out.println(json);
    }

    /** Delegates every call and counts it by kind; handles are the delegate's own. */
    static final class Counting implements Secp256k1Provider {
        private final Secp256k1Provider d;
        private final Map<String, LongAdder> counts = new java.util.concurrent.ConcurrentHashMap<>();

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
