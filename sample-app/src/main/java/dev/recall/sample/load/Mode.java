package dev.recall.sample.load;

/**
 * How requests are paced.
 * <ul>
 *   <li>{@link #OPEN}: requests leave at a fixed rate whatever the service does, as real users arrive;
 *       response times are measured from each request's intended send time, so a stall shows up in every
 *       request that should have been sent during it (no coordinated omission).</li>
 *   <li>{@link #CLOSED}: a fixed number of clients, each sending its next request when the previous one
 *       has completed; throughput then follows the service's speed.</li>
 * </ul>
 */
public enum Mode {
    OPEN, CLOSED
}
