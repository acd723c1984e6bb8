package dev.recall.agent.metrics;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load latencies, over a recent window and since start.
 *
 * <p>Recording is wait-free (an HdrHistogram {@link Recorder}), because it happens on the application's
 * threads. Reading drains the recorder into time slices of {@link #SLICE_NANOS}; a window is the merge of
 * the slices it covers, so "the last two minutes" is never drowned by yesterday's figures. Readers
 * (JMX, the sampler) synchronize on this object; recorders never do.
 */
public final class LatencyWindow {

    public static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Ten minutes of whole slices plus the current, partly filled one: the longest window an alert may ask for. */
    public static final int SLICES = 61;
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int DIGITS = 2;

    private final Recorder recorder = new Recorder(HIGHEST_MICROS, DIGITS);
    private final Histogram[] slices = new Histogram[SLICES];
    private final long[] sliceIds = new long[SLICES];
    private final Histogram lifetime = new Histogram(HIGHEST_MICROS, DIGITS);
    private Histogram recycled;

    public LatencyWindow() {
        for (int i = 0; i < SLICES; i++) {
            slices[i] = new Histogram(HIGHEST_MICROS, DIGITS);
            sliceIds[i] = Long.MIN_VALUE;
        }
    }

    /** Called on the application's thread after each load. */
    public void record(long nanos) {
        recorder.recordValue(Math.max(1, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos))));
    }

    /** Moves what was recorded since the last call into the slice of {@code nowNanos}. */
    public synchronized void drain(long nowNanos) {
        Histogram interval = recorder.getIntervalHistogram(recycled);
        long id = Math.floorDiv(nowNanos, SLICE_NANOS);
        int i = (int) Math.floorMod(id, (long) SLICES);
        if (sliceIds[i] != id) {
            slices[i].reset();
            sliceIds[i] = id;
        }
        slices[i].add(interval);
        lifetime.add(interval);
        recycled = interval;
    }

    /**
     * Latencies of at least the last {@code windowNanos}: the current, partly filled slice and enough
     * whole slices before it to cover the window.
     */
    public synchronized LatencySnapshot recent(long windowNanos, long nowNanos) {
        drain(nowNanos);
        long newest = Math.floorDiv(nowNanos, SLICE_NANOS);
        long count = Math.max(1, Math.min(SLICES - 1, (windowNanos + SLICE_NANOS - 1) / SLICE_NANOS));
        Histogram merged = new Histogram(HIGHEST_MICROS, DIGITS);
        for (int i = 0; i < SLICES; i++) {
            if (sliceIds[i] >= newest - count && sliceIds[i] <= newest) {
                merged.add(slices[i]);
            }
        }
        return LatencySnapshot.of(merged);
    }

    public synchronized LatencySnapshot lifetime(long nowNanos) {
        drain(nowNanos);
        return LatencySnapshot.of(lifetime);
    }

    public synchronized void reset() {
        recorder.reset();
        lifetime.reset();
        for (int i = 0; i < SLICES; i++) {
            slices[i].reset();
            sliceIds[i] = Long.MIN_VALUE;
        }
    }
}
