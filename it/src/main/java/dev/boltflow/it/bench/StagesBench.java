package dev.boltflow.it.bench;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.BlindedPayments;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.PeelResult;
import dev.boltflow.core.sendinvoice.InvoiceRequestValidator;
import dev.boltflow.node.bench.BenchFixtures;
import dev.boltflow.node.bench.SendInvoiceStages;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of one sendinvoice goes: the {@code bench} command's stages
 * ({@link SendInvoiceStages}), and inside them the blinded payment path and the reply path, in
 * microseconds per operation on one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StagesBench {
    private SendInvoiceStages stages;
    private InvoiceRequestValidator.Accepted accepted;
    private SendInvoiceStages.SignedInvoice signed;
    private Bytes32 hash;

    /** The secp256k1 provider (JmhSecp256k1): both by default, {@code -p secp256k1=native} for one. */
    @Param({"native", "bouncycastle"})
    public String secp256k1;

    @Setup
    public void setup() {
        JmhSecp256k1.install(secp256k1);
        stages = new SendInvoiceStages(new BenchFixtures(), System.currentTimeMillis() / 1000);
        accepted = stages.decodeVerify();
        signed = stages.buildSign(accepted);
        hash = signed.invoice().invoicePaymentHash().orElseThrow();
    }

    @Benchmark
    public InvoiceRequestValidator.Accepted decodeVerify() {
        return stages.decodeVerify();
    }

    @Benchmark
    public SendInvoiceStages.SignedInvoice buildSign() {
        return stages.buildSign(accepted);
    }

    @Benchmark
    public BlindedPayments.PaymentPath paymentPath() {
        return stages.paymentPath(hash);
    }

    @Benchmark
    public OnionMessages.Outgoing buildOnion() {
        return stages.buildOnion(signed);
    }

    @Benchmark
    public BlindedPath replyPath() {
        return stages.replyPath(hash);
    }

    @Benchmark
    public OnionMessages.Outgoing pipeline() {
        return stages.pipeline();
    }

    @Benchmark
    public PeelResult peelHop() {
        return stages.peelHop();
    }

    @Benchmark
    public byte[] encryptMessage() {
        return stages.encryptMessage();
    }
}
