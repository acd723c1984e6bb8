package dev.recall.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code benchmarks/run.sh [--quick]}: every case in one run, on this machine, then one table. The
 * Recall cases run in forked JVMs started with {@code -javaagent}, as users run it; the others in forks
 * without it. Ratios are against hand-written Caffeine measured in the same run, never against numbers
 * from elsewhere.
 */
public final class BenchmarkMain {

    /** A measured case: ns/op and bytes allocated per op. */
    record Score(double nanos, double error, double bytes) {
    }

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path jar = Paths.get(BenchmarkMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = jar.getParent().getParent().getParent();
        Path target = jar.getParent();
        Path agentJar = Paths.get(System.getProperty("recall.agentJar", root.resolve("agent/target/recall-agent.jar").toString()));
        Path sampleJar = root.resolve("sample-app/target/recall-sample.jar");
        Path config = root.resolve("sample-app/recall.yml");
        for (Path p : List.of(agentJar, sampleJar, config)) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(p + " is missing: build first (mvn -B -q -DskipTests package)");
            }
        }

        Map<String, Score> scores = new LinkedHashMap<>();
        String baselines = "dev\\.recall\\.bench\\.(DirectBench|CaffeineBench|SpringBench)\\..*|dev\\.recall\\.bench\\.MissBench\\.(direct|caffeine)$";
        String recall = "dev\\.recall\\.bench\\.RecallBench\\..*|dev\\.recall\\.bench\\.MissBench\\.recallReadThrough$";
        for (int threads : new int[] {1, 2}) {
            scores.putAll(run(baselines, threads, null, quick, target.resolve("jmh-baselines-t" + threads + ".json")));
            scores.putAll(run(recall, threads, agentJar, quick, target.resolve("jmh-recall-t" + threads + ".json")));
        }
        Startup.Figures startup = Startup.measure(sampleJar, agentJar, config, quick ? 3 : 7);

        String table = Table.render(scores, startup, quick);
        System.out.println();
        System.out.println(table);
        Files.writeString(target.resolve("results.md"), table, StandardCharsets.UTF_8);
        System.out.println("JMH results: " + target + "/jmh-*.json; this table: " + target.resolve("results.md"));
    }

    /** The JMH settings every case of every harness here runs with: one fork, ns/op, bytes per op. */
    static ChainedOptionsBuilder options(String include, int threads, boolean quick) {
        return new OptionsBuilder()
                .include(include)
                .threads(threads)
                .forks(1)
                .warmupIterations(quick ? 3 : 5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 8)
                .measurementTime(TimeValue.seconds(1))
                .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(GCProfiler.class);
    }

    private static Map<String, Score> run(String include, int threads, Path agentJar, boolean quick, Path json) throws Exception {
        ChainedOptionsBuilder options = options(include, threads, quick)
                .jvmArgsAppend("-Xms1g", "-Xmx1g")
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        if (agentJar != null) {
            options.jvmArgsAppend("-Xms1g", "-Xmx1g", "-javaagent:" + agentJar);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Score> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            Result<?> primary = r.getPrimaryResult();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            scores.put(name + "@" + threads, new Score(primary.getScore(), primary.getScoreError(),
                    alloc == null ? Double.NaN : alloc.getScore()));
        }
        return scores;
    }

    /**
     * Runs {@code options} in forks with {@code -Xms1g -Xmx1g} and {@code jvmArgs}; each case's ns/op, its error
     * and its bytes per op, by benchmark method name.
     */
    static Map<String, double[]> byMethod(ChainedOptionsBuilder options, List<String> jvmArgs) throws Exception {
        // One call: each jvmArgsAppend replaces the one before.
        List<String> all = new ArrayList<>(List.of("-Xms1g", "-Xmx1g"));
        all.addAll(jvmArgs);
        options.jvmArgsAppend(all.toArray(new String[0]));
        Map<String, double[]> out = new LinkedHashMap<>();
        for (RunResult r : new Runner(options.build()).run()) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            Result<?> primary = r.getPrimaryResult();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            out.put(name, new double[] {primary.getScore(), primary.getScoreError(), alloc == null ? Double.NaN : alloc.getScore()});
        }
        return out;
    }

    static String machine(boolean quick) {
        return String.format(Locale.ROOT, "%s, %d cores, %s %s, Java %s (%s), %s mode", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), quick ? "quick" : "full");
    }

    static List<String> names(Map<String, Score> scores) {
        return new ArrayList<>(scores.keySet());
    }
}
