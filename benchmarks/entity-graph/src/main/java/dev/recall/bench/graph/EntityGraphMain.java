package dev.recall.bench.graph;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code benchmarks/entity-graph.sh [--quick]}: a Recall hit on an owner with its pets and their visits against
 * the repository call it replaces and against a hit of Hibernate's second-level cache on the same graph, on H2 in
 * memory and, when {@code DATABASE_URL} names one, on PostgreSQL; one run, one JMH fork per database, with the
 * agent on the fork's command line as a user starts it.
 */
public final class EntityGraphMain {

    private EntityGraphMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        if (List.of(args).contains("--check")) {
            check();
            return;
        }
        Path jar = Paths.get(EntityGraphMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path target = jar.getParent();
        Path root = target.getParent().getParent().getParent();
        Path agentJar = root.resolve("agent/target/recall-agent.jar");
        Path config = target.resolve("entity-graph-recall.yml");
        Files.writeString(config, """
                # benchmarks/entity-graph.sh: the repository call, cached in the JVM (the default store).
                methods:
                  - method: dev.recall.bench.graph.OwnerDao#cachedOwnerGraph(..)
                    ttl: 10m
                """, StandardCharsets.UTF_8);
        List<String> dbs = new ArrayList<>(List.of("h2"));
        String pg = System.getenv("DATABASE_URL");
        if (pg != null && !pg.isBlank()) {
            dbs.add(pg);
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(EntityGraphBench.class.getName() + "\\..*")
                .param("db", dbs.toArray(new String[0]))
                .forks(1)
                .warmupIterations(quick ? 3 : 5).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 8).measurementTime(TimeValue.seconds(1))
                .mode(org.openjdk.jmh.annotations.Mode.AverageTime).timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-Xms1g", "-Xmx1g", "-javaagent:" + agentJar + "=config=" + config, "-Drecall.jmx.delay=0");
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (RunResult r : new Runner(options.build()).run()) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            Result<?> primary = r.getPrimaryResult();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            scores.put(label(r.getParams().getParam("db")) + "|" + name,
                    new double[] {primary.getScore(), primary.getScoreError(), alloc == null ? Double.NaN : alloc.getScore()});
        }
        StringBuilder t = new StringBuilder();
        t.append("An owner with 2 pets and 3 visits each, one thread, ").append(LocalDate.now()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(quick ? "quick" : "full").append(" mode\n\n");
        t.append("| database | case | ns/op | B/op | a Recall hit is |\n|---|---|---:|---:|---|\n");
        for (String db : dbs) {
            String l = label(db);
            double recall = scores.getOrDefault(l + "|recall", new double[] {Double.NaN})[0];
            for (String c : List.of("repository", "secondLevel", "recall")) {
                double[] s = scores.get(l + "|" + c);
                if (s == null) {
                    continue;
                }
                String against = c.equals("recall") ? "" : String.format(Locale.ROOT, "%.1fx faster", s[0] / recall);
                t.append(String.format(Locale.ROOT, "| %s | %s | %,.0f ± %,.0f | %,.0f | %s |%n", l, caseName(c), s[0], s[1], s[2], against));
            }
        }
        System.out.println();
        System.out.print(t);
        Files.writeString(target.resolve("entity-graph.md"), t.toString(), StandardCharsets.UTF_8);
        System.out.println("\n(also in " + target.resolve("entity-graph.md") + "; JVM " + ManagementFactory.getRuntimeMXBean().getVmName() + ")");
    }

    /**
     * {@code --check}: in this JVM, without the agent, each case read for every owner twice, with Hibernate's
     * statistics: the second-level case must run no statement on the second pass, and every case must read the same
     * graph.
     */
    private static void check() {
        System.setProperty("graph.statistics", "true");
        EntityGraphBench b = new EntityGraphBench();
        b.db = System.getenv().getOrDefault("GRAPH_DB", "h2");
        b.setUp();
        for (String c : List.of("repository", "secondLevel", "recall")) {
            long weights = 0;
            for (int pass = 0; pass < 2; pass++) {
                b.statistics().clear();
                weights = 0;
                for (int i = 0; i < EntityGraphBench.OWNERS; i++) {
                    weights += switch (c) {
                        case "repository" -> b.repository();
                        case "secondLevel" -> b.secondLevel();
                        default -> b.recall();
                    };
                }
            }
            org.hibernate.stat.Statistics s = b.statistics();
            System.out.printf(Locale.ROOT, "%s, second pass: weight %d, statements %d, second-level hits %d, misses %d%n", c,
                    weights, s.getPrepareStatementCount(), s.getSecondLevelCacheHitCount(), s.getSecondLevelCacheMissCount());
        }
        b.tearDown();
    }

    private static String label(String db) {
        return db.startsWith("jdbc:postgresql") ? "PostgreSQL" : db.equals("h2") ? "H2 (in memory)" : db;
    }

    private static String caseName(String c) {
        return switch (c) {
            case "repository" -> "the repository call (query with fetch joins)";
            case "secondLevel" -> "Hibernate second-level cache hit (JCache, Ehcache 3)";
            default -> "Recall hit (local store)";
        };
    }
}
