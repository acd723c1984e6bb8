package dev.recall.sample.scenario;

/**
 * How one operation behaved in the scenario.
 *
 * @param operation   the method called
 * @param keys        how many distinct arguments it was called with
 * @param calls       all calls, first ones included
 * @param failures    calls that threw (timed like the others; a cache never stores a failure)
 * @param firstMs     mean of each key's first call (with a cache: the miss that loads it)
 * @param repeatAvgMs mean of all later calls of the same keys (with a cache: the hits)
 * @param sample      one call's result, to show both runs compute the same thing
 */
public record OperationTiming(String operation, int keys, int calls, int failures, double firstMs,
                              double repeatAvgMs, String sample) {

    /** How many times faster a repeated call is than a first one. */
    public double speedUp() {
        return repeatAvgMs <= 0 ? Double.POSITIVE_INFINITY : firstMs / repeatAvgMs;
    }
}
