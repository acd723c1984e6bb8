package dev.recall;

/**
 * How a {@link Cached} method and its region's entries relate.
 *
 * <p>In a configuration file the same values are written in lower case with dashes:
 * {@code read-through}, {@code cache-aside}, {@code write-through}, {@code write-back}.
 */
public enum Strategy {
    /**
     * For a method that returns a value (the default). The agent looks the key up; on a miss the method
     * runs <em>once per key</em>, even when many threads miss at the same moment: the others wait for that
     * one result instead of running the method themselves. If that run throws, nothing is cached and each
     * waiting thread runs the method for itself, one at a time, so every caller sees its own outcome.
     */
    READ_THROUGH,

    /**
     * For a method that returns a value. The agent looks the key up; on a miss the calling thread runs
     * the method and stores the result. Concurrent misses are not coalesced: no thread waits for another,
     * no lock is taken.
     */
    CACHE_ASIDE,

    /**
     * For a write method. The method runs; when it returns normally the region's entry for the key is set
     * to the written value (see {@link Cached} for which value that is). When it throws, the entry is
     * invalidated, never left half-written.
     */
    WRITE_THROUGH,

    /**
     * For a {@code void} write method. The entry is set at once and the call returns; the real method runs
     * later, on the agent's background writer, with the same instance and arguments. Writes of one key
     * waiting together are coalesced (the last wins); each pass of the writer runs a batch per method; a
     * write that throws is retried with a growing pause (never dropped, unless a newer write of its key
     * replaces it); when too many writes wait, the caller writes through instead; at JVM shutdown every
     * waiting write is run, and one that still cannot be made is reported on stderr. Until a write has run,
     * readers of its key see the written value even if its entry was evicted. Arguments are kept by
     * reference until then: do not change them after the call. Tuned by the {@code writeBack:} section of
     * the configuration file.
     */
    WRITE_BACK
}
