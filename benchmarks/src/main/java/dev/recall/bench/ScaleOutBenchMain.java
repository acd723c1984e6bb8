package dev.recall.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code benchmarks/scaleout.sh [--before OTHER-AGENT.jar] [--writes N]}: what a write-through costs on
 * {@code two-level} with 1, 2 and 3 JVMs sharing the region (the measured writer and 0 to 2 peers that read
 * the written keys, so they hold them near), p50 and p99 over N timed writes after a warm-up, one JVM process
 * per role with the real agent. With {@code --before}, the same with another build of the agent, in the same
 * run. Needs a Redis ({@code REDIS_URL}, default {@code redis://127.0.0.1:6379}). Whole processes on a shared
 * machine: indicative; rerun on a quiet one before quoting.
 *
 * <p>Also the roles: {@code peer} (reads the keys until killed) and {@code writer} (prints {@code p50 p99} in µs).
 */
public final class ScaleOutBenchMain {

    private static final int KEYS = 100;

    private ScaleOutBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        if (a.contains("peer")) {
            peer();
            return;
        }
        int writes = a.contains("--writes") ? Integer.parseInt(a.get(a.indexOf("--writes") + 1)) : 2000;
        if (a.contains("writer")) {
            writer(writes);
            return;
        }
        String redisUri = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
        Path jar = Paths.get(ScaleOutBenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path target = jar.getParent();
        Path agentJar = target.getParent().getParent().resolve("agent/target/recall-agent.jar");
        Path before = a.contains("--before") ? Paths.get(a.get(a.indexOf("--before") + 1)) : null;
        StringBuilder t = new StringBuilder();
        t.append("Write-through on two-level, ").append(BenchmarkMain.machine(false)).append(", Redis at ").append(redisUri)
                .append(", ").append(writes).append(" timed writes per row (µs)\n\n");
        t.append("| agent | JVMs | p50 | p99 |\n|---|--:|--:|--:|\n");
        List<Path> agents = new ArrayList<>();
        if (before != null) {
            agents.add(before);
        }
        agents.add(agentJar);
        for (int jvms = 1; jvms <= 3; jvms++) {
            for (Path agent : agents) {
                String prefix = "recall-bench-scaleout-" + System.nanoTime() + ":";
                Path config = target.resolve("scaleout-bench.yml");
                Files.writeString(config, "store: two-level\nredis:\n  uri: " + redisUri + "\n  keyPrefix: \"" + prefix
                        + "\"\n  insecure: true\nnear:\n  ttl: 1h\n", StandardCharsets.UTF_8);
                List<Process> peers = new ArrayList<>();
                try {
                    for (int p = 1; p < jvms; p++) {
                        peers.add(java(jar, agent, config, "peer").start());
                    }
                    for (Process p : peers) {
                        awaitLine(p, "ready");
                    }
                    Process w = java(jar, agent, config, "writer", "--writes", String.valueOf(writes)).start();
                    String result = awaitLine(w, "result");
                    w.waitFor(30, TimeUnit.SECONDS);
                    String[] f = result.split(" ");
                    String row = String.format(Locale.ROOT, "| %s | %d | %s | %s |", agent == agentJar ? "now" : "before",
                            jvms, f[1], f[2]);
                    System.out.println(row);
                    t.append(row).append('\n');
                } finally {
                    for (Process p : peers) {
                        p.destroy();
                        p.waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
        System.out.println();
        System.out.println(t);
        Files.writeString(target.resolve("scaleout-results.md"), t.toString(), StandardCharsets.UTF_8);
    }

    private static ProcessBuilder java(Path jar, Path agent, Path config, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent + "=config=" + config, "-Drecall.jmx.delay=0", "-Xmx128m", "-cp", jar.toString(),
                ScaleOutBenchMain.class.getName()));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    }

    private static String awaitLine(Process p, String start) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith(start)) {
                return line;
            }
        }
        throw new IllegalStateException("the " + start + " line never came (exit " + p.waitFor() + ")");
    }

    /** Reads every key over and over (1 ms apart), so that each is held near here, until killed. */
    private static void peer() throws InterruptedException {
        ScaleOutTargets t = new ScaleOutTargets();
        for (int i = 0; i < KEYS; i++) {
            t.read(i);
        }
        Thread.sleep(1000); // the lease is held once the subscription is up
        System.out.println("ready");
        System.out.flush();
        for (long n = 0; ; n++) {
            t.read(n % KEYS);
            if (n % 10 == 0) {
                Thread.sleep(1);
            }
        }
    }

    private static void writer(int writes) throws InterruptedException {
        ScaleOutTargets t = new ScaleOutTargets();
        Thread.sleep(1000); // the subscription up: acknowledgements reach this JVM
        for (int i = 0; i < writes; i++) {
            t.write(i % KEYS);
        }
        long[] micros = new long[writes];
        for (int i = 0; i < writes; i++) {
            long start = System.nanoTime();
            t.write(i % KEYS);
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        System.out.println("result " + micros[writes / 2] + " " + micros[(int) (writes * 0.99)]);
        System.out.flush();
    }
}
