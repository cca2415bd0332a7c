package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** A plain blocking Unix socket that writes raw bytes and reads {@code "\n\n"}-terminated answers. */
final class RawSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private byte[] pending = new byte[0];

    private RawSocket(SocketChannel channel) {
        this.channel = channel;
    }

    static RawSocket connect(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new RawSocket(ch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next answer; fails if the server closes first. */
    JsonNode read() {
        while (true) {
            int end = indexOfEnd(pending);
            if (end >= 0) {
                byte[] one = Arrays.copyOfRange(pending, 0, end);
                pending = Arrays.copyOfRange(pending, end + 2, pending.length);
                try {
                    return JSON.readTree(one);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (!fill()) {
                throw new AssertionError("server closed the connection; unread: "
                        + new String(pending, StandardCharsets.UTF_8));
            }
        }
    }

    /** True when the server has closed and nothing more was sent. */
    boolean closedByServer() {
        try {
            return pending.length == 0 && !fill() && pending.length == 0;
        } catch (UncheckedIOException e) {
            return true; // reset by peer
        }
    }

    private boolean fill() {
        try {
            ByteBuffer b = ByteBuffer.allocate(65536);
            int n = channel.read(b);
            if (n < 0) {
                return false;
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(pending);
            all.write(b.array(), 0, n);
            pending = all.toByteArray();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOfEnd(byte[] a) {
        for (int i = 0; i + 1 < a.length; i++) {
            if (a[i] == '\n' && a[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
