package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.recall.agent.config.CopyKind;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.StrategyKind;
import dev.recall.agent.key.Keys;
import dev.recall.agent.store.Loading;
import dev.recall.agent.store.Region;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A READ_THROUGH bulk call's second round: the elements another thread was loading, whose load failed or outlasted
 * {@code loadWait}, are loaded by the call itself, and stored like the first round's. Before: the second round had
 * no stamps, storing threw, an error was counted ("storing elements") and those elements were never stored.
 */
class BulkSecondRoundTest {

    /** The bulk method's class; {@code all} runs as the agent calls it, its woven code being absent here. */
    static final class Repo {
        final List<List<Long>> calls = new ArrayList<>();
        /** Run by the body of the first call: what another thread does meanwhile. */
        Runnable during = () -> { };

        Map<Long, String> all(Collection<Long> ids) {
            calls.add(new ArrayList<>(ids));
            Runnable r = during;
            during = () -> { };
            r.run();
            Map<Long, String> found = new LinkedHashMap<>();
            for (Long id : ids) {
                found.put(id, "v" + id);
            }
            return found;
        }
    }

    private final Repo repo = new Repo();
    private final Region region = TestMethods.region("repo");

    private BulkMethod bulk(Duration loadWait) {
        MethodSettings.Entries entries = new MethodSettings.Entries(TestMethods.TTL, true, 1000, StoreKind.LOCAL, CopyKind.AUTO);
        MethodSpec spec = new MethodSpec(TestMethods.signature(Repo.class.getName() + ".all(java.util.Collection)"),
                TestMethods.returns(java.util.Map.class), "repo", TestMethods.key("", List.of("ids")),
                new MethodSettings.Read(StrategyKind.READ_THROUGH, entries, loadWait, null, null, 0, 0), "test");
        BulkMethod m = new BulkMethod(spec, region);
        m.bindLoader(getClass().getClassLoader());
        return m;
    }

    /** Another thread's load of {@code id}, under way in the region. */
    private Loading anotherThreadsLoad(long id) throws Exception {
        Loading other = CompletableFuture.supplyAsync(Loading::new).get(5, TimeUnit.SECONDS);
        assertNull(region.startLoad(Keys.of(id), other));
        return other;
    }

    private static Map<Long, String> expected() {
        Map<Long, String> m = new LinkedHashMap<>();
        m.put(1L, "v1");
        m.put(2L, "v2");
        return m;
    }

    @Test
    @Timeout(10)
    void anElementWhoseOtherLoadFailedIsLoadedAndStored() throws Exception {
        BulkMethod m = bulk(TestMethods.LOAD_WAIT);
        Loading other = anotherThreadsLoad(2L);
        repo.during = () -> region.finishLoad(Keys.of(2L), other, null); // the other thread's load fails meanwhile
        assertEquals(expected(), m.enter(repo, List.of(1L, 2L), null, null));
        assertEquals(List.of(List.of(1L), List.of(2L)), repo.calls, "its own element first, then the one left to it");
        assertEquals(0, m.stats().errors(), "storing the second round's elements is no failure");

        assertEquals(expected(), m.enter(repo, List.of(1L, 2L), null, null));
        assertEquals(2, repo.calls.size(), "both elements were stored: the next call is all hits");
        assertEquals(2, m.stats().hits());
    }

    @Test
    @Timeout(10)
    void anElementWhoseOtherLoadOutlastsLoadWaitIsLoadedAndStored() throws Exception {
        BulkMethod m = bulk(Duration.ofMillis(50));
        Loading other = anotherThreadsLoad(2L);
        try {
            assertEquals(expected(), m.enter(repo, List.of(1L, 2L), null, null));
            assertEquals(List.of(List.of(1L), List.of(2L)), repo.calls);
            assertEquals(0, m.stats().errors());
            assertEquals(expected(), m.enter(repo, List.of(1L, 2L), null, null));
            assertEquals(2, repo.calls.size(), "both elements were stored: the next call is all hits");
        } finally {
            region.finishLoad(Keys.of(2L), other, null);
        }
    }

    @Test
    @Timeout(10)
    void aWriteWhileTheSecondRoundLoadsWins() throws Exception {
        BulkMethod m = bulk(TestMethods.LOAD_WAIT);
        Loading other = anotherThreadsLoad(2L);
        repo.during = () -> {
            region.finishLoad(Keys.of(2L), other, null);
            // Runs again in the second round's body: an eviction of element 2 while it loads.
            repo.during = () -> region.invalidate(Keys.of(2L));
        };
        assertEquals(expected(), m.enter(repo, List.of(1L, 2L), null, null));
        assertEquals(0, m.stats().errors());
        m.enter(repo, List.of(1L, 2L), null, null);
        assertEquals(List.of(List.of(1L), List.of(2L), List.of(2L)), repo.calls,
                "the second round's value was not stored over the eviction made while it loaded");
    }
}
