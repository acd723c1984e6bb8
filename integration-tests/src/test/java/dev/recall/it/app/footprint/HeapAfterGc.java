package dev.recall.it.app.footprint;

import java.lang.management.ManagementFactory;

/** The heap in use once the GC has collected what it can. */
final class HeapAfterGc {

    private HeapAfterGc() {
    }

    static long usedBytes() throws InterruptedException {
        long used = Long.MAX_VALUE;
        // A few rounds: a collection may enqueue references whose processing frees more for the next.
        for (int i = 0; i < 4; i++) {
            ManagementFactory.getMemoryMXBean().gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static double usedMb() throws InterruptedException {
        return Math.round(usedBytes() / 1e5) / 10.0;
    }
}
