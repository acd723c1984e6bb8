package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.ShutdownApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code System.exit} where the agent holds the JVM back ({@link ShutdownApp}), with the real agent: no background
 * drain blocks JVM exit past its bound, and a shutdown never waits {@code loadWait} for a load that can no longer
 * finish. Before: the first JVM never exited (the drain ran the body on the hook's thread, and the body's exit waited
 * for that hook), the second took {@code loadWait} (30 s) to exit. The timeouts only turn a hang into a failure.
 */
class ShutdownIT {

    @Test
    void aWriteBackBodyThatCallsSystemExitDuringTheDrainHoldsTheJvmNoLongerThanDrainTimeout() {
        long start = System.nanoTime();
        Result run = AppJvm.main(ShutdownApp.class).config("shutdown-write-back.yml").args("write-back-exit")
                .timeout(Duration.ofSeconds(60)).run();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("true", run.value("save.accepted"), "the write was accepted, not run by the caller\n" + run);
        assertEquals("1", run.value("save.ran"), "the drain ran the body\n" + run);
        assertTrue(run.stderrText().contains("did not reach the method before the JVM exited"),
                "the write whose body never returned is reported\n" + run);
        assertTrue(millis < 45_000, "exited in " + millis + " ms\n" + run);
    }

    @Test
    void aShutdownHookThatNeedsAKeyWhoseLoaderCalledSystemExitDoesNotWaitLoadWait() {
        Result run = AppJvm.main(ShutdownApp.class).args("load-exit").timeout(Duration.ofSeconds(90)).run();
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("rate-EUR", run.value("hook.value"), run::toString);
        long waited = Long.parseLong(run.value("hook.millis"));
        assertTrue(waited < 10_000, "the hook ran the method itself instead of waiting loadWait (30 s): " + waited
                + " ms\n" + run);
    }
}
