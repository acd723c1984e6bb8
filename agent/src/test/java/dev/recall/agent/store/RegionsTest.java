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
}
