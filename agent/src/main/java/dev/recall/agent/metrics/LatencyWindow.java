package dev.recall.agent.metrics;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Load latencies, over a recent window and since start.
 *
 * <p>Recording happens on the application's threads after each load, into a plain {@link Latencies}
 * under a lock of its own ({@code recording}), held for one increment. Not HdrHistogram's concurrent
 * recorder: its packed concurrent histogram was seen to spin for ever while growing its array under
 * concurrent loads (ConsistencyIT, two application threads stuck in {@code expandEntry}), and a load
 * already costs far more than an uncontended lock. Reading swaps the interval histogram out under that
 * lock and adds it into time slices of {@link #SLICE_NANOS}; a window is the merge of the slices it
 * covers, so "the last two minutes" is never drowned by yesterday's figures. Readers (JMX, the sampler)
 * synchronize on this object; recorders never do.
 *
 * <p>Footprint: every cached method has one of these, and a rule such as {@code **#*(..)} makes tens of
 * thousands of them, most of which never load at all. So nothing is allocated before the first load
 * (the interval histogram is created by the first load after each drain), and every histogram
 * is a {@link PackedHistogram}, whose size follows the number of distinct latencies it holds rather than
 * the 1 µs to 1 h range it covers (a full array at two digits is 26 KB; a slice of loads that all take
 * about the same time is a few hundred bytes). A slice exists only while it holds loads of the last ten
 * minutes: slices of quiet periods are never created and expired ones are dropped on the next drain.
 * Precision stays at two significant digits (1%), what the JMX percentiles promise. And below the packed
 * histograms' own floor (about 600 bytes each), a few loads are held as they were recorded
 * ({@link Latencies}) until there are more than {@value Latencies#FEW}.
 */
public final class LatencyWindow {

    /** 60 s: the two-minute JMX window is 2 to 3 slices, the ten-minute alert window 10 to 11; fewer slices, less heap. */
    static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Ten minutes of whole slices plus the current, partly filled one: the longest window an alert may ask for. */
    static final int SLICES = 11;
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int DIGITS = 2;
    /**
     * What the histograms may hold in all: with the rest of a cached method (about 6 KB: its region and MBean,
     * 16 KB with the meters of an exporter; FootprintIT, docs/performance.md), a method costs at most 64 KB
     * before its entries. Ordinary
     * loads stay far below (29 KB after ten busy minutes of 1-100 ms loads); loads spread over the whole 1 µs
     * to 1 h range every minute would not (82 KB in LatencyWindowTest), and then the oldest slices beyond the
     * JMX window go first, so an alert over ten minutes sees fewer of them.
     */
    static final long BUDGET_BYTES = 40 * 1024;
    /** Slices never given up for the budget: the current one and the two before, the JMX window's. */
    private static final int KEPT_SLICES = 3;
    /** Guards {@link #interval}: held by recorders for one increment, and by a drain for one swap. */
    private final Object recording = new Object();
    /** What was recorded since the last drain; {@code null} until the first load after it. */
    private Latencies interval;
    /** Guarded by {@code this}, as is everything below. A null slice holds no loads. */
    private final Latencies[] slices = new Latencies[SLICES];
    private final long[] sliceIds = new long[SLICES];
    private Latencies lifetime;

    public LatencyWindow() {
        Arrays.fill(sliceIds, Long.MIN_VALUE);
    }

    /** Called on the application's thread after each load. */
    public void record(long nanos) {
        long micros = Math.max(1, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
        synchronized (recording) {
            Latencies h = interval;
            if (h == null) {
                h = new Latencies(HIGHEST_MICROS, DIGITS);
                interval = h;
            }
            h.record(micros);
        }
    }

    /** The loads recorded since the last call, or {@code null} if none; recorders start a new one. */
    private Latencies takeInterval() {
        synchronized (recording) {
            Latencies h = interval;
            interval = null;
            return h;
        }
    }

    /** Moves what was recorded since the last call into the slice of {@code nowNanos}. */
    public synchronized void drain(long nowNanos) {
        long id = Math.floorDiv(nowNanos, SLICE_NANOS);
        for (int k = 0; k < SLICES; k++) {
            if (slices[k] != null && sliceIds[k] <= id - SLICES) {
                slices[k] = null;
                sliceIds[k] = Long.MIN_VALUE;
            }
        }
        Latencies interval = takeInterval();
        if (interval == null || interval.totalCount() == 0) {
            return;
        }
        int i = (int) Math.floorMod(id, (long) SLICES);
        if (sliceIds[i] != id || slices[i] == null) {
            slices[i] = new Latencies(HIGHEST_MICROS, DIGITS);
            sliceIds[i] = id;
        }
        slices[i].add(interval);
        if (lifetime == null) {
            lifetime = new Latencies(HIGHEST_MICROS, DIGITS);
        }
        lifetime.add(interval);
        keepWithinBudget(id);
    }

    /** Gives up the oldest slices outside the JMX window while the histograms hold more than the budget. */
    private void keepWithinBudget(long newest) {
        while (footprintBytes() > BUDGET_BYTES) {
            int oldest = -1;
            for (int k = 0; k < SLICES; k++) {
                if (slices[k] != null && sliceIds[k] <= newest - KEPT_SLICES
                        && (oldest < 0 || sliceIds[k] < sliceIds[oldest])) {
                    oldest = k;
                }
            }
            if (oldest < 0) {
                return;
            }
            slices[oldest] = null;
            sliceIds[oldest] = Long.MIN_VALUE;
        }
    }

    /** What the histograms hold now, by HdrHistogram's estimate. */
    synchronized long footprintBytes() {
        long bytes = lifetime == null ? 0 : lifetime.footprintBytes();
        for (Latencies h : slices) {
            if (h != null) {
                bytes += h.footprintBytes();
            }
        }
        return bytes;
    }

    /**
     * Latencies of at least the last {@code windowNanos}: the current, partly filled slice and enough
     * whole slices before it to cover the window.
     */
    synchronized LatencySnapshot recent(long windowNanos, long nowNanos) {
        drain(nowNanos);
        long newest = Math.floorDiv(nowNanos, SLICE_NANOS);
        long count = Math.max(1, Math.min(SLICES - 1, (windowNanos + SLICE_NANOS - 1) / SLICE_NANOS));
        Histogram merged = null;
        for (int i = 0; i < SLICES; i++) {
            if (slices[i] != null && sliceIds[i] >= newest - count && sliceIds[i] <= newest) {
                if (merged == null) {
                    // Garbage once read: a reader's merge is never kept (nor the iterators a read leaves in it).
                    // Packed, like the slices: a full histogram is 23 KB, and the sampler reads windows often.
                    merged = new PackedHistogram(HIGHEST_MICROS, DIGITS);
                }
                slices[i].addTo(merged);
            }
        }
        return merged == null ? LatencySnapshot.EMPTY : LatencySnapshot.of(merged);
    }

    public synchronized LatencySnapshot lifetime(long nowNanos) {
        drain(nowNanos);
        return lifetime == null ? LatencySnapshot.EMPTY : LatencySnapshot.of(lifetime.histogram());
    }

    synchronized void reset() {
        takeInterval();
        lifetime = null;
        for (int i = 0; i < SLICES; i++) {
            slices[i] = null;
            sliceIds[i] = Long.MIN_VALUE;
        }
    }
}
