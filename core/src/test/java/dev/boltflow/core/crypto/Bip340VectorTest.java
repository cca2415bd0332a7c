package dev.boltflow.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BIP-340's own vectors, read from ../shared/bolts/bip340/test-vectors.csv, on each secp256k1 provider. */
class Bip340VectorTest extends OnEachSecp256k1Provider {

    record Row(String index, String secretKey, String publicKey, String auxRand, String message,
               String signature, boolean valid, String comment) {
    }

    static Stream<Arguments> rows() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Vectors.file("bip340/test-vectors.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals("index,secret key,public key,aux_rand,message,signature,verification result,comment",
                lines.get(0));
        return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> {
            String[] f = l.split(",", 8);
            Row r = new Row(f[0], f[1], f[2], f[3], f[4], f[5], parseResult(f[6]), f.length > 7 ? f[7] : "");
            return Arguments.of("#" + r.index() + (r.comment().isEmpty() ? "" : " " + r.comment()), r);
        });
    }

    static Stream<Arguments> signingRows() {
        return rows().filter(a -> !((Row) a.get()[1]).secretKey().isEmpty());
    }

    private static boolean parseResult(String s) {
        if (s.equals("TRUE")) {
            return true;
        }
        if (s.equals("FALSE")) {
            return false;
        }
        throw new IllegalArgumentException("verification result " + s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signingRows")
    void signing_reproduces_signature_and_key(String name, Row row) {
        PrivateKey key = PrivateKey.fromBytes(Bytes.fromHex(row.secretKey()).toArray());
        assertEquals(Bytes32.fromHex(row.publicKey()), key.publicKey().xOnly(), name);
        Bytes msg = Bytes.fromHex(row.message());
        Bytes32 aux = Bytes32.fromHex(row.auxRand());
        Signature expected = Signature.fromHex(row.signature());
        assertEquals(expected, Schnorr.sign(key, msg, aux), name);
        if (msg.length() == 32) {
            assertEquals(expected, Schnorr.sign(key, new Bytes32(msg), aux), name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void verification_matches_expected_result(String name, Row row) {
        Bytes32 xOnly = Bytes32.fromHex(row.publicKey());
        Bytes msg = Bytes.fromHex(row.message());
        Signature sig = Signature.fromHex(row.signature());
        assertEquals(row.valid(), Schnorr.verify(xOnly, msg, sig), name);
        if (msg.length() == 32) {
            assertEquals(row.valid(), Schnorr.verify(xOnly, new Bytes32(msg), sig), name);
        }
        ECPoint lifted = Secp256k1.liftX(xOnly.toArray());
        if (lifted != null) {
            // The same x through a PublicKey, with either parity: x-only semantics ignore it.
            PublicKey even = PublicKey.fromBytes(Secp256k1.encodeCompressed(lifted));
            PublicKey odd = PublicKey.fromBytes(Secp256k1.encodeCompressed(lifted.negate()));
            assertTrue(even.hasEvenY() && !odd.hasEvenY());
            assertEquals(row.valid(), Schnorr.verify(even, msg, sig), name + " (even key)");
            assertEquals(row.valid(), Schnorr.verify(odd, msg, sig), name + " (odd key)");
        }
    }
}
