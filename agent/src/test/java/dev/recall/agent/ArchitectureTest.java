package dev.recall.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages tell the path of one call, and this test keeps them honest: every import of a
 * package in the agent's main classes goes down the layer order below or stays inside its layer, no two
 * packages import each other (directly or round a longer cycle), and the counters the hit path writes
 * import nothing of the agent at all.
 */
class ArchitectureTest {

    /**
     * Top first. A package may use its own layer and any layer below it, never one above. A layer is a
     * package and its subpackages, except the root, which is the package {@code dev.recall.agent} alone.
     */
    static final List<String> LAYERS = List.of(
            "dev.recall.agent",                 // entry points and the wiring of one agent
            "dev.recall.agent.cli",             // attach, stats: talk to another JVM
            "dev.recall.agent.telemetry",       // JMX, alerts, Micrometer: read the figures from above
            "dev.recall.agent.instrumentation", // which methods are cached, and the woven code
            "dev.recall.agent.advise",          // advise mode: observers of uncached methods, and their verdicts
            "dev.recall.agent.method",          // one cached method: its policy, key and strategy
            "dev.recall.agent.store",           // where entries live: local, Redis, two-level
            "dev.recall.agent.key",             // key templates, compiled
            "dev.recall.agent.metrics",         // the counters the hit path writes
            "dev.recall.agent.config",          // the settings, read once; beside every layer
            "dev.recall.agent.codec",           // values as bytes, for Redis (config checks its class patterns)
            "dev.recall.agent.log",             // the agent's own voice on stderr
            "dev.recall.bridge");               // on the bootstrap path: JDK types only

    /** Layers that import no other package of the agent. */
    static final Set<String> LEAVES = Set.of("dev.recall.agent.metrics", "dev.recall.agent.log", "dev.recall.bridge",
            "dev.recall.agent.key", "dev.recall.agent.codec");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.recall.agent", "dev.recall.bridge");
    }

    @Test
    void everyPackageBelongsToALayer() {
        Set<String> homeless = new TreeSet<>();
        for (JavaClass c : classes) {
            if (layer(c.getPackageName()) < 0) {
                homeless.add(c.getPackageName());
            }
        }
        assertTrue(homeless.isEmpty(), "packages in no layer of ArchitectureTest.LAYERS: " + homeless);
        assertTrue(classes.size() > 100, "found only " + classes.size() + " classes: is the importer looking in the right place?");
    }

    @Test
    void importsGoDownTheLayers() {
        Map<String, Set<String>> against = new TreeMap<>();
        for (Map.Entry<String, Set<String>> e : packageGraph().entrySet()) {
            String from = e.getKey();
            for (String to : e.getValue()) {
                int f = layer(from);
                int t = layer(to);
                boolean leafBreach = LEAVES.contains(LAYERS.get(f)) && f != t;
                if (t < f || leafBreach) {
                    against.computeIfAbsent(from + " (" + LAYERS.get(f) + ")", k -> new TreeSet<>())
                            .add(to + " (" + LAYERS.get(t) + ")" + evidence(from, to));
                }
            }
        }
        assertTrue(against.isEmpty(), "imports against the layer order (package -> packages of higher layers it uses): "
                + format(against));
    }

    @Test
    void noPackageCycle() {
        List<Set<String>> cycles = stronglyConnected(packageGraph());
        cycles.removeIf(c -> c.size() < 2);
        assertTrue(cycles.isEmpty(), "packages that import each other, round a cycle: " + cycles);
    }

    /** For a message: one class-level dependency behind a package-level one. */
    private static String evidence(String from, String to) {
        for (JavaClass c : classes) {
            if (!c.getPackageName().equals(from)) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                if (d.getTargetClass().getPackageName().equals(to)) {
                    return ", e.g. " + c.getSimpleName() + " -> " + d.getTargetClass().getSimpleName();
                }
            }
        }
        return "";
    }

    private static String format(Map<String, Set<String>> against) {
        StringBuilder b = new StringBuilder();
        against.forEach((from, tos) -> tos.forEach(to -> b.append("\n  ").append(from).append(" -> ").append(to)));
        return b.toString();
    }

    /** The index of the layer {@code pkg} is in, or -1. The longest matching layer wins. */
    static int layer(String pkg) {
        int best = -1;
        for (int i = 0; i < LAYERS.size(); i++) {
            String l = LAYERS.get(i);
            boolean inside = l.equals("dev.recall.agent") ? pkg.equals(l) : pkg.equals(l) || pkg.startsWith(l + ".");
            if (inside && (best < 0 || l.length() > LAYERS.get(best).length())) {
                best = i;
            }
        }
        return best;
    }

    /** Package -> the other agent packages its main classes depend on. */
    private static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = c.getPackageName();
            Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (!target.equals(from) && layer(target) >= 0) {
                    to.add(target);
                }
            }
        }
        return graph;
    }

    /** Tarjan's algorithm, iterative enough for a graph of a few dozen packages. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }
}
