package dev.recall.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code redis:} section. Immutable.
 *
 * @param uri {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}; {@code null} for a cluster or Sentinel
 * @param cluster {@code host:port} seeds of a Redis Cluster; empty for one server
 * @param sentinel Redis behind Sentinel (a master and its replicas); {@code null} otherwise
 * @param timeout per command: a slow Redis must cost the application at most this, then it is a miss
 * @param lockTimeout READ_THROUGH across JVMs: how long one JVM waits for another's load of the same key (and
 *     how long that load's lock lives if its JVM dies) before it loads the key itself
 * @param keyPrefix put before every key, so several applications can share one Redis
 * @param secrets what values are encrypted and key names keyed with, newest first: new values and names use the
 *     first, values under the others are still read (a rotation in progress); empty only with {@code insecure}
 * @param allowClasses patterns of application classes that may be read back from Redis
 * @param insecure run without a secret: values in plain text, unsigned (an operator's explicit choice, warned about at start)
 * @param maxValueSize the largest sealed value read from or written to Redis, in bytes: a larger one is
 *     not stored (a write invalidates instead) and counts as a remote error, so that one huge result cannot
 *     make every call of its method wait for megabytes on a 50 ms budget
 * @param maxStaleness the longest any entry lives in Redis, whatever its ttl; {@code null}: no bound. It bounds
 *     what other JVMs can serve after a write made by a JVM that could not reach Redis
 * @param where file and line of the section, for messages
 */
public record RedisSettings(String uri, List<String> cluster, SentinelSettings sentinel, Duration timeout, Duration lockTimeout, String keyPrefix,
                            List<String> secrets, List<String> allowClasses, boolean insecure, long maxValueSize,
                            Duration maxStaleness, String where) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(2);
    public static final String DEFAULT_PREFIX = "recall:";
    public static final long DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

    /** The secret new values and key names use; {@code null} with {@code insecure: true}. */
    public String secret() {
        return secrets.isEmpty() ? null : secrets.get(0);
    }

    @Override
    public String toString() {
        // Never print the secret, nor a password inside the URI.
        String shown = sentinel != null ? sentinel.toString()
                : uri == null ? "cluster " + cluster : uri.replaceAll("//[^@/]*@", "//***@");
        return shown + ", timeout " + Durations.format(timeout) + ", keyPrefix '" + keyPrefix + "'"
                + (secrets.isEmpty() ? ", UNENCRYPTED and UNSIGNED (insecure: true)"
                : ", encrypted" + (secrets.size() > 1 ? " (" + secrets.size() + " secrets: rotating)" : ""));
    }
}
