package dev.recall.agent.store.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaseTest {

    @Test
    void noNearHitsBeforeTheFirstFenceNorAfterARevoke() {
        Lease lease = new Lease();
        assertFalse(lease.valid());
        AtomicInteger lapses = new AtomicInteger();
        lease.granted(System.nanoTime(), lapses::incrementAndGet);
        assertTrue(lease.valid());
        assertEquals(1, lapses.get(), "the first lease empties the near tier first: fills made without one may be stale");
        lease.granted(System.nanoTime(), lapses::incrementAndGet);
        assertEquals(1, lapses.get(), "a renewal of a running lease keeps the near tier");
        lease.revoke();
        assertFalse(lease.valid());
    }

    @Test
    void aFenceThatArrivesAfterItsLeaseWouldHaveEndedGrantsNothing() {
        Lease lease = new Lease();
        AtomicInteger lapses = new AtomicInteger();
        lease.granted(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(Lease.LOCAL_MILLIS + 10), lapses::incrementAndGet);
        assertFalse(lease.valid());
        assertEquals(0, lapses.get());
    }

    @Test
    void theLeaseRunsFromTheRenewalsSendingAndEndsByItself() throws InterruptedException {
        Lease lease = new Lease();
        // Sent long enough ago that only 100 ms of the local lease are left.
        lease.granted(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(Lease.LOCAL_MILLIS - 100), () -> { });
        assertTrue(lease.valid());
        Thread.sleep(150 + 50); // the coarse clock's tick and some scheduling
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (lease.valid() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(lease.valid(), "a lease nobody renews runs out by itself");
        assertTrue(Lease.LOCAL_MILLIS < Lease.MILLIS, "writers wait longer than a lease is trusted");
    }
}
