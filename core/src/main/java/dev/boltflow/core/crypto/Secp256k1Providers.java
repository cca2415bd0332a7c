package dev.boltflow.core.crypto;

import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Which {@link Secp256k1Provider} the process uses. Until {@link #install} is called, the first
 * use picks one: a provider another jar declares for {@link ServiceLoader}
 * ({@code META-INF/services/dev.boltflow.core.crypto.Secp256k1Provider}), else what
 * {@link Choice#AUTO} selects — {@link LibSecp256k1} where its native library loads, else
 * {@link BouncyCastleSecp256k1} with one WARN line saying why. {@link #install} replaces it; call
 * it at start-up, before any key exists (a key keeps the handle of the provider that made it,
 * which still works but is parsed again by another provider).
 */
public final class Secp256k1Providers {
    private static final System.Logger LOG = System.getLogger(Secp256k1Providers.class.getName());
    private static volatile Secp256k1Provider current;

    private Secp256k1Providers() {
    }

    /** The {@code --secp256k1} choices. */
    public enum Choice {
        /** libsecp256k1 where it loads, else BouncyCastle (the caller logs the reason). */
        AUTO,
        /** libsecp256k1, or an error. */
        NATIVE,
        /** The pure-Java provider. */
        BOUNCYCASTLE;

        /** How the command line spells it. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** From {@code auto}, {@code native} or {@code bouncycastle}; anything else is an {@link IllegalArgumentException}. */
        public static Choice parse(String s) {
            for (Choice c : values()) {
                if (c.cliName().equals(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("expected auto, native or bouncycastle, got '" + s + "'");
        }
    }

    /** The provider a {@link Choice} gave, and, when {@code auto} fell back to BouncyCastle, why. */
    public record Selection(Secp256k1Provider provider, Optional<String> fallbackReason) {
        public Selection {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(fallbackReason, "fallbackReason");
        }
    }

    /**
     * The provider for {@code choice}, without installing it.
     *
     * @throws LibSecp256k1.UnavailableException for {@link Choice#NATIVE} when libsecp256k1 does not load
     */
    public static Selection select(Choice choice) throws LibSecp256k1.UnavailableException {
        switch (Objects.requireNonNull(choice, "choice")) {
            case BOUNCYCASTLE:
                return new Selection(BouncyCastleSecp256k1.INSTANCE, Optional.empty());
            case NATIVE:
                return new Selection(LibSecp256k1.load(), Optional.empty());
            default:
                try {
                    return new Selection(LibSecp256k1.load(), Optional.empty());
                } catch (LibSecp256k1.UnavailableException e) {
                    return new Selection(BouncyCastleSecp256k1.INSTANCE, Optional.of(e.getMessage()));
                }
        }
    }

    /**
     * The provider in use, picked on first use if none was installed. Picking loads libsecp256k1's
     * native library (extracted to a file on first load): it may block, so the first call belongs on a
     * thread that may (a program's start-up; {@code SendInvoice}'s and {@code Payer}'s constructors
     * and the node's start make it), never on an event loop.
     */
    public static Secp256k1Provider current() {
        Secp256k1Provider p = current;
        return p != null ? p : discover();
    }

    /**
     * Makes {@code provider} the one every later key operation uses; returns the previous one (if
     * none was in use yet, the one the first use would have picked, without its WARN line).
     */
    public static synchronized Secp256k1Provider install(Secp256k1Provider provider) {
        Objects.requireNonNull(provider, "provider");
        Secp256k1Provider previous = current != null ? current : byDefault().provider();
        current = provider;
        return previous;
    }

    private static synchronized Secp256k1Provider discover() {
        if (current == null) {
            Selection s = byDefault();
            s.fallbackReason().ifPresent(reason -> LOG.log(Level.WARNING, "secp256k1: " + reason
                    + "; using the pure-Java bouncycastle provider"));
            current = s.provider();
        }
        return current;
    }

    /** A provider declared for {@link ServiceLoader}, else what {@link Choice#AUTO} selects. */
    private static Selection byDefault() {
        Iterator<Secp256k1Provider> found = ServiceLoader.load(Secp256k1Provider.class).iterator();
        if (found.hasNext()) {
            return new Selection(found.next(), Optional.empty());
        }
        try {
            return select(Choice.AUTO);
        } catch (LibSecp256k1.UnavailableException e) {
            throw new AssertionError("auto never fails", e);
        }
    }
}
