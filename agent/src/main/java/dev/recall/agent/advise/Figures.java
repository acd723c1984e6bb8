package dev.recall.agent.advise;

import java.util.Map;

/**
 * One method's evidence at one moment: plain figures, immutable (but for the array, which nobody changes).
 *
 * @param observedNanos how long the method has been observed
 * @param allocatedPerCall mean bytes allocated per analysed call, -1 if not measured
 * @param lookups analysed calls that returned (their arguments looked up in the key history)
 * @param repeats of those, calls whose arguments were seen before on an equal receiver
 * @param crossRepeats calls whose arguments were seen before on a receiver of another state
 * @param unchanged repeats that gave the same result as before; {@code changed}: a different one
 * @param medianLifeMillis the median life of the latest results seen to change (each the middle of the time it was
 *     last seen unchanged and the time the change was seen); -1 if none was seen to change
 * @param longestUnchangedMillis the longest time one result was seen unchanged
 * @param undecisive per argument, whether it was seen never to decide the result
 * @param followedNanos the time of the calls followed (analysed, or nested in an analysed call)
 * @param childNanos of that time, what went to each observed method it called
 * @param ranBeforeChanges the observed methods that ran between a result and its change, with how many changes each
 * @param writers changes of its results traced to the method (and the property of its first argument) that wrote them
 */
public record Figures(long calls, long totalNanos, long observedNanos, double p50Millis, double p90Millis, double p99Millis,
                      long failures, long threw, long analysed, long analysisNanos, int writtenArgument, String writtenType,
                      long callerChecks, long callerChanges, String changedType, String mutableType, long allocatedPerCall,
                      long lookups, long repeats, long crossRepeats, long unchanged, long changed, long agreeAcross,
                      long disagreeAcross, long medianLifeMillis, long longestUnchangedMillis, boolean[] undecisive,
                      long followedNanos, Map<Observer, Long> childNanos, Map<RecentResults.Writer, Long> writers,
                      Map<Observer, Long> ranBeforeChanges) {

    public double callsPerSecond() {
        return observedNanos <= 0 ? 0 : calls * 1e9 / observedNanos;
    }

    /** Of the repeats, the share that gave the same result as before, 0..1; NaN before any. */
    public double sameResultShare() {
        long n = unchanged + changed;
        return n == 0 ? Double.NaN : (double) unchanged / n;
    }
}
