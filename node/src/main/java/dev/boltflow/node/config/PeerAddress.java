package dev.boltflow.node.config;

import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer as Core Lightning writes it for {@code connect} and {@code --connect}:
 * {@code node_id}, {@code node_id@host} or {@code node_id@host:port} (port 9735 when left out).
 */
public record PeerAddress(PublicKey nodeId, Optional<String> host, int port) {
    public static final int DEFAULT_PORT = 9735;

    public PeerAddress {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
    }

    /** @throws IllegalArgumentException naming what is wrong (node id, host or port) */
    public static PeerAddress parse(String s) {
        int at = s.indexOf('@');
        String id = at < 0 ? s : s.substring(0, at);
        PublicKey nodeId;
        try {
            nodeId = PublicKey.fromHex(id);
        } catch (DecodeException e) {
            throw new IllegalArgumentException("'" + id + "' is not a node id: " + e.getMessage());
        }
        if (at < 0) {
            return new PeerAddress(nodeId, Optional.empty(), DEFAULT_PORT);
        }
        String hostPort = s.substring(at + 1);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return new PeerAddress(nodeId, Optional.of(hostPort), DEFAULT_PORT);
        }
        if (colon == 0) {
            throw new IllegalArgumentException("'" + s + "' has a port but no host");
        }
        return new PeerAddress(nodeId, Optional.of(hostPort.substring(0, colon)), parsePort(hostPort.substring(colon + 1)));
    }

    static int parsePort(String s) {
        try {
            int port = Integer.parseInt(s);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad port '" + s + "'");
    }
}
