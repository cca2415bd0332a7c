package dev.boltflow.it.bench;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.crypto.Schnorr;
import dev.boltflow.core.crypto.Signature;
import java.security.SecureRandom;
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

/** The cryptographic floor: the secp256k1 operations every step above is made of. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CryptoBench {
    private final SecureRandom random = new SecureRandom();
    private PrivateKey key;
    private PublicKey other;
    private Bytes32 msg;
    private Signature sig;

    /** The secp256k1 provider (JmhSecp256k1): both by default, {@code -p secp256k1=native} for one. */
    @Param({"native", "bouncycastle"})
    public String secp256k1;

    @Setup
    public void setup() {
        JmhSecp256k1.install(secp256k1);
        key = PrivateKey.random(random);
        other = PrivateKey.random(random).publicKey();
        msg = Bytes32.random(random);
        sig = Schnorr.sign(key, msg, random);
    }

    @Benchmark
    public Signature schnorrSign() {
        return Schnorr.sign(key, msg, random);
    }

    @Benchmark
    public boolean schnorrVerify() {
        return Schnorr.verify(key.publicKey(), msg, sig);
    }

    /** Constant-time-minded variable-base multiplication with a secret scalar, then SHA256. */
    @Benchmark
    public Bytes32 ecdh() {
        return key.ecdh(other);
    }

    /** Public-tweak multiplication (blinded node ids, next path keys): BouncyCastle's fast path. */
    @Benchmark
    public PublicKey publicTweak() {
        return other.multiply(msg);
    }

    @Benchmark
    public PublicKey parsePoint() {
        return PublicKey.fromBytes(other.bytes());
    }
}
