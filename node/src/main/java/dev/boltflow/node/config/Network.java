package dev.boltflow.node.config;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.Bytes32;
import java.util.Locale;

/** The chains a node can run on, named as Core Lightning names them (its {@code --network}). */
public enum Network {
    BITCOIN(ChainHashes.BITCOIN),
    TESTNET(ChainHashes.TESTNET),
    SIGNET(ChainHashes.SIGNET),
    REGTEST(ChainHashes.REGTEST);

    private final Bytes32 chainHash;

    Network(Bytes32 chainHash) {
        this.chainHash = chainHash;
    }

    /** BOLT 0 {@code chain_hash}: for {@code init}'s networks and {@code invreq_chain}. */
    public Bytes32 chainHash() {
        return chainHash;
    }

    /** The name on the command line and in paths ({@code DIR/regtest/lightning-rpc}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@code --network} value; anything else is an {@link IllegalArgumentException} naming the choices. */
    public static Network parse(String s) {
        for (Network n : values()) {
            if (n.cliName().equals(s)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown network '" + s + "' (bitcoin, testnet, signet or regtest)");
    }
}
