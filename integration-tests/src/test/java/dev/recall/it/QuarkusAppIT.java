package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.JpaApp.Response;
import dev.recall.it.JpaApp.Step;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 24 on a Quarkus REST API with Hibernate ORM and Panache ({@code integration-tests/quarkus-app}, an uber-jar
 * whose entities Quarkus enhances): started as users start it, without the agent and with it and the configuration
 * file a backend engineer writes first ({@code quarkus-recall.yml}: the Panache repositories' finders cached,
 * evictions on the service's writes). One scripted API session per JVM: reads of lazy and fetched associations,
 * each twice; a bio changed by dirty checking inside a JTA transaction; a book added through a loaded author's
 * collection (saved by the cascade from the managed author), after which the transaction counts its author's books
 * through a cached finder (a read inside a JTA transaction must see its own write); a new author whose book refers to a loaded one;
 * a book moved and one deleted, which make several regions stale. Every answer with the agent must be the one
 * without, and so must the rows at the end.
 */
class QuarkusAppIT {

    private static final Path JAR = Paths.get(System.getProperty("recall.it.quarkusJar",
            "quarkus-app/target/quarkus-app-runner.jar")).toAbsolutePath().normalize();
    static final String CONFIG = "quarkus-recall.yml";

    static final List<Step> SCRIPT = List.of(
            Step.get("authors", "/authors"),
            Step.get("authors-again", "/authors"),
            Step.get("terry", "/authors/search?name=Terry"),
            Step.get("terry-again", "/authors/search?name=Terry"),
            Step.get("author-1", "/authors/1"),
            Step.get("author-1-again", "/authors/1"),
            Step.get("full-1", "/authors/1/full"),
            Step.get("full-1-again", "/authors/1/full"),
            Step.get("full-2", "/authors/2/full"),
            Step.get("full-3", "/authors/3/full"),
            Step.get("books-1", "/authors/1/books"),
            Step.get("books-1-again", "/authors/1/books"),
            Step.get("books-2", "/authors/2/books"),
            Step.get("books-3", "/authors/3/books"),
            Step.get("count-2", "/authors/2/count"),
            Step.get("count-2-again", "/authors/2/count"),
            Step.put("bio-1", "/authors/1/bio", "Wrote of Earthsea, and of Hain."),
            Step.get("authors-bio", "/authors"),
            Step.get("author-1-bio", "/authors/1"),
            Step.get("full-1-bio", "/authors/1/full"),
            Step.get("ursula-bio", "/authors/search?name=Ursula"),
            Step.post("add-book-2", "/authors/2/books", "Small Gods"),
            Step.get("full-2-added", "/authors/2/full"),
            Step.get("books-2-added", "/authors/2/books"),
            Step.get("count-2-added", "/authors/2/count"),
            Step.get("terry-added", "/authors/search?name=Terry"),
            Step.post("coauthor-3", "/authors/3/coauthor", "Lars Jansson"),
            Step.get("authors-coauthor", "/authors"),
            Step.get("lars", "/authors/search?name=Lars"),
            Step.put("move-5", "/books/5/author/1", null),
            Step.get("full-1-moved", "/authors/1/full"),
            Step.get("full-3-moved", "/authors/3/full"),
            Step.get("books-1-moved", "/authors/1/books"),
            Step.get("books-3-moved", "/authors/3/books"),
            Step.delete("delete-3", "/books/3"),
            Step.get("full-2-deleted", "/authors/2/full"),
            Step.get("books-2-deleted", "/authors/2/books"),
            Step.get("count-2-deleted", "/authors/2/count"),
            Step.delete("delete-missing", "/books/999"),
            Step.get("author-1-last", "/authors/1"),
            Step.get("rows", "/rows"));

    private static Map<String, Response> without;
    private static Map<String, Response> with;
    private static final StringBuilder REPORT = new StringBuilder();

    @BeforeAll
    static void runTheLibraryWithoutAndWithTheAgent() {
        CompletableFuture<Map<String, Response>> plain = CompletableFuture.supplyAsync(() -> session(null));
        try {
            with = session(CONFIG);
        } finally {
            plain.exceptionally(e -> null).join(); // its JVM is stopped before this one fails
        }
        without = plain.join();
        System.out.println(REPORT);
    }

    private static Map<String, Response> session(String config) {
        try {
            JpaApp app = JpaApp.start(JAR, config, "-Dquarkus.http.port=", "/rows", "-Dquarkus.http.host=127.0.0.1");
            try {
                Map<String, Response> answers = app.run(SCRIPT);
                if (config != null) {
                    List<JpaApp.Figures> figures = app.figures();
                    List<String> stats = app.stats();
                    synchronized (REPORT) {
                        REPORT.append("== the Quarkus library with the agent on ").append(AppJvm.JAVA).append('\n');
                        figures.forEach(f -> REPORT.append("  ").append(f).append('\n'));
                        REPORT.append("  repository reads: ").append(JpaApp.hitRatio(figures, "Repository.")).append('\n');
                        stats.forEach(l -> REPORT.append("  | ").append(l).append('\n'));
                    }
                }
                return answers;
            } finally {
                Result out = app.stop();
                if (config != null) {
                    synchronized (REPORT) {
                        out.stderr().stream().filter(l -> l.contains("[recall]")).forEach(l -> REPORT.append("  ").append(l).append('\n'));
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyAnswerAndRowIsTheOneWithoutTheAgent() {
        List<String> d = JpaApp.differences(SCRIPT, without, with);
        assertTrue(d.isEmpty(), d.size() + " answers differ with the agent:\n" + String.join("\n", d) + "\n" + REPORT);
    }

    /** The script shows what it claims, without the agent: otherwise equal answers would prove nothing. */
    @Test
    void theScriptExercisesWhatItClaims() {
        List<String> wrong = new ArrayList<>();
        check(wrong, "the bio changed by dirty checking", without.get("author-1-bio").body().contains("and of Hain"));
        check(wrong, "the book added through the author's collection", without.get("add-book-2").status() == 201
                && without.get("full-2-added").body().contains("Small Gods"));
        // The count read inside addBook's transaction (countByAuthor, cached, answered 2 outside it) includes the new book.
        check(wrong, "the count inside the transaction", without.get("count-2").body().equals("2")
                && without.get("add-book-2").body().contains("\"booksOfTheAuthorNow\":3"));
        check(wrong, "the co-author persisted", without.get("coauthor-3").status() == 201
                && without.get("lars").body().contains("Written with Tove Jansson"));
        check(wrong, "the moved book", without.get("books-1-moved").body().contains("Comet in Moominland"));
        check(wrong, "the deleted book", !without.get("full-2-deleted").body().contains("Guards"));
        check(wrong, "the rows", without.get("rows").body().contains("and of Hain"));
        assertEquals(404, without.get("delete-missing").status());
        assertTrue(wrong.isEmpty(), "without the agent these do not hold: " + wrong + "\n" + without);
    }

    private static void check(List<String> wrong, String what, boolean holds) {
        if (!holds) {
            wrong.add(what);
        }
    }
}
