package dev.recall.agent.config;

import java.time.Duration;

/**
 * The {@code near:} section: the local tier of {@code two-level}. Immutable.
 *
 * @param ttl how long a near entry is trusted at most, even if no invalidation arrives
 * @param maxSize entries kept per region
 */
public record NearSettings(Duration ttl, long maxSize) {

    public static final NearSettings DEFAULT = new NearSettings(Duration.ofSeconds(10), 10_000);
}
