package dev.boltflow.it.interop;

import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import dev.boltflow.core.sendinvoice.memory.InMemoryNetworkView;
import dev.boltflow.core.testing.SchedulerClock;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.node.messaging.PeerOnionMessenger;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Our side of the onion-message and payment interop tests: a payee node as the node runs it (its
 * Netty BOLT 8 transport listening on loopback, the {@link PeerOnionMessenger}, {@link SendInvoice}
 * on an in-memory store). Its timers run on a virtual-time scheduler that is never advanced, so no
 * outcome waits for a timeout or a resend.
 */
final class OurPayee implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Instant EPOCH = Instant.ofEpochSecond(1_800_000_000L);
    static final long BLOCK_HEIGHT = 900_000;

    final PrivateKey key;
    final NettyPeerManager peers;
    final InetSocketAddress address;
    final PeerOnionMessenger messenger;
    final InMemoryInvoiceStore store = new InMemoryInvoiceStore();
    final VirtualTimeScheduler timers = VirtualTimeScheduler.create();
    final SendInvoiceConfig config = SendInvoiceConfig.defaults(ChainHashes.BITCOIN);
    final SendInvoice service;

    OurPayee(SecureRandom random) {
        key = PrivateKey.random(random);
        peers = NettyPeerManager.create(key, TransportConfig.defaults());
        address = peers.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).block(WAIT);
        messenger = new PeerOnionMessenger(peers, key, new InMemoryNetworkView(), true, Schedulers.parallel(), random);
        service = new SendInvoice(config, store, messenger, new LocalNodeSigner(key, random), () -> BLOCK_HEIGHT,
                new SchedulerClock(timers, EPOCH), timers, Schedulers.parallel(), random);
    }

    /** The next connection our node accepts, once its init exchange is complete. */
    CompletableFuture<PeerConnection> nextInbound() {
        return peers.inboundConnections().next().toFuture();
    }

    static <T> T await(CompletableFuture<T> f) {
        return Mono.fromFuture(f).block(WAIT);
    }

    /**
     * A signed invoice_request as our writer makes one when it answers no offer (the payer side of
     * boltflow and Core Lightning sign theirs), for {@code amountMsat}, reached over {@code paths}.
     */
    static String invoiceRequest(PrivateKey payerKey, long amountMsat, List<BlindedPath> paths, SecureRandom random) {
        TlvStream unsigned = TlvStream.sorted(List.of(
                new TlvRecord(Bolt12Field.INVREQ_METADATA, Bytes32.random(random).bytes()),
                new TlvRecord(Bolt12Field.OFFER_DESCRIPTION, Bytes.wrap("refund".getBytes(StandardCharsets.UTF_8))),
                new TlvRecord(Bolt12Field.INVREQ_AMOUNT, Bytes.wrap(new ByteWriter().truncated(amountMsat).toByteArray())),
                new TlvRecord(Bolt12Field.INVREQ_PAYER_ID, payerKey.publicKey().bytes()),
                new TlvRecord(Bolt12Field.INVREQ_PATHS, Bytes.wrap(BlindedPath.encodeAll(paths)))));
        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, unsigned, payerKey, random);
        return Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP,
                unsigned.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, sig.bytes()))).encode());
    }

    @Override
    public void close() {
        service.dispose();
        messenger.dispose();
        peers.close().block(WAIT);
        timers.dispose();
    }
}
