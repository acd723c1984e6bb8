package dev.recall.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private final Region region = new Region("products", new LocalStore(1_000, java.time.Duration.ofHours(1), Runnable::run));
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private static Entry entry(Object value) {
        return Entry.expiringAfter(value, 1_000, HOUR);
    }

    // ---- loads and invalidations ----

    @Test
    void loadIsStoredWhenNothingHappenedSinceItsStamp() {
        long stamp = region.stamp("k");
        region.putIfUnchanged("k", entry("loaded"), stamp, Accessor.NONE);
        assertEquals("loaded", region.get("k", Accessor.NONE).value());
    }

    @Test
    void loadIsDroppedWhenTheKeyWasInvalidatedAfterItsStamp() {
        long stamp = region.stamp("k");
        region.invalidate("k");
        region.putIfUnchanged("k", entry("stale"), stamp, Accessor.NONE);
        assertNull(region.get("k", Accessor.NONE));
    }

    @Test
    void loadIsDroppedWhenTheKeyWasWrittenAfterItsStamp() {
        long stamp = region.stamp("k");
        region.write("k", entry("written"), Accessor.NONE);
        region.putIfUnchanged("k", entry("stale"), stamp, Accessor.NONE);
        assertEquals("written", region.get("k", Accessor.NONE).value());
    }

    @Test
    void loadWithAStampTakenAfterTheInvalidationIsStored() {
        region.invalidate("k");
        long stamp = region.stamp("k");
        region.putIfUnchanged("k", entry("fresh"), stamp, Accessor.NONE);
        assertEquals("fresh", region.get("k", Accessor.NONE).value());
    }

    @Test
    void invalidatingAKeyInAnotherStripeDoesNotDropALoad() {
        // Integer keys 1 and 2 hash to different stripes.
        long stamp = region.stamp(1);
        region.invalidate(2);
        region.putIfUnchanged(1, entry("loaded"), stamp, Accessor.NONE);
        assertEquals("loaded", region.get(1, Accessor.NONE).value());
    }

    @Test
    void writeAfterAPutReplacesTheEntry() {
        region.putIfUnchanged("k", entry("loaded"), region.stamp("k"), Accessor.NONE);
        region.write("k", entry("written"), Accessor.NONE);
        assertEquals("written", region.get("k", Accessor.NONE).value());
    }

    // ---- write-throughs and what overlaps them ----

    @Test
    void aWriteThatHadTheKeyAloneSetsItsValue() {
        WriteTicket begun = region.beginWrite("k", Accessor.NONE);
        begun.end(entry("written"), Accessor.NONE);
        assertEquals("written", region.get("k", Accessor.NONE).value());
    }

    /**
     * An eviction during a write-through: the evicting caller may have written the system of record after
     * the writer did, so the writer's value, set after the eviction, could be older than the record.
     */
    @Test
    void aWriteOverlappedByAnEvictionOfItsKeyLeavesNoEntry() {
        region.write("k", entry("before"), Accessor.NONE);
        WriteTicket begun = region.beginWrite("k", Accessor.NONE);
        region.invalidate("k");
        begun.end(entry("written"), Accessor.NONE);
        assertNull(region.get("k", Accessor.NONE));
    }

    @Test
    void aWriteOverlappedByAnotherWriteOfItsKeyLeavesNoEntry() {
        WriteTicket first = region.beginWrite("k", Accessor.NONE);
        WriteTicket second = region.beginWrite("k", Accessor.NONE);
        second.end(entry("second"), Accessor.NONE);
        first.end(entry("first"), Accessor.NONE);
        assertNull(region.get("k", Accessor.NONE));
        WriteTicket alone = region.beginWrite("k", Accessor.NONE);
        alone.end(entry("alone"), Accessor.NONE);
        assertEquals("alone", region.get("k", Accessor.NONE).value(), "once no write overlaps, a write sets its value again");
    }

    @Test
    void invalidateRemovesTheEntry() {
        region.write("k", entry("written"), Accessor.NONE);
        region.invalidate("k");
        assertNull(region.get("k", Accessor.NONE));
    }

    @Test
    void invalidateAllRemovesEveryEntry() {
        region.write("a", entry(1), Accessor.NONE);
        region.write("b", entry(2), Accessor.NONE);
        region.invalidateAll();
        assertNull(region.get("a", Accessor.NONE));
        assertNull(region.get("b", Accessor.NONE));
    }

    @Test
    void invalidateAllDropsLoadsOfEveryKeyStampedBefore() {
        long stampA = region.stamp("a");
        long stampB = region.stamp(12345);
        region.invalidateAll();
        region.putIfUnchanged("a", entry("stale"), stampA, Accessor.NONE);
        region.putIfUnchanged(12345, entry("stale"), stampB, Accessor.NONE);
        assertNull(region.get("a", Accessor.NONE));
        assertNull(region.get(12345, Accessor.NONE));
    }

    @Test
    void loadsStampedAfterInvalidateAllAreStored() {
        region.invalidateAll();
        region.putIfUnchanged("a", entry("fresh"), region.stamp("a"), Accessor.NONE);
        assertEquals("fresh", region.get("a", Accessor.NONE).value());
    }

    @Test
    void sizeCountsEntries() {
        region.write("a", entry(1), Accessor.NONE);
        region.write("b", entry(2), Accessor.NONE);
        assertEquals(2, region.size());
    }

    @Test
    void nameAndStoreAreKept() {
        Store store = new LocalStore(10, java.time.Duration.ofHours(1), Runnable::run);
        Region r = new Region("fx-rates", store);
        assertEquals("fx-rates", r.name());
        assertSame(store, r.store());
    }

    // ---- loads under way ----

    @Test
    void firstStartLoadMakesTheCallerTheLoader() {
        Loading mine = new Loading();
        assertNull(region.startLoad("k", mine));
        assertTrue(mine.isLoadedByCurrentThread());
    }

    @Test
    void secondStartLoadForTheSameKeyReturnsTheFirstLoading() {
        Loading first = new Loading();
        region.startLoad("k", first);
        assertSame(first, region.startLoad("k", new Loading()));
    }

    @Test
    void startLoadForAnotherKeyIsIndependent() {
        region.startLoad("k", new Loading());
        assertNull(region.startLoad("other", new Loading()));
    }

    @Test
    void afterFinishLoadANewStartLoadBecomesTheLoader() {
        Loading first = new Loading();
        region.startLoad("k", first);
        region.finishLoad("k", first, entry("v"));
        assertNull(region.startLoad("k", new Loading()));
    }

    @Test
    void afterAFailedLoadANewStartLoadBecomesTheLoader() {
        Loading first = new Loading();
        region.startLoad("k", first);
        region.finishLoad("k", first, null);
        assertNull(region.startLoad("k", new Loading()));
    }

    @Test
    void finishingAnOlderLoadDoesNotRemoveANewerOne() {
        Loading old = new Loading();
        region.startLoad("k", old);
        region.invalidate("k"); // forgets the load under way
        Loading newer = new Loading();
        assertNull(region.startLoad("k", newer));
        region.finishLoad("k", old, entry("old"));
        assertSame(newer, region.startLoad("k", new Loading()));
    }

    @Test
    void closingALoadLetsAnotherThreadTakeOver() {
        Loading stale = new Loading();
        region.startLoad("k", stale);
        region.closeLoad("k", stale);
        assertNull(region.startLoad("k", new Loading()));
    }

    @Test
    void loadingIsNotLoadedByAnotherThread() throws Exception {
        Loading mine = new Loading();
        assertFalse(executor.submit(mine::isLoadedByCurrentThread).get(5, TimeUnit.SECONDS));
    }

    @Test
    void awaitReturnsTheEntryCompletedByTheLoaderThread() throws Exception {
        Entry result = entry("loaded");
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicReference<Loading> loaderLoading = new AtomicReference<>();
        Future<?> loader = executor.submit(() -> {
            Loading mine = new Loading();
            loaderLoading.set(mine);
            assertNull(region.startLoad("k", mine));
            registered.countDown();
            proceed.await();
            region.finishLoad("k", mine, result);
            return null;
        });
        assertTrue(registered.await(5, TimeUnit.SECONDS));
        Loading underWay = region.startLoad("k", new Loading());
        assertSame(loaderLoading.get(), underWay);
        assertFalse(underWay.isLoadedByCurrentThread());
        proceed.countDown();
        Object seen = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> underWay.await(Long.MAX_VALUE));
        assertSame(result, seen);
        loader.get(5, TimeUnit.SECONDS);
    }

    @Test
    void awaitReturnsNullWhenTheLoadFailed() throws Exception {
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        executor.submit(() -> {
            Loading mine = new Loading();
            region.startLoad("k", mine);
            registered.countDown();
            proceed.await();
            region.finishLoad("k", mine, null);
            return null;
        });
        assertTrue(registered.await(5, TimeUnit.SECONDS));
        Loading underWay = region.startLoad("k", new Loading());
        proceed.countDown();
        assertNull(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> underWay.await(Long.MAX_VALUE)));
    }

    @Test
    void awaitReturnsNullWhenTheLoaderThreadDiedWithoutFinishing() throws Exception {
        AtomicReference<Loading> orphan = new AtomicReference<>();
        Thread loader = new Thread(() -> {
            Loading mine = new Loading();
            region.startLoad("k", mine);
            orphan.set(mine);
        });
        loader.start();
        loader.join(5_000);
        assertFalse(loader.isAlive());
        assertNull(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> orphan.get().await(Long.MAX_VALUE)));
    }
}
