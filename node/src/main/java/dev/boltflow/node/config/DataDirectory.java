package dev.boltflow.node.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A node's directory ({@code DIR/NETWORK}), held by one running node at a time: the first thing a
 * node does is take an exclusive lock on {@code DIR/NETWORK/lock} (an OS file lock, released when
 * the process ends however it ends) and write its PID there; a second node finds it held and is
 * refused with one line naming the directory and that PID, before it creates, opens or writes
 * anything else there. The directory is owner-only (0700) and so is every file in it
 * ({@link #restrictFiles()}: H2 creates its files with the process umask).
 *
 * <p>The lock file stays when the node stops (its content is then stale; the lock is the truth).
 */
public final class DataDirectory implements AutoCloseable {
    public static final String LOCK_FILE = "lock";
    private static final Set<PosixFilePermission> OWNER_FILE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_DIR = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectory(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} (owner-only) if needed and locks it. Blocking file I/O.
     *
     * @throws DataDirectoryInUseException when another node (another process, or this one) holds it
     * @throws ConfigException             when the directory or its lock file cannot be made
     */
    public static DataDirectory lock(Path dir) {
        Path file = dir.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another starting node made it first: the lock decides
                }
            }
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new DataDirectoryInUseException(dir, holder);
            }
            String pid = ProcessHandle.current().pid() + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid.getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new DataDirectory(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigException(file + ": cannot lock the data directory: " + e.getMessage());
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
        return text.matches("[0-9]{1,19}") ? text : "unknown";
    }

    public Path path() {
        return dir;
    }

    /** Makes every file under the directory owner-only (0600, directories 0700). Blocking. */
    public void restrictFiles() {
        try (Stream<Path> all = Files.walk(dir)) {
            all.forEach(p -> {
                try {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        Files.setPosixFilePermissions(p, OWNER_DIR);
                    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        Files.setPosixFilePermissions(p, OWNER_FILE);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // a file that vanished meanwhile (H2's temporary files), or no POSIX permissions
                }
            });
        } catch (java.nio.file.NoSuchFileException gone) {
            // removed meanwhile (a test's temporary directory): nothing left to restrict
        } catch (IOException e) {
            throw new ConfigException(dir + ": cannot make its files owner-only: " + e.getMessage());
        }
    }

    /** Releases the lock (the file stays). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel closes below, which releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }

    /** Another node holds this directory. */
    public static final class DataDirectoryInUseException extends ConfigException {
        private static final long serialVersionUID = 1L;

        DataDirectoryInUseException(Path dir, String pid) {
            super(dir + " is in use by a running node (pid " + pid + ")");
        }
    }
}
