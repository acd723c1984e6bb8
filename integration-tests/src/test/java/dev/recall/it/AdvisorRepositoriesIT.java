package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.JpaApp.Response;
import dev.recall.it.JpaApp.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24, the advisor's part: it sees repositories. The Spring Boot shop ({@code integration-tests/jpa-rest}: Spring
 * Data JPA repositories, interfaces called through JDK dynamic proxies, derived queries with no body anywhere) and the
 * Quarkus library ({@code integration-tests/quarkus-app}: Panache repositories) each run with {@code advise=} over
 * their package and no rules, under their API session (JpaRestIT's and QuarkusAppIT's scripts, their reads first
 * repeated a few rounds, as a service reads more than it writes); then {@code advise PID --yaml}. Its best are
 * repository reads, named as a user writes a rule (the interface's method, never the proxy class). The proposal is
 * then fed back and run under the same session beside the hand-written file of the app's IT: every answer must be
 * the one without the agent, and its hits at least 80% of the hand-written file's.
 */
class AdvisorRepositoriesIT {

    private static final Path SHOP = Paths.get(System.getProperty("recall.it.jpaRestJar", "jpa-rest/target/jpa-rest.jar"))
            .toAbsolutePath().normalize();
    private static final Path LIBRARY = Paths.get(System.getProperty("recall.it.quarkusJar",
            "quarkus-app/target/quarkus-app-runner.jar")).toAbsolutePath().normalize();
    /** How many times the reads before the script's first write are asked first: enough calls for the advisor to judge. */
    private static final int READ_ROUNDS = 8;
    private static final Pattern RANKED = Pattern.compile("^(\\d+) +(\\S+) .*");

    @Test
    void theShopsSpringDataRepositoriesAreProposedAndTheProposalHitsAsTheHandWrittenFileDoes(@TempDir Path dir) throws Exception {
        check("the shop", dir, JpaRestIT.SCRIPT, "com.acme.shop", JpaRestIT.CONFIG,
                options -> start(SHOP, options, "--server.port=", "/api/rows", "--server.address=127.0.0.1"));
    }

    @Test
    void theLibrarysPanacheRepositoriesAreProposedAndTheProposalHitsAsTheHandWrittenFileDoes(@TempDir Path dir) throws Exception {
        check("the library", dir, QuarkusAppIT.SCRIPT, "com.acme.library", QuarkusAppIT.CONFIG,
                options -> start(LIBRARY, options, "-Dquarkus.http.port=", "/rows", "-Dquarkus.http.host=127.0.0.1"));
    }

    private static JpaApp start(Path jar, String options, String portArg, String readyPath, String... args) {
        try {
            return JpaApp.start(jar, options, portArg, readyPath, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(String app, Path dir, List<Step> script, String pkg, String handWritten,
                              Function<String, JpaApp> starter) throws Exception {
        List<Step> session = session(script);
        StringBuilder report = new StringBuilder("== " + app + ", advise=" + pkg + ".** on " + AppJvm.JAVA + "\n");
        Path proposed = dir.resolve("proposed.yml");
        try {
            // Without the agent and in advise mode, side by side (each JVM has its own in-memory database).
            CompletableFuture<Run> plain = CompletableFuture.supplyAsync(() -> run(starter, null, session, null));
            Run advised = run(starter, "advise=" + pkg + ".**", session, proposed);
            Map<String, Response> without = plain.join().answers();
            report.append(String.join("\n", advised.output())).append('\n');
            String yaml = Files.readString(proposed);
            report.append("--- proposed.yml\n").append(yaml);

            // The proposal names the repositories' methods as a user would: the interface, never the proxy class.
            assertFalse(yaml.contains("$Proxy") || yaml.contains("jdk.proxy") || yaml.contains("_ClientProxy"), report.toString());
            List<String> ranked = new ArrayList<>();
            for (String line : advised.output()) {
                Matcher m = RANKED.matcher(line);
                if (m.matches()) {
                    ranked.add(m.group(2));
                }
            }
            List<String> top = ranked.subList(0, Math.min(5, ranked.size()));
            long repositoryReads = top.stream().filter(r -> r.contains("Repository.find") || r.contains("Repository.count")).count();
            assertTrue(!top.isEmpty() && top.get(0).contains("Repository.") && repositoryReads >= 3,
                    "repository reads first among the proposals: " + top + "\n" + report);
            assertTrue(yaml.contains("  - method: " + pkg + "."), report.toString());

            // The proposal fed back, beside the hand-written file, under the same session.
            CompletableFuture<Run> hand = CompletableFuture.supplyAsync(() -> run(starter, handWritten, session, null));
            Run mine = run(starter, "config=" + proposed, session, null);
            Run byHand = hand.join();
            report.append("--- stats, the hand-written ").append(handWritten).append('\n').append(String.join("\n", byHand.output()))
                    .append("\n--- stats, the proposal\n").append(String.join("\n", mine.output())).append('\n');
            long handHits = hits(byHand.figures());
            long mineHits = hits(mine.figures());
            report.append(String.format(Locale.ROOT, "hits: %d by hand, %d proposed (%.0f%%)%n", handHits, mineHits,
                    handHits == 0 ? 0 : 100.0 * mineHits / handHits));
            List<String> d = JpaApp.differences(session, without, mine.answers());
            assertTrue(d.isEmpty(), d.size() + " answers differ with the proposal:\n" + String.join("\n", d) + "\n" + report);
            assertTrue(handHits > 0 && mineHits >= 0.8 * handHits, "hits " + mineHits + " against " + handHits + " by hand\n" + report);
        } finally {
            System.out.println(report);
            Path file = Paths.get("target", "advisor-it", "repositories-" + pkg + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, report.toString());
        }
    }

    /** The script's reads before its first write, {@link #READ_ROUNDS} times, then the whole script. */
    static List<Step> session(List<Step> script) {
        List<Step> reads = new ArrayList<>();
        for (Step s : script) {
            if (!s.method().equals("GET")) {
                break;
            }
            reads.add(s);
        }
        List<Step> session = new ArrayList<>();
        for (int round = 1; round <= READ_ROUNDS; round++) {
            for (Step s : reads) {
                session.add(new Step("round-" + round + ":" + s.id(), s.method(), s.path(), s.body()));
            }
        }
        session.addAll(script);
        return session;
    }

    /** One JVM's session: its answers, the agent's figures, and its {@code advise} report (or {@code stats}). */
    private record Run(Map<String, Response> answers, List<JpaApp.Figures> figures, List<String> output) {
    }

    private static Run run(Function<String, JpaApp> starter, String options, List<Step> session, Path proposal) {
        JpaApp app = starter.apply(options);
        try {
            Map<String, Response> answers = app.run(session);
            if (options == null) {
                return new Run(answers, List.of(), List.of());
            }
            if (proposal != null) {
                return new Run(answers, List.of(), app.advise(proposal));
            }
            return new Run(answers, app.figures(), app.stats());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            Result out = app.stop();
            if (options != null) {
                out.stderr().stream().filter(l -> l.contains("[recall]")).forEach(System.out::println);
            }
        }
    }

    private static long hits(List<JpaApp.Figures> figures) {
        return figures.stream().mapToLong(JpaApp.Figures::hits).sum();
    }
}
