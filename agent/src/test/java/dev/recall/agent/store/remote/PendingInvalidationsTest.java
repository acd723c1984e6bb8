package dev.recall.agent.store.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingInvalidationsTest {

    /** The drained keys as "region key" strings, in the order the connector replays them. */
    private static List<String> keys(PendingInvalidations.Drained d) {
        List<String> out = new ArrayList<>();
        for (String[] k : d.keys()) {
            out.add(k[0] + " " + k[1]);
        }
        return out;
    }

    @Test
    void nothingIsOwedUntilAnInvalidationCouldNotBeDelivered() {
        PendingInvalidations p = new PendingInvalidations(10);
        assertTrue(p.isEmpty());
        PendingInvalidations.Drained d = p.drain();
        assertEquals(List.of(), keys(d));
        assertEquals(List.of(), d.regions());
    }

    @Test
    void aKeyIsOwedUntilDrainedWithItsRegion() {
        PendingInvalidations p = new PendingInvalidations(10);
        p.key("products", "recall:products:k1");
        assertFalse(p.isEmpty(), "reads must stay off Redis while this is owed");
        PendingInvalidations.Drained d = p.drain();
        assertEquals(List.of("products recall:products:k1"), keys(d));
        assertEquals(List.of(), d.regions());
        assertTrue(p.isEmpty(), "drained once: a second probe does not apply it again");
        assertEquals(List.of(), keys(p.drain()));
    }

    @Test
    void keysAreReplayedByRegionInTheOrderFirstRememberedAndEachOnce() {
        PendingInvalidations p = new PendingInvalidations(10);
        p.key("products", "p1");
        p.key("baskets", "b1");
        p.key("products", "p2");
        p.key("products", "p1");
        p.key("baskets", "b2");
        assertEquals(List.of("products p1", "products p2", "baskets b1", "baskets b2"), keys(p.drain()));
    }

    @Test
    void aWholeRegionReplacesItsKeysAndAbsorbsLaterOnes() {
        PendingInvalidations p = new PendingInvalidations(10);
        p.key("products", "p1");
        p.key("baskets", "b1");
        p.region("products");
        p.key("products", "p2");
        p.region("products");
        PendingInvalidations.Drained d = p.drain();
        assertEquals(List.of("products"), d.regions(), "one new generation, however many times it was asked for");
        assertEquals(List.of("baskets b1"), keys(d), "the new generation already hides every entry of products");
    }

    @Test
    void regionsAreReplayedInTheOrderTheyWereInvalidated() {
        PendingInvalidations p = new PendingInvalidations(10);
        p.region("b");
        p.region("a");
        p.region("c");
        p.region("a");
        assertEquals(List.of("b", "a", "c"), p.drain().regions());
    }

    @Test
    void aRegionAloneIsOwedToo() {
        PendingInvalidations p = new PendingInvalidations(10);
        p.region("products");
        assertFalse(p.isEmpty());
        p.drain();
        assertTrue(p.isEmpty());
    }

    @Test
    void upToTheLimitEveryKeyIsKept() {
        PendingInvalidations p = new PendingInvalidations(3);
        p.key("a", "a1");
        p.key("a", "a2");
        p.key("b", "b1");
        p.key("a", "a1"); // already owed: takes no room
        PendingInvalidations.Drained d = p.drain();
        assertEquals(List.of("a a1", "a a2", "b b1"), keys(d));
        assertEquals(List.of(), d.regions());
    }

    @Test
    void pastTheLimitTheRegionWithTheMostKeysIsInvalidatedWhole() {
        PendingInvalidations p = new PendingInvalidations(4);
        p.key("a", "a1");
        p.key("b", "b1");
        p.key("b", "b2");
        p.key("b", "b3");
        p.key("a", "a2"); // the fifth key: b, the largest, goes whole, although the key was a's
        PendingInvalidations.Drained d = p.drain();
        assertEquals(List.of("b"), d.regions());
        assertEquals(List.of("a a1", "a a2"), keys(d));
    }

    @Test
    void aRegionInvalidatedWholeFreesItsRoomForOtherKeys() {
        PendingInvalidations p = new PendingInvalidations(3);
        p.key("a", "a1");
        p.key("a", "a2");
        p.key("a", "a3");
        p.key("b", "b1"); // a goes whole
        p.key("b", "b2");
        p.key("b", "b3"); // b1..b3: three keys again, within the limit
        PendingInvalidations.Drained d = p.drain();
        assertEquals(List.of("a"), d.regions());
        assertEquals(List.of("b b1", "b b2", "b b3"), keys(d), "a's three keys no longer count");
    }

    @Test
    void aLongOutageCostsOneRegionInvalidationNotAnUnboundedSet() {
        PendingInvalidations p = new PendingInvalidations(100);
        for (int i = 0; i < 100_000; i++) {
            p.key("products", "p" + i);
        }
        p.key("baskets", "b1");
        PendingInvalidations.Drained d = p.drain();
        assertEquals(List.of("products"), d.regions());
        assertEquals(List.of("baskets b1"), keys(d));
    }

    @Test
    void whatAFailedProbeCouldNotApplyIsOwedAgainWithWhatCameMeanwhile() {
        PendingInvalidations p = new PendingInvalidations(10);
        p.key("a", "a1");
        p.key("b", "b1");
        p.region("c");
        PendingInvalidations.Drained owed = p.drain();
        assertTrue(p.isEmpty());

        // While the probe runs, the application goes on invalidating.
        p.key("a", "a2");
        p.region("b");
        p.restore(owed);

        PendingInvalidations.Drained d = p.drain();
        assertEquals(List.of("b", "c"), d.regions());
        assertEquals(List.of("a a2", "a a1"), keys(d), "b1 is covered by b's new generation");
    }

    @Test
    void restoringKeepsTheLimit() {
        PendingInvalidations p = new PendingInvalidations(3);
        p.key("a", "a1");
        p.key("a", "a2");
        p.key("b", "b1");
        PendingInvalidations.Drained owed = p.drain();
        p.key("b", "b2");
        p.key("b", "b3");
        p.key("b", "b4");
        p.restore(owed); // six keys for a room of three
        PendingInvalidations.Drained d = p.drain();
        assertEquals(List.of("b"), d.regions());
        assertEquals(List.of("a a1", "a a2"), keys(d));
    }
}
