package dev.boltflow.node.addressbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.sendinvoice.NetworkView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The node's address book: a {@link NetworkView} of the nodes we have reached and the addresses we
 * reached them at, kept in a JSON file ({@value #FILE_NAME} in {@code DIR/NETWORK}) so that it
 * survives restarts and a restarted node can dial the nodes it knew.
 *
 * <p><b>What goes in.</b> Only addresses we dialled successfully ({@link #remember}): the remote
 * address of a peer that connected to us is not where it listens. The address we reached a node at
 * last comes first; at most {@value #MAX_ADDRESSES_PER_NODE} per node and
 * {@value #MAX_NODES} nodes (the least recently reached goes first). Features are not kept (a
 * connection brings fresh ones), and no links are known: we have no gossip (BOLT 7
 * {@code node_announcement}s are not handled).
 *
 * <p><b>Reads</b> answer from an immutable snapshot in memory, never with I/O (the port's rule).
 * <b>Writes</b> change the snapshot at once, then write the whole file on {@code io}
 * ({@code boundedElastic} by default, never an event loop): to a temporary file, forced to disk,
 * renamed over the old one, and the directory forced, so the file is always a complete version.
 * Concurrent writes are serialised and a write that finds a newer version already on disk does
 * nothing. The returned {@code Mono} completes once the change is durable. One node process owns
 * the file (its data directory is locked by its database).
 */
public final class PersistentNetworkView implements NetworkView {
    /** The file's name in the node's network directory. */
    public static final String FILE_NAME = "addressbook.json";
    /** Addresses kept per node. */
    public static final int MAX_ADDRESSES_PER_NODE = 8;
    /** Nodes kept. */
    public static final int MAX_NODES = 10_000;

    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A version of the book: nodes from least to most recently reached. */
    private record State(long version, Map<PublicKey, NodeInfo> nodes) {
    }

    private final Path file;
    private final Scheduler io;
    private final int maxNodes;
    private final Object changing = new Object();
    private final Object writing = new Object();
    private volatile State state;
    /** The version on disk; guarded by {@link #writing}. */
    private long written;

    private PersistentNetworkView(Path file, Scheduler io, int maxNodes, Map<PublicKey, NodeInfo> loaded) {
        this.file = file;
        this.io = io;
        this.maxNodes = maxNodes;
        this.state = new State(0, Collections.unmodifiableMap(loaded));
    }

    /** Opens the book in {@code file} (empty if there is none yet), reading it on {@code boundedElastic}. */
    public static Mono<PersistentNetworkView> open(Path file) {
        return open(file, Schedulers.boundedElastic());
    }

    /**
     * Opens the book in {@code file}, reading and later writing it on {@code io}. A file that is not
     * a book of this format fails with {@link AddressBookException}: it is not replaced by guesswork.
     */
    public static Mono<PersistentNetworkView> open(Path file, Scheduler io) {
        return open(file, io, MAX_NODES);
    }

    static Mono<PersistentNetworkView> open(Path file, Scheduler io, int maxNodes) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(io, "io");
        Path absolute = file.toAbsolutePath();
        return Mono.fromCallable(() -> new PersistentNetworkView(absolute, io, maxNodes, load(absolute)))
                .subscribeOn(io);
    }

    /** Where the book is kept. */
    public Path file() {
        return file;
    }

    @Override
    public Optional<NodeInfo> node(PublicKey nodeId) {
        return Optional.ofNullable(state.nodes().get(Objects.requireNonNull(nodeId, "nodeId")));
    }

    /** None: links come from gossip, which we do not have. */
    @Override
    public Set<PublicKey> links(PublicKey nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return Set.of();
    }

    /** Every node in the book, from least to most recently reached. */
    public List<NodeInfo> nodes() {
        return List.copyOf(state.nodes().values());
    }

    /**
     * Records that we reached {@code nodeId} at {@code address} (a connection we dialled that
     * completed its handshake and {@code init}): the address goes first in its list. Visible to
     * reads at once; the {@code Mono} completes when it is on disk.
     */
    public Mono<Void> remember(PublicKey nodeId, Address address) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(address, "address");
        return Mono.defer(() -> {
            long version;
            synchronized (changing) {
                State now = state;
                NodeInfo known = now.nodes().get(nodeId);
                List<Address> addresses = new ArrayList<>(MAX_ADDRESSES_PER_NODE);
                addresses.add(address);
                if (known != null) {
                    for (Address a : known.addresses()) {
                        if (!a.equals(address) && addresses.size() < MAX_ADDRESSES_PER_NODE) {
                            addresses.add(a);
                        }
                    }
                }
                if (known != null && known.addresses().equals(addresses)) {
                    return persist(now.version()); // nothing new (if its write is still under way, wait for it)
                }
                LinkedHashMap<PublicKey, NodeInfo> next = new LinkedHashMap<>(now.nodes());
                next.remove(nodeId); // re-inserted last: the most recently reached
                next.put(nodeId, new NodeInfo(nodeId, addresses, Optional.empty()));
                while (next.size() > maxNodes) {
                    next.remove(next.keySet().iterator().next());
                }
                version = publish(now, next);
            }
            return persist(version);
        });
    }

    /** Drops {@code nodeId} and its addresses; completes when that is on disk. */
    public Mono<Void> forget(PublicKey nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return Mono.defer(() -> {
            long version;
            synchronized (changing) {
                State now = state;
                if (!now.nodes().containsKey(nodeId)) {
                    return Mono.<Void>empty();
                }
                LinkedHashMap<PublicKey, NodeInfo> next = new LinkedHashMap<>(now.nodes());
                next.remove(nodeId);
                version = publish(now, next);
            }
            return persist(version);
        });
    }

    /** Makes {@code next} the current state; the caller holds {@link #changing}. */
    private long publish(State now, LinkedHashMap<PublicKey, NodeInfo> next) {
        State published = new State(now.version() + 1, Collections.unmodifiableMap(next));
        state = published;
        return published.version();
    }

    /** Brings the file to at least {@code version}. */
    private Mono<Void> persist(long version) {
        return Mono.<Void>fromCallable(() -> {
            synchronized (writing) {
                if (written >= version) {
                    return null; // a later write already carried this change
                }
                State current = state;
                write(file, encode(current));
                written = current.version();
            }
            return null;
        }).subscribeOn(io);
    }

    // ---- the file

    private static Map<PublicKey, NodeInfo> load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (IOException e) {
            throw new AddressBookException("cannot read the address book " + file + ": " + e.getMessage(), e);
        }
        try {
            return decode(JSON.readTree(bytes));
        } catch (IOException | RuntimeException e) {
            throw new AddressBookException("the address book " + file + " is not valid (" + e.getMessage()
                    + "); move it away to start with an empty one", e);
        }
    }

    static Map<PublicKey, NodeInfo> decode(JsonNode root) {
        if (root == null || !root.isObject() || root.path("format").asInt(-1) != FORMAT
                || !root.path("nodes").isArray()) {
            throw new IllegalArgumentException("expected {\"format\": " + FORMAT + ", \"nodes\": [...]}");
        }
        LinkedHashMap<PublicKey, NodeInfo> nodes = new LinkedHashMap<>();
        for (JsonNode n : root.get("nodes")) {
            PublicKey id = PublicKey.fromHex(text(n, "id"));
            List<Address> addresses = new ArrayList<>();
            if (!n.path("addresses").isArray()) {
                throw new IllegalArgumentException("node " + id + " has no addresses array");
            }
            for (JsonNode a : n.get("addresses")) {
                JsonNode port = a.path("port");
                if (!port.isInt()) {
                    throw new IllegalArgumentException("node " + id + " has an address without an integer port");
                }
                addresses.add(new Address(text(a, "host"), port.intValue()));
            }
            nodes.remove(id);
            nodes.put(id, new NodeInfo(id, addresses, Optional.empty()));
        }
        return nodes;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("expected a string \"" + field + "\"");
        }
        return v.textValue();
    }

    private static byte[] encode(State state) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode nodes = root.putArray("nodes");
        for (NodeInfo info : state.nodes().values()) {
            ObjectNode n = nodes.addObject();
            n.put("id", info.nodeId().toHex());
            ArrayNode addresses = n.putArray("addresses");
            for (Address a : info.addresses()) {
                addresses.addObject().put("host", a.host()).put("port", a.port());
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /** Replaces {@code file} with {@code content} so that a crash leaves the old or the new file whole. */
    static void write(Path file, byte[] content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp); // left by a crash mid-write
            try (FileChannel out = FileChannel.open(tmp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly())) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(file.getParent());
        } catch (IOException e) {
            throw new AddressBookException("cannot write the address book " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes the rename durable (POSIX: the directory entry is the directory's data). */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename itself is atomic there.
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    @Override
    public String toString() {
        return "PersistentNetworkView[" + file + ", " + state.nodes().size() + " nodes]";
    }
}
