package dev.boltflow.it.bench;

import dev.boltflow.node.bench.BenchFixtures;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.sendinvoice.IncomingPayment;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.OnionMessenger;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The sendinvoice pipeline in process, in-memory adapters: one op is a whole {@code send} of a
 * 3-hop-{@code invreq_paths} request (validate, build, sign, store, hand the onion payload to the
 * messenger) followed by the payment that resolves it. The messenger records instead of building
 * Sphinx layers ({@link OnionBench} measures those).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBench {
    /** Keeps the last payload handed over: the payer's side of the exchange. */
    static final class LastPayload implements OnionMessenger {
        final AtomicReference<OnionMessagePayload> last = new AtomicReference<>();

        @Override
        public Mono<Void> send(OnionMessages.Destination destination, OnionMessagePayload payload) {
            return Mono.fromRunnable(() -> last.set(payload));
        }

        @Override
        public Flux<InboundOnionMessage> inbound() {
            return Flux.never();
        }
    }

    private BenchFixtures f;
    private LastPayload messenger;
    private SendInvoice service;
    private final AtomicLong labels = new AtomicLong();

    /** The secp256k1 provider (JmhSecp256k1): both by default, {@code -p secp256k1=native} for one. */
    @Param({"native", "bouncycastle"})
    public String secp256k1;

    @Setup
    public void setup() {
        JmhSecp256k1.install(secp256k1);
        f = new BenchFixtures();
        messenger = new LastPayload();
        service = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.BITCOIN), new InMemoryInvoiceStore(),
                messenger, new LocalNodeSigner(f.payee, f.random), () -> 900_000, Clock.systemUTC(),
                Schedulers.parallel(), Schedulers.immediate(), f.random);
    }

    @TearDown
    public void tearDown() {
        service.dispose();
    }

    @Benchmark
    public SendInvoiceResult sendAndGetPaid() {
        Mono<SendInvoiceResult> result = service.send(SendInvoiceRequest.of(f.invreqString, "b" + labels.incrementAndGet()))
                .cache();
        result.subscribe();
        Invoice invoice = Invoice.decode(messenger.last.get().invoice().orElseThrow().toArray());
        BlindedPath path = invoice.invoicePaths().orElseThrow().get(0);
        service.acceptPayment(new IncomingPayment(invoice.invoicePaymentHash().orElseThrow(),
                invoice.invoiceAmount().getAsLong(), 900_010, path.firstPathKey(),
                path.hops().get(0).encryptedRecipientData())).block();
        return result.block();
    }
}
