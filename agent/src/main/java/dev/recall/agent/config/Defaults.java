package dev.recall.agent.config;

import java.time.Duration;

/**
 * The {@code defaults:} section: what a method gets when neither its annotation nor its rule says.
 *
 * @param loadWait how long a READ_THROUGH caller waits for another thread's load of its key before it runs
 *     the method itself
 * @param jitter the share of the TTL by which each entry's life is shortened at random (0.1: up to 10%), so
 *     that keys loaded together do not expire together
 * @param staleIfError how long past its TTL a value may still be served when its reload fails; zero: never
 * @param loadTimeout how long a caller waits for a load when a stale value exists; {@code null}: loadWait
 * @param verify the share of hits (0 to 1) on which the method also runs and its result is compared with the
 *     cached one ({@code verify:} at the top level or in {@code defaults:}); 0: never
 */
public record Defaults(Duration ttl, long maxSize, boolean cacheNulls, Duration loadWait, double jitter,
                       Duration staleIfError, Duration loadTimeout, double verify) {

    public static final double DEFAULT_JITTER = 0.10;

    public static final Defaults BUILT_IN = new Defaults(Duration.ofMinutes(5), 10_000, true, Duration.ofSeconds(30),
            DEFAULT_JITTER, Duration.ZERO, null, 0);

    /** The defaults of the first wave: no freshness settings (jitter, stale values, load timeout) given. */
    public Defaults(Duration ttl, long maxSize, boolean cacheNulls, Duration loadWait) {
        this(ttl, maxSize, cacheNulls, loadWait, DEFAULT_JITTER, Duration.ZERO, null, 0);
    }

    /** The defaults of a file without {@code verify:}. */
    public Defaults(Duration ttl, long maxSize, boolean cacheNulls, Duration loadWait, double jitter,
                    Duration staleIfError, Duration loadTimeout) {
        this(ttl, maxSize, cacheNulls, loadWait, jitter, staleIfError, loadTimeout, 0);
    }

    /** These defaults with another share of verified hits. */
    public Defaults withVerify(double share) {
        return new Defaults(ttl, maxSize, cacheNulls, loadWait, jitter, staleIfError, loadTimeout, share);
    }
}
