package dev.boltflow.transport.netty;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.wire.WireMessage;
import dev.boltflow.transport.TransportConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Peer managers on loopback for one test; {@link #close()} disposes them all. */
final class TestNodes implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final SecureRandom RANDOM = new SecureRandom();
    /** An odd type no one defines: BOLT 1 lets the node ignore it, the transport passes it up. */
    static final int TEST_TYPE = 32769;

    private final List<NettyPeerManager> managers = new ArrayList<>();

    NettyPeerManager node(TransportConfig config) {
        return node(PrivateKey.random(RANDOM), config);
    }

    NettyPeerManager node(PrivateKey key, TransportConfig config) {
        NettyPeerManager m = NettyPeerManager.create(key, config);
        managers.add(m);
        return m;
    }

    static InetSocketAddress listen(NettyPeerManager m) {
        return m.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).block(WAIT);
    }

    /** A test message carrying {@code seq} and some filler. */
    static WireMessage.Unknown testMessage(int seq, int filler) {
        byte[] payload = new byte[4 + filler];
        payload[0] = (byte) (seq >>> 24);
        payload[1] = (byte) (seq >>> 16);
        payload[2] = (byte) (seq >>> 8);
        payload[3] = (byte) seq;
        for (int i = 4; i < payload.length; i++) {
            payload[i] = (byte) (seq + i);
        }
        return new WireMessage.Unknown(TEST_TYPE, Bytes.wrap(payload));
    }

    static int seqOf(WireMessage m) {
        Bytes p = ((WireMessage.Unknown) m).payload();
        return ((p.get(0) & 0xff) << 24) | ((p.get(1) & 0xff) << 16) | ((p.get(2) & 0xff) << 8) | (p.get(3) & 0xff);
    }

    @Override
    public void close() {
        for (NettyPeerManager m : managers) {
            m.close().block(WAIT);
        }
    }
}
