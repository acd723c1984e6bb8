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
 * {@code benchmarks/remote.sh [--quick]}: what a hit costs on each store, in one run on this machine, as
 * ratios: a near-cache hit against a local hit, a Redis hit against a plain Jedis GET of the same
 * number of bytes, and a Redis hit and a write-through with values encrypted (a secret) against the same with
 * {@code insecure: true} (neither encrypted nor signed); and what an eviction with its refill costs.
 * {@code --before JAR} runs the agent cases with another build of the agent too, in the same run. Needs a Redis
 * ({@code REDIS_URL}, default {@code redis://127.0.0.1:6379}).
 */
public final class RemoteBenchMain {

    private RemoteBenchMain() {
    }

    /** The agent's {@code RedisState}, read in the benchmark's own JVM. */
    static String redisState() {
        try {
            return String.valueOf(ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName("dev.recall:type=Agent"), "RedisState"));
        } catch (Exception e) {
            return "unknown";
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        String redisUri = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
        Path jar = Paths.get(RemoteBenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = jar.getParent().getParent().getParent();
        Path target = jar.getParent();
        Path agentJar = root.resolve("agent/target/recall-agent.jar");
        Path config = target.resolve("remote-bench.yml");
        Files.writeString(config, config(redisUri, "recall-bench:", "  secret: a-benchmark-secret-of-some-length"), StandardCharsets.UTF_8);
        // The same without a secret (insecure: true): values neither encrypted nor signed, the baseline of encryption.
        Path plainConfig = target.resolve("remote-bench-insecure.yml");
        Files.writeString(plainConfig, config(redisUri, "recall-bench-plain:", "  insecure: true"), StandardCharsets.UTF_8);

        // --before JAR: the same cases with another build of the agent, in the same sitting, for a before/after.
        int b = List.of(args).indexOf("--before");
        Path before = b >= 0 && b + 1 < args.length ? Paths.get(args[b + 1]) : null;
        Map<String, double[]> old = new LinkedHashMap<>();
        if (before != null) {
            old.putAll(run("dev\\.recall\\.bench\\.RemoteBench\\..*", quick,
                    List.of("-javaagent:" + before + "=config=" + config, "-Drecall.jmx.delay=0"), redisUri));
        }
        Map<String, double[]> scores = new LinkedHashMap<>();
        scores.putAll(run("dev\\.recall\\.bench\\.RemoteBench\\..*", quick,
                List.of("-javaagent:" + agentJar + "=config=" + config, "-Drecall.jmx.delay=0"), redisUri));
        run("dev\\.recall\\.bench\\.RemoteBench\\.redis.*", quick,
                List.of("-javaagent:" + agentJar + "=config=" + plainConfig, "-Drecall.jmx.delay=0"), redisUri)
                .forEach((name, score) -> scores.put(name + "Plain", score));
        scores.putAll(run("dev\\.recall\\.bench\\.RawRedisBench\\..*", quick, List.of(), redisUri));

        double local = scores.get("localHit")[0];
        double near = scores.get("nearHit")[0];
        double remote = scores.get("redisHit")[0];
        double remotePlain = scores.get("redisHitPlain")[0];
        double write = scores.get("redisWrite")[0];
        double writePlain = scores.get("redisWritePlain")[0];
        double raw = scores.get("rawGet")[0];
        StringBuilder t = new StringBuilder();
        t.append("Hits by store, one thread, ").append(BenchmarkMain.machine(quick)).append(", Redis at ").append(redisUri).append("\n\n");
        t.append("| case | ns/op | B/op | against |\n|---|---|---|---|\n");
        row(t, "local hit (Caffeine in the JVM)", scores.get("localHit"), "");
        row(t, "near hit (two-level)", scores.get("nearHit"), String.format(Locale.ROOT, "%.2fx a local hit", near / local));
        row(t, "Redis hit (redis store, encrypted)", scores.get("redisHit"), String.format(Locale.ROOT, "raw GET %+.1f µs; %.3fx the "
                + "unencrypted hit (%+.1f µs)", (remote - raw) / 1000, remote / remotePlain, (remote - remotePlain) / 1000));
        row(t, "Redis hit, insecure: true (not encrypted)", scores.get("redisHitPlain"), String.format(Locale.ROOT, "raw GET %+.1f µs",
                (remotePlain - raw) / 1000));
        row(t, "Redis write-through (encrypted)", scores.get("redisWrite"), String.format(Locale.ROOT, "%.3fx the unencrypted write "
                + "(%+.1f µs)", write / writePlain, (write - writePlain) / 1000));
        row(t, "Redis write-through, insecure: true", scores.get("redisWritePlain"), "");
        row(t, "eviction, then miss and fill (encrypted)", scores.get("redisEvictAndFill"), "");
        row(t, "raw Jedis GET of 80 bytes (no agent)", scores.get("rawGet"), "");
        if (before != null) {
            t.append("\nThe same cases with the agent ").append(before).append(", in the same run:\n\n");
            t.append("| case | before ns/op | now ns/op | now/before |\n|---|---|---|---|\n");
            for (String name : List.of("localHit", "nearHit", "redisHit", "redisWrite", "redisEvictAndFill")) {
                double[] was = old.get(name);
                double[] is = scores.get(name);
                if (was != null && is != null) {
                    t.append(String.format(Locale.ROOT, "| %s | %.1f ± %.1f | %.1f ± %.1f | %.3f |%n", name, was[0], was[1], is[0],
                            is[1], is[0] / was[0]));
                }
            }
        }
        System.out.println();
        System.out.println(t);
        Files.writeString(target.resolve("remote-results.md"), t.toString(), StandardCharsets.UTF_8);
    }

    private static String config(String redisUri, String keyPrefix, String secretLine) {
        return String.join("\n",
                "redis:",
                "  uri: " + redisUri,
                "  keyPrefix: \"" + keyPrefix + "\"",
                secretLine,
                "near:",
                "  ttl: 1h",
                "methods:",
                "  - method: dev.recall.bench.RemoteTargets#near(long)",
                "    store: two-level",
                "  - method: dev.recall.bench.RemoteTargets#remote(long)",
                "    store: redis",
                "  - method: dev.recall.bench.RemoteTargets#writeRemote(long)",
                "    store: redis",
                "  - method: dev.recall.bench.RemoteTargets#fillRemote(long)",
                "    store: redis",
                "");
    }

    private static void row(StringBuilder t, String name, double[] s, String against) {
        t.append(String.format(Locale.ROOT, "| %s | %.1f ± %.1f | %.0f | %s |%n", name, s[0], s[1], s[2], against));
    }

    private static Map<String, double[]> run(String include, boolean quick, List<String> jvmArgs, String redisUri) throws Exception {
        return BenchmarkMain.byMethod(BenchmarkMain.options(include, 1, quick).param("uri", redisUri), jvmArgs);
    }
}
