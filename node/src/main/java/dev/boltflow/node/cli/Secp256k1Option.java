package dev.boltflow.node.cli;

import dev.boltflow.core.crypto.LibSecp256k1;
import dev.boltflow.core.crypto.Secp256k1Provider;
import dev.boltflow.core.crypto.Secp256k1Providers;
import dev.boltflow.core.crypto.Secp256k1Providers.Choice;
import java.io.PrintWriter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --secp256k1 auto|native|bouncycastle}, shared by {@code start}, {@code demo}, {@code bench}
 * and the load harness (a picocli mixin). {@code auto}, the default, uses libsecp256k1 where its
 * native library loads and otherwise falls back to the pure-Java provider with one WARN line;
 * {@code native} makes a library that does not load an error (the command exits 1);
 * {@code bouncycastle} is the pure-Java provider. The choice is the process's
 * ({@link Secp256k1Providers#install}).
 */
public final class Secp256k1Option {
    private static final Logger LOG = LoggerFactory.getLogger("dev.boltflow.secp256k1");

    @Option(names = "--secp256k1", paramLabel = "auto|native|bouncycastle", defaultValue = "auto",
            converter = ChoiceConverter.class,
            description = "secp256k1 implementation: libsecp256k1 (native) where it loads, else pure Java "
                    + "(auto), only native (an error if it does not load), or only bouncycastle (default: ${DEFAULT-VALUE})")
    Choice choice = Choice.AUTO;

    /** Why {@code --secp256k1 native} cannot be had: the command prints it and exits 1. */
    public static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Choice choice() {
        return choice;
    }

    /**
     * Selects the provider, installs it for the process and logs which one it is (INFO), after one
     * WARN line when {@code auto} had to fall back.
     *
     * @throws UnavailableException under {@code native} when libsecp256k1 does not load
     */
    public Secp256k1Provider install() throws UnavailableException {
        Secp256k1Providers.Selection s;
        try {
            s = Secp256k1Providers.select(choice);
        } catch (LibSecp256k1.UnavailableException e) {
            throw new UnavailableException("--secp256k1 native: " + e.getMessage(), e);
        }
        s.fallbackReason().ifPresent(reason -> LOG.warn("secp256k1: {}; --secp256k1 auto falls back to the pure-Java "
                + "bouncycastle provider", reason));
        Secp256k1Providers.install(s.provider());
        // Said once the command runs (start's "ready" line, bench's header), so that a refused start
        // prints its one line only.
        LOG.debug("secp256k1: {}", s.provider().description());
        return s.provider();
    }

    /**
     * {@link #install()} for a command: the provider, or empty after printing
     * {@code boltflow: --secp256k1 native: …} on {@code err} (the command then exits 1).
     */
    public Optional<Secp256k1Provider> installOrReport(PrintWriter err) {
        try {
            return Optional.of(install());
        } catch (UnavailableException e) {
            err.println("boltflow: " + e.getMessage());
            err.flush();
            return Optional.empty();
        }
    }

    /** {@code auto}, {@code native}, {@code bouncycastle}; anything else is a usage error. */
    static final class ChoiceConverter implements CommandLine.ITypeConverter<Choice> {
        @Override
        public Choice convert(String value) {
            try {
                return Choice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
