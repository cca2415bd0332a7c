package dev.boltflow.core.testing;

import dev.boltflow.core.crypto.BouncyCastleSecp256k1;
import dev.boltflow.core.crypto.LibSecp256k1;
import dev.boltflow.core.crypto.Secp256k1Provider;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The secp256k1 providers every vector and property test runs against: BouncyCastle (the reference)
 * and libsecp256k1. A native library that does not load fails the tests that need it rather than
 * skipping them: both providers must pass everything.
 */
public final class Secp256k1TestProviders {
    private Secp256k1TestProviders() {
    }

    public static List<Secp256k1Provider> all() {
        return List.of(BouncyCastleSecp256k1.INSTANCE, nativeProvider());
    }

    public static LibSecp256k1 nativeProvider() {
        try {
            return LibSecp256k1.load();
        } catch (LibSecp256k1.UnavailableException e) {
            throw new AssertionError("the native provider must load where the tests run: " + e.getMessage(), e);
        }
    }

    /** {@link #all()} named by {@link Secp256k1Provider#name()}, for {@code @MethodSource}. */
    public static Stream<Named<Secp256k1Provider>> named() {
        return all().stream().map(p -> Named.of(p.name(), p));
    }
}
