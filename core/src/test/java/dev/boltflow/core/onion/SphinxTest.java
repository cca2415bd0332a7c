package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.OnionMessagesPropertiesTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.PrivateKey;
import java.util.List;
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
}
