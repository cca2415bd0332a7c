package dev.boltflow.it.bench;

import dev.boltflow.core.crypto.LibSecp256k1;
import dev.boltflow.core.crypto.Secp256k1Providers;

/**
 * The secp256k1 provider of a JMH run: the benches that do point arithmetic take
 * {@code @Param secp256k1} ({@code native}, {@code bouncycastle}; {@code -p secp256k1=native} picks
 * one) and install it in their setup, before any key is made. JMH forks a JVM per parameter value.
 */
final class JmhSecp256k1 {
    private JmhSecp256k1() {
    }

    static void install(String choice) {
        try {
            Secp256k1Providers.install(Secp256k1Providers.select(Secp256k1Providers.Choice.parse(choice)).provider());
        } catch (LibSecp256k1.UnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
