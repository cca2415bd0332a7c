package dev.boltflow.core.crypto;

import java.util.Iterator;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Which {@link Secp256k1Provider} the process uses: the first one {@link ServiceLoader} finds (a
 * jar that declares {@code META-INF/services/dev.boltflow.core.crypto.Secp256k1Provider}), else
 * {@link BouncyCastleSecp256k1}. {@link #install} replaces it; call it at start-up, before any key
 * exists, since a key keeps the handle of the provider that made it.
 */
public final class Secp256k1Providers {
    private static volatile Secp256k1Provider current = discover();

    private Secp256k1Providers() {
    }

    public static Secp256k1Provider current() {
        return current;
    }

    /** Makes {@code provider} the one every later key operation uses; returns the previous one. */
    public static Secp256k1Provider install(Secp256k1Provider provider) {
        Secp256k1Provider previous = current;
        current = Objects.requireNonNull(provider, "provider");
        return previous;
    }

    private static Secp256k1Provider discover() {
        Iterator<Secp256k1Provider> found = ServiceLoader.load(Secp256k1Provider.class).iterator();
        return found.hasNext() ? found.next() : BouncyCastleSecp256k1.INSTANCE;
    }
}
