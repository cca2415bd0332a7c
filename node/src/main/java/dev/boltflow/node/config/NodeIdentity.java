package dev.boltflow.node.config;

import dev.boltflow.core.crypto.PrivateKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The node's secp256k1 key, kept in {@code DIR/NETWORK/node_key} (32 raw bytes, owner-only,
 * created on first start and reused afterwards). The key never appears in logs or messages: this
 * class reports the node id only. Blocking file I/O; call it from {@code main} or a
 * {@code boundedElastic} thread.
 */
public final class NodeIdentity {
    public static final String FILE_NAME = "node_key";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private NodeIdentity() {
    }

    /**
     * Loads the key in {@code networkDir}, creating it first if there is none.
     *
     * @throws ConfigException when the file is unreadable, not 32 bytes, not a valid key, or can be
     *         read by others than its owner
     */
    public static PrivateKey loadOrCreate(Path networkDir, SecureRandom random) {
        Path file = networkDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(networkDir);
            if (!Files.exists(file)) {
                create(file, random);
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw new ConfigException(file + " is readable by others (" + PosixFilePermissions.toString(perms)
                        + "): chmod 600 it");
            }
            byte[] raw = Files.readAllBytes(file);
            try {
                if (raw.length != 32) {
                    throw new ConfigException(file + ": expected 32 bytes, found " + raw.length);
                }
                return PrivateKey.fromBytes(raw);
            } catch (dev.boltflow.core.bytes.DecodeException e) {
                throw new ConfigException(file + ": not a valid secp256k1 key");
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    private static void create(Path file, SecureRandom random) throws IOException {
        PrivateKey key = PrivateKey.random(random);
        byte[] raw = key.toBytes();
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.write(file, raw, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        } catch (FileAlreadyExistsException e) {
            // Another process created it first: use theirs.
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
