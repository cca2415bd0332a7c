package dev.boltflow.it.testing;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints one line when the tests of this JVM are done, {@code it: 12 passed, 0 failed, 0 skipped},
 * on standard output, so that README's quiet ({@code -q}) integration command, which shows no
 * Surefire report, still ends with a summary. Registered in {@code META-INF/services}.
 */
public final class SummaryLine implements TestExecutionListener {
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (!test.isTest()) {
            return;
        }
        (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? passed : failed).incrementAndGet();
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (test.isTest()) {
            skipped.incrementAndGet();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        System.out.println("it: " + passed.get() + " passed, " + failed.get() + " failed, " + skipped.get() + " skipped");
        System.out.flush();
    }
}
