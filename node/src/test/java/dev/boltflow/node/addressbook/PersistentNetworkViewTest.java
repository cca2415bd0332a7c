package dev.boltflow.node.addressbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.sendinvoice.NetworkView.Address;
import dev.boltflow.core.sendinvoice.NetworkView.NodeInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class PersistentNetworkViewTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(PersistentNetworkView.FILE_NAME);
    }

    private PersistentNetworkView open() {
        return PersistentNetworkView.open(file()).block(WAIT);
    }

    private static PublicKey node() {
        return PrivateKey.random(RANDOM).publicKey();
    }

    private static Address at(String host, int port) {
        return new Address(host, port);
    }

    @Test
    void remembered_nodes_and_addresses_survive_a_reopen_in_order() {
        PublicKey a = node();
        PublicKey b = node();
        PersistentNetworkView book = open();
        book.remember(a, at("127.0.0.1", 9735)).block(WAIT);
        book.remember(b, at("2001:db8::1", 9736)).block(WAIT);
        book.remember(a, at("a.example.com", 19735)).block(WAIT);

        PersistentNetworkView again = open();

        assertEquals(List.of(at("a.example.com", 19735), at("127.0.0.1", 9735)),
                again.node(a).orElseThrow().addresses(), "the address reached last comes first");
        assertEquals(List.of(at("2001:db8::1", 9736)), again.node(b).orElseThrow().addresses());
        assertEquals(List.of(b, a), again.nodes().stream().map(NodeInfo::nodeId).toList(),
                "least recently reached first");
        assertEquals(Optional.empty(), again.node(a).orElseThrow().features());
        assertEquals(Set.of(), again.links(a));
    }

    @Test
    void a_new_book_is_empty_and_writes_nothing_until_told() {
        PersistentNetworkView book = open();
        assertTrue(book.nodes().isEmpty());
        assertEquals(Optional.empty(), book.node(node()));
        assertFalse(Files.exists(file()));
    }

    @Test
    void remember_isVisibleAtOnce_andOnDiskWhenItCompletes() {
        PublicKey a = node();
        PersistentNetworkView book = open();
        Mono<Void> write = book.remember(a, at("127.0.0.1", 1));
        assertTrue(book.node(a).isEmpty(), "nothing happens before subscription");

        write.block(WAIT);

        assertTrue(book.node(a).isPresent());
        assertTrue(open().node(a).isPresent());
    }

    @Test
    void an_address_is_kept_once_and_at_most_eight_per_node() {
        PublicKey a = node();
        PersistentNetworkView book = open();
        for (int port = 1; port <= 10; port++) {
            book.remember(a, at("127.0.0.1", port)).block(WAIT);
        }
        book.remember(a, at("127.0.0.1", 5)).block(WAIT);

        // 1..10 kept the last eight (10 down to 3); 5 again moves to the front.
        List<Address> expected = new ArrayList<>();
        for (int port : new int[] {5, 10, 9, 8, 7, 6, 4, 3}) {
            expected.add(at("127.0.0.1", port));
        }
        assertEquals(expected,
                open().node(a).orElseThrow().addresses());
    }

    @Test
    void beyond_the_node_limit_the_least_recently_reached_goes() {
        PersistentNetworkView book = PersistentNetworkView.open(file(), Schedulers.boundedElastic(), 2).block(WAIT);
        PublicKey a = node();
        PublicKey b = node();
        PublicKey c = node();
        book.remember(a, at("127.0.0.1", 1)).block(WAIT);
        book.remember(b, at("127.0.0.1", 2)).block(WAIT);
        book.remember(a, at("127.0.0.1", 3)).block(WAIT); // a is now the most recent
        book.remember(c, at("127.0.0.1", 4)).block(WAIT);

        assertEquals(List.of(a, c), open().nodes().stream().map(NodeInfo::nodeId).toList());
    }

    @Test
    void forget_is_durable() {
        PublicKey a = node();
        PublicKey b = node();
        PersistentNetworkView book = open();
        book.remember(a, at("127.0.0.1", 1)).then(book.remember(b, at("127.0.0.1", 2))).block(WAIT);

        book.forget(a).block(WAIT);
        book.forget(node()).block(WAIT); // unknown: nothing to do

        PersistentNetworkView again = open();
        assertTrue(again.node(a).isEmpty());
        assertTrue(again.node(b).isPresent());
    }

    @Test
    void concurrent_writes_all_land() {
        PersistentNetworkView book = open();
        List<PublicKey> nodes = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            nodes.add(node());
        }

        Flux.fromIterable(nodes)
                .flatMap(n -> book.remember(n, at("127.0.0.1", 9735)).subscribeOn(Schedulers.parallel()), 16)
                .blockLast(WAIT);

        PersistentNetworkView again = open();
        for (PublicKey n : nodes) {
            assertTrue(again.node(n).isPresent(), n.toString());
        }
        assertEquals(64, again.nodes().size());
    }

    @Test
    void the_file_is_for_its_owner_only_and_no_temporary_file_is_left() throws IOException {
        open().remember(node(), at("127.0.0.1", 1)).block(WAIT);

        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file()), files.toList());
        }
    }

    @Test
    void a_write_interrupted_by_a_crash_leaves_the_previous_book_whole() throws IOException {
        PublicKey a = node();
        open().remember(a, at("127.0.0.1", 1)).block(WAIT);
        // A crash between creating the temporary file and the rename leaves a partial temporary file.
        Files.writeString(dir.resolve(PersistentNetworkView.FILE_NAME + ".tmp"), "{\"format\": 1, \"nod");

        PersistentNetworkView again = open();
        assertEquals(List.of(at("127.0.0.1", 1)), again.node(a).orElseThrow().addresses());

        PublicKey b = node();
        again.remember(b, at("127.0.0.1", 2)).block(WAIT);
        assertTrue(open().node(b).isPresent());
        assertFalse(Files.exists(dir.resolve(PersistentNetworkView.FILE_NAME + ".tmp")));
    }

    @Test
    void a_file_that_is_not_an_address_book_is_refused() throws IOException {
        for (String bad : List.of("", "not json", "[]", "{\"format\": 2, \"nodes\": []}",
                "{\"format\": 1, \"nodes\": [{\"id\": \"00\", \"addresses\": []}]}",
                "{\"format\": 1, \"nodes\": [{\"id\": \"" + node().toHex() + "\", \"addresses\": [{\"host\": \"h\"}]}]}",
                "{\"format\": 1, \"nodes\": [{\"id\": \"" + node().toHex()
                        + "\", \"addresses\": [{\"host\": \"h\", \"port\": 70000}]}]}")) {
            Files.write(file(), bad.getBytes(StandardCharsets.UTF_8));
            Throwable e = PersistentNetworkView.open(file()).map(b -> (Throwable) null)
                    .onErrorResume(Mono::just).block(WAIT);
            AddressBookException refused = assertInstanceOf(AddressBookException.class, e, bad);
            assertTrue(refused.getMessage().contains(file().toString()), refused.getMessage());
        }
    }
}
