package dev.boltflow.core.bolt12;

import dev.boltflow.core.bytes.Bytes32;

/**
 * {@code chain_hash} values (BOLT 0 "chain_hash"): the genesis block hash in the byte order it has
 * on the wire. An offer or invoice_request without a chain means bitcoin.
 */
public final class ChainHashes {
    public static final Bytes32 BITCOIN =
            Bytes32.fromHex("6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000");
    public static final Bytes32 TESTNET =
            Bytes32.fromHex("43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000");
    public static final Bytes32 SIGNET =
            Bytes32.fromHex("f61eee3b63a380a477a063af32b2bbc97c9ff9f01f2c4225e973988108000000");
    public static final Bytes32 REGTEST =
            Bytes32.fromHex("06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f");

    private ChainHashes() {
    }
}
