package dev.recall.agent.config;

import java.time.Duration;

/** The {@code defaults:} section: what a method gets when neither its annotation nor its rule says. */
public record Defaults(Duration ttl, long maxSize, boolean cacheNulls) {

    public static final Defaults BUILT_IN = new Defaults(Duration.ofMinutes(5), 10_000, true);
}
