package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.ConfigGuardApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: a configuration file must not stop an application from starting. A class pattern of many single
 * stars backtracked exponentially on every class load (22 stars 11 s, 30 never started) and a class name of
 * 1,000,000 characters took over 300 s to compile; each now starts the application at once, through a real
 * JVM with the agent jar. "At once" is measured against the same application with a plain file, in the same
 * run: the time to reach main and to finish may grow by at most 2 s.
 */
class HostilePatternIT {

    /** Far beyond what any of these should take; the backtracking matcher ran into it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long SLACK_MILLIS = 2_000;

    @TempDir
    Path dir;

    @Test
    void thirtySingleStarsStartTheApplicationAtOnceAndTheFileStillApplies() throws IOException {
        String stars = "*".repeat(30);
        Path file = Files.writeString(dir.resolve("stars.yml"), "methods:\n"
                + "  - method: dev.recall.it.app." + stars + "Q#rate(..)\n"
                + "  - method: dev.recall.it.*.*" + "Config*Guard*App#look*(..)\n"
                + "    ttl: 1m\n"
                + "  - method: dev.*.*.*.*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*Z#m(..)\n");
        long[] baseline = timed(Files.writeString(dir.resolve("plain.yml"), "methods:\n"
                + "  - method: dev.recall.it.app.ConfigGuardApp#lookup(..)\n    ttl: 1m\n"));
        long began = System.nanoTime();
        Result r = AppJvm.main(ConfigGuardApp.class).agentOptions("config=" + file).timeout(TIMEOUT).run().assertSucceeded();
        long whole = (System.nanoTime() - began) / 1_000_000;
        assertEquals(1, r.intValue("lookup.calls"), "the rule with stars caches the method\n" + r);
        long atMain = Long.parseLong(r.value("main.uptimeMillis"));
        System.out.println("30 stars: main after " + atMain + " ms, run " + whole + " ms; plain file: main after "
                + baseline[0] + " ms, run " + baseline[1] + " ms");
        assertTrue(atMain < baseline[0] + SLACK_MILLIS, "main after " + atMain + " ms against " + baseline[0] + "\n" + r);
        assertTrue(whole < baseline[1] + SLACK_MILLIS, "run of " + whole + " ms against " + baseline[1] + "\n" + r);
    }

    @Test
    void aMillionCharacterClassNameIsRefusedAtOnceAndTheApplicationRunsUncached() throws IOException {
        Path file = Files.writeString(dir.resolve("long.yml"), "methods:\n"
                + "  - method: com.acme." + "X".repeat(1_000_000) + "#rate(..)\n");
        long[] baseline = timed(Files.writeString(dir.resolve("plain.yml"), "methods:\n"
                + "  - method: dev.recall.it.app.ConfigGuardApp#lookup(..)\n"));
        long began = System.nanoTime();
        Result r = AppJvm.main(ConfigGuardApp.class).agentOptions("config=" + file).timeout(TIMEOUT).run().assertSucceeded();
        long whole = (System.nanoTime() - began) / 1_000_000;
        assertEquals(2, r.intValue("lookup.calls"), "a refused file caches nothing\n" + r);
        assertEquals(1, r.stderrMatching("config: " + file + ":2: a method pattern of 1000018 characters is too long: at most "
                + "1000").size(), r::toString);
        System.out.println("1,000,000-character name: run " + whole + " ms; plain file: run " + baseline[1] + " ms");
        assertTrue(whole < baseline[1] + SLACK_MILLIS, "run of " + whole + " ms against " + baseline[1] + "\n" + r);

        Result strict = AppJvm.main(ConfigGuardApp.class).agentOptions("config=" + file).jvmArg("-Drecall.strict=true")
                .timeout(TIMEOUT).run();
        assertEquals(78, strict.exitCode(), strict::toString);
    }

    /** The same application with a plain file: {main uptime, whole run} in ms. */
    private static long[] timed(Path plain) {
        long began = System.nanoTime();
        Result r = AppJvm.main(ConfigGuardApp.class).agentOptions("config=" + plain).timeout(TIMEOUT).run().assertSucceeded();
        return new long[] {Long.parseLong(r.value("main.uptimeMillis")), (System.nanoTime() - began) / 1_000_000};
    }
}
