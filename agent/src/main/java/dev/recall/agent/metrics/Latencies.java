package dev.recall.agent.metrics;

import java.util.Arrays;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Latencies in microseconds, held as they were recorded while they are few and as a {@link PackedHistogram}
 * once there are more than {@value #FEW}. A packed histogram costs about 600 bytes even for one value, and
 * most cached methods load a handful of times (a key each, then hits): a window holding one load kept three
 * of them, about 1.2 KB of every called method (issue 28). The values are the same either way: what is read is
 * always a histogram the values were recorded into (made for the read while they are few), so percentiles,
 * mean and max are exactly what a histogram from the start would give.
 *
 * <p>Not thread-safe: {@link LatencyWindow} guards each one with the lock that guards the field holding it.
 */
final class Latencies {

    /** Up to this many values are kept as recorded: 16 + 8 x 8 bytes, against ~600 for the smallest histogram. */
    static final int FEW = 8;

    private final long highestMicros;
    private final int digits;
    private long[] few;
    private int count;
    private PackedHistogram many;

    Latencies(long highestMicros, int digits) {
        this.highestMicros = highestMicros;
        this.digits = digits;
    }

    void record(long micros) {
        if (many != null) {
            many.recordValue(micros);
            return;
        }
        if (few == null) {
            few = new long[2];
        } else if (count == few.length) {
            if (count == FEW) {
                toMany().recordValue(micros);
                return;
            }
            few = Arrays.copyOf(few, Math.min(FEW, 2 * count));
        }
        few[count++] = micros;
    }

    /** Adds everything {@code other} holds. */
    void add(Latencies other) {
        if (other.many != null) {
            toMany().add(other.many);
        } else {
            for (int i = 0; i < other.count; i++) {
                record(other.few[i]);
            }
        }
    }

    /** From values to a histogram of them, for good. */
    private PackedHistogram toMany() {
        if (many == null) {
            many = (PackedHistogram) histogram();
            few = null;
            count = 0;
        }
        return many;
    }

    /** Adds everything this holds into {@code target}. */
    void addTo(Histogram target) {
        if (many != null) {
            target.add(many);
        } else {
            for (int i = 0; i < count; i++) {
                target.recordValue(few[i]);
            }
        }
    }

    long totalCount() {
        return many != null ? many.getTotalCount() : count;
    }

    /** What this holds, as a histogram: its own, or, while the values are few, one made for the reader. */
    Histogram histogram() {
        if (many != null) {
            return many;
        }
        PackedHistogram h = new PackedHistogram(highestMicros, digits);
        addTo(h);
        return h;
    }

    /** The heap it holds: HdrHistogram's estimate once it is a histogram, else the array of values. */
    long footprintBytes() {
        if (many != null) {
            return many.getEstimatedFootprintInBytes();
        }
        return few == null ? 0 : 16 + 8L * few.length;
    }
}
