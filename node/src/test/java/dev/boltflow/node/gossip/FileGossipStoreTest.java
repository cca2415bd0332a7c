package dev.boltflow.node.gossip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/** The gossip store file: records come back as written, a torn tail is cut, a rewrite replaces all. */
class FileGossipStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<Bytes> MESSAGES = List.of(Bytes.fromHex("0100aa"), Bytes.fromHex("0102bbbb"),
            Bytes.fromHex("0101" + "cc".repeat(300)));

    @TempDir
    Path dir;

    private FileGossipStore.Opened open(Path file) {
        return FileGossipStore.open(file, Schedulers.boundedElastic()).block(WAIT);
    }

    @Test
    void appended_records_come_back_in_order_and_the_file_is_owner_only() throws IOException {
        Path file = dir.resolve(FileGossipStore.FILE_NAME);
        FileGossipStore.Opened first = open(file);
        assertEquals(List.of(), first.messages());
        first.store().append(MESSAGES.subList(0, 2)).block(WAIT);
        first.store().append(MESSAGES.subList(2, 3)).block(WAIT);
        first.store().close().block(WAIT);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        FileGossipStore.Opened again = open(file);
        assertFalse(again.damaged());
        assertEquals(3, again.messages().size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(MESSAGES.get(i).toArray(), again.messages().get(i));
        }
        again.store().close().block(WAIT);
    }

    @Test
    void a_torn_or_damaged_tail_is_cut_off_and_what_precedes_it_kept() throws IOException {
        Path file = dir.resolve(FileGossipStore.FILE_NAME);
        FileGossipStore.Opened first = open(file);
        first.store().append(MESSAGES).block(WAIT);
        first.store().close().block(WAIT);
        long whole = Files.size(file);
        // A crash mid-append: a length and half a record.
        Files.write(file, new byte[] {0, 50, 1, 2, 3, 4, 1, 0}, StandardOpenOption.APPEND);
        FileGossipStore.Opened torn = open(file);
        assertTrue(torn.damaged());
        assertEquals(3, torn.messages().size());
        assertEquals(whole, Files.size(file));
        torn.store().close().block(WAIT);
        // A flipped byte in the last record: its CRC fails, the two before it stay.
        byte[] all = Files.readAllBytes(file);
        all[all.length - 1] ^= 1;
        Files.write(file, all);
        FileGossipStore.Opened flipped = open(file);
        assertEquals(2, flipped.messages().size());
        flipped.store().close().block(WAIT);
    }

    @Test
    void rewrite_replaces_everything_and_a_foreign_file_is_refused() throws IOException {
        Path file = dir.resolve(FileGossipStore.FILE_NAME);
        FileGossipStore.Opened first = open(file);
        first.store().append(MESSAGES).block(WAIT);
        first.store().rewrite(List.of(MESSAGES.get(1))).block(WAIT);
        assertEquals(1, first.store().records());
        first.store().append(List.of(MESSAGES.get(0))).block(WAIT);
        first.store().close().block(WAIT);
        FileGossipStore.Opened again = open(file);
        assertEquals(2, again.messages().size());
        assertArrayEquals(MESSAGES.get(1).toArray(), again.messages().get(0));
        again.store().close().block(WAIT);

        Path foreign = dir.resolve("other");
        Files.writeString(foreign, "not a gossip store");
        assertThrows(Exception.class, () -> open(foreign));
    }
}
