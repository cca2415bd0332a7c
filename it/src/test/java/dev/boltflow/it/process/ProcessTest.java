package dev.boltflow.it.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test that starts processes: each in {@link #started} is killed after the test, whatever happened. */
abstract class ProcessTest {
    final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killLeftovers() {
        for (Process p : started) {
            p.destroyForcibly();
        }
    }
}
