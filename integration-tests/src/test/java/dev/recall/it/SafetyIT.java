package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.safety.SafetyApp;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Safe on real applications" with threads, in an application JVM with the real agent: what the
 * application computes is what it computes without the agent, and nothing hangs.
 */
class SafetyIT {

    private static Result run;

    @BeforeAll
    static void run() {
        run = AppJvm.main(SafetyApp.class).config("safety.yml").args("4000").timeout(Duration.ofSeconds(90)).run()
                .assertSucceeded();
    }

    @Test
    void aKeyArgumentChangedAfterTheCallNeitherLosesItsEntryNorAnswersForAnotherKey() {
        assertEquals("owners_named_Davis", run.value("mutated.davis"), run::toString);
        assertEquals("owners_named_Franklin", run.value("mutated.franklin"), run::toString);
        assertEquals(2, run.intValue("mutated.calls"), "Davis once, then a hit; Franklin once\n" + run);
    }

    /** Two writers and two readers per key for 4 s: every read at least as new as every write that returned before it. */
    @Test
    void racingWriteThroughsNeverLeaveAReadOlderThanACompletedWrite() {
        long reads = Long.parseLong(run.value("race.reads"));
        assertTrue(reads > 1_000_000, "millions of reads: " + reads);
        assertTrue(Long.parseLong(run.value("race.writes")) > 10_000, run::toString);
        assertEquals(0, Long.parseLong(run.value("race.stale")), "stale reads out of " + reads + "\n" + run);
    }

    /**
     * Both loads finish. The key leaves out {@code outer}, so one thread's inner call of B may receive the
     * other thread's outer result for B ("BA"): A is then "ABA". Without the agent, "AB" and "BA".
     */
    @Test
    void crossedKeysDoNotDeadlock() {
        assertTrue(java.util.Set.of("AB", "ABA").contains(run.value("crossed.a")), run::toString);
        assertTrue(java.util.Set.of("BA", "BAB").contains(run.value("crossed.b")), run::toString);
        assertTrue(Long.parseLong(run.value("crossed.millis")) < 4_000, "a cycle is seen at once, not after loadWait or "
                + "the test's own 5 s: " + run.value("crossed.millis") + " ms");
    }

    @Test
    void aLoadThatWaitsForAnotherExecutorOnItsOwnKeyEndsAfterLoadWait() {
        assertEquals("inner_k", run.value("handoff.result"), run::toString);
        assertTrue(run.stderrText().contains("loadWait"), "said on stderr\n" + run);
    }

    @Test
    void aFutureIsCachedOnceItSucceedsSharedWhileRunningAndAFailureIsNotCached() {
        assertEquals("quote_ACME", run.value("future.first"));
        assertEquals("quote_ACME", run.value("future.together"));
        assertEquals("quote_ACME", run.value("future.hit"));
        assertEquals(1, run.intValue("future.calls"), "one call: the second shared the running future, the third hit\n" + run);
        assertEquals(2, run.intValue("future.failures"));
        assertEquals(3, run.intValue("future.callsAfterFailures"), "a failed future is not cached: each call runs\n" + run);
    }
}
