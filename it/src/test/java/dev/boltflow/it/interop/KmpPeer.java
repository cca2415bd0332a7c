package dev.boltflow.it.interop;

import fr.acinq.bitcoin.PrivateKey;
import fr.acinq.bitcoin.PublicKey;
import fr.acinq.lightning.crypto.noise.CipherState;
import fr.acinq.lightning.crypto.noise.Chacha20Poly1305CipherFunctionsDefault;
import fr.acinq.lightning.crypto.noise.ExtendedCipherState;
import fr.acinq.lightning.crypto.noise.HandshakeState;
import fr.acinq.lightning.crypto.noise.HandshakeStateReader;
import fr.acinq.lightning.crypto.noise.HandshakeStateWriter;
import fr.acinq.lightning.crypto.noise.NoiseKt;
import fr.acinq.lightning.crypto.noise.RandomBytes;
import fr.acinq.lightning.crypto.noise.SHA256HashFunctions;
import fr.acinq.lightning.crypto.noise.Secp256k1DHFunctions;
import fr.acinq.lightning.wire.LightningMessage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kotlin.Pair;
import kotlin.Triple;

/**
 * One BOLT 8 connection driven entirely by lightning-kmp's code: its Noise_XK state machine
 * ({@code HandshakeState}, the same calls its {@code Peer.handshake} makes), its transport cipher
 * with key rotation ({@code ExtendedCipherState}, as in its {@code LightningSession}; on the JVM its
 * {@code Chacha20Poly1305CipherFunctions} is a type alias of {@code ...Default}) and its message
 * codec ({@code LightningMessage.encode/decode}). Only the socket is ours: a blocking
 * {@link Socket} (lightning-kmp's own socket layer is Ktor on coroutines), read on the test thread
 * with a read timeout so that nothing can hang a test.
 */
final class KmpPeer implements AutoCloseable {
    /** The act prefix (version 0). */
    private static final byte PREFIX = 0x00;
    private static final byte[] PROLOGUE = "lightning".getBytes(StandardCharsets.US_ASCII);
    private static final int READ_TIMEOUT_MS = 30_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final PublicKey remoteNodeId;
    private CipherState encryptor;
    private CipherState decryptor;

    private KmpPeer(Socket socket, PublicKey remoteNodeId, CipherState enc, CipherState dec, byte[] ck)
            throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.remoteNodeId = remoteNodeId;
        this.encryptor = new ExtendedCipherState(enc, ck);
        this.decryptor = new ExtendedCipherState(dec, ck);
    }

    /** lightning-kmp dials {@code address} and runs the handshake as initiator, expecting {@code theirs}. */
    static KmpPeer connect(PrivateKey ours, PublicKey theirs, InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, READ_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            HandshakeStateWriter writer = HandshakeState.Companion.initializeWriter(NoiseKt.getHandshakePatternXK(),
                    PROLOGUE, keyPair(ours), new Pair<>(new byte[0], new byte[0]), theirs.value.toByteArray(),
                    new byte[0], Secp256k1DHFunctions.INSTANCE, Chacha20Poly1305CipherFunctionsDefault.INSTANCE,
                    SHA256HashFunctions.INSTANCE, RandomBytes.INSTANCE);
            Triple<HandshakeStateReader, byte[], ?> act1 = writer.write(new byte[0]);
            writeAct(out, act1.getSecond());
            byte[] act2 = readAct(in, 50);
            Triple<HandshakeStateWriter, byte[], ?> afterAct2 = act1.getFirst().read(act2);
            Triple<HandshakeStateReader, byte[], Triple<CipherState, CipherState, byte[]>> act3 =
                    afterAct2.getFirst().write(new byte[0]);
            writeAct(out, act3.getSecond());
            Triple<CipherState, CipherState, byte[]> keys = act3.getThird();
            return new KmpPeer(s, theirs, keys.getFirst(), keys.getSecond(), keys.getThird());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** lightning-kmp accepts one connection on {@code server} and runs the handshake as responder. */
    static KmpPeer accept(PrivateKey ours, ServerSocket server) throws IOException {
        server.setSoTimeout(READ_TIMEOUT_MS);
        Socket s = server.accept();
        try {
            s.setSoTimeout(READ_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            HandshakeStateReader reader = HandshakeState.Companion.initializeReader(NoiseKt.getHandshakePatternXK(),
                    PROLOGUE, keyPair(ours), new Pair<>(new byte[0], new byte[0]), new byte[0], new byte[0],
                    Secp256k1DHFunctions.INSTANCE, Chacha20Poly1305CipherFunctionsDefault.INSTANCE,
                    SHA256HashFunctions.INSTANCE, RandomBytes.INSTANCE);
            Triple<HandshakeStateWriter, byte[], ?> afterAct1 = reader.read(readAct(in, 50));
            Triple<HandshakeStateReader, byte[], ?> act2 = afterAct1.getFirst().write(new byte[0]);
            writeAct(out, act2.getSecond());
            Triple<HandshakeStateWriter, byte[], Triple<CipherState, CipherState, byte[]>> afterAct3 =
                    act2.getFirst().read(readAct(in, 66));
            Triple<CipherState, CipherState, byte[]> keys = afterAct3.getThird();
            PublicKey initiator = new PublicKey(afterAct3.getFirst().getRs());
            // The responder decrypts with the first key of the split and encrypts with the second.
            return new KmpPeer(s, initiator, keys.getSecond(), keys.getFirst(), keys.getThird());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static Pair<byte[], byte[]> keyPair(PrivateKey key) {
        return Secp256k1DHFunctions.INSTANCE.generateKeyPair(key.value.toByteArray());
    }

    private static void writeAct(OutputStream out, byte[] body) throws IOException {
        byte[] act = new byte[body.length + 1];
        act[0] = PREFIX;
        System.arraycopy(body, 0, act, 1, body.length);
        out.write(act);
        out.flush();
    }

    private static byte[] readAct(DataInputStream in, int length) throws IOException {
        byte[] act = new byte[length];
        in.readFully(act);
        if (act[0] != PREFIX) {
            throw new IOException("act with version " + act[0]);
        }
        return Arrays.copyOfRange(act, 1, length);
    }

    /** The node id the handshake authenticated. */
    PublicKey remoteNodeId() {
        return remoteNodeId;
    }

    /** Encodes {@code message} with lightning-kmp's codec and sends it. */
    void send(LightningMessage message) throws IOException {
        sendRaw(LightningMessage.Companion.encode(message));
    }

    /** Sends one message (type and payload) in a BOLT 8 frame, with lightning-kmp's cipher. */
    void sendRaw(byte[] message) throws IOException {
        byte[] length = {(byte) (message.length >>> 8), (byte) message.length};
        Pair<CipherState, byte[]> l = encryptor.encryptWithAd(new byte[0], length);
        Pair<CipherState, byte[]> b = l.getFirst().encryptWithAd(new byte[0], message);
        encryptor = b.getFirst();
        out.write(l.getSecond());
        out.write(b.getSecond());
        out.flush();
    }

    /** Reads one frame and decodes it with lightning-kmp's codec. */
    LightningMessage receive() throws IOException {
        return LightningMessage.Companion.decode(receiveRaw());
    }

    /** Reads and decrypts one frame with lightning-kmp's cipher: the message's bytes. */
    byte[] receiveRaw() throws IOException {
        byte[] header = new byte[18];
        in.readFully(header);
        Pair<CipherState, byte[]> l = decryptor.decryptWithAd(new byte[0], header);
        int length = ((l.getSecond()[0] & 0xff) << 8) | (l.getSecond()[1] & 0xff);
        byte[] body = new byte[length + 16];
        in.readFully(body);
        Pair<CipherState, byte[]> b = l.getFirst().decryptWithAd(new byte[0], body);
        decryptor = b.getFirst();
        return b.getSecond();
    }

    /**
     * Reads and decodes frames until the other side closes the socket; returns what came before
     * the close.
     */
    List<LightningMessage> receiveUntilClosed() throws IOException {
        List<LightningMessage> out = new ArrayList<>();
        while (true) {
            try {
                out.add(receive());
            } catch (EOFException | SocketException e) {
                return out; // end of stream, or reset by the peer
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
