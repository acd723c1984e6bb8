package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample application, as the README's demo runs it: same answers, fewer calls, fresh after writes. */
class SampleAppIT {

    private static final Path SAMPLE_JAR = Paths.get(System.getProperty("recall.it.sampleJar"));
    private static final String SAMPLE_CONFIG = System.getProperty("recall.it.sampleConfig");

    @Test
    void withTheAgentTheThirdPartyApiIsCalledLessAndWritesAreSeenAtOnce() {
        Result plain = AppJvm.jar(SAMPLE_JAR).withoutAgent().timeout(Duration.ofSeconds(90)).run().assertSucceeded();
        Result cached = AppJvm.jar(SAMPLE_JAR).agentOptions("config=" + SAMPLE_CONFIG).timeout(Duration.ofSeconds(90))
                .run().assertSucceeded();
        Map<String, String> p = results(plain);
        Map<String, String> c = results(cached);
        assertEquals("false", p.get("agent_attached"));
        assertEquals("true", c.get("agent_attached"));
        assertEquals("true", c.get("fresh_after_write"), cached::toString);
        assertEquals("true", c.get("fresh_after_evict"), cached::toString);
        int plainRequests = Integer.parseInt(p.get("rates_requests"));
        int cachedRequests = Integer.parseInt(c.get("rates_requests"));
        assertTrue(cachedRequests * 4 <= plainRequests,
                "the un-annotated rates client is cached through recall.yml: " + cachedRequests + " vs " + plainRequests);
        assertTrue(cached.stderrMatching("[recall] ERROR").isEmpty(), cached::toString);
        for (String line : cached.stdout()) {
            if (line.contains("categoryStats(") || line.contains("findProduct(1)") || line.contains("rate(EUR")) {
                assertTrue(plain.stdout().contains(line), "the same answer with and without the agent: " + line);
            }
        }
    }

    /** {@code RESULT name=value ...} lines, flattened: the first word after RESULT names the rest. */
    private static Map<String, String> results(Result r) {
        Map<String, String> out = new HashMap<>();
        for (String line : r.stdout()) {
            if (line.startsWith("RESULT ")) {
                for (String part : line.substring(7).split(" ")) {
                    int eq = part.indexOf('=');
                    if (eq > 0) {
                        out.putIfAbsent(part.substring(0, eq), part.substring(eq + 1));
                    }
                }
            }
        }
        return out;
    }
}
