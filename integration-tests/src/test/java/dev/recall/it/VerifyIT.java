package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.VerifyApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code verify:} with the real agent: a TTL longer than the data's change interval shows stale hits (counted,
 * the first one logged with its key and age, and in {@code stats}); a TTL shorter than it shows none.
 */
class VerifyIT {

    @Test
    void aTtlLongerThanTheDataLivesShowsStaleHitsAndAShortOneNone() throws Exception {
        AppJvm.Running app = AppJvm.main(VerifyApp.class).config("verify-recall.yml").jvmArg("-Drecall.jmx.delay=0s").start();
        try {
            app.awaitLine("figures printed", Duration.ofSeconds(60));
            List<String> stats = StatsCommandIT.stats(app.pid());
            app.send("exit");
            Result r = app.await(Duration.ofSeconds(20));
            Map<String, String> v = r.values();
            long longHits = Long.parseLong(v.get("longLived.hits"));
            long longVerified = Long.parseLong(v.get("longLived.verified"));
            long longStale = Long.parseLong(v.get("longLived.stale"));
            // 4 steps x 20 reads x 2 keys, of which the first of each key is a miss: 158 hits, each verified.
            assertEquals(158, longHits, r::toString);
            assertEquals(longHits, longVerified, r::toString);
            // Steps 2 to 4 serve step 1's values: every hit there is stale.
            assertEquals(3 * 40, longStale, r::toString);
            long shortHits = Long.parseLong(v.get("shortLived.hits"));
            assertTrue(shortHits > 40, r::toString);
            assertEquals(shortHits, Long.parseLong(v.get("shortLived.verified")), r::toString);
            assertEquals(0, Long.parseLong(v.get("shortLived.stale")), r::toString);
            assertTrue(r.stdout().stream().noneMatch(l -> l.startsWith("stale answer")), r::toString);

            List<String> logged = r.stderrMatching("was stale");
            assertEquals(1, logged.size(), "the first stale hit only: " + r.stderrText());
            assertTrue(logged.get(0).matches(".*verify: a hit of dev\\.recall\\.it\\.app\\.VerifyApp\\.longLived\\(java\\.lang\\.String\\) "
                    + "was stale: a key String\\[1 chars\\], entry [\\d.]+m?s old \\(ttl 10s\\).*"), logged.get(0));
            assertFalse(logged.get(0).matches(".*key [ab]\\b.*"), "the key's value is not printed: " + logged.get(0));

            String all = String.join("\n", stats);
            assertTrue(stats.get(0).endsWith("verified stale hits"), all);
            String longRow = stats.stream().filter(l -> l.startsWith("VerifyApp.longLived(String)")).findFirst().orElseThrow();
            assertTrue(longRow.matches(".*\\s158\\s+120$"), "verified and stale hits in stats: " + all);
            String shortRow = stats.stream().filter(l -> l.startsWith("VerifyApp.shortLived(String)")).findFirst().orElseThrow();
            assertTrue(shortRow.matches(".*\\s" + shortHits + "\\s+0$"), all);
        } finally {
            app.stop();
        }
    }
}
