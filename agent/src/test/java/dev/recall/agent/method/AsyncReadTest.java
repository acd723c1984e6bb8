package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.StrategyKind;
import dev.recall.bridge.Call;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Methods returning {@code CompletableFuture}/{@code CompletionStage}, driven as the advice drives them. */
class AsyncReadTest {

    private static final ReturnType FUTURE = TestMethods.returns(CompletableFuture.class);

    private static ReadMethod readThrough() {
        return TestMethods.reading("com.acme.Api.fetch(long)", "api", StrategyKind.READ_THROUGH, FUTURE);
    }

    @Test
    void theCompletedValueIsCachedAndEachHitGetsAFreshCompletedFuture() throws Exception {
        ReadMethod m = readThrough();
        CompletableFuture<String> body = new CompletableFuture<>();
        m.exit((Call) m.enter(null, 1L, null, null), body, null);
        assertInstanceOf(Call.class, m.enter(null, 2L, null, null), "another key still misses");
        body.complete("one");
        Object a = m.enter(null, 1L, null, null);
        Object b = m.lookup(null, 1L, null, null);
        assertInstanceOf(CompletableFuture.class, a);
        assertInstanceOf(CompletableFuture.class, b);
        assertNotSame(a, b, "a caller that completes or cancels its future changes nobody else's");
        assertNotSame(body, a);
        assertEquals("one", ((CompletableFuture<?>) a).getNow(null));
        ((CompletableFuture<Object>) a).obtrudeValue("changed by a caller");
        assertEquals("one", ((CompletableFuture<?>) m.enter(null, 1L, null, null)).getNow(null));
        assertEquals(1, m.stats().loads());
    }

    @Test
    void aFutureThatFailsIsNeverCached() {
        ReadMethod m = readThrough();
        CompletableFuture<String> body = new CompletableFuture<>();
        m.exit((Call) m.enter(null, 1L, null, null), body, null);
        body.completeExceptionally(new IllegalStateException("remote down"));
        assertInstanceOf(Call.class, m.enter(null, 1L, null, null), "the next call runs the method again");
        assertEquals(1, m.stats().loadFailures());
        assertEquals(0, m.region().size());
    }

    @Test
    @Timeout(10)
    void concurrentCallersShareTheInFlightFutureWithoutWaitingForItsValue() throws Exception {
        ReadMethod m = readThrough();
        Object first = m.enter(null, 1L, null, null);
        assertInstanceOf(Call.class, first);
        // A caller that arrives while the body has not even returned its future waits for that, not for the value.
        CompletableFuture<Object> early = CompletableFuture.supplyAsync(() -> m.enter(null, 1L, null, null));
        Thread.sleep(50);
        CompletableFuture<String> body = new CompletableFuture<>();
        m.exit((Call) first, body, null);
        Object late = m.enter(null, 1L, null, null);
        CompletableFuture<?> earlyFuture = (CompletableFuture<?>) early.get(5, TimeUnit.SECONDS);
        assertInstanceOf(CompletableFuture.class, late);
        assertFalse(earlyFuture.isDone(), "shared, not waited for");
        assertFalse(((CompletableFuture<?>) late).isDone());
        body.complete("one");
        assertEquals("one", earlyFuture.get(5, TimeUnit.SECONDS));
        assertEquals("one", ((CompletableFuture<?>) late).get(5, TimeUnit.SECONDS));
        assertEquals(1, m.stats().loads(), "one run of the method for three callers");
    }

    /**
     * HostileShapesIT S37 (JDK 25): a future that completes after the method returned hands its value to its caller
     * before the agent can copy it; a caller that changed the list it got changed what later callers got. Before:
     * the entry held the changed list, and a caller sharing the in-flight future got the very same list.
     */
    @Test
    void aMutableValueOfAFutureCompletedLaterIsNeitherStoredNorShared() throws Exception {
        ReadMethod m = readThrough();
        CompletableFuture<java.util.List<String>> body = new CompletableFuture<>();
        m.exit((Call) m.enter(null, 1L, null, null), body, null);
        CompletableFuture<?> sharing = (CompletableFuture<?>) m.enter(null, 1L, null, null);
        java.util.List<String> got = new java.util.ArrayList<>(java.util.List.of("a"));
        body.complete(got);
        got.add("changed by the first caller");
        assertNotSame(got, sharing.get(5, TimeUnit.SECONDS), "a caller sharing the in-flight load gets a list of its own");
        assertInstanceOf(Call.class, m.enter(null, 1L, null, null), "not stored: the next call runs the method");
        assertEquals(1, m.uncacheableResults());
    }

    @Test
    void anImmutableValueOfAFutureCompletedLaterIsCached() {
        ReadMethod m = readThrough();
        CompletableFuture<String> body = new CompletableFuture<>();
        m.exit((Call) m.enter(null, 1L, null, null), body, null);
        body.complete("one");
        assertEquals("one", ((CompletableFuture<?>) m.enter(null, 1L, null, null)).getNow(null));
    }

    @Test
    void anAlreadyCompletedFutureIsCachedAtOnce() {
        ReadMethod m = readThrough();
        m.exit((Call) m.enter(null, 1L, null, null), CompletableFuture.completedFuture("now"), null);
        assertEquals("now", ((CompletableFuture<?>) m.enter(null, 1L, null, null)).getNow(null));
    }

    @Test
    void aNullValueOfAFutureIsCachedAsNull() {
        ReadMethod m = readThrough();
        m.exit((Call) m.enter(null, 1L, null, null), CompletableFuture.completedFuture(null), null);
        Object hit = m.enter(null, 1L, null, null);
        assertInstanceOf(CompletableFuture.class, hit);
        assertTrue(((CompletableFuture<?>) hit).isDone());
        assertEquals(null, ((CompletableFuture<Object>) hit).getNow("not null"));
    }

    @Test
    void cacheAsideStoresTheValueWhenTheFutureCompletes() {
        ReadMethod m = TestMethods.reading("com.acme.Api.fetch(long)", "api", StrategyKind.CACHE_ASIDE,
                TestMethods.returns(CompletionStage.class));
        CompletableFuture<String> body = new CompletableFuture<>();
        m.exit((Call) m.enter(null, 1L, null, null), (CompletionStage<String>) body, null);
        assertInstanceOf(Call.class, m.enter(null, 1L, null, null), "cache-aside does not share: a second caller loads");
        body.complete("one");
        assertEquals("one", ((CompletableFuture<?>) m.enter(null, 1L, null, null)).getNow(null));
    }

    /**
     * Refresh does not apply to a method returning a future (docs/configuration.md, Freshness: "said once; their entries
     * expire at their ttl"). Before: a hit on an entry older than refresh asked the refresher, which such a method has
     * not, for a reload; the NullPointerException was caught, counted as an error and logged.
     */
    @Test
    void aHitOnAnOldEntryOfAFutureNeverAttemptsARefresh() throws Exception {
        ReadMethod m = TestMethods.reading("com.acme.Api.fetch(long)", "api", StrategyKind.READ_THROUGH, FUTURE,
                java.time.Duration.ofMillis(1));
        m.exit((Call) m.enter(null, 1L, null, null), CompletableFuture.completedFuture("one"), null);
        Thread.sleep(30); // the entry is older than refresh, on the coarse clock too
        Object entered = m.enter(null, 1L, null, null);
        Object looked = m.lookup(null, 1L, null, null);
        assertEquals("one", ((CompletableFuture<?>) entered).getNow(null));
        assertEquals("one", ((CompletableFuture<?>) looked).getNow(null));
        assertEquals(0, m.stats().errors(), "no failure of the agent: nothing was attempted");
        assertEquals(2, m.stats().hits());
        assertEquals(1, m.stats().loads(), "the body ran once: no reload");
        assertEquals(0, m.stats().refreshes() + m.stats().refreshFailures());
    }
}
