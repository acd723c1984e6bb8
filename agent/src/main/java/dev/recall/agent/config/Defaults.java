package dev.recall.agent.config;

import java.time.Duration;

/**
 * The {@code defaults:} section: what a method gets when neither its annotation nor its rule says.
 *
 * @param loadWait how long a READ_THROUGH caller waits for another thread's load of its key before it runs
 *     the method itself
 */
public record Defaults(Duration ttl, long maxSize, boolean cacheNulls, Duration loadWait) {

    public static final Defaults BUILT_IN = new Defaults(Duration.ofMinutes(5), 10_000, true, Duration.ofSeconds(30));
}
