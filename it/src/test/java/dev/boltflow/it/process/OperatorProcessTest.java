package dev.boltflow.it.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node as an operator meets it, through the jar in real processes (issue 17): SIGTERM and SIGINT
 * stop a node as {@code stop} does (exit 0, "stopped", socket removed, lock released), a second
 * node on a directory in use is refused with one line naming it and the PID and writes nothing
 * there, a failed first start leaves no key, every file is owner-only, the Prometheus endpoint
 * answers, {@code demo} killed by SIGTERM leaves no temporary data, {@code --version} matches the
 * manifest, and {@code decode -} gives one line per input line.
 */
class OperatorProcessTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path JAR = ROOT.resolve("node/target/boltflow-node.jar");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    private Process java(Path log, String... args) throws IOException {
        assertTrue(Files.exists(JAR), "build the node jar first (mvn verify does): " + JAR);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp.resolve("javatmp"), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Files.createDirectories(tmp.resolve("javatmp"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    private Process node(Path dir, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("start", "--network", "regtest", "--data-dir", dir.toString(),
                "--listen", "127.0.0.1:0"));
        args.addAll(List.of(more));
        Process p = java(log(dir), args.toArray(String[]::new));
        await(() -> Files.exists(dir.resolve("regtest/lightning-rpc")), p, dir);
        return p;
    }

    private Path log(Path dir) {
        return tmp.resolve(dir.getFileName() + ".log");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(none)";
        }
    }

    /** Waits (bounded) for a child process to reach a state: readiness, not a timing check. */
    private void await(BooleanSupplier ready, Process p, Path dir) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ready.getAsBoolean()) {
            assertTrue(p.isAlive(), "exited: " + read(log(dir)));
            assertTrue(System.nanoTime() < deadline, "not ready: " + read(log(dir)));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void signal(Process p, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
    }

    private static int exit(Process p) throws InterruptedException {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running");
        return p.exitValue();
    }

    @Test
    void sigterm_and_sigint_stop_the_node_as_stop_does() throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            Path dir = tmp.resolve("node-" + signal);
            Process p = node(dir);
            signal(p, signal);
            assertEquals(0, exit(p), read(log(dir)));
            String log = read(log(dir));
            assertTrue(log.contains("signal received: stopping"), log);
            assertTrue(log.contains("JSON-RPC on " + dir.resolve("regtest/lightning-rpc") + " closed"), log);
            assertTrue(log.lines().anyMatch(l -> l.endsWith(" - stopped")), log);
            assertFalse(Files.exists(dir.resolve("regtest/lightning-rpc")), "socket removed");
            // The lock is released: the same directory starts again (and stops with `stop`).
            Process again = node(dir);
            signal(again, signal);
            assertEquals(0, exit(again));
        }
    }

    /** A send still waiting when SIGTERM comes ends as `stop` ends it: -1, answered to its caller. */
    @Test
    void sigterm_ends_a_waiting_send_with_minus_one_answered_to_its_caller() throws Exception {
        Path payeeDir = tmp.resolve("payee");
        Path payerDir = tmp.resolve("payer");
        Process payee = node(payeeDir);
        Process payer = node(payerDir, "--simulated-payments");
        String request = cliOut(payerDir, "invoicerequest", "5sat", "silent");
        String lnr = field(request, "bolt12");
        cliOut(payerDir, "disableinvoicerequest", field(request, "invreq_id")); // the payer stays silent
        String info = cliOut(payerDir, "getinfo");
        String payerId = field(info, "id");
        Matcher portOf = Pattern.compile("\"port\" : (\\d+)").matcher(info);
        assertTrue(portOf.find(), info);
        String port = portOf.group(1);
        cliOut(payeeDir, "connect", payerId + "@127.0.0.1:" + port);
        Path sendLog = tmp.resolve("send.log");
        Process send = java(sendLog, "cli", "--network", "regtest", "--data-dir", payeeDir.toString(), "-k", "sendinvoice",
                "invreq=" + lnr, "label=waiting", "timeout=120");
        await(() -> cliOut(payeeDir, "listinvoices").contains("\"label\" : \"waiting\""), send, tmp.resolve("send"));
        signal(payee, "TERM");
        assertEquals(0, exit(payee), read(log(payeeDir)));
        assertEquals(1, exit(send), read(sendLog));
        assertTrue(read(sendLog).contains("\"code\" : -1"), read(sendLog));
        assertTrue(read(sendLog).contains("the node is shutting down"), read(sendLog));
        signal(payer, "TERM");
        assertEquals(0, exit(payer));
    }

    private String cliOut(Path dataDir, String... args) {
        try {
            List<String> all = new ArrayList<>(List.of("cli", "--network", "regtest", "--data-dir", dataDir.toString()));
            all.addAll(List.of(args));
            Path out = tmp.resolve("cli.out");
            Process p = java(out, all.toArray(String[]::new));
            exit(p);
            return read(out);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\" : \"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    @Test
    void a_second_node_on_a_directory_in_use_is_refused_and_writes_nothing_there() throws Exception {
        Path dir = tmp.resolve("busy");
        Process first = node(dir);
        Set<String> before = listing(dir);
        Path secondLog = tmp.resolve("second.log");
        Process second = java(secondLog, "start", "--network", "regtest", "--data-dir", dir.toString());
        assertEquals(1, exit(second), read(secondLog));
        List<String> lines = read(secondLog).strip().lines().toList();
        assertEquals(List.of("boltflow start: could not start: " + dir.resolve("regtest") + " is in use by a running node (pid "
                + first.pid() + ")"), lines);
        assertEquals(before, listing(dir), "nothing written into the running node's directory");
        signal(first, "TERM");
        assertEquals(0, exit(first));
    }

    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p) + " " + sizeOf(p)).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.isDirectory(p) || p.getFileName().toString().endsWith(".mv.db") ? 0 : Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void a_failed_first_start_leaves_no_key_and_files_are_owner_only() throws Exception {
        Path dir = tmp.resolve("failed");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path log = tmp.resolve("failed.log");
            Process p = java(log, "start", "--network", "regtest", "--data-dir", dir.toString(), "--listen",
                    "127.0.0.1:" + taken.getLocalPort());
            assertEquals(1, exit(p), read(log));
            assertTrue(read(log).contains("boltflow start: could not start: "), read(log));
        }
        assertFalse(Files.exists(dir.resolve("regtest/node_key")), "no key left behind");

        Path ok = tmp.resolve("owner");
        Process p = node(ok, "--metrics-listen", "127.0.0.1:0");
        await(() -> read(log(ok)).contains("metrics on http://"), p, ok); // bound after the RPC socket
        Matcher at = Pattern.compile("metrics on (http://\\S+)").matcher(read(log(ok)));
        assertTrue(at.find(), read(log(ok)));
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(at.group(1)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(scrape.body().contains("boltflow_sendinvoice_started_total{node=\""), scrape.body());
        assertTrue(scrape.body().contains("boltflow_peers_handshakes_failed_total{node=\""), scrape.body());
        assertTrue(scrape.body().contains("jvm_memory_used_bytes"), "the JVM's meters too");
        assertOwnerOnly(ok.resolve("regtest"));
        signal(p, "TERM");
        assertEquals(0, exit(p));
        assertOwnerOnly(ok.resolve("regtest"));
        assertFalse(Files.exists(ok.resolve("regtest/invoices.trace.db")));
    }

    private static void assertOwnerOnly(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
                assertTrue(OWNER_ONLY.containsAll(perms), f + " is " + perms);
            }
        }
    }

    @Test
    void demo_killed_by_sigterm_removes_its_temporary_data() throws Exception {
        Path log = tmp.resolve("demo.log");
        Process demo = java(log, "demo", "--outcome", "timeout", "--timeout", "120");
        Path javaTmp = tmp.resolve("javatmp");
        await(() -> read(log).contains("payer disabled it"), demo, tmp.resolve("demo"));
        try (Stream<Path> s = Files.list(javaTmp)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("boltflow-demo")), "the demo's data");
        }
        signal(demo, "TERM");
        exit(demo);
        try (Stream<Path> s = Files.list(javaTmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("boltflow-demo")).toList());
        }
    }

    @Test
    void version_is_the_manifests_and_decode_dash_gives_one_line_per_input_line() throws Exception {
        Manifest manifest;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            manifest = jar.getManifest();
        }
        String version = manifest.getMainAttributes().getValue("Implementation-Version");
        String commit = manifest.getMainAttributes().getValue("Build-Commit");
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
        assertTrue(commit.matches("[0-9a-f]{7,40}"), "the git commit: " + commit);
        Path log = tmp.resolve("version.log");
        assertEquals(0, exit(java(log, "--version")));
        assertTrue(read(log).strip().matches("boltflow " + Pattern.quote(version) + " \\(commit " + commit
                + "(, modified)?\\)"), read(log));

        Path input = tmp.resolve("strings.txt");
        String offer = dev.boltflow.core.testing.Vectors.json("bolt12/offers-test.json").get(0).get("bolt12").asText();
        Files.writeString(input, offer + "\n\nnot a bolt12 string\n", StandardCharsets.UTF_8);
        Path out = tmp.resolve("decoded.txt");
        Process decode = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "decode", "-").redirectInput(input.toFile()).redirectOutput(out.toFile())
                .redirectError(tmp.resolve("decode.err").toFile()).start();
        started.add(decode);
        assertEquals(2, exit(decode), "the worst line: one that cannot be decoded");
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("\"type\":\"bolt12 offer\""), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"code\":-32602"), lines.get(1));
        assertTrue(lines.get(2).startsWith("{\"code\":-32602"), lines.get(2));
    }
}
