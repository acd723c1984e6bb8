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
 * {@code benchmarks/memcached.sh [--quick] [--before OTHER-AGENT.jar]}: what a hit on {@code store: memcached} costs
 * against a plain client {@code get} of the same number of bytes (the goal: at most 5 µs more), in one run on this
 * machine: JMH forks of each, then {@link MemcachedPairs} (both alternated in one JVM, three JVMs, alternating with
 * {@code --before}'s agent). Needs a Memcached at {@code MEMCACHED_SERVERS} (default 127.0.0.1:11211). Figures from
 * a busy machine are indicative; the paired rounds much less so than the forks.
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
        // Paired rounds in one JVM (MemcachedPairs), alternating JVMs of the agents compared: what the figures above
        // cannot separate from the machine's noise.
        int b = List.of(args).indexOf("--before");
        Path before = b >= 0 && b + 1 < args.length ? Paths.get(args[b + 1]) : null;
        int jvms = quick ? 1 : 3;
        Map<String, List<double[][]>> pairs = new LinkedHashMap<>();
        for (int run = 0; run < jvms; run++) {
            if (before != null) {
                pairs.computeIfAbsent("before", x -> new java.util.ArrayList<>()).add(pairs(jar, before, config, server, quick));
            }
            pairs.computeIfAbsent("now", x -> new java.util.ArrayList<>()).add(pairs(jar, agentJar, config, server, quick));
        }
        double hit = scores.get("memcachedHit")[0];
        double raw = scores.get("rawGet")[0];
        StringBuilder t = new StringBuilder();
        t.append("A Memcached hit, one thread, ").append(BenchmarkMain.machine(quick)).append(", Memcached at ").append(server)
                .append("\n\n| case | ns/op | B/op | against |\n|---|---|---|---|\n");
        row(t, "Memcached hit (store: memcached, encrypted)", scores.get("memcachedHit"),
                String.format(Locale.ROOT, "raw get %+.1f µs (goal: at most +5 µs)", (hit - raw) / 1000));
        row(t, "raw xmemcached get of 80 bytes (no agent)", scores.get("rawGet"), "");
        t.append("\nThe same in paired rounds: one JVM with the agent alternates ").append(quick ? 200 : 1000)
                .append(" rounds of 50 hits and 50 raw gets (the same moment of the machine for both); p25 / median / p75 over ")
                .append("the rounds, one row per JVM; CPU: the calling thread's\n\n")
                .append("| agent | hit ns | raw get ns | hit - raw ns | hit / raw | hit CPU ns | raw get CPU ns |\n|---|---|---|---|---|---|---|\n");
        pairs.forEach((which, runs) -> runs.forEach(p -> t.append("| ").append(which).append(" | ").append(q(p[0])).append(" | ")
                .append(q(p[1])).append(" | ").append(q(p[4])).append(" | ").append(String.format(Locale.ROOT, "%.2f / %.2f / %.2f",
                        p[5][0], p[5][1], p[5][2])).append(" | ").append(q(p[2])).append(" | ").append(q(p[3])).append(" |\n")));
        System.out.println();
        System.out.println(t);
        Files.writeString(target.resolve("memcached-results.md"), t.toString(), StandardCharsets.UTF_8);
    }

    private static String q(double[] p) {
        return String.format(Locale.ROOT, "%,.0f / %,.0f / %,.0f", p[0], p[1], p[2]);
    }

    /** One JVM of {@link MemcachedPairs} with {@code agent}: its six figures, each as p25, median, p75. */
    private static double[][] pairs(Path benchJar, Path agent, Path config, String server, boolean quick) throws Exception {
        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xms1g", "-Xmx1g",
                "-javaagent:" + agent + "=config=" + config, "-Drecall.jmx.delay=0", "-cp", benchJar.toString(),
                MemcachedPairs.class.getName(), server, quick ? "200" : "1000", "50");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !out.contains("pairs ")) {
            throw new IllegalStateException("MemcachedPairs failed: " + out);
        }
        String[] fields = out.substring(out.indexOf("pairs ") + 6).trim().split(" ");
        double[][] figures = new double[fields.length][3];
        for (int i = 0; i < fields.length; i++) {
            String[] q = fields[i].substring(fields[i].indexOf('=') + 1).split("/");
            for (int j = 0; j < 3; j++) {
                figures[i][j] = Double.parseDouble(q[j]);
            }
        }
        System.out.println("[bench] " + agent.getFileName() + ": " + out.trim());
        return figures;
    }

    private static void row(StringBuilder t, String name, double[] s, String against) {
        t.append(String.format(Locale.ROOT, "| %s | %.1f ± %.1f | %.0f | %s |%n", name, s[0], s[1], s[2], against));
    }
}
