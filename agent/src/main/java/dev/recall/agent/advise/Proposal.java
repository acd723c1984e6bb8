package dev.recall.agent.advise;

import java.util.List;

/**
 * The advisor's report at one moment: every observed method that was called, judged and ranked, and what the
 * observing cost. Immutable.
 *
 * @param verdicts recommended first (most time saved first), then covered, then refused
 * @param observed methods observed (called or not)
 * @param observedNanos how long the advisor has been observing
 * @param calls calls of observed methods
 * @param analysisNanos time spent analysing sampled calls (fingerprints, key history, allocation)
 * @param perCallNanos the measured cost of observing one call without analysing it (counting, timing)
 * @param failures failures inside the observers (each call ran as usual)
 */
public record Proposal(List<Verdict> verdicts, int observed, long observedNanos, long calls, long analysisNanos,
                     long perCallNanos, long failures) {

    /** The observer's own work, in milliseconds per second of observation (per core it ran on). */
    public double overheadMillisPerSecond() {
        return observedNanos <= 0 ? 0 : (analysisNanos + (double) calls * perCallNanos) / 1e6 / (observedNanos / 1e9);
    }
}
