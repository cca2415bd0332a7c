package dev.boltflow.node.gossip;

import dev.boltflow.core.bytes.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The node's gossip on disk ({@value #FILE_NAME} in {@code DIR/NETWORK}): an append-only log of the
 * messages the graph stored, each as {@code u16 length ‖ u32 CRC32C ‖ message}, after a 5-byte
 * header. A newer update simply follows the older one; {@link #rewrite} replaces the file with the
 * graph's current messages (to a temporary file, forced, renamed), which drops what was superseded
 * or pruned. A torn or damaged tail (a crash mid-append) ends the log where the first bad record
 * starts, and is cut off.
 *
 * <p>Appends are not forced to disk one by one: gossip lost in a crash is gossip the peers send again.
 * All I/O runs on {@code io} ({@code boundedElastic}), serialised by one lock. The file is owner-only.
 */
public final class FileGossipStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileGossipStore.class);
    public static final String FILE_NAME = "gossip_store";
    private static final byte[] MAGIC = {'B', 'F', 'G', 'S', 1};
    private static final int HEADER = 2 + 4;

    private final Path file;
    private final Scheduler io;
    private final Object lock = new Object();
    private FileChannel channel;
    private long records;

    private FileGossipStore(Path file, Scheduler io, FileChannel channel, long records) {
        this.file = file;
        this.io = io;
        this.channel = channel;
        this.records = records;
    }

    /** What was in the file, and the open store. */
    public record Opened(FileGossipStore store, List<byte[]> messages, boolean damaged) {
    }

    /** Opens (or creates) the store in {@code file} and reads it, on {@code io}. */
    public static Mono<Opened> open(Path file, Scheduler io) {
        Objects.requireNonNull(file, "file");
        return Mono.fromCallable(() -> openNow(file.toAbsolutePath(), io)).subscribeOn(io);
    }

    private static Opened openNow(Path file, Scheduler io) throws IOException {
        if (!Files.exists(file)) {
            writeFile(file, List.of());
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            List<byte[]> messages = new ArrayList<>();
            long end = read(ch, messages);
            boolean damaged = end < ch.size();
            if (damaged) {
                LOG.warn("gossip store {}: {} bytes after the last whole record cut off", file, ch.size() - end);
                ch.truncate(end);
            }
            ch.position(end);
            return new Opened(new FileGossipStore(file, io, ch, messages.size()), messages, damaged);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Reads the records into {@code out}; returns where the last whole one ends. */
    private static long read(FileChannel ch, List<byte[]> out) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
        readFully(ch, magic, 0);
        if (magic.position() != MAGIC.length || !java.util.Arrays.equals(magic.array(), MAGIC)) {
            throw new IOException("not a boltflow gossip store (bad header); move it away to start afresh");
        }
        long pos = MAGIC.length;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (true) {
            header.clear();
            readFully(ch, header, pos);
            if (header.position() < HEADER) {
                return pos;
            }
            int len = header.getShort(0) & 0xffff;
            long crc = header.getInt(2) & 0xffffffffL;
            ByteBuffer body = ByteBuffer.allocate(len);
            readFully(ch, body, pos + HEADER);
            if (body.position() < len || crc32c(body.array()) != crc || len < 2) {
                return pos;
            }
            out.add(body.array());
            pos += HEADER + len;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, at + b.position());
            if (n < 0) {
                return;
            }
        }
    }

    /** Appends messages (encoded, type first); completes when they are written (not forced). */
    public Mono<Void> append(List<Bytes> messages) {
        return Mono.<Void>fromRunnable(() -> {
            synchronized (lock) {
                try {
                    ByteBuffer buf = ByteBuffer.wrap(encode(messages));
                    while (buf.hasRemaining()) {
                        channel.write(buf);
                    }
                    records += messages.size();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot append to the gossip store " + file, e);
                }
            }
        }).subscribeOn(io);
    }

    /** Replaces the file with exactly {@code messages}, atomically and durably. */
    public Mono<Void> rewrite(List<Bytes> messages) {
        return Mono.<Void>fromRunnable(() -> {
            synchronized (lock) {
                try {
                    writeFile(file, messages);
                    channel.close();
                    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    channel.position(channel.size());
                    records = messages.size();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot rewrite the gossip store " + file, e);
                }
            }
        }).subscribeOn(io);
    }

    /** Records in the file now (superseded ones included). */
    public long records() {
        synchronized (lock) {
            return records;
        }
    }

    public Path file() {
        return file;
    }

    public Mono<Void> close() {
        return Mono.<Void>fromRunnable(() -> {
            synchronized (lock) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.warn("closing the gossip store {}: {}", file, e.toString());
                }
            }
        }).subscribeOn(io);
    }

    private static byte[] encode(List<Bytes> messages) {
        int size = 0;
        for (Bytes m : messages) {
            size += HEADER + m.length();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (Bytes m : messages) {
            byte[] b = m.toArray();
            out.putShort((short) b.length).putInt((int) crc32c(b)).put(b);
        }
        return out.array();
    }

    private static long crc32c(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b);
        return crc.getValue();
    }

    private static void writeFile(Path file, List<Bytes> messages) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly())) {
            ByteBuffer buf = ByteBuffer.allocate(MAGIC.length);
            buf.put(MAGIC).flip();
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            for (int from = 0; from < messages.size(); from += 10_000) {
                ByteBuffer chunk = ByteBuffer.wrap(encode(messages.subList(from, Math.min(messages.size(), from + 10_000))));
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            out.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    @Override
    public String toString() {
        return "FileGossipStore[" + file + "]";
    }
}
