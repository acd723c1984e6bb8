package dev.recall.agent.method.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.bridge.Bridge;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteQueueTest {

    private static final long DELAY = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final WriteQueue queue = new WriteQueue(3, DELAY);

    private boolean offer(Object key, Object value, long now) {
        return queue.offer(key, null, new Object[] {key, value}, value, now);
    }

    @Test
    void aWriteIsDueOnlyAfterItsDelay() {
        assertTrue(offer(1L, "a", 0));
        assertEquals(List.of(), queue.take(99 * MS, 10, false));
        List<PendingWrite> due = queue.take(100 * MS, 10, false);
        assertEquals(1, due.size());
        assertEquals("a", due.get(0).value);
        assertEquals(1, queue.pending(), "running, still pending");
        queue.completed(due.get(0));
        assertEquals(0, queue.pending());
        assertEquals(1, queue.flushed());
    }

    @Test
    void theLastWriteOfAKeyWinsAndKeepsTheAgeOfTheFirst() {
        offer(1L, "a", 0);
        offer(1L, "b", 50 * MS);
        offer(1L, "c", 90 * MS);
        assertEquals(1, queue.pending());
        assertEquals(2, queue.coalesced());
        assertEquals("c", queue.pendingValue(1L));
        List<PendingWrite> due = queue.take(100 * MS, 10, false);
        assertEquals(1, due.size(), "due 100 ms after the first write, however often it was replaced");
        assertEquals("c", due.get(0).value);
    }

    @Test
    void aWriteOfAKeyUnderWayWaitsBehindIt() {
        offer(1L, "a", 0);
        PendingWrite running = queue.take(DELAY, 10, false).get(0);
        offer(1L, "b", DELAY);
        assertEquals("b", queue.pendingValue(1L), "readers see the newest write");
        assertEquals(List.of(), queue.take(10 * DELAY, 10, false), "not beside the write of its key under way");
        queue.completed(running);
        assertEquals("b", queue.take(10 * DELAY, 10, false).get(0).value);
    }

    @Test
    void aFailedWriteIsRetriedLaterWithAGrowingPause() {
        offer(1L, "a", 0);
        PendingWrite w = queue.take(DELAY, 10, false).get(0);
        queue.failed(w, DELAY, Long.MAX_VALUE);
        assertEquals(1, queue.failed());
        assertEquals("a", queue.pendingValue(1L), "kept, not dropped");
        assertEquals(List.of(), queue.take(DELAY + 99 * MS, 10, true), "not before its pause, even when draining");
        w = queue.take(DELAY + 100 * MS, 10, false).get(0);
        queue.failed(w, 200 * MS, Long.MAX_VALUE);
        assertEquals(List.of(), queue.take(399 * MS, 10, false), "the second pause is longer");
        assertSame(w, queue.take(400 * MS, 10, false).get(0));
    }

    @Test
    void aFailedWriteSupersededByANewerOneIsNotRetried() {
        offer(1L, "a", 0);
        PendingWrite old = queue.take(DELAY, 10, false).get(0);
        offer(1L, "b", DELAY);
        queue.failed(old, DELAY, Long.MAX_VALUE);
        assertEquals(1, queue.pending());
        assertEquals("b", queue.take(10 * DELAY, 10, false).get(0).value);
    }

    @Test
    void boundedByWaitingKeysAndReplacingNeverCountsAgainstIt() {
        assertTrue(offer(1L, "a", 0));
        assertTrue(offer(2L, "a", 0));
        assertTrue(offer(3L, "a", 0));
        assertFalse(offer(4L, "a", 0), "full: the caller writes through");
        assertTrue(offer(2L, "b", 0), "a waiting key is replaced even when full");
        assertNull(queue.pendingValue(4L));
    }

    @Test
    void closedQueuesRefuseNewWritesAndKeepTheirOwn() {
        offer(1L, "a", 0);
        offer(2L, "a", 0);
        queue.close();
        assertFalse(offer(3L, "b", 0), "the caller writes through");
        assertEquals(2, queue.take(0, 10, true).size(), "drained at once, delay or not");
    }

    @Test
    void aWriteRefusedAtShutdownReplacesTheOlderWriteOfItsKey() {
        offer(1L, "a", 0);
        queue.close();
        assertFalse(offer(1L, "b", 0), "the caller writes b through itself");
        assertEquals(List.of(), queue.take(0, 10, true), "so a must not run after it");
        assertTrue(queue.isEmpty());
    }

    @Test
    void aPendingNullIsToldApartFromNothingPending() {
        offer(1L, null, 0);
        assertSame(Bridge.NULL, queue.pendingValue(1L));
        assertNull(queue.pendingValue(2L));
    }

    @Test
    void batchesAreBounded() {
        offer(1L, "a", 0);
        offer(2L, "a", 0);
        offer(3L, "a", 0);
        assertEquals(2, queue.take(DELAY, 2, false).size());
        assertEquals(1, queue.take(DELAY, 2, false).size());
    }

    @Test
    void theOldestPendingWriteIsAged() {
        assertEquals(0, queue.oldestPendingMillis(5 * MS));
        offer(1L, "a", 10 * MS);
        offer(2L, "a", 30 * MS);
        assertEquals(40, queue.oldestPendingMillis(50 * MS), 0.001);
    }

    /** Keys 2, 3 and 4 wait, key 1's write "1" is being run by the writer: the queue has no room for key 1. */
    private PendingWrite fullWithKeyOneRunning() {
        assertTrue(offer(1L, "1", 0));
        PendingWrite running = queue.take(DELAY, 1, false).get(0);
        assertTrue(offer(2L, "x", DELAY));
        assertTrue(offer(3L, "x", DELAY));
        assertTrue(offer(4L, "x", DELAY));
        return running;
    }

    /**
     * The reproduction: writes 1, then 2 of one key, the second refused a place while the writer
     * runs the first. The caller's own write waits for the writer's, so the store ends at 2.
     */
    @Test
    void aCallerRefusedAPlaceWritesOnlyAfterTheWriteOfItsKeyUnderWay() throws Exception {
        PendingWrite running = fullWithKeyOneRunning();
        List<String> store = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertFalse(offer(1L, "2", DELAY), "no room: the caller writes through");
        Thread caller = new Thread(() -> {
            queue.awaitDirectTurn(1L, null, new Object[] {1L, "2"}, "2", DELAY);
            store.add("2");
            queue.directDone(1L, true, 2 * DELAY);
        });
        caller.start();
        Thread.sleep(100);
        assertEquals(List.of(), store, "the caller waits while the writer runs the older write");
        store.add("1"); // the writer's run of write 1 ends
        queue.completed(running);
        caller.join(5_000);
        assertEquals(List.of("1", "2"), store, "last write wins in the store");
    }

    @Test
    void anOlderWriteThatFailsIsNotRetriedAfterACallersNewerOne() throws Exception {
        assertEquals(List.of(), keyOneRetriedAfterTheCallersWrite(true), "write 1 is superseded by the caller's write 2");
    }

    @Test
    void anOlderWriteThatFailsIsRetriedIfTheCallersNewerOneFailedToo() throws Exception {
        assertEquals(List.of("1"), keyOneRetriedAfterTheCallersWrite(false),
                "write 1 was accepted and must be made: the caller's write 2 threw to its caller");
    }

    /** Write 1 fails in the writer while a caller waits to write 2 itself; what the writer runs of key 1 after. */
    private List<Object> keyOneRetriedAfterTheCallersWrite(boolean callerSucceeds) throws Exception {
        PendingWrite running = fullWithKeyOneRunning();
        assertFalse(offer(1L, "2", DELAY));
        Thread caller = new Thread(() -> {
            queue.awaitDirectTurn(1L, null, new Object[] {1L, "2"}, "2", DELAY);
            queue.directDone(1L, callerSucceeds, 2 * DELAY);
        });
        caller.start();
        Thread.sleep(50);
        queue.failed(running, 2 * DELAY, DELAY);
        caller.join(5_000);
        assertFalse(caller.isAlive());
        List<Object> keyOne = new java.util.ArrayList<>();
        for (PendingWrite w : queue.take(1000 * DELAY, 10, true)) {
            if (w.key.equals(1L)) {
                keyOne.add(w.value);
            }
        }
        return keyOne;
    }

    @Test
    void whileACallerWritesAKeyItselfTheWriterLeavesTheKeyAlone() {
        WriteQueue q = new WriteQueue(1, DELAY);
        assertTrue(q.offer(9L, null, new Object[0], "a", 0));
        assertFalse(q.offer(1L, null, new Object[0], "b", 0), "full");
        q.awaitDirectTurn(1L, null, new Object[0], "b", 0);
        assertNull(q.latest(1L), "a caller's own write-through is not a pending write");
        assertEquals(1, q.pending());
        q.take(10 * DELAY, 10, false).forEach(q::completed);
        assertTrue(q.offer(1L, null, new Object[0], "c", DELAY), "room again: a newer write is accepted");
        assertEquals(List.of(), q.take(100 * DELAY, 10, false), "not run beside the caller's write of key 1");
        q.directDone(1L, true, DELAY);
        assertEquals("c", q.take(100 * DELAY, 10, false).get(0).value);
    }
}
