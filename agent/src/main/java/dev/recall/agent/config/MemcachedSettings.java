package dev.recall.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code memcached:} section. Immutable. The fields mean what they mean in {@link RedisSettings}.
 *
 * @param servers {@code host:port} of every server; keys are spread over them by consistent hashing (Ketama)
 * @param timeout per command: a slow Memcached costs the application at most this, then it is a miss
 * @param lockTimeout how long one JVM waits for another's load of the same key (and how long that load's lock lives)
 * @param keyPrefix put before every key; with the keyed hash it stays within Memcached's 250 bytes
 * @param secrets what values are encrypted and key names keyed with, newest first; empty only with {@code insecure}
 * @param allowClasses patterns of application classes that may be read back
 * @param insecure run without a secret: values in plain text, unsigned
 * @param maxValueSize the largest payload stored (Memcached's item limit, 1 MB, by default)
 * @param maxStaleness the longest any entry lives there, whatever its ttl; {@code null}: no bound
 * @param where file and line of the section, for messages
 */
public record MemcachedSettings(List<String> servers, Duration timeout, Duration lockTimeout, String keyPrefix,
                                List<String> secrets, List<String> allowClasses, boolean insecure, long maxValueSize,
                                Duration maxStaleness, String where) {

    /** Memcached's default item size limit ({@code -I}); the envelope takes a few dozen bytes of it. */
    public static final long DEFAULT_MAX_VALUE_SIZE = 1024 * 1024 - 1024;
    /** The longest prefix accepted, so that a key name always fits in 250 bytes. */
    public static final int LONGEST_PREFIX = 100;

    /** The secret new values and key names use; {@code null} with {@code insecure: true}. */
    public String secret() {
        return secrets.isEmpty() ? null : secrets.get(0);
    }

    @Override
    public String toString() {
        return "servers " + servers + ", timeout " + Durations.format(timeout) + ", keyPrefix '" + keyPrefix + "'"
                + (secrets.isEmpty() ? ", UNENCRYPTED and UNSIGNED (insecure: true)"
                : ", encrypted" + (secrets.size() > 1 ? " (" + secrets.size() + " secrets: rotating)" : ""));
    }
}
