package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.hostile.HostileShapesApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile shapes: one seeded sequence of calls to cached methods of shapes a cache finds hard (see
 * {@link HostileShapesApp}), run without the agent and with it. Every method is a deterministic function of
 * its arguments and of writes that go through evict or write-through rules, so the two runs must print the
 * same digest for every call; any line that differs is a change the agent made to what the application
 * computes. Per shape, the agent's hit count is printed too, so "equal because nothing was cached" shows.
 *
 * <p>Shapes marked grey in the application are ones where the contract itself may allow the difference (a key
 * template the user wrote that joins two free strings with a separator; a receiver whose state changes between
 * calls with no evict; NaN payloads; identity of a shared stateless object held by value): their differences are
 * listed and reported, and fail {@link #greyShapesAreReported} unless {@link #OPEN_SHAPES} lists them.
 *
 * <p>Run: {@code mvn -B -o -pl integration-tests test-compile surefire:test@default-test -Dtest=HostileShapesIT}
 * (after {@code mvn -B -q -o -pl agent -DskipTests package}); another sequence with
 * {@code -Drecall.hostile.seed=N -Drecall.hostile.steps=M}. The report (table per shape, refusals, every differing
 * line) is on the test's stdout.
 */
class HostileShapesIT {

    /**
     * The shapes still open, found by this run with seeds 20261207, 7 and 424242 (agent of main at 14ecfc0), each a
     * reproducer in {@link HostileShapesApp}, by shape, with what differs. They are left out of
     * {@link #theAgentChangesNothingTheApplicationComputes} (which holds every other shape to no difference at all) and
     * printed with their differing lines, until fixed; then they leave this map and the check takes them in. Fixed
     * since the run: S13_Records (a record constructor that changes a component is no longer re-run on a hit),
     * S33_YamlRepo / S34_WriteAndEvict (evict rules beside a write rule apply in the method's own region), S09_Boxes,
     * S09b_NaNPayloads, S15_OddEquals, S16_MutableKeys and S32_MutatedKeyObjects (key parts by class and state at
     * the call), S31_ReturnsOwnObjects (refused), S25b_SharedSingleton (a bare object result is shared) and
     * S37_Futures (a mutable value of a future completed after the return is not stored; sharers get copies).
     */
    static final Map<String, String> OPEN_SHAPES = Map.of(
            "S28_ReceiverState", "(grey) a receiver whose fields change between calls with no evict is served the result "
                    + "for its earlier state (as docs/configuration.md says: the state is read when the receiver changes)");

    static final String SEED = System.getProperty("recall.hostile.seed", "20261207");
    static final String STEPS = System.getProperty("recall.hostile.steps", "2500");

    private static Result plain;
    private static Result agent;
    private static List<String> differences;
    private static Set<String> grey;

    @BeforeAll
    static void runBoth() {
        plain = AppJvm.main(HostileShapesApp.class).withoutAgent().args(SEED, STEPS)
                .timeout(Duration.ofSeconds(40)).run().assertSucceeded();
        agent = AppJvm.main(HostileShapesApp.class).agentOptions("config=" + yaml()).jvmArg("-Drecall.jmx.delay=0s")
                .args(SEED, STEPS).timeout(Duration.ofSeconds(50)).run()
                .assertSucceeded();
        grey = Set.of(plain.value("grey").split(","));
        differences = compare(calls(plain), calls(agent));
        System.out.println(report());
    }

    /** Rules a user would write for S33_YamlRepo, a class with no annotations; the other shapes use @Cached. */
    private static String yaml() {
        String repo = "dev.recall.it.app.hostile.HostileShapesApp$S33_YamlRepo";
        String text = String.join("\n",
                "methods:",
                "  - method: " + repo + "#findByName(java.lang.String)",
                "    cache: hostile-yaml-byname",
                "    key: \"{0}\"",
                "  - method: " + repo + "#find*(int)",
                "    cache: hostile-yaml-byqty",
                "  - method: " + repo + "#save(..)",
                "    cache: hostile-yaml-byname",
                "    key: \"{0.name}\"",
                "    strategy: write-through",
                "evict:",
                "  - method: " + repo + "#save(..)",
                "    cache: hostile-yaml-byqty",
                "    allEntries: true",
                "  - method: " + repo + "#remove(java.lang.String)",
                "    cache: hostile-yaml-byname",
                "    key: \"{0}\"",
                "  - method: " + repo + "#remove(java.lang.String)",
                "    cache: hostile-yaml-byqty",
                "    allEntries: true",
                "");
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("hostile-shapes", ".yml");
            java.nio.file.Files.writeString(file, text);
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> calls(Result r) {
        return r.stdout().stream().filter(l -> l.startsWith("call|")).collect(Collectors.toList());
    }

    private static List<String> compare(List<String> without, List<String> with) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(without.size(), with.size()); i++) {
            String a = i < without.size() ? without.get(i) : "<missing>";
            String b = i < with.size() ? with.get(i) : "<missing>";
            if (!a.equals(b)) {
                out.add("without agent: " + a + "\n   with agent: " + b);
            }
        }
        return out;
    }

    private static String shapeOfLine(String difference) {
        String line = difference.substring("without agent: ".length());
        String[] parts = line.split("\\|", 4);
        return parts.length > 2 ? parts[2] : "?";
    }

    /** Hits, misses and refusals per shape, from the agent's MBeans read inside the application. */
    private static Map<String, long[]> perShape() {
        Map<String, long[]> m = new TreeMap<>();
        for (String shape : plain.value("callsPerShape").replaceAll("[{}]", "").split(", ")) {
            m.put(shape.substring(0, shape.indexOf('=')), new long[4]);
        }
        for (String line : agent.stdout()) {
            if (!line.startsWith("bean|")) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            String method = f[1];
            for (Map.Entry<String, long[]> e : m.entrySet()) {
                String shape = e.getKey();
                String prefix = shape.contains("_") ? shape.substring(0, shape.indexOf('_') + 1) : shape;
                if (method.contains("$" + prefix) || ownerOfShape(shape, method)) {
                    long[] v = e.getValue();
                    v[0] += parse(f[2]);
                    v[1] += parse(f[3]);
                    v[2] += "true".equals(f[4]) ? 1 : 0;
                    v[3]++;
                }
            }
        }
        return m;
    }

    /** Shapes whose cached methods live in classes without the shape's prefix. */
    private static boolean ownerOfShape(String shape, String method) {
        return switch (shape) {
            case "S23_GenericBridges" -> method.contains("$BaseRepo.") || method.contains("$NameRepo.")
                    || method.contains("$BeanRepo.");
            case "S28_ReceiverState" -> method.contains("$Multiplier.");
            case "S31_ReturnsOwnObjects" -> method.contains("$Fluent.");
            default -> false;
        };
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String report() {
        StringBuilder sb = new StringBuilder("HostileShapesIT seed=" + SEED + " steps=" + STEPS + "\n");
        sb.append("known failing cases:\n");
        OPEN_SHAPES.forEach((k, v) -> sb.append("  - ").append(k).append(": ").append(v).append('\n'));
        sb.append("shapes=").append(plain.value("shapes")).append(" calls=").append(plain.value("calls"))
                .append(" lines compared=").append(calls(plain).size()).append(" differing lines=")
                .append(differences.size()).append('\n');
        sb.append(String.format("%-28s %6s %6s %6s %8s %7s %s%n", "shape", "calls", "hits", "misses", "methods",
                "refused", "differences"));
        Map<String, Integer> callsPerShape = new TreeMap<>();
        for (String s : plain.value("callsPerShape").replaceAll("[{}]", "").split(", ")) {
            callsPerShape.put(s.substring(0, s.indexOf('=')), Integer.parseInt(s.substring(s.indexOf('=') + 1)));
        }
        for (Map.Entry<String, long[]> e : perShape().entrySet()) {
            long[] v = e.getValue();
            long diffs = differences.stream().filter(d -> shapeOfLine(d).equals(e.getKey())).count();
            sb.append(String.format("%-28s %6d %6d %6d %8d %7d %d%s%n", e.getKey(), callsPerShape.get(e.getKey()),
                    v[0], v[1], v[3], v[2], diffs, grey.contains(e.getKey()) ? " (grey)" : ""));
        }
        sb.append("refused/uncacheable methods:\n");
        agent.stdout().stream().filter(l -> l.startsWith("bean|"))
                .filter(l -> "true".equals(l.split("\\|", -1)[4]) || !"0".equals(l.split("\\|", -1)[6]))
                .forEach(l -> sb.append("  ").append(l).append('\n'));
        List<String> said = agent.stderr().stream().filter(l -> l.contains("[recall]")).collect(Collectors.toList());
        sb.append("[recall] stderr lines=").append(said.size()).append(", refusing/uncached: ")
                .append(said.stream().filter(HostileShapesIT::refusal).count()).append('\n');
        said.forEach(l -> sb.append("  ").append(l).append('\n'));
        sb.append("differences:\n");
        differences.forEach(d -> sb.append(d).append('\n'));
        return sb.toString();
    }

    private static boolean refusal(String line) {
        String l = line.toLowerCase();
        return l.contains("refus") || l.contains("uncached") || l.contains("not cached") || l.contains("uncacheable");
    }

    private static List<String> differencesIn(boolean greyShapes) {
        return differences.stream().filter(d -> grey.contains(shapeOfLine(d)) == greyShapes)
                .filter(d -> !OPEN_SHAPES.containsKey(shapeOfLine(d)))
                .collect(Collectors.toList());
    }

    @Test
    void bothRunsMadeTheSameCallsAndTheAgentCachedMostShapes() {
        assertEquals(plain.value("calls"), agent.value("calls"));
        assertEquals(calls(plain).size(), calls(agent).size(), "same number of digest lines\n" + agent);
        assertTrue(Integer.parseInt(plain.value("calls")) > 5_000, plain.value("calls"));
        long shapesWithHits = perShape().values().stream().filter(v -> v[0] > 0).count();
        assertTrue(shapesWithHits >= 20, "shapes the agent served hits for: " + shapesWithHits + "\n" + report());
    }

    /** The failing cases: every call whose digest differs with the agent, in shapes where no rule allows it. */
    @Test
    void theAgentChangesNothingTheApplicationComputes() {
        List<String> strict = differencesIn(false);
        assertTrue(strict.isEmpty(), strict.size() + " calls differ with the agent (first 60 below)\n"
                + String.join("\n", strict.subList(0, Math.min(60, strict.size()))) + "\n\n" + report());
    }

    @Test
    void greyShapesAreReported() {
        List<String> g = differencesIn(true);
        assertTrue(g.isEmpty(), g.size() + " calls differ in grey shapes " + grey + " (first 30 below)\n"
                + String.join("\n", g.subList(0, Math.min(30, g.size()))));
    }

    @Test
    void theSeedIsPrinted() {
        assertEquals(SEED, plain.value("seed"));
        assertEquals(SEED, agent.value("seed"));
        assertTrue(Arrays.asList(SEED, STEPS).stream().allMatch(s -> !s.isBlank()));
    }
}
