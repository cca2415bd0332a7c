package dev.boltflow.it.interop;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import fr.acinq.bitcoin.ByteVector;
import fr.acinq.bitcoin.ByteVector32;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conversions between boltflow's values and lightning-kmp's (bitcoin-kmp's {@code ByteVector},
 * keys), and the lightning-kmp version the suite runs against (read from the jar it was loaded from, so
 * the README table and the run cannot drift apart).
 */
final class Kmp {
    private Kmp() {
    }

    /**
     * The lightning-kmp-jvm version on the test classpath, e.g. {@code 1.8.4}: read from the name of
     * the jar its classes were loaded from (the jar carries no Maven metadata of its own).
     */
    static String version() {
        String jar = fr.acinq.lightning.wire.OfferTypes.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath();
        Matcher m = Pattern.compile("lightning-kmp-jvm-([^/]+)\\.jar$").matcher(jar);
        if (!m.find()) {
            throw new IllegalStateException("lightning-kmp loaded from an unexpected place: " + jar);
        }
        return m.group(1);
    }

    static ByteVector bv(Bytes b) {
        return new ByteVector(b.toArray());
    }

    static ByteVector bv(byte[] b) {
        return new ByteVector(b);
    }

    static ByteVector32 bv32(Bytes32 b) {
        return new ByteVector32(b.bytes().toArray());
    }

    static Bytes bytes(ByteVector v) {
        return Bytes.wrap(v.toByteArray());
    }

    static Bytes32 bytes32(ByteVector32 v) {
        return Bytes32.wrap(v.toByteArray());
    }

    static fr.acinq.bitcoin.PublicKey pub(dev.boltflow.core.crypto.PublicKey k) {
        return new fr.acinq.bitcoin.PublicKey(k.toArray());
    }

    static dev.boltflow.core.crypto.PublicKey pub(fr.acinq.bitcoin.PublicKey k) {
        return dev.boltflow.core.crypto.PublicKey.fromBytes(k.value.toByteArray());
    }

    static fr.acinq.bitcoin.PrivateKey priv(dev.boltflow.core.crypto.PrivateKey k) {
        return new fr.acinq.bitcoin.PrivateKey(k.toBytes());
    }

    static dev.boltflow.core.crypto.PrivateKey priv(fr.acinq.bitcoin.PrivateKey k) {
        return dev.boltflow.core.crypto.PrivateKey.fromBytes(k.value.toByteArray());
    }

    /** An {@code onion_message_packet} as lightning-kmp holds it, in its wire bytes. */
    static Bytes packetBytes(fr.acinq.lightning.wire.OnionRoutingPacket p) {
        return Bytes.wrap(new byte[] {(byte) p.getVersion()}).concat(bytes(p.getPublicKey()))
                .concat(bytes(p.getPayload())).concat(bytes(p.getHmac()));
    }

    /** Wire bytes of an {@code onion_message_packet} as lightning-kmp's type. */
    static fr.acinq.lightning.wire.OnionRoutingPacket packet(Bytes b) {
        byte[] a = b.toArray();
        return new fr.acinq.lightning.wire.OnionRoutingPacket(a[0] & 0xff, bv(Arrays.copyOfRange(a, 1, 34)),
                bv(Arrays.copyOfRange(a, 34, a.length - 32)), new ByteVector32(Arrays.copyOfRange(a, a.length - 32, a.length)));
    }

    /** Our blinded path read by lightning-kmp's path reader. */
    static fr.acinq.lightning.crypto.RouteBlinding.BlindedRoute route(dev.boltflow.core.onion.BlindedPath path) {
        return fr.acinq.lightning.wire.OfferTypes.INSTANCE.readPath(new fr.acinq.bitcoin.io.ByteArrayInput(path.encode()))
                .getRoute();
    }
}
