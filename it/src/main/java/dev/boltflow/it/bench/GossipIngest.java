package dev.boltflow.it.bench;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.gossip.GossipSignatures;
import dev.boltflow.core.gossip.NodeAddress;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.node.Node;
import dev.boltflow.node.config.Network;
import dev.boltflow.node.config.NodeConfig;
import dev.boltflow.node.gossip.GossipConfig;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import reactor.core.publisher.Flux;

/**
 * The gossip ingest harness: a synthetic network of N nodes, C channels and two updates per
 * channel, signed with real keys, fed to a real node ({@link Node}: BOLT 8 over loopback, every
 * signature verified, the gossip store on disk) through one BOLT 8 connection from a bare peer, as
 * a gossiping peer sends it right after {@code init}. It prints one JSON line: the time from the
 * first message sent to the last one stored, messages per second, CPU time, and the live heap the
 * node holds for that graph (after full GCs: with the node running and the generated messages
 * dropped, minus after the node has stopped), and the CPU time of one ECDSA verification (with its
 * point decompression) measured in the same run, with the share of the ingest's CPU time that the
 * graph's verifications account for at that cost.
 *
 * <pre>java -cp it/target/boltflow-benchmarks.jar dev.boltflow.it.bench.GossipIngest [nodes] [channels]</pre>
 *
 * Defaults: 15,000 nodes and 60,000 channels (120,000 updates), about mainnet's size.
 */
public final class GossipIngest {
    private GossipIngest() {
    }

    /** What one run measured. */
    public record Result(int nodes, int channels, int updates, int messages, double seconds, double messagesPerSecond,
            double cpuSeconds, long heapBytes, int storedChannels, int storedNodes, double verifyMicros) {
        /** ECDSA verifications the graph needs: four per announcement, one per update and node announcement. */
        long verifications() {
            return 4L * channels + updates + nodes;
        }

        String json() {
            return String.format(java.util.Locale.ROOT, "{\"nodes\":%d,\"channels\":%d,\"updates\":%d,\"messages\":%d,"
                    + "\"ingest_s\":%.2f,\"messages_per_s\":%.0f,\"cpu_s\":%.2f,\"cpu_us_per_message\":%.0f,"
                    + "\"heap_mb\":%.1f,\"stored_channels\":%d,\"stored_nodes\":%d,\"cores\":%d,"
                    + "\"verify_us\":%.1f,\"verify_share_of_cpu\":%.2f}", nodes, channels, updates, messages,
                    seconds, messagesPerSecond, cpuSeconds, cpuSeconds * 1e6 / messages, heapBytes / 1e6, storedChannels,
                    storedNodes, Runtime.getRuntime().availableProcessors(), verifyMicros,
                    verifications() * verifyMicros / 1e6 / cpuSeconds);
        }
    }

    /**
     * One ECDSA verification with its point decompression, on this thread, in microseconds of CPU: the
     * crypto floor of a message, measured in the same run so that the ratio to the ingest's CPU
     * time holds on a busy machine.
     */
    static double verifyMicros(SecureRandom random) {
        PrivateKey key = PrivateKey.random(random);
        dev.boltflow.core.bytes.Bytes32 hash = dev.boltflow.core.bytes.Bytes32.random(random);
        dev.boltflow.core.crypto.EcdsaSignature sig = dev.boltflow.core.crypto.Ecdsa.sign(key, hash);
        Bytes point = key.publicKey().bytes();
        int n = 3000;
        boolean ok = true;
        for (int i = 0; i < n; i++) { // warm-up
            ok &= dev.boltflow.core.crypto.Ecdsa.verify(dev.boltflow.core.crypto.PublicKey.fromBytes(point), hash, sig);
        }
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long t0 = threads.getCurrentThreadCpuTime(); // CPU time, like the ingest's: waiting for a core is not counted
        for (int i = 0; i < n; i++) {
            ok &= dev.boltflow.core.crypto.Ecdsa.verify(dev.boltflow.core.crypto.PublicKey.fromBytes(point), hash, sig);
        }
        double us = (threads.getCurrentThreadCpuTime() - t0) / 1e3 / n;
        if (!ok) {
            throw new IllegalStateException("a signature did not verify");
        }
        return us;
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 15_000;
        int channels = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        System.out.println(run(nodes, channels, Files.createTempDirectory("gossip-ingest")).json());
        System.exit(0);
    }

    /** Generates the network, starts a node in {@code dir}, feeds it, measures, stops it. */
    public static Result run(int nodeCount, int channelCount, Path dir) throws Exception {
        SecureRandom random = new SecureRandom();
        Bytes32 chain = Network.REGTEST.chainHash();
        long now = System.currentTimeMillis() / 1000;
        PrivateKey[] keys = IntStream.range(0, nodeCount).parallel().mapToObj(i -> PrivateKey.random(random))
                .toArray(PrivateKey[]::new);
        PrivateKey[] funding = IntStream.range(0, 256).mapToObj(i -> PrivateKey.random(random)).toArray(PrivateKey[]::new);
        // Per channel: its announcement and the update of each end, in the order a peer sends them.
        List<GossipMessage> messages = new ArrayList<>(channelCount * 3 + nodeCount);
        List<List<GossipMessage>> perChannel = IntStream.range(0, channelCount).parallel().mapToObj(i -> {
            int a = i % nodeCount;
            int b = (int) ((i * 7919L + 1 + i / nodeCount) % nodeCount);
            if (b == a) {
                b = (a + 1) % nodeCount;
            }
            ShortChannelId scid = ShortChannelId.of(700_000 + i / 1000, i % 1000, 0);
            ChannelAnnouncement ann = GossipSignatures.channelAnnouncement(chain, scid, Features.EMPTY, keys[a], keys[b],
                    funding[i % 256], funding[(i + 1) % 256]);
            List<GossipMessage> out = new ArrayList<>(3);
            out.add(ann);
            for (PrivateKey k : new PrivateKey[] {keys[a], keys[b]}) {
                int direction = ann.nodeId1().bytes().equals(k.publicKey().bytes()) ? 0 : 1;
                out.add(GossipSignatures.channelUpdate(k, chain, scid, now - (i % 3600), ChannelUpdate.MUST_BE_ONE,
                        direction, 40, 1000, 1000, 100, 1_000_000_000L));
            }
            return out;
        }).toList();
        perChannel.forEach(messages::addAll);
        List<GossipMessage> nodeAnnouncements = IntStream.range(0, nodeCount).parallel().mapToObj(i ->
                (GossipMessage) GossipSignatures.nodeAnnouncement(keys[i], now - 60,
                        Features.of(Features.ONION_MESSAGES_OPT), Bytes.fromHex("3399ff"), "n" + i,
                        List.of(NodeAddress.ipv4(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}, 9735))))
                .toList();
        messages.addAll(nodeAnnouncements);
        int total = messages.size();

        NodeConfig config = NodeConfig.defaults(Network.REGTEST, dir)
                .withListen(new InetSocketAddress("127.0.0.1", 0))
                .withGossip(GossipConfig.defaults().withCaps(Math.max(200_000, channelCount), Math.max(100_000, nodeCount)));
        Node node = Node.start(config, Node.Host.of(false, () -> 0, inv -> Optional.empty(), random), random)
                .block(Duration.ofMinutes(1));
        NettyPeerManager source = NettyPeerManager.create(PrivateKey.random(random),
                TransportConfig.defaults().withChainHash(chain));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            PeerConnection c = source.connect(node.nodeId(), node.listening().orElseThrow()).block(Duration.ofSeconds(30));
            c.inbound().subscribe();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Flux.fromIterable(messages).flatMapSequential(c::send, 256).blockLast(Duration.ofMinutes(30));
            messages = null;
            perChannel = null;
            nodeAnnouncements = null;
            // Stored: every channel, and every node with its announcement.
            while (node.graph().channelCount() < channelCount || node.graph().announcedNodeCount() < nodeCount) {
                if (System.nanoTime() - t0 > Duration.ofMinutes(30).toNanos()) {
                    throw new IllegalStateException("not all gossip stored: " + node.graph());
                }
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // a cheap check every 5 ms
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            int storedChannels = node.graph().channelCount();
            int storedNodes = node.graph().nodeCount();
            long withGraph = liveHeap(memory);
            c.dispose();
            node.stop().block(Duration.ofMinutes(1));
            node = null;
            long without = liveHeap(memory);
            return new Result(nodeCount, channelCount, 2 * channelCount, total, seconds, total / seconds, cpu,
                    withGraph - without, storedChannels, storedNodes, verifyMicros(random));
        } finally {
            source.close().block(Duration.ofSeconds(30));
            if (node != null) {
                node.stop().block(Duration.ofMinutes(1));
            }
        }
    }

    private static long liveHeap(MemoryMXBean memory) {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
