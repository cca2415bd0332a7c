package dev.boltflow.core.testing;

import dev.boltflow.core.crypto.Secp256k1Provider;
import dev.boltflow.core.crypto.Secp256k1Providers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A JUnit test class that extends this runs all its tests once per secp256k1 provider
 * ({@link Secp256k1TestProviders#all()}), the provider installed around each test: the vector tests
 * prove byte for byte that BouncyCastle and libsecp256k1 both reproduce the official vectors.
 */
@ParameterizedClass(name = "[{0}]")
@MethodSource("dev.boltflow.core.testing.Secp256k1TestProviders#named")
public abstract class OnEachSecp256k1Provider {
    /** The provider of this run of the class. */
    @Parameter
    protected Secp256k1Provider secp256k1;
    private Secp256k1Provider previous;

    @BeforeEach
    void installSecp256k1Provider() {
        previous = Secp256k1Providers.install(secp256k1);
    }

    @AfterEach
    void restoreSecp256k1Provider() {
        Secp256k1Providers.install(previous);
    }
}
