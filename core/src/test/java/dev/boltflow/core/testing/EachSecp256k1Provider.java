package dev.boltflow.core.testing;

import dev.boltflow.core.crypto.Secp256k1Provider;
import dev.boltflow.core.crypto.Secp256k1Providers;
import java.util.List;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;

/**
 * jqwik hook for property tests: every try runs once per secp256k1 provider with the same
 * generated values, the provider installed around it. A try passes only if it passes on each; a
 * failure says which provider failed. Use with {@code @AddLifecycleHook(EachSecp256k1Provider.class)}
 * on the test class.
 */
public final class EachSecp256k1Provider implements AroundTryHook {

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters) {
        TryExecutionResult last = null;
        for (Secp256k1Provider provider : Secp256k1TestProviders.all()) {
            Secp256k1Provider previous = Secp256k1Providers.install(provider);
            try {
                last = aTry.execute(parameters);
            } finally {
                Secp256k1Providers.install(previous);
            }
            if (!last.isSatisfied()) {
                return last.withFootnotes(List.of("secp256k1 provider: " + provider.name()));
            }
        }
        return last;
    }
}
