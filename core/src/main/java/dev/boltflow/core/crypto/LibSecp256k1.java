package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.DecodeException;
import fr.acinq.secp256k1.jni.NativeSecp256k1JvmLoader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;

/**
 * The {@link Secp256k1Provider} on Bitcoin Core's libsecp256k1, through ACINQ's JNI binding
 * ({@code fr.acinq.secp256k1:secp256k1-kmp-jni-jvm}, the one Eclair and Phoenix ship; its jar
 * bundles the library for Linux x86_64/arm64, macOS and Windows and extracts it to
 * {@code java.io.tmpdir}, or {@code -Dfr.acinq.secp256k1.tmpdir}, when first loaded). Obtain it
 * with {@link #load()}; {@link Secp256k1Providers} makes it the default where it loads.
 *
 * <p>Each operation is one libsecp256k1 call: {@code secp256k1_ec_pubkey_parse},
 * {@code _pubkey_create} (secret·G), {@code secp256k1_ecdh} (whose default hash is SHA256 of the
 * compressed point, which is what BOLT 4 and BOLT 8 use), {@code _pubkey_tweak_mul},
 * {@code _pubkey_combine}, {@code _privkey_tweak_mul}, {@code secp256k1_schnorrsig_sign32} /
 * {@code _verify}. Handles are the 65-byte uncompressed serialisation libsecp256k1 returns, so a
 * point is decompressed once, when it is parsed, and never again. Secret-dependent operations are
 * libsecp256k1's constant-time ones.
 *
 * <p>What this class adds, so that it gives the same bytes and the same refusals as
 * {@link BouncyCastleSecp256k1}: it checks secrets and tweaks itself (the binding's ECDH would
 * silently use 1 for a zero or out-of-range secret); it verifies every signature it makes before
 * returning it (BIP-340 "Default Signing" recommends it against fault attacks; libsecp256k1 does
 * not do it); and BIP-340 messages that are not 32 bytes, which the binding cannot take and BOLT 12
 * never signs, go to the BouncyCastle provider.
 */
public final class LibSecp256k1 implements Secp256k1Provider {
    /** The binding and its version, for logs. */
    public static final String BINDING = "secp256k1-kmp-jni-jvm " + bindingVersion();
    private static final int UNCOMPRESSED = 65;

    private final fr.acinq.secp256k1.Secp256k1 lib;

    private LibSecp256k1(fr.acinq.secp256k1.Secp256k1 lib) {
        this.lib = lib;
    }

    /** The version the build wrote into {@code secp256k1-kmp.properties}, or "(version unknown)". */
    private static String bindingVersion() {
        Properties p = new Properties();
        try (InputStream in = LibSecp256k1.class.getResourceAsStream("secp256k1-kmp.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a name for logs only
        }
        return p.getProperty("secp256k1-kmp.version", "(version unknown)");
    }

    /** Why the native library is unavailable here. */
    public static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final class Holder {
        static final Object LOADED = tryLoad();

        private static Object tryLoad() {
            try {
                LibSecp256k1 p = new LibSecp256k1(NativeSecp256k1JvmLoader.load());
                p.selfTest();
                return p;
            } catch (Exception | LinkageError e) {
                // LinkageError: no library for this platform, a library that does not link, or the
                // binding's classes missing from the class path.
                return new UnavailableException("libsecp256k1 (" + BINDING + ") did not load: " + describe(e), e);
            }
        }
    }

    /**
     * The provider, once per process: the first call extracts and loads the native library and
     * checks it on known answers; every later call returns the same instance or the same failure.
     *
     * @throws UnavailableException when it cannot be loaded here (no library for this platform, a
     *         temporary directory it cannot be loaded from, a wrong answer)
     */
    public static LibSecp256k1 load() throws UnavailableException {
        Object loaded = Holder.LOADED;
        if (loaded instanceof LibSecp256k1 p) {
            return p;
        }
        UnavailableException e = (UnavailableException) loaded;
        throw new UnavailableException(e.getMessage(), e.getCause());
    }

    /** The innermost message: an initializer error or a wrapper says less than its cause. */
    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof ExceptionInInitializerError)) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Known answers: 1·G is the generator, and ECDH(1, G) is SHA256 of G's compressed encoding. */
    private void selfTest() throws UnavailableException {
        byte[] one = new byte[32];
        one[31] = 1;
        byte[] g = serialize(publicKey(one));
        byte[] expected = Secp256k1.encodeCompressed(Secp256k1.G);
        if (!Arrays.equals(g, expected) || !Arrays.equals(ecdh(one, parse(expected)), Hashes.sha256(expected))) {
            throw new UnavailableException("libsecp256k1 (" + BINDING + ") gave a wrong answer to its self-test", null);
        }
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public String description() {
        return "native (libsecp256k1 through " + BINDING + ")";
    }

    @Override
    public Object parse(byte[] compressed) {
        if (compressed.length != 33 || (compressed[0] != 2 && compressed[0] != 3)) {
            throw new DecodeException("not a compressed secp256k1 point");
        }
        try {
            return lib.pubkeyParse(compressed);
        } catch (RuntimeException e) {
            throw new DecodeException("point not on secp256k1", e);
        }
    }

    @Override
    public byte[] serialize(Object point) {
        byte[] p = point(point);
        byte[] out = Arrays.copyOf(p, 33);
        out[0] = (byte) (2 | (p[UNCOMPRESSED - 1] & 1));
        return out;
    }

    @Override
    public Object publicKey(byte[] secret) {
        requireScalar(secret, "secret");
        return lib.pubkeyCreate(secret);
    }

    @Override
    public byte[] ecdh(byte[] secret, Object point) {
        requireScalar(secret, "secret");
        return lib.ecdh(secret, point(point));
    }

    @Override
    public Object tweak(Object point, byte[] tweak) {
        byte[] p = point(point);
        requireScalar(tweak, "tweak");
        // A valid point times a tweak in [1, n − 1] is never infinity: n is prime.
        return lib.pubKeyTweakMul(p, tweak);
    }

    @Override
    public Object add(Object a, Object b) {
        byte[] pa = point(a);
        byte[] pb = point(b);
        try {
            return lib.pubKeyCombine(new byte[][] {pa, pb});
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the result is the point at infinity", e);
        }
    }

    @Override
    public byte[] multiplySecret(byte[] secret, byte[] tweak) {
        requireScalar(secret, "secret");
        requireScalar(tweak, "tweak");
        // The binding multiplies in place and returns the array it was given: give it a copy.
        return lib.privKeyTweakMul(secret.clone(), tweak);
    }

    @Override
    public byte[] signSchnorr(byte[] secret, Object publicKey, byte[] msg, byte[] aux) {
        requireScalar(secret, "secret");
        BouncyCastleSecp256k1.requireAux(aux);
        byte[] pub = point(publicKey);
        byte[] xOnly = Arrays.copyOfRange(pub, 1, 33);
        if (msg.length != 32) {
            BouncyCastleSecp256k1 bc = BouncyCastleSecp256k1.INSTANCE;
            return bc.signSchnorr(secret, bc.parse(serialize(pub)), msg, aux);
        }
        byte[] sig = lib.signSchnorr(msg, secret, aux);
        return BouncyCastleSecp256k1.selfVerified(sig, lib.verifySchnorr(sig, msg, xOnly));
    }

    @Override
    public boolean verifySchnorr(byte[] xOnly, Object point, byte[] msg, byte[] sig) {
        if (xOnly.length != 32 || sig.length != 64) {
            return false;
        }
        if (msg.length != 32) {
            return BouncyCastleSecp256k1.INSTANCE.verifySchnorr(xOnly, null, msg, sig);
        }
        try {
            return lib.verifySchnorr(sig, msg, xOnly);
        } catch (RuntimeException e) {
            // The binding throws when xOnly is not an x coordinate on the curve: not a valid signature.
            return false;
        }
    }

    /**
     * ECDSA, as main's {@code Secp256k1Provider.signEcdsa} (issue 14) defines it: the compact 64-byte
     * signature of a 32-byte hash, RFC 6979 nonces and a low s, which is what
     * {@code secp256k1_ecdsa_sign} makes. Not yet part of this branch's interface: it becomes the
     * override when the branches meet.
     */
    public byte[] signEcdsa(byte[] secret, byte[] hash32) {
        requireScalar(secret, "secret");
        if (hash32.length != 32) {
            throw new IllegalArgumentException("ECDSA signs a 32-byte hash");
        }
        return lib.sign(hash32, secret);
    }

    /**
     * ECDSA verification of a compact signature, as main's {@code verifyEcdsa} defines it: a high s
     * is accepted (libsecp256k1 only verifies low-s signatures, so the signature is normalised
     * first); false, never an exception, for anything malformed.
     */
    public boolean verifyEcdsa(Object point, byte[] hash32, byte[] sig) {
        if (hash32.length != 32 || sig.length != 64) {
            return false;
        }
        byte[] pub = point(point);
        try {
            return lib.verify(lib.signatureNormalize(sig).getFirst(), hash32, pub);
        } catch (RuntimeException e) {
            // r or s not below n: the binding refuses to parse it.
            return false;
        }
    }

    private static void requireScalar(byte[] b32, String what) {
        BouncyCastleSecp256k1.requireScalar(b32, what);
    }

    private static byte[] point(Object handle) {
        if (!(handle instanceof byte[] b) || b.length != UNCOMPRESSED || b[0] != 4) {
            throw new IllegalArgumentException("not a libsecp256k1 point handle");
        }
        return b;
    }
}
