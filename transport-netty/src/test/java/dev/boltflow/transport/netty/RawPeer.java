package dev.boltflow.transport.netty;

import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.noise.EphemeralKeySource;
import dev.boltflow.core.noise.NoiseHandshake;
import dev.boltflow.core.noise.TransportCipher;
import dev.boltflow.core.wire.WireCodec;
import dev.boltflow.core.wire.WireMessage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;

/**
 * A hand-driven peer on a plain blocking socket (test thread only): it does exactly what a test
 * says, including what a well-behaved node never would.
 */
final class RawPeer implements AutoCloseable {
    final PrivateKey key = PrivateKey.random(TestNodes.RANDOM);
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private NoiseHandshake.Initiator initiator;
    private TransportCipher cipher;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawPeer connect(InetSocketAddress address) {
        try {
            Socket s = new Socket();
            s.connect(address, 10_000);
            s.setSoTimeout(20_000);
            return new RawPeer(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] read(int n) {
        try {
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] actOne(PublicKey responder) {
        initiator = NoiseHandshake.initiator(key, responder, EphemeralKeySource.secureRandom());
        return initiator.actOne();
    }

    /** Reads act two and returns act three, without sending it. */
    byte[] actThree() {
        byte[] three = initiator.actThree(read(NoiseHandshake.ACT_TWO_LENGTH));
        cipher = initiator.result().cipher();
        return three;
    }

    void handshake(PublicKey responder) {
        write(actOne(responder));
        write(actThree());
    }

    /** Encrypts one message into a frame, without sending it. */
    byte[] frame(byte[] message) {
        return cipher.encrypt(message);
    }

    void send(WireMessage message) {
        write(frame(WireCodec.encode(message)));
    }

    WireMessage receive() {
        int length = cipher.decryptLength(read(TransportCipher.HEADER_LENGTH));
        return WireCodec.decode(cipher.decryptBody(read(length + TransportCipher.MAC_LENGTH)));
    }

    /** Reads until the other side closes; returns how many bytes came before. Fails on timeout. */
    int readUntilClosed() {
        int n = 0;
        try {
            while (in.read() >= 0) {
                n++;
            }
        } catch (EOFException | SocketException e) {
            // reset: closed as well
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
