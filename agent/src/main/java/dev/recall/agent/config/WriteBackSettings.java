package dev.recall.agent.config;

import java.time.Duration;

/**
 * The {@code writeBack:} section: how the background writer of {@code WRITE_BACK} methods works. Immutable.
 *
 * @param delay how long a write waits before it runs, so that later writes of the same key replace it
 * @param maxPending writes waiting per method; past it, a caller runs its write itself (write-through)
 * @param batchSize writes one method runs per pass of the writer before it moves to the next method
 * @param drainTimeout at JVM shutdown, how long failing writes are retried before they are reported lost
 */
public record WriteBackSettings(Duration delay, int maxPending, int batchSize, Duration drainTimeout) {

    public static final WriteBackSettings DEFAULT = new WriteBackSettings(Duration.ofMillis(100), 10_000, 100,
            Duration.ofSeconds(10));
}
