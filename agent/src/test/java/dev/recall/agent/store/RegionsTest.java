package dev.recall.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RegionsTest {

    @Test
    void sameNameIsTheSameRegion() {
        Regions regions = new Regions(null);
        Region a = regions.region("products", 100, java.time.Duration.ofHours(1), dev.recall.agent.config.StoreKind.LOCAL);
        assertSame(a, regions.region("products", 100, java.time.Duration.ofHours(1), dev.recall.agent.config.StoreKind.LOCAL));
        assertEquals("products", a.name());
        assertTrue(a.store() instanceof LocalStore);
    }

    @Test
    void differentNamesAreDifferentRegions() {
        Regions regions = new Regions(null);
        assertNotSame(regions.region("a", 100, java.time.Duration.ofHours(1), dev.recall.agent.config.StoreKind.LOCAL), regions.region("b", 100, java.time.Duration.ofHours(1), dev.recall.agent.config.StoreKind.LOCAL));
        assertEquals(2, regions.all().size());
    }

    @Test
    void aLaterMethodAskingForMoreRoomGrowsTheRegion() {
        Regions regions = new Regions(null);
        regions.region("products", 10, java.time.Duration.ofHours(1), dev.recall.agent.config.StoreKind.LOCAL);
        Region r = regions.region("products", 500, java.time.Duration.ofHours(1), dev.recall.agent.config.StoreKind.LOCAL);
        for (int i = 0; i < 300; i++) {
            r.write(i, Entry.expiringAfter(i, 0, TimeUnit.HOURS.toNanos(1)), Accessor.NONE);
        }
        assertEquals(300, r.size());
    }

    /** Issue 25: the same application defined by two class loaders (two tenants) shares no region. */
    @Test
    void eachClassLoaderHasRegionsOfItsOwn() throws Exception {
        Regions regions = new Regions(null);
        java.time.Duration hour = java.time.Duration.ofHours(1);
        try (java.net.URLClassLoader a = new java.net.URLClassLoader(new java.net.URL[0]);
             java.net.URLClassLoader b = new java.net.URLClassLoader(new java.net.URL[0])) {
            Region ofA = regions.region("greetings", a, 100, hour, dev.recall.agent.config.StoreKind.LOCAL);
            Region ofB = regions.region("greetings", b, 100, hour, dev.recall.agent.config.StoreKind.LOCAL);
            assertNotSame(ofA, ofB);
            assertSame(ofA, regions.region("greetings", a, 100, hour, null), "a reader, a writer and an evictor of one loader meet");
            ofA.write("k", Entry.expiringAfter("tenant A", 0, TimeUnit.HOURS.toNanos(1)), Accessor.NONE);
            assertEquals(null, ofB.get("k", Accessor.NONE));
            assertEquals("greetings", regions.remoteName("greetings", a), "the first deployment alive keeps the name, as in other JVMs");
            assertEquals("greetings@2", regions.remoteName("greetings", b));
            assertEquals("greetings@2", regions.remoteName("greetings", b), "a loader keeps its number");
            assertEquals(2, regions.all().size());
        }
    }

    @Test
    void aCollectedLoadersRegionsGoWithIt() throws Exception {
        Regions regions = new Regions(null);
        java.lang.ref.WeakReference<ClassLoader> gone = dropLoader(regions);
        for (int i = 0; i < 50 && gone.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(null, gone.get(), "the regions do not keep their loader alive");
        assertTrue(regions.all().isEmpty(), "and go with it");
        ClassLoader next = new java.net.URLClassLoader(new java.net.URL[0]);
        assertEquals("greetings", regions.remoteName("greetings", next), "the next deployment takes the freed name");
    }

    private static java.lang.ref.WeakReference<ClassLoader> dropLoader(Regions regions) {
        ClassLoader loader = new java.net.URLClassLoader(new java.net.URL[0]);
        Region r = regions.region("greetings", loader, 100, java.time.Duration.ofHours(1), dev.recall.agent.config.StoreKind.LOCAL);
        r.write("k", Entry.expiringAfter("v", 0, TimeUnit.HOURS.toNanos(1)), Accessor.NONE);
        regions.remoteName("greetings", loader);
        return new java.lang.ref.WeakReference<>(loader);
    }
}
