package dev.recall.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.runner.Description;
import org.junit.runner.Result;
import org.junit.runner.notification.RunListener;

/**
 * A JUnit 4 listener in the forked test JVM (Surefire's {@code listener} property): lists the tests during which
 * the TCK asked the {@link InstantiatingBeanProvider} for a bean, that is, the tests whose body ran. The TCK's own
 * excluder passes a test without running it when it finds no provider, so Surefire's counts alone cannot tell;
 * {@link TckCount} reads this list. Called on the JUnit thread only.
 */
public final class ExecutedTests extends RunListener {

    private final List<String> executed = new ArrayList<>();
    private long servedBefore;

    @Override
    public void testStarted(Description description) {
        servedBefore = InstantiatingBeanProvider.served();
    }

    @Override
    public void testFinished(Description description) {
        if (InstantiatingBeanProvider.served() > servedBefore) {
            executed.add(description.getClassName() + "#" + description.getMethodName());
        }
    }

    @Override
    public void testRunFinished(Result result) {
        String file = System.getProperty("tck.executedFile");
        if (file == null) {
            return;
        }
        try {
            Files.write(Path.of(file), executed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
