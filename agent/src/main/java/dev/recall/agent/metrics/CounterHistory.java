package dev.recall.agent.metrics;

import java.util.Arrays;
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
    /**
     * The ring grows by doubling up to {@link #CAPACITY} as readings come, rather than starting there: a method
     * called once and then measured holds a few readings, not a 128-slot array (issue 28).
     */
    private static final int FIRST_CAPACITY = 4;
    private Sample[] samples = new Sample[FIRST_CAPACITY];
    private int next;
    private int size;

    synchronized void add(Sample s) {
        if (size == samples.length && size < CAPACITY) {
            // Full and not at its largest: next == 0, so the ring is in order; keep it so in a longer array.
            samples = Arrays.copyOf(samples, Math.min(CAPACITY, 2 * size));
            next = size;
        }
        samples[next] = s;
        next = (next + 1) % samples.length;
        size = Math.min(samples.length, size + 1);
    }

    /** The oldest sample no older than {@code windowNanos} before {@code now}, or the oldest kept. */
    synchronized Sample since(long windowNanos, long now) {
        Sample best = null;
        for (int k = 0; k < size; k++) {
            Sample s = samples[Math.floorMod(next - 1 - k, samples.length)];
            if (now - s.nanos() > windowNanos + TimeUnit.MILLISECONDS.toNanos(100)) {
                break;
            }
            best = s;
        }
        return best;
    }

    synchronized void clear() {
        samples = new Sample[FIRST_CAPACITY];
        next = 0;
        size = 0;
    }
}
