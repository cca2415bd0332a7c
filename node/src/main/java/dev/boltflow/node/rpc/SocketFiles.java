package dev.boltflow.node.rpc;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The socket file's life: refuse a live one, clear a stale one, bind in a private directory and
 * publish the socket under its name with mode 0600 and no window where it is reachable with wider
 * permissions. Blocking file work: call off the event loops.
 */
final class SocketFiles {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SocketFiles() {
    }

    /**
     * Makes {@code socket}'s directory (0700 when created) and clears the way: a socket file nothing
     * listens on is deleted; a live socket or a file that is not a socket makes us refuse.
     */
    static void prepare(Path socket) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(socket)) {
            throw new JsonRpcServer.SocketInUseException(socket + " exists and is not a socket; not touching it");
        }
        if (isListening(socket)) {
            throw new JsonRpcServer.SocketInUseException("another server is listening on " + socket);
        }
        Files.deleteIfExists(socket);
    }

    static boolean isSocket(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == S_IFSOCK;
    }

    /** Whether something accepts connections on {@code socket}. */
    static boolean isListening(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    /**
     * A fresh 0700 directory next to {@code socket} to bind in (same filesystem, so the socket can
     * be linked into place); the socket path inside it is no longer than {@code socket}'s when the
     * name is at least 10 characters, so it fits the same {@code sun_path} limit.
     */
    static Path privateBindPath(Path socket) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        while (true) {
            byte[] r = new byte[3];
            RANDOM.nextBytes(r);
            Path candidate = dir.resolve(".rpc" + HexFormat.of().formatHex(r));
            try {
                Files.createDirectory(candidate,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                return candidate.resolve("s");
            } catch (FileAlreadyExistsException e) {
                // try another name
            }
        }
    }

    /**
     * Gives the socket bound at {@code bound} mode 0600 and links it in as {@code socket}; the link
     * fails if a file appeared there meanwhile (another server won the race). Returns the inode,
     * so that closing deletes the file only if it is still ours.
     */
    static Object publish(Path bound, Path socket) throws IOException {
        try {
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.createLink(socket, bound);
            } catch (FileAlreadyExistsException e) {
                throw new JsonRpcServer.SocketInUseException("another server created " + socket + " while we started");
            }
            return Files.getAttribute(socket, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } finally {
            discardBindPath(bound);
        }
    }

    static void discardBindPath(Path bound) {
        try {
            Files.deleteIfExists(bound);
            Files.deleteIfExists(bound.getParent());
        } catch (IOException e) {
            // best effort: a leftover empty private directory does no harm
        }
    }

    /** Deletes {@code socket} if it is still the file we published. */
    static void unpublish(Path socket, Object inode) {
        try {
            Optional<Object> current = Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
                    ? Optional.of(Files.getAttribute(socket, "unix:ino", LinkOption.NOFOLLOW_LINKS))
                    : Optional.empty();
            if (current.isPresent() && current.get().equals(inode)) {
                Files.delete(socket);
            }
        } catch (IOException e) {
            // best effort: a stale socket file is cleared by the next start
        }
    }
}
