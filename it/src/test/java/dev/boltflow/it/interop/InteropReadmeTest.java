package dev.boltflow.it.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README's Interoperability section names the lightning-kmp version this suite runs against (read
 * from the jar on the classpath) and every test class of the suite, so the table cannot drift.
 */
class InteropReadmeTest {
    private static final List<Class<?>> SUITE = List.of(Bolt8InteropTest.class, OnionMessageInteropTest.class,
            Bolt12StringsInteropTest.class, BlindedPaymentInteropTest.class, MutualFuzzInteropTest.class);

    @Test
    void interoperabilitySection_namesTheVersionRun_andEveryTestClass() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory",
                Path.of("..").toAbsolutePath().normalize().toString()), "README.md"));
        int start = readme.indexOf("\n## Interoperability\n");
        assertTrue(start >= 0, "README has an Interoperability section");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        String version = Kmp.version();
        assertTrue(section.contains("lightning-kmp-jvm " + version), "the section names lightning-kmp-jvm " + version);
        assertTrue(section.contains("lightning-kmp " + version), "the table header names " + version);
        for (Class<?> c : SUITE) {
            assertTrue(section.contains("`" + c.getSimpleName()), "the table lists " + c.getSimpleName());
        }
    }
}
