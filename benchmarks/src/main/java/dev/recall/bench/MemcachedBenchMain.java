package dev.recall.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * {@code benchmarks/memcached.sh [--quick]}: what a hit on {@code store: memcached} costs against a plain client
 * {@code get} of the same number of bytes (the goal: at most 5 µs more), in one run on this machine. Needs a
 * Memcached at {@code MEMCACHED_SERVERS} (default 127.0.0.1:11211). Figures from a busy machine are indicative.
 */
public final class MemcachedBenchMain {

    private MemcachedBenchMain() {
    }

    static String memcachedState() {
        try {
            return String.valueOf(ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName("dev.recall:type=Agent"), "MemcachedState"));
        } catch (Exception e) {
            return "unknown";
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        String server = System.getenv().getOrDefault("MEMCACHED_SERVERS", "127.0.0.1:11211").split(",")[0].trim();
        Path jar = Paths.get(MemcachedBenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = jar.getParent().getParent().getParent();
        Path target = jar.getParent();
        Path agentJar = root.resolve("agent/target/recall-agent.jar");
        Path config = target.resolve("memcached-bench.yml");
        Files.writeString(config, String.join("\n",
                "memcached:",
                "  servers: [" + server + "]",
                "  keyPrefix: \"recall-bench:\"",
                "  secret: a-benchmark-secret-of-some-length",
                "methods:",
                "  - method: dev.recall.bench.RemoteTargets#remote(long)",
                "    store: memcached",
                ""), StandardCharsets.UTF_8);
        Map<String, double[]> scores = new LinkedHashMap<>();
        scores.putAll(BenchmarkMain.byMethod(BenchmarkMain.options("dev\\.recall\\.bench\\.MemcachedBench\\..*", 1, quick),
                List.of("-javaagent:" + agentJar + "=config=" + config, "-Drecall.jmx.delay=0")));
        scores.putAll(BenchmarkMain.byMethod(BenchmarkMain.options("dev\\.recall\\.bench\\.RawMemcachedBench\\..*", 1, quick)
                .param("server", server), List.of()));
        double hit = scores.get("memcachedHit")[0];
        double raw = scores.get("rawGet")[0];
        StringBuilder t = new StringBuilder();
        t.append("A Memcached hit, one thread, ").append(BenchmarkMain.machine(quick)).append(", Memcached at ").append(server)
                .append("\n\n| case | ns/op | B/op | against |\n|---|---|---|---|\n");
        row(t, "Memcached hit (store: memcached, encrypted)", scores.get("memcachedHit"),
                String.format(Locale.ROOT, "raw get %+.1f µs (goal: at most +5 µs)", (hit - raw) / 1000));
        row(t, "raw xmemcached get of 80 bytes (no agent)", scores.get("rawGet"), "");
        System.out.println();
        System.out.println(t);
        Files.writeString(target.resolve("memcached-results.md"), t.toString(), StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder t, String name, double[] s, String against) {
        t.append(String.format(Locale.ROOT, "| %s | %.1f ± %.1f | %.0f | %s |%n", name, s[0], s[1], s[2], against));
    }
}
