package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.OnionMessagesPropertiesTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.Hashes;
import dev.boltflow.core.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;

class SphinxTest {
    private static final PrivateKey A = key(40, 1);
    private static final PrivateKey B = key(40, 2);
    private static final Bytes HASH = Bytes.fromHex("33".repeat(32));

    @Test
    void paymentOnion_peelsOnlyWithItsAssociatedData() {
        Bytes onion = Sphinx.createPaymentPacket(key(40, 3), List.of(A.publicKey(), B.publicKey()),
                List.of(Bytes.fromHex("0203aabbcc"), Bytes.fromHex("0401ff")), HASH);
        assertEquals(1366, onion.length());
        Sphinx.Peeled atA = Sphinx.peel(A, onion, HASH);
        assertEquals(Bytes.fromHex("0203aabbcc"), atA.payload());
        Sphinx.Peeled atB = Sphinx.peel(B, atA.nextPacket().orElseThrow(), HASH);
        assertEquals(Bytes.fromHex("0401ff"), atB.payload());
        assertTrue(atB.isFinal());
        assertEquals("Peeled[payload=5B, forward]", atA.toString());
        assertEquals("Peeled[payload=3B, final]", atB.toString());
        assertThrows(AuthenticationException.class, () -> Sphinx.peel(A, onion, Bytes.fromHex("34".repeat(32))));
    }

    @Test
    void payloadsThatDoNotFit_areRefused() {
        List<Bytes> big = List.of(Bytes.wrap(new byte[1300 - 3 - 32 + 1]));
        OnionException e = assertThrows(OnionException.class,
                () -> Sphinx.createPaymentPacket(key(40, 3), List.of(A.publicKey()), big, HASH));
        assertEquals(OnionException.Reason.PACKET_TOO_BIG, e.reason());
        List<Bytes> fits = List.of(Bytes.wrap(new byte[1300 - 3 - 32]));
        assertEquals(1366, Sphinx.createPaymentPacket(key(40, 3), List.of(A.publicKey()), fits, HASH).length());
        assertEquals(32834, Sphinx.createMessagePacket(key(40, 3), List.of(A.publicKey()), big).length());
        List<Bytes> largest = List.of(Bytes.wrap(new byte[32768 - 3 - 32]));
        assertEquals(32834, Sphinx.createMessagePacket(key(40, 3), List.of(A.publicKey()), largest).length());
        List<Bytes> huge = List.of(Bytes.wrap(new byte[32768 - 3 - 32 + 1]));
        e = assertThrows(OnionException.class, () -> Sphinx.createMessagePacket(key(40, 3), List.of(A.publicKey()), huge));
        assertEquals(OnionException.Reason.PACKET_TOO_BIG, e.reason());
        e = assertThrows(OnionException.class, () -> Sphinx.createMessagePacket(key(40, 3), List.of(), List.of()));
        assertEquals(OnionException.Reason.INVALID_ROUTE, e.reason());
    }

    @Test
    void reservedPayloadLengths_andBadVersions_areDecodeErrors() {
        Bytes shortPayload = Sphinx.createMessagePacket(key(40, 3), List.of(A.publicKey()), List.of(Bytes.fromHex("01")));
        assertThrows(DecodeException.class, () -> Sphinx.peel(A, shortPayload, Bytes.EMPTY));
        Bytes ok = Sphinx.createMessagePacket(key(40, 3), List.of(A.publicKey()), List.of(Bytes.fromHex("0100")));
        byte[] v = ok.toArray();
        v[0] = 2;
        assertThrows(DecodeException.class, () -> Sphinx.peel(A, Bytes.wrap(v), Bytes.EMPTY));
        byte[] badKey = ok.toArray();
        badKey[1] = 5;
        assertThrows(DecodeException.class, () -> Sphinx.peel(A, Bytes.wrap(badKey), Bytes.EMPTY));
    }
    @Test
    void payloadsFillingExactly1300Bytes_makeTheSmallMessagePacket() {
        List<Bytes> fits = List.of(Bytes.wrap(new byte[1300 - 3 - 32]));
        assertEquals(1366, Sphinx.createMessagePacket(key(40, 3), List.of(A.publicKey()), fits).length());
    }

    @Test
    void theShortestPayload_twoBytes_peels() {
        Bytes ok = Sphinx.createMessagePacket(key(40, 3), List.of(A.publicKey()), List.of(Bytes.fromHex("0100")));
        assertEquals(Bytes.fromHex("0100"), Sphinx.peel(A, ok, Bytes.EMPTY).payload());
    }

    @Test
    void anUnknownVersion_isNamedAsAnUnsignedByte() {
        byte[] v = Sphinx.createMessagePacket(key(40, 3), List.of(A.publicKey()), List.of(Bytes.fromHex("0100"))).toArray();
        v[0] = (byte) 0x80;
        assertEquals("unknown onion version 128",
                assertThrows(DecodeException.class, () -> Sphinx.peel(A, Bytes.wrap(v), Bytes.EMPTY)).getMessage());
    }

    /**
     * A sender (or a hostile hop before us) can authenticate a hop payload length that does not fit:
     * BOLT 4, Onion Decryption, "if unwrapped_payloads is smaller than hop_payloads: MUST abort".
     * A payload that ends exactly where the hop payloads end (its HMAC the last 32 bytes) is fine.
     */
    @Test
    void anAuthenticatedPayloadLengthBeyondTheHopPayloads_isRefused() {
        assertEquals(1265, Sphinx.peel(A, withLength(1300 - 3 - 32), HASH).payload().length());
        assertEquals("hop payload overruns the hop payloads",
                assertThrows(DecodeException.class, () -> Sphinx.peel(A, withLength(1300 - 3 - 32 + 1), HASH)).getMessage());
        // Past twice the packet's length, the length itself is refused before anything is read.
        int lastInUnwrapped = 2 * 1300 - 3 - 32;
        assertEquals("hop payload overruns the hop payloads",
                assertThrows(DecodeException.class, () -> Sphinx.peel(A, withLength(lastInUnwrapped), HASH)).getMessage());
        assertEquals("hop payload length " + (lastInUnwrapped + 1) + " exceeds the packet",
                assertThrows(DecodeException.class, () -> Sphinx.peel(A, withLength(lastInUnwrapped + 1), HASH)).getMessage());
    }

    /**
     * A one-hop payment onion to A whose hop payload length (a 3-byte BigSize) says {@code length},
     * with a valid HMAC: made from a real onion by XOR-ing the encrypted length and re-MACing as the
     * sender can (mu = HMAC256("mu", ss)).
     */
    private static Bytes withLength(int length) {
        PrivateKey session = key(40, 3);
        byte[] p = Sphinx.createPaymentPacket(session, List.of(A.publicKey()), List.of(Bytes.wrap(new byte[300])),
                HASH).toArray();
        // Written: fd 01 2c (300). Wanted: fd ‖ length as a u16.
        p[1 + 33 + 1] ^= (byte) (0x01 ^ (length >>> 8));
        p[1 + 33 + 2] ^= (byte) (0x2c ^ length);
        byte[] ss = session.ecdh(A.publicKey()).bytes().toArray();
        Mac mu = Hashes.newHmac(Hashes.newHmac("mu".getBytes(StandardCharsets.US_ASCII)).doFinal(ss));
        mu.update(p, 1 + 33, 1300);
        mu.update(HASH.toArray());
        System.arraycopy(mu.doFinal(), 0, p, 1 + 33 + 1300, 32);
        return Bytes.wrap(p);
    }
}
