package dev.boltflow.it.bench;

import dev.boltflow.node.bench.BenchFixtures;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.PeelResult;
import java.util.List;
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

/** Onion messages: an invoice sent into the payer's 3-hop blinded path, and one hop peeled. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OnionBench {
    private BenchFixtures f;
    private OnionMessagePayload payload;
    private OnionMessages.Outgoing built;

    @Setup
    public void setup() {
        f = new BenchFixtures();
        // An invoice-sized payload (the invreq string's bytes stand in for the ~700-byte invoice).
        payload = OnionMessagePayload.ofInvoice(Bytes.wrap(new byte[700]));
        built = build3Hop();
    }

    /** Build: blind nothing of ours, encrypt the 3 blinded hops' Sphinx layers, 1300-byte packet. */
    @Benchmark
    public OnionMessages.Outgoing build3Hop() {
        return OnionMessages.build(f.payee, List.of(), new OnionMessages.Destination.Path(f.invreqPath), payload, f.random);
    }

    /** What the introduction node does with it: unblind, check the HMAC, decrypt, derive the next keys. */
    @Benchmark
    public PeelResult peelHop() {
        return OnionMessages.peel(f.intro, built.pathKey(), built.packet());
    }
}
