package dev.boltflow.it.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of our shape (style.md, "Our shape"): core knows no Netty, no Jackson, does
 * no I/O and never reads the clock; transport-netty does not reach into the node.
 */
class CoreIsPureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // core's test-jar (shared test utilities) is test code too
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.boltflow");
    }

    static final ArchRule core_has_no_netty_jackson_or_io = noClasses()
            .that().resideInAPackage("dev.boltflow.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.netty..", "reactor.netty..", "com.fasterxml.jackson..",
                    "java.nio.file..", "java.nio.channels..", "java.net..", "java.sql..", "io.r2dbc..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
            .because("core is pure: codecs, crypto and the use case, with I/O behind ports");

    static final ArchRule core_never_reads_the_clock = noClasses()
            .that().resideInAPackage("dev.boltflow.core..")
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(java.time.Clock.class, "systemUTC")
            .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
            .because("time is injected (a Clock and a Scheduler are passed in)");

    static final ArchRule core_does_not_print = noClasses()
            .that().resideInAPackage("dev.boltflow.core..")
            .should().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .because("core reports through return values and typed errors, never stdout");

    static final ArchRule transport_does_not_know_the_node = noClasses()
            .that().resideInAPackage("dev.boltflow.transport..")
            .should().dependOnClassesThat().resideInAPackage("dev.boltflow.node..");

    @Test
    void core_has_no_netty_jackson_or_io() {
        core_has_no_netty_jackson_or_io.check(classes);
    }

    @Test
    void core_never_reads_the_clock() {
        core_never_reads_the_clock.check(classes);
    }

    @Test
    void core_does_not_print() {
        core_does_not_print.check(classes);
    }

    @Test
    void transport_does_not_know_the_node() {
        transport_does_not_know_the_node.allowEmptyShould(true).check(classes);
    }
}
