package dev.recall.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code benchmarks/freshness.sh [--quick]}: what each freshness setting adds to a hit, in one run on this
 * machine, as ratios against a hit with none (no jitter, no refresh, no stale window). None of these hits is on
 * an entry old enough to schedule a refresh, so the B/op column shows that a hit that schedules nothing
 * allocates nothing more.
 */
public final class FreshnessBenchMain {

    private FreshnessBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path jar = Paths.get(FreshnessBenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = jar.getParent().getParent().getParent();
        Path target = jar.getParent();
        Path config = target.resolve("freshness-bench.yml");
        Files.writeString(config, String.join("\n",
                "methods:",
                "  - method: dev.recall.bench.FreshnessTargets#fixed(long)",
                "    jitter: 0",
                ""), StandardCharsets.UTF_8);
        Map<String, double[]> s = BenchmarkMain.byMethod(BenchmarkMain.options("dev\\.recall\\.bench\\.FreshnessBench\\..*", 1, quick),
                List.of("-javaagent:" + root.resolve("agent/target/recall-agent.jar") + "=config=" + config));
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path exported = target.resolve("freshness-bench-prometheus.yml");
        Files.writeString(exported, String.join("\n",
                "metrics:",
                "  prometheus:",
                "    port: " + port,
                "methods:",
                "  - method: dev.recall.bench.FreshnessTargets#fixed(long)",
                "    jitter: 0",
                ""), StandardCharsets.UTF_8);
        Map<String, double[]> e = BenchmarkMain.byMethod(BenchmarkMain.options("dev\\.recall\\.bench\\.FreshnessBench\\.fixed$", 1, quick),
                List.of("-javaagent:" + root.resolve("agent/target/recall-agent.jar") + "=config=" + exported,
                        "-Drecall.jmx.delay=0s", "-Drecall.bench.scrape=http://127.0.0.1:" + port + "/metrics"));
        double base = s.get("fixed")[0];
        StringBuilder t = new StringBuilder();
        t.append("Hits by freshness setting, one thread, ").append(BenchmarkMain.machine(quick)).append("\n\n");
        t.append("| case | ns/op | B/op | x a plain hit |\n|---|---|---|---|\n");
        row(t, "plain hit (ttl 1h, jitter 0)", s.get("fixed"), base);
        row(t, "jitter 10% (the default)", s.get("jittered"), base);
        row(t, "refresh 30m (never due here)", s.get("refreshAhead"), base);
        row(t, "staleIfError 1h", s.get("staleIfError"), base);
        row(t, "plain hit, metrics.prometheus on and scraped every 100 ms", e.get("fixed"), base);
        System.out.println();
        System.out.println(t);
        Files.writeString(target.resolve("freshness-results.md"), t.toString(), StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder t, String name, double[] s, double base) {
        t.append(String.format(Locale.ROOT, "| %s | %.1f ± %.1f | %.0f | %.2f |%n", name, s[0], s[1], s[2], s[0] / base));
    }
}
