package dev.boltflow.it.bench;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/**
 * BOLT 8 over real loopback sockets between two peer managers: handshakes per second (TCP
 * connect, Noise_XK, both inits, disconnect) and onion messages per second one way on one
 * connection (1366-byte packets, encrypted, framed, decrypted and decoded).
 *
 * <p>{@code java -cp it/target/boltflow-benchmarks.jar dev.boltflow.it.bench.LoopbackBench [seconds] [messages]}
 */
public final class LoopbackBench {
    private LoopbackBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        SecureRandom random = new SecureRandom();
        PrivateKey aKey = PrivateKey.random(random);
        PrivateKey bKey = PrivateKey.random(random);
        TransportConfig config = TransportConfig.defaults();
        NettyPeerManager a = NettyPeerManager.create(aKey, config);
        NettyPeerManager b = NettyPeerManager.create(bKey, config);
        try {
            InetSocketAddress addr = b.listen(new InetSocketAddress("127.0.0.1", 0)).block();
            AtomicLong received = new AtomicLong();
            CountDownLatch[] done = new CountDownLatch[1];
            long[] target = new long[1];
            b.inboundConnections().subscribe(c -> c.inbound().subscribe(m -> {
                if (received.incrementAndGet() == target[0] && done[0] != null) {
                    done[0].countDown();
                }
            }));

            // Handshakes: warm up for a second, then count for the given time.
            handshakes(a, bKey, addr, Duration.ofSeconds(Math.max(1, seconds / 5)));
            long t0 = System.nanoTime();
            long n = handshakes(a, bKey, addr, Duration.ofSeconds(seconds));
            double hs = n / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("{\"name\":\"bolt8_loopback_handshake\",\"ops_per_s\":%.1f,\"us_per_op\":%.1f}%n", hs, 1e6 / hs);

            // Messages: one connection, one direction.
            PeerConnection conn = a.connect(bKey.publicKey(), addr).block(Duration.ofSeconds(10));
            byte[] packet = new byte[1366];
            random.nextBytes(packet);
            packet[0] = 0;
            WireMessage msg = new WireMessage.OnionMessage(PrivateKey.random(random).publicKey(), Bytes.wrap(packet),
                    dev.boltflow.core.tlv.TlvStream.EMPTY);
            send(conn, msg, messages / 5, received, done, target); // warm-up
            long t1 = System.nanoTime();
            send(conn, msg, messages, received, done, target);
            double mps = messages / ((System.nanoTime() - t1) / 1e9);
            System.out.printf("{\"name\":\"bolt8_loopback_onion_message\",\"ops_per_s\":%.1f,\"us_per_op\":%.2f}%n", mps, 1e6 / mps);
        } finally {
            a.close().block(Duration.ofSeconds(10));
            b.close().block(Duration.ofSeconds(10));
        }
        System.exit(0);
    }

    private static long handshakes(NettyPeerManager a, PrivateKey bKey, InetSocketAddress addr, Duration d) {
        long end = System.nanoTime() + d.toNanos();
        long n = 0;
        while (System.nanoTime() < end) {
            a.connect(bKey.publicKey(), addr).block(Duration.ofSeconds(10));
            a.disconnect(bKey.publicKey()).block(Duration.ofSeconds(10));
            n++;
        }
        return n;
    }

    private static void send(PeerConnection conn, WireMessage msg, int count, AtomicLong received,
            CountDownLatch[] done, long[] target) throws InterruptedException {
        done[0] = new CountDownLatch(1);
        target[0] = received.get() + count;
        Flux.range(0, count).concatMap(i -> conn.send(msg), 256).blockLast(Duration.ofMinutes(5));
        if (!done[0].await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("messages lost: " + (target[0] - received.get()));
        }
    }
}
