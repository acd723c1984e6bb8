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
     * later on a background writer that coalesces writes per key, batches them, retries failures and
     * drains on shutdown. <b>Not available yet:</b> a method that asks for it is reported at startup and
     * runs uncached.
     */
    WRITE_BACK
}
