package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.recall.it.PetClinicScript.Response;
import dev.recall.it.PetClinicScript.Scenario;
import dev.recall.it.PetClinicScript.Step;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Spring Boot 3 application, the pet clinic of {@code integration-tests/petclinic} (Spring MVC and
 * Thymeleaf, Spring Data JPA over an in-memory H2, bean validation), started as users start it, {@code java
 * -javaagent:recall-agent.jar=config=petclinic-recall.yml -jar petclinic.jar --server.port=N}, with rules a user
 * would write for it and not one line of its code changed. The scripted visit of {@link PetClinicScript} runs
 * once without and once with the agent; with the agent every response (status, {@code Location}, body) must be
 * what it is without: the contract's "Safe on real applications". Each scenario is a test of its own, whose
 * failure lists every request that answered differently, expected (without the agent) against got (with it).
 * The whole account, with the agent's stderr and its {@code stats} table, is printed and written to
 * {@code target/petclinic-it/report-<jdk>.txt}.
 */
class PetClinicIT {

    private static final Path JAR = Paths.get(System.getProperty("recall.it.petclinicJar",
            "petclinic/target/petclinic.jar")).toAbsolutePath().normalize();
    private static final String CONFIG = "petclinic-recall.yml";
    /**
     * When the agent reports rules that matched nothing (60 s by default); the run waits for it. Longer
     * than the application's start on a loaded CI machine (10 s was not: the repository proxies, which the
     * interface rules match, did not exist yet, and the warning was right to say so).
     */
    private static final Duration UNMATCHED_RULE_DELAY = Duration.ofSeconds(25);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private static Run plain;
    private static Run cached;

    /** What one JVM answered and printed; the agent's figures when it had the agent. */
    record Run(boolean agent, Map<String, Map<String, Response>> responses, Result output, List<String> stats,
            List<MethodFigures> methods, Duration startup) {

        List<String> recallLines() {
            return output.stderr().stream().filter(l -> l.startsWith("[recall]")).toList();
        }

        /** The application's own ERROR and WARN log lines (Spring Boot's console format). */
        List<String> appProblems() {
            return output.stdout().stream().filter(l -> l.matches("^\\S+\\s+(ERROR|WARN) .*")).toList();
        }
    }

    /** One {@code dev.recall:type=CachedMethod} MBean, read after the run. */
    record MethodFigures(String method, long hits, long misses, long size, Map<String, Object> refusal) {
    }

    @BeforeAll
    static void visitTheClinicWithoutAndWithTheAgent() throws Exception {
        if (!Files.isRegularFile(JAR)) {
            fail(JAR + " is missing: build it first (mvn -DskipTests package at the root; the module"
                    + " integration-tests/petclinic comes before integration-tests)");
        }
        plain = run(false);
        cached = run(true);
        String report = report();
        System.out.println(report);
        Path file = Paths.get("target", "petclinic-it", "report-" + jdkLabel() + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
    }

    static Stream<String> scenarios() {
        return PetClinicScript.SCENARIOS.stream().map(Scenario::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void withTheAgentEveryResponseIsTheOneWithout(String name) {
        Scenario s = scenario(name);
        String differences = differences(s);
        List<String> failedChecks = s.failedChecks(cached.responses().get(name));
        if (!differences.isEmpty() || !failedChecks.isEmpty()) {
            fail("scenario " + name + " (" + s.title() + ") answers differently with the agent:\n" + differences
                    + (failedChecks.isEmpty() ? "" : "  with the agent, these no longer hold: " + failedChecks + "\n"));
        }
    }

    /** The script itself is right: without the agent, every scenario shows what it claims, and nothing fails. */
    @Test
    void withoutTheAgentEveryScenarioShowsWhatItClaims() {
        List<String> wrong = new ArrayList<>();
        for (Scenario s : PetClinicScript.SCENARIOS) {
            Map<String, Response> responses = plain.responses().get(s.name());
            for (String check : s.failedChecks(responses)) {
                wrong.add(s.name() + ": " + check);
            }
            for (Step step : s.steps()) {
                Response r = responses.get(step.id());
                if (r.status() < 0 || r.status() >= 500) {
                    wrong.add(s.name() + " " + step.id() + ": " + step.request() + " answered " + r.headline() + "\n" + r.body());
                }
            }
        }
        assertTrue(wrong.isEmpty(), "without the agent:\n" + String.join("\n", wrong) + "\n" + plain.output());
    }

    /** {@code java -jar recall-agent.jar stats PID}, read after the run: the methods it cached, with their calls. */
    @Test
    void theStatsCommandListsWhatTheAgentCached() {
        String table = String.join("\n", cached.stats());
        assertTrue(!cached.stats().isEmpty() && cached.stats().get(0).startsWith("method "), "stats output:\n" + table);
        for (String method : List.of("GenericDao.find(Object)", "SimpleJpaRepository.findById(Object)",
                "OwnerController.findOwner(Integer)")) {
            assertTrue(cached.stats().stream().anyMatch(l -> l.startsWith(method + " ")), method + " in\n" + table);
        }
        assertTrue(table.contains("total: "), table);
        // Called 4 times; a method refused on its first load (its entity holds a Hibernate collection) counts that one.
        Optional<MethodFigures> dao = figures("GenericDao.find(");
        assertTrue(dao.isPresent() && (dao.get().hits() + dao.get().misses() >= 4 || refused(dao.get())),
                "GenericDao.find was called 4 times, or refused: " + cached.methods());
    }

    /**
     * The contract's "Frameworks": a rule on an interface also applies to the JDK proxies implementing it, so
     * {@code OwnerRepository#findById(..)} and the derived {@code findByLastNameStartingWith(..)} (no body anywhere)
     * are woven and named by the interface; the scenario {@code repository-interface} calls each twice with the
     * same argument. An {@code Owner} holds its pets in a Hibernate collection, copied as a plain list (a detached
     * copy, no session), so those two hit; the vets' derived query hits through its proxy too.
     */
    @Test
    void rulesOnARepositoryInterfaceReachItsProxy() {
        List<String> wrong = new ArrayList<>();
        for (String method : List.of("OwnerRepository.findByLastNameStartingWith(", "OwnerRepository.findById(")) {
            Optional<MethodFigures> m = figures(method);
            if (m.isEmpty() || m.get().hits() + m.get().misses() < 1) {
                wrong.add(method + ": expected a CachedMethod MBean named by the interface, called, got "
                        + m.map(Object::toString).orElse("no MBean"));
            } else if (m.get().hits() < 1 && !uncacheable(m.get())) {
                // An owner's initialized pets are copied as a plain list: the finder hits; only a result holding a
                // lazy association not loaded is left uncached (that call only, counted in UncacheableResults).
                wrong.add(method + ": neither hit nor left a lazy result uncached: " + m.get());
            }
        }
        Optional<MethodFigures> vets = figures("VetRepository.findBySpecialtyOrderByLastName(");
        if (vets.isEmpty() || vets.get().hits() < 1) {
            wrong.add("VetRepository.findBySpecialtyOrderByLastName(String), a derived query: expected a hit through its proxy,"
                    + " got " + vets.map(Object::toString).orElse("no MBean"));
        }
        if (cached.methods().stream().anyMatch(m -> m.method().contains("$Proxy"))) {
            wrong.add("a method is named by its proxy class, not by its interface");
        }
        List<String> unmatched = cached.recallLines().stream()
                .filter(l -> l.contains("OwnerRepository") && l.contains("matched no method")).toList();
        if (!unmatched.isEmpty()) {
            wrong.add("the agent says the interface rules matched nothing:\n    " + String.join("\n    ", unmatched));
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong) + "\nall cached methods: " + cached.methods());
    }

    private static boolean uncacheable(MethodFigures m) {
        Object n = m.refusal().get("UncacheableResults");
        return n instanceof Long l && l > 0;
    }

    private static boolean refused(MethodFigures m) {
        return Boolean.TRUE.equals(m.refusal().get("Refused"));
    }

    /**
     * The contract's "Arguments": a method that writes into one of its arguments (here the {@code Model}) is refused,
     * runs uncached, and the agent says why on stderr and on its MBean ({@code Refused}, {@code RefusedReason}).
     */
    @Test
    void methodsThatWriteIntoTheirArgumentsAreRefusedAndSaySo() {
        assertRefused("VetController.showVetList(", "(?i).*(argument|model|writes).*");
        assertRefused("VetController.findVetsBySpecialty(", "(?i).*(argument|model|writes).*");
    }

    /**
     * {@code method} (a part of the MBean's {@code Method}) was refused: {@code Refused} is true, {@code RefusedReason}
     * matches {@code reason}, and a {@code [recall]} line on stderr names it. Fails, saying so, while the MBean has
     * no {@code Refused} attribute.
     */
    static void assertRefused(String method, String reason) {
        MethodFigures m = figures(method)
                .orElseThrow(() -> new AssertionError("no CachedMethod MBean for " + method + ": " + cached.methods()));
        assertTrue(m.refusal().containsKey("Refused"), "the MBean of " + m.method() + " has no Refused attribute: " + m);
        assertEquals(Boolean.TRUE, m.refusal().get("Refused"), m.toString());
        Object why = m.refusal().get("RefusedReason");
        assertTrue(why instanceof String s && s.matches(reason), "RefusedReason of " + m.method() + ": " + why);
        String shortName = method.replaceAll("\\($", "");
        assertTrue(cached.recallLines().stream().anyMatch(l -> l.contains(shortName)),
                "a [recall] line on stderr names " + shortName + ":\n" + String.join("\n", cached.recallLines()));
    }

    // --- running the two JVMs ---

    private static Run run(boolean agent) throws Exception {
        int port = freePort();
        int jmxPort = freePort();
        AppJvm jvm = AppJvm.jar(JAR).timeout(Duration.ofSeconds(30))
                .jvmArg("-Xmx512m",
                        "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                        "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                        "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1")
                .args("--server.port=" + port, "--server.address=127.0.0.1");
        if (agent) {
            jvm.config(CONFIG).jvmArg("-Drecall.unmatchedRuleDelay=" + UNMATCHED_RULE_DELAY.toSeconds() + "s");
        } else {
            jvm.withoutAgent();
        }
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        long started = System.nanoTime();
        AppJvm.Running app = jvm.start();
        Map<String, Map<String, Response>> responses;
        List<String> stats = List.of();
        List<MethodFigures> methods = List.of();
        Duration startup;
        try {
            awaitReady(app, base, Duration.ofSeconds(120));
            startup = Duration.ofNanos(System.nanoTime() - started);
            responses = PetClinicScript.run(HTTP, base);
            if (agent) {
                methods = readMBeans(jmxPort);
                stats = stats(app.pid());
                // Let the agent say which rules matched nothing (it does so UNMATCHED_RULE_DELAY after start).
                long wait = UNMATCHED_RULE_DELAY.plusSeconds(2).toNanos() - (System.nanoTime() - started);
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
            }
        } catch (Throwable e) {
            app.stop();
            throw new AssertionError("the pet clinic " + (agent ? "with" : "without") + " the agent: " + e + "\n"
                    + app.await(Duration.ofSeconds(30)), e);
        }
        app.stop();
        return new Run(agent, responses, app.await(Duration.ofSeconds(30)), stats, methods, startup);
    }

    private static void awaitReady(AppJvm.Running app, URI base, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProcessHandle process = ProcessHandle.of(app.pid()).orElseThrow();
        HttpRequest welcome = HttpRequest.newBuilder(base).timeout(Duration.ofSeconds(5)).header("Accept", "text/html").build();
        while (true) {
            try {
                if (HTTP.send(welcome, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new AssertionError("the pet clinic exited before it answered");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the pet clinic did not answer " + base + " within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static List<String> stats(long pid) throws Exception {
        Process p = new ProcessBuilder(AppJvm.JAVA, "-jar", AppJvm.AGENT_JAR.toString(), "stats", Long.toString(pid))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        List<String> lines = new ArrayList<>(Arrays.asList(output.split("\n")));
        if (exit != 0) {
            lines.add("(stats exited with " + exit + ")");
        }
        return lines;
    }

    private static List<MethodFigures> readMBeans(int jmxPort) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection mbs = connector.getMBeanServerConnection();
            ObjectName agentBean = new ObjectName("dev.recall:type=Agent");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!mbs.isRegistered(agentBean)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no dev.recall:type=Agent MBean after 20 s");
                }
                Thread.sleep(100);
            }
            List<MethodFigures> all = new ArrayList<>();
            for (ObjectName name : new TreeSet<>(mbs.queryNames(new ObjectName("dev.recall:type=CachedMethod,*"), null))) {
                Set<String> attributes = Arrays.stream(mbs.getMBeanInfo(name).getAttributes()).map(MBeanAttributeInfo::getName)
                        .collect(Collectors.toSet());
                Map<String, Object> refusal = new LinkedHashMap<>();
                for (String a : List.of("Refused", "RefusedReason", "UncacheableResults")) {
                    if (attributes.contains(a)) {
                        refusal.put(a, mbs.getAttribute(name, a));
                    }
                }
                all.add(new MethodFigures((String) mbs.getAttribute(name, "Method"), (Long) mbs.getAttribute(name, "HitCount"),
                        (Long) mbs.getAttribute(name, "MissCount"), (Long) mbs.getAttribute(name, "Size"), refusal));
            }
            return all;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // --- comparing and reporting ---

    private static Scenario scenario(String name) {
        return PetClinicScript.SCENARIOS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static Optional<MethodFigures> figures(String methodPart) {
        return cached.methods().stream().filter(m -> m.method().contains(methodPart)).findFirst();
    }

    /** Every request of the scenario whose answer with the agent is not the one without, as expected against got. */
    static String differences(Scenario s) {
        StringBuilder b = new StringBuilder();
        Map<String, Response> expected = plain.responses().get(s.name());
        Map<String, Response> got = cached.responses().get(s.name());
        int n = 0;
        for (Step step : s.steps()) {
            n++;
            Response e = expected.get(step.id());
            Response g = got.get(step.id());
            if (e.equals(g)) {
                continue;
            }
            b.append("  step ").append(n).append(" ").append(step.id()).append(" (").append(step.description()).append("): ")
                    .append(step.request()).append('\n');
            if (e.status() != g.status() || !java.util.Objects.equals(e.location(), g.location())) {
                b.append("    expected ").append(e.headline()).append("\n    got      ").append(g.headline()).append('\n');
            } else {
                b.append("    both ").append(e.headline()).append('\n');
            }
            if (!e.body().equals(g.body())) {
                b.append(bodyDiff(e.body(), g.body()));
            }
        }
        return b.toString();
    }

    /** The lines of two bodies that differ (a longest-common-subsequence diff), {@code -} expected and {@code +} got. */
    static String bodyDiff(String expected, String got) {
        List<String> a = significantLines(expected);
        List<String> c = significantLines(got);
        int[][] lcs = new int[a.size() + 1][c.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = c.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(c.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < c.size()) {
            if (i < a.size() && j < c.size() && a.get(i).equals(c.get(j))) {
                i++;
                j++;
            } else if (j < c.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                b.append("      + ").append(c.get(j++)).append('\n');
            } else {
                b.append("      - ").append(a.get(i++)).append('\n');
            }
        }
        return b.toString();
    }

    private static List<String> significantLines(String body) {
        return body.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static String report() {
        StringBuilder b = new StringBuilder();
        b.append("== PetClinicIT on ").append(AppJvm.JAVA).append(" (").append(JAR.getFileName()).append(", config ")
                .append(AppJvm.resource(CONFIG)).append(")\n");
        b.append("started in ").append(plain.startup().toMillis()).append(" ms without the agent, ")
                .append(cached.startup().toMillis()).append(" ms with it (to the first answer)\n\n");
        int passed = 0;
        for (Scenario s : PetClinicScript.SCENARIOS) {
            String d = differences(s);
            List<String> plainFailed = s.failedChecks(plain.responses().get(s.name()));
            List<String> cachedFailed = s.failedChecks(cached.responses().get(s.name()));
            boolean ok = d.isEmpty() && cachedFailed.isEmpty();
            passed += ok ? 1 : 0;
            b.append(ok ? "PASS " : "FAIL ").append(s.name()).append(": ").append(s.title()).append('\n');
            b.append(d);
            if (!plainFailed.isEmpty()) {
                b.append("  WITHOUT the agent these do not hold (the script is wrong): ").append(plainFailed).append('\n');
            }
            for (String c : cachedFailed) {
                b.append("  with the agent, no longer true: ").append(c).append('\n');
            }
        }
        b.append(passed).append(" of ").append(PetClinicScript.SCENARIOS.size()).append(" scenarios answer as without the agent\n\n");
        b.append("-- the agent's stderr ([recall] lines)\n");
        cached.recallLines().forEach(l -> b.append("  ").append(l).append('\n'));
        b.append("-- the application's ERROR/WARN lines with the agent\n");
        cached.appProblems().forEach(l -> b.append("  ").append(l).append('\n'));
        b.append("-- the application's ERROR/WARN lines without the agent\n");
        plain.appProblems().forEach(l -> b.append("  ").append(l).append('\n'));
        b.append("-- java -jar recall-agent.jar stats PID, after the run\n");
        cached.stats().forEach(l -> b.append("  ").append(l).append('\n'));
        b.append("-- CachedMethod MBeans (Refused/RefusedReason where the agent has them)\n");
        cached.methods().forEach(m -> b.append("  ").append(m).append('\n'));
        return b.toString();
    }

    private static String jdkLabel() {
        Path home = Paths.get(AppJvm.JAVA).toAbsolutePath().getParent().getParent();
        return home.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.\\-]", "_");
    }
}
