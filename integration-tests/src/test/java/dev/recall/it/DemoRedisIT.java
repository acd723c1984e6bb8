package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --redis}, shortened: two instances with the agent share one cache in Redis and one database,
 * the second serves what the first loaded, both pass the correctness check, and the run leaves no key in
 * Redis and no process behind.
 */
class DemoRedisIT {

    private static final Path SAMPLE_JAR = Paths.get(System.getProperty("recall.it.sampleJar"));

    @Test
    void twoInstancesShareOneCacheInRedisAndLeaveNothingBehind(@TempDir Path out) throws Exception {
        RedisTarget.Servers redis = RedisTarget.SINGLE.servers("DemoRedisIT");
        Path root = SAMPLE_JAR.getParent().getParent().getParent();
        Result r = AppJvm.jar(SAMPLE_JAR).withoutAgent().timeout(Duration.ofMinutes(4))
                .args("demo", "--redis", redis.uri(), "--warmup", "3s", "--duration", "8s", "--out", out.toString(),
                        "--agent", root.resolve("agent/target/recall-agent.jar").toString(),
                        "--config", root.resolve("sample-app/recall.yml").toString())
                .run().assertSucceeded();
        String text = String.join("\n", r.stdout());

        for (String instance : new String[] {"A", "B"}) {
            assertTrue(text.contains("correctness (with agent, instance " + instance
                    + "): 80 of 80 sampled responses equal the database's current values"), text);
            assertTrue(text.matches("(?s).*instance " + instance + ": Redis UP; \\d+ remote hits, \\d+ near hits, \\d+ remote misses, "
                    + "0 remote errors, 0 rejected entries.*"), text);
        }
        // B answered from Redis what A loaded: the probe's search, and during the load.
        assertTrue(text.matches("(?s).*sharing probe: .*instance B then answered from Redis.*"), text);
        Matcher bRemote = Pattern.compile("instance B: Redis UP; (\\d+) remote hits").matcher(text);
        assertTrue(bRemote.find() && Long.parseLong(bRemote.group(1)) > 0, text);
        assertTrue(text.contains("-- instance B (pid "), "both instances' stats tables: " + text);

        // The run's own configuration, with the secret left to the environment.
        String config = Files.readString(out.resolve("recall-redis.yml"));
        assertTrue(config.contains("store: two-level") && config.contains("secret: ${RECALL_SECRET}")
                && config.contains("allowClasses: [dev.recall.sample.**]"), config);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## The shared cache") && report.contains("| CPU, average |"), report);

        Matcher prefix = Pattern.compile("key prefix (recall-demo-[0-9a-f]+:)").matcher(text);
        assertTrue(prefix.find(), text);
        assertTrue(text.contains("Redis: deleted this run's "), text);
        try (TestRedis client = redis.client()) {
            assertEquals(0, client.keysWithPrefix(prefix.group(1)).size(), "the run's keys are gone from Redis");
        }
        assertFalse(ProcessHandle.allProcesses().anyMatch(DemoRedisIT::runsTheSampleJar),
                "nothing left running: the demo is over, so no JVM may still run its jar (services, database, rates API)");
    }

    /** Whether a process is a JVM of this build's sample jar ({@code -cp} or {@code -jar} it, however the path is written). */
    private static boolean runsTheSampleJar(ProcessHandle process) {
        String[] args = process.info().arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < args.length; i++) {
            if ((args[i].equals("-cp") || args[i].equals("-jar"))
                    && Paths.get(args[i + 1]).toAbsolutePath().normalize().equals(SAMPLE_JAR.toAbsolutePath().normalize())) {
                return true;
            }
        }
        return false;
    }
}
