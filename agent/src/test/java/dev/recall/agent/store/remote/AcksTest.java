package dev.recall.agent.store.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AcksTest {

    @Test
    void aWriteReturnsOnceEveryOtherHolderAcknowledged() throws InterruptedException {
        Acks acks = new Acks();
        Acks.Waiting w = acks.begin();
        acks.acknowledged(w.id, "b"); // before Redis named the holders: still counted
        acks.holders(w, List.of("self", "b", "c"), "self");
        Thread ack = new Thread(() -> {
            sleep(100);
            acks.acknowledged(w.id, "c");
        });
        long start = System.nanoTime();
        ack.start();
        acks.await(w);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= 90 && waited < Lease.MILLIS, "waited for c only, " + waited + " ms");
        assertEquals(0, acks.timedOut());
    }

    @Test
    void noHoldersNoWait() {
        Acks acks = new Acks();
        Acks.Waiting w = acks.begin();
        acks.holders(w, List.of("self"), "self");
        long start = System.nanoTime();
        acks.await(w);
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(100));
        acks.await(null); // an announcement that never reached Redis: nothing to wait for
    }

    @Test
    void aSilentHolderIsWaitedForALeaseAndNoLonger() {
        Acks acks = new Acks();
        Acks.Waiting w = acks.begin();
        acks.holders(w, List.of("silent"), "self");
        long start = System.nanoTime();
        acks.await(w);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= Lease.MILLIS - 5 && waited < Lease.MILLIS + 1000, "waited " + waited + " ms");
        assertEquals(1, acks.timedOut());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
