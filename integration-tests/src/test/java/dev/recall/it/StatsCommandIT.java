package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.JmxApp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code java -jar recall-agent.jar stats PID} against a running application. */
class StatsCommandIT {

    @Test
    void printsOneTableSortedByTimeSaved() throws Exception {
        AppJvm.Running app = AppJvm.main(JmxApp.class).jvmArg("-Drecall.jmx.delay=0s").start();
        try {
            app.awaitLine("ready", Duration.ofSeconds(30));
            for (String step : List.of("slow c", "slow c", "slow c", "slow a", "slow a", "fail x", "hits 3")) {
                app.send(step);
                app.awaitLine("done " + step, Duration.ofSeconds(20));
                // The saved time never exceeds the wall time of the calls multiplied by the callers (the
                // contract): one caller here, so the 450 ms its hits save take at least that long.
                Thread.sleep(150);
            }
            List<String> out = stats(app.pid());
            String all = String.join("\n", out);
            assertTrue(out.get(0).matches("method\\s+strategy\\s+hit ratio\\s+hits\\s+misses\\s+saved\\s+p50 ms\\s+p90 ms\\s+p99 ms"
                    + "\\s+refreshed\\s+refresh err\\s+stale\\s+verified\\s+stale hits"),
                    all);
            // c saved 2 x 200ms, a 1 x 50ms, alerting ~0: sorted by saved, most first.
            assertTrue(out.get(1).matches("JmxApp\\.slow\\(String\\)\\s+READ_THROUGH\\s.*"), all);
            assertTrue(out.get(1).matches(".*\\s60\\.0%\\s+3\\s+2\\s+4\\d\\d ms\\s+.*"), "3 hits of 5 calls, ~450ms saved:\n" + all);
            assertTrue(out.get(2).startsWith("JmxApp.alerting(String)"), all);
            assertTrue(out.get(2).matches(".*\\s66\\.7%\\s+2\\s+1\\s.*"), all);
            assertTrue(out.get(3).matches("JmxApp\\.fail\\(String\\)\\s+READ_THROUGH\\s+0\\.0%\\s+0\\s+1\\s+0 ms\\s+-\\s+-\\s+-\\s+0\\s+0\\s+0\\s+0\\s+0"),
                    "one failed load: no hit, no latency\n" + all);
            assertTrue(all.contains("total: 3 methods, hit ratio"), all);
        } finally {
            app.send("exit");
            app.await(Duration.ofSeconds(20));
        }
    }

    @Test
    void explainsAJvmWithoutTheAgent() throws Exception {
        AppJvm.Running app = AppJvm.main(JmxApp.class).withoutAgent().start();
        try {
            app.awaitLine("ready", Duration.ofSeconds(30));
            Process p = new ProcessBuilder(AppJvm.JAVA, "-jar", AppJvm.AGENT_JAR.toString(), "stats", Long.toString(app.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertEquals(1, p.waitFor(), output);
            assertTrue(output.contains("shows no Recall MBeans"), output);
        } finally {
            app.send("exit");
            app.await(Duration.ofSeconds(20));
        }
    }

    static List<String> stats(long pid) throws Exception {
        Process p = new ProcessBuilder(AppJvm.JAVA, "-jar", AppJvm.AGENT_JAR.toString(), "stats", Long.toString(pid))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        return List.of(output.split("\n"));
    }
}
