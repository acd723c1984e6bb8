package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.StackOverflowApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An application that recurses through cached methods until {@code StackOverflowError}, catches it and starts
 * again, on four threads ({@link StackOverflowApp}), with the real agent: it must finish, and the cache must still
 * take writes afterwards. Before the agent kept its store path away from the end of the stack and off locks an
 * overflow could leave held, such a program hung (a waiter for a load whose end never ran, Caffeine's eviction
 * lock, the maintenance executor's queue lock). Without the agent it finishes in a few seconds; the bound here is
 * only there so that a hang fails the test instead of stalling the build.
 */
class StackOverflowIT {

    @Test
    void anApplicationThatCatchesStackOverflowErrorFinishesAndTheCacheStillWorks() {
        Result run = AppJvm.main(StackOverflowApp.class).config("stack-overflow.yml").args("4", "40")
                .timeout(Duration.ofSeconds(150)).run().assertSucceeded();
        assertEquals(4 * 40 * 2, run.intValue("soe.rounds"), "every round overflowed and was caught\n" + run);
        assertEquals("right", run.value("soe.after"), run::toString);
        assertTrue(run.stderrText().contains("ran uncached because its thread's stack was nearly full"),
                "calls near the end of the stack ran uncached, said once\n" + run);
    }
}
