package dev.recall.agent.advise;

import java.util.Map;

/**
 * One method's evidence at one moment: plain figures, immutable (but for the array, which nobody changes), in groups of
 * what is read together.
 *
 * @param timing how often it ran and how long it took
 * @param analysis what analysing its calls cost, and what a call allocates
 * @param writes what it was seen to change: its arguments, or what its callers hold
 * @param recurrence its arguments seen again, and whether the results agreed
 * @param lifetimes how long its results stayed unchanged
 * @param graph the time of its calls, of the observed methods they called, and who changed its results
 */
public record Figures(Timing timing, Analysis analysis, Writes writes, Recurrence recurrence, Lifetimes lifetimes,
                      CallGraph graph) {

    /**
     * @param observedNanos how long the method has been observed
     */
    public record Timing(long calls, long totalNanos, long observedNanos, double p50Millis, double p90Millis,
                         double p99Millis, long failures, long threw) {

        public double callsPerSecond() {
            return observedNanos <= 0 ? 0 : calls * 1e9 / observedNanos;
        }
    }

    /**
     * @param allocatedPerCall mean bytes allocated per analysed call, -1 if not measured
     */
    public record Analysis(long analysed, long analysisNanos, long allocatedPerCall) {
    }

    public record Writes(int writtenArgument, String writtenType, long callerChecks, long callerChanges,
                         String changedType, String mutableType) {
    }

    /**
     * @param lookups analysed calls that returned (their arguments looked up in the key history)
     * @param repeats of those, calls whose arguments were seen before on an equal receiver
     * @param crossRepeats calls whose arguments were seen before on a receiver of another state
     * @param unchanged repeats that gave the same result as before; {@code changed}: a different one
     * @param undecisive per argument, whether it was seen never to decide the result
     */
    public record Recurrence(long lookups, long repeats, long crossRepeats, long unchanged, long changed,
                             long agreeAcross, long disagreeAcross, boolean[] undecisive) {

        /** Of the repeats, the share that gave the same result as before, 0..1; NaN before any. */
        public double sameResultShare() {
            long n = unchanged + changed;
            return n == 0 ? Double.NaN : (double) unchanged / n;
        }
    }

    /**
     * @param medianLifeMillis the median life of the latest results seen to change (each the middle of the time it was
     *     last seen unchanged and the time the change was seen); -1 if none was seen to change
     * @param longestUnchangedMillis the longest time one result was seen unchanged
     */
    public record Lifetimes(long medianLifeMillis, long longestUnchangedMillis) {
    }

    /**
     * @param followedNanos the time of the calls followed (analysed, or nested in an analysed call)
     * @param childNanos of that time, what went to each observed method it called
     * @param writers changes of its results traced to the method (and the property of its first argument) that wrote them
     * @param ranBeforeChanges the observed methods that ran between a result and its change, with how many changes each
     */
    public record CallGraph(long followedNanos, Map<Observer, Long> childNanos, Map<RecentResults.Writer, Long> writers,
                            Map<Observer, Long> ranBeforeChanges) {
    }
}
