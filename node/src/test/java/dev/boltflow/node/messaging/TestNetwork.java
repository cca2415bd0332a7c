package dev.boltflow.node.messaging;

import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.sendinvoice.NetworkView;
import dev.boltflow.core.sendinvoice.memory.InMemoryNetworkView;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import dev.boltflow.transport.netty.NettyPeerManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Nodes on loopback (port 0), each a peer manager with its messenger; {@link #close()} ends them all. */
final class TestNetwork implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final SecureRandom RANDOM = new SecureRandom();

    private final List<PeerOnionMessenger> messengers = new ArrayList<>();
    private final List<NettyPeerManager> managers = new ArrayList<>();

    /** One node: its key, transport, what it knows of the network and its messenger. */
    static final class Node {
        final PrivateKey key;
        final NettyPeerManager peers;
        final InMemoryNetworkView view = new InMemoryNetworkView();
        final InetSocketAddress address;
        PeerOnionMessenger messenger;

        Node(PrivateKey key, NettyPeerManager peers, InetSocketAddress address) {
            this.key = key;
            this.peers = peers;
            this.address = address;
        }

        PublicKey id() {
            return key.publicKey();
        }

        NetworkView.Address networkAddress() {
            return new NetworkView.Address(address.getAddress().getHostAddress(), address.getPort());
        }

        /**
         * Dials {@code to} through our messenger and waits until {@code to} has registered the
         * connection too (its side completes the init exchange on its own event loop).
         */
        PeerConnection connectTo(Node to) {
            CompletableFuture<PeerConnection> accepted = to.peers.inboundConnections()
                    .filter(c -> c.remoteNodeId().equals(id())).next().toFuture();
            PeerConnection c = messenger.connect(to.id(), to.address).block(WAIT);
            Mono.fromFuture(accepted).block(WAIT);
            return c;
        }
    }

    /** A listening node with a messenger. */
    Node node(boolean noConnect) {
        return node(noConnect, TransportConfig.defaults());
    }

    Node node(boolean noConnect, TransportConfig config) {
        Node n = transportOnly(config);
        n.messenger = new PeerOnionMessenger(n.peers, n.key, n.view, noConnect, Schedulers.parallel(), RANDOM);
        messengers.add(n.messenger);
        return n;
    }

    /** A listening node whose messenger holds peers to {@code limits}, timed by {@code clock}. */
    Node node(boolean noConnect, OnionMessageLimits limits, Scheduler clock) {
        Node n = transportOnly(TransportConfig.defaults());
        n.messenger = new PeerOnionMessenger(n.peers, n.key, n.view, noConnect, limits, Schedulers.parallel(), clock,
                RANDOM);
        messengers.add(n.messenger);
        return n;
    }

    /** A listening node without a messenger: the test reads and writes its connections itself. */
    Node transportOnly(TransportConfig config) {
        PrivateKey key = PrivateKey.random(RANDOM);
        NettyPeerManager peers = NettyPeerManager.create(key, config);
        managers.add(peers);
        InetSocketAddress address = peers.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).block(WAIT);
        return new Node(key, peers, address);
    }

    @Override
    public void close() {
        messengers.forEach(PeerOnionMessenger::dispose);
        for (NettyPeerManager m : managers) {
            m.close().block(WAIT);
        }
    }
}
