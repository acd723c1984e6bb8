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
        Regions regions = new Regions();
        Region a = regions.region("products", 100, java.time.Duration.ofHours(1));
        assertSame(a, regions.region("products", 100, java.time.Duration.ofHours(1)));
        assertEquals("products", a.name());
        assertTrue(a.store() instanceof LocalStore);
    }

    @Test
    void differentNamesAreDifferentRegions() {
        Regions regions = new Regions();
        assertNotSame(regions.region("a", 100, java.time.Duration.ofHours(1)), regions.region("b", 100, java.time.Duration.ofHours(1)));
        assertEquals(2, regions.all().size());
    }

    @Test
    void aLaterMethodAskingForMoreRoomGrowsTheRegion() {
        Regions regions = new Regions();
        regions.region("products", 10, java.time.Duration.ofHours(1));
        Region r = regions.region("products", 500, java.time.Duration.ofHours(1));
        for (int i = 0; i < 300; i++) {
            r.write(i, Entry.expiringAfter(i, 0, TimeUnit.HOURS.toNanos(1)));
        }
        assertEquals(300, r.size());
    }
}
