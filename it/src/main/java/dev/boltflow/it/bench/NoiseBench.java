package dev.boltflow.it.bench;

import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.noise.EphemeralKeySource;
import dev.boltflow.core.noise.HandshakeResult;
import dev.boltflow.core.noise.NoiseHandshake;
import dev.boltflow.core.noise.TransportCipher;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** BOLT 8: a whole Noise_XK handshake (both sides, in memory) and encrypting one onion_message. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NoiseBench {
    private final SecureRandom random = new SecureRandom();
    private PrivateKey initiatorKey;
    private PrivateKey responderKey;
    private TransportCipher cipher;
    private byte[] onionMessage;

    @Setup
    public void setup() {
        initiatorKey = PrivateKey.random(random);
        responderKey = PrivateKey.random(random);
        cipher = handshake().cipher();
        onionMessage = new byte[2 + 33 + 2 + 1366]; // type 513, path_key, len, 1366-byte packet
        random.nextBytes(onionMessage);
    }

    @Benchmark
    public HandshakeResult handshake() {
        EphemeralKeySource eph = EphemeralKeySource.secureRandom(random);
        NoiseHandshake.Initiator i = NoiseHandshake.initiator(initiatorKey, responderKey.publicKey(), eph);
        NoiseHandshake.Responder r = NoiseHandshake.responder(responderKey, eph);
        byte[] actTwo = r.actTwo(i.actOne());
        r.complete(i.actThree(actTwo));
        return i.result();
    }

    /** Length header + body, each with its Poly1305 tag; key rotation included every 500 messages. */
    @Benchmark
    public byte[] encryptOnionMessage() {
        return cipher.encrypt(onionMessage);
    }
}
