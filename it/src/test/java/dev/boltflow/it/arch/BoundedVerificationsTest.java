package dev.boltflow.it.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every {@code StepVerifier} verification in every module's tests is bounded by a wall-clock
 * {@code Duration} (issue 18): a publisher that never terminates fails its test in seconds instead
 * of hanging the build, or a mutation run until PIT gives up on it. Forbidden are the verifications
 * that can wait for ever: {@code verify()}, {@code verifyComplete()}, the {@code verifyError…}
 * family and {@code verifyThenAssertThat()}; use {@code expectComplete().verify(Duration)},
 * {@code expectError…(…).verify(Duration)} or {@code verifyThenAssertThat(Duration)}.
 */
class BoundedVerificationsTest {
    /** The test classes of every module, compiled by the reactor before this module runs. */
    private static final List<Path> TEST_CLASSES = List.of(Path.of("../core/target/test-classes"),
            Path.of("../transport-netty/target/test-classes"), Path.of("../node/target/test-classes"),
            Path.of("target/test-classes"));

    private static final Set<String> ALWAYS_UNBOUNDED = Set.of("verifyComplete", "verifyError", "verifyErrorMessage",
            "verifyErrorMatches", "verifyErrorSatisfies", "verifyErrorWith");
    private static final Set<String> UNBOUNDED_WITHOUT_ARGUMENT = Set.of("verify", "verifyThenAssertThat");

    static final DescribedPredicate<JavaMethodCall> UNBOUNDED_VERIFICATION = DescribedPredicate.describe(
            "a StepVerifier verification without a Duration", call -> {
                String owner = call.getTarget().getOwner().getName();
                String name = call.getTarget().getName();
                return owner.startsWith("reactor.test.StepVerifier")
                        && (ALWAYS_UNBOUNDED.contains(name) || UNBOUNDED_WITHOUT_ARGUMENT.contains(name)
                                && call.getTarget().getRawParameterTypes().isEmpty());
            });

    static final ArchRule every_verification_is_bounded = noClasses()
            .should().callMethodWhere(UNBOUNDED_VERIFICATION)
            .because("a hang must fail in seconds: verify(Duration) bounds the wait on the wall clock");

    @Test
    void every_step_verifier_verification_has_a_duration() {
        for (Path dir : TEST_CLASSES) {
            assertTrue(Files.isDirectory(dir), dir.toAbsolutePath() + " is missing: build through the reactor (-am)");
        }
        JavaClasses classes = new ClassFileImporter().importPaths(TEST_CLASSES);
        assertTrue(classes.stream().anyMatch(c -> c.getSimpleName().equals("SendInvoiceTest")),
                "core's tests were imported");
        every_verification_is_bounded.check(classes);
    }
}
