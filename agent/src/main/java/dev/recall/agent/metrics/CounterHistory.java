package dev.recall.agent.metrics;

import java.util.concurrent.TimeUnit;

/**
 * Periodic samples of a method's counters, so that rates and ratios can be given over a recent window
 * (hit ratio over the last minute, time saved per second) without any clock read on the hit path.
 * Written by the sampler and read by JMX; both synchronize on this object.
 */
final class CounterHistory {

    /** One reading of the counters. */
    record Sample(long nanos, long hits, long misses, long savedNanos, long loadFailures, long errors) {
    }

    private static final int CAPACITY = 128;
    private final Sample[] samples = new Sample[CAPACITY];
    private int next;
    private int size;

    synchronized void add(Sample s) {
        samples[next] = s;
        next = (next + 1) % CAPACITY;
        size = Math.min(CAPACITY, size + 1);
    }

    /** The oldest sample no older than {@code windowNanos} before {@code now}, or the oldest kept. */
    synchronized Sample since(long windowNanos, long now) {
        Sample best = null;
        for (int k = 0; k < size; k++) {
            Sample s = samples[Math.floorMod(next - 1 - k, CAPACITY)];
            if (now - s.nanos() > windowNanos + TimeUnit.MILLISECONDS.toNanos(100)) {
                break;
            }
            best = s;
        }
        return best;
    }

    synchronized void clear() {
        next = 0;
        size = 0;
    }
}
