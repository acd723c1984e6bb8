package dev.recall.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's one table, and whether each goal was met, as Markdown that reads well in a terminal too. */
final class Table {

    private static final String[][] SHAPES = {
        {"one long", "DirectBench.longKey", "CaffeineBench.longKey", "RecallBench.readThroughLong", "RecallBench.cacheAsideLong",
            "SpringBench.cacheableLong", "SpringBench.jcacheLong"},
        {"String and int", "DirectBench.twoArgs", "CaffeineBench.twoArgs", "RecallBench.readThroughTwoArgs",
            "RecallBench.cacheAsideTwoArgs", "SpringBench.cacheableTwoArgs", "SpringBench.jcacheTwoArgs"},
        {"object, key {order.id}", "DirectBench.objectKey", "CaffeineBench.objectKey", "RecallBench.readThroughObject",
            "RecallBench.cacheAsideObject", "SpringBench.cacheableObject", null},
        // A mutable result: the floor is the hand-written lookup plus a hand-written copy (new Owner(o)); the
        // goal is at most 1.5x it for Recall's copy: auto, which holds such a value by value.
        {"6-field entity, held by value", null, "CaffeineBench.ownerCopied", "RecallBench.ownerHeldByValue", null, null, null},
    };
    private static final String[] CASES = {"direct call, no cache", "hand-written Caffeine", "Recall @Cached READ_THROUGH",
        "Recall @Cached CACHE_ASIDE", "Spring @Cacheable + Caffeine", "JCache @CacheResult (Spring)"};

    private Table() {
    }

    static String render(Map<String, BenchmarkMain.Score> s, Startup.Figures startup, boolean quick) {
        StringBuilder b = new StringBuilder();
        b.append("# Recall benchmarks\n\n").append(BenchmarkMain.machine(quick)).append("\n\n");
        b.append("Hit path (every key already cached). ns/op: average time per call; B/op: bytes allocated per call;\n");
        b.append("x Caffeine: time relative to hand-written Caffeine cache-aside in the same run (lower is better).\n\n");
        b.append("| key shape | case | ns/op, 1 thread | B/op | x Caffeine | ns/op, 2 threads | B/op | x Caffeine |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (String[] shape : SHAPES) {
            boolean labelled = false;
            for (int c = 0; c < CASES.length; c++) {
                String name = shape[c + 1];
                if (name == null) {
                    continue;
                }
                b.append("| ").append(labelled ? "" : shape[0]).append(" | ").append(c == 1 && shape[1] == null
                        ? "hand-written Caffeine + new Owner(o)" : CASES[c]);
                labelled = true;
                for (int t = 1; t <= 2; t++) {
                    BenchmarkMain.Score score = s.get(name + "@" + t);
                    BenchmarkMain.Score base = s.get(shape[2] + "@" + t);
                    b.append(cells(score, base));
                }
                b.append(" |\n");
            }
        }
        b.append("\nMiss path (every call a new key: lookup, the trivial method, store, eviction once full):\n\n");
        b.append("| case | ns/op, 1 thread | B/op | ns/op, 2 threads | B/op |\n|---|---:|---:|---:|---:|\n");
        String[][] misses = {{"direct call, no cache", "MissBench.direct"}, {"hand-written Caffeine", "MissBench.caffeine"},
            {"Recall @Cached READ_THROUGH", "MissBench.recallReadThrough"}};
        for (String[] m : misses) {
            b.append("| ").append(m[0]);
            for (int t = 1; t <= 2; t++) {
                BenchmarkMain.Score score = s.get(m[1] + "@" + t);
                b.append(score == null ? " | - | -" : String.format(Locale.ROOT, " | %.1f | %.0f", score.nanos(), score.bytes()));
            }
            b.append(" |\n");
        }
        long plain = Startup.Figures.median(startup.plainMillis());
        long agent = Startup.Figures.median(startup.agentMillis());
        b.append(String.format(Locale.ROOT, "%nStart-up of the sample service to its first answer (median of %d runs each): "
                        + "%d ms without the agent, %d ms with it (+%d ms); the agent's premain reported %d ms (median).%n",
                startup.plainMillis().size(), plain, agent, agent - plain, Startup.Figures.median(startup.premainMillis())));
        b.append("Runs without: ").append(startup.plainMillis()).append(" ms; with: ").append(startup.agentMillis()).append(" ms.\n\n");
        b.append(goals(s, agent - plain));
        return b.toString();
    }

    private static String cells(BenchmarkMain.Score score, BenchmarkMain.Score base) {
        if (score == null) {
            return " | - | - | -";
        }
        String ratio = base == null ? "-" : String.format(Locale.ROOT, "%.2f", score.nanos() / base.nanos());
        return String.format(Locale.ROOT, " | %.1f ± %.1f | %.0f | %s", score.nanos(), score.error(), score.bytes(), ratio);
    }

    private static String goals(Map<String, BenchmarkMain.Score> s, long startupDelta) {
        List<String> lines = new ArrayList<>();
        double worstRatio = 0;
        double worstSpring = Double.MAX_VALUE;
        double worstAlloc = -Double.MAX_VALUE;
        String worstRatioAt = "";
        String worstSpringAt = "";
        String worstAllocAt = "";
        for (String[] shape : SHAPES) {
            for (int t = 1; t <= 2; t++) {
                BenchmarkMain.Score caffeine = s.get(shape[2] + "@" + t);
                BenchmarkMain.Score spring = s.get(shape[5] + "@" + t);
                for (String recall : new String[] {shape[3], shape[4]}) {
                    BenchmarkMain.Score r = s.get(recall + "@" + t);
                    if (r == null || caffeine == null || spring == null) {
                        continue;
                    }
                    String at = recall.substring(recall.indexOf('.') + 1) + ", " + t + (t == 1 ? " thread" : " threads");
                    if (r.nanos() / caffeine.nanos() > worstRatio) {
                        worstRatio = r.nanos() / caffeine.nanos();
                        worstRatioAt = at;
                    }
                    if (spring.nanos() / r.nanos() < worstSpring) {
                        worstSpring = spring.nanos() / r.nanos();
                        worstSpringAt = at;
                    }
                    // Whole bytes, as the table shows them: JMH's B/op carries a few hundredths of its own
                    // bookkeeping on every row, which is not the cache's allocation.
                    double extra = Math.round(r.bytes()) - Math.round(caffeine.bytes());
                    if (extra > worstAlloc) {
                        worstAlloc = extra;
                        worstAllocAt = at;
                    }
                }
            }
        }
        lines.add(goal(worstRatio <= 1.25, String.format(Locale.ROOT, "Recall hit at most 1.25x hand-written Caffeine: worst %.2fx (%s)",
                worstRatio, worstRatioAt)));
        lines.add(goal(worstSpring >= 5, String.format(Locale.ROOT, "Recall hit at least 5x faster than Spring @Cacheable: "
                + "least %.1fx (%s)", worstSpring, worstSpringAt)));
        lines.add(goal(worstAlloc <= 16, String.format(Locale.ROOT, "Allocation per Recall hit at most Caffeine + 16 B: "
                + "worst %+.0f B (%s)", worstAlloc, worstAllocAt)));
        BenchmarkMain.Score miss = s.get("MissBench.recallReadThrough@1");
        BenchmarkMain.Score direct = s.get("MissBench.direct@1");
        if (miss != null && direct != null) {
            double overhead = miss.nanos() - direct.nanos();
            lines.add(goal(overhead < 2000, String.format(Locale.ROOT, "Miss-path overhead under 2 us: %.0f ns (1 thread)", overhead)));
        }
        lines.add(goal(startupDelta < 300, "Start-up delta of the sample service under 300 ms: " + startupDelta + " ms"));
        StringBuilder b = new StringBuilder("Goals:\n\n");
        for (String l : lines) {
            b.append("- ").append(l).append('\n');
        }
        return b.toString();
    }

    private static String goal(boolean met, String text) {
        return (met ? "MET: " : "MISSED: ") + text;
    }
}
