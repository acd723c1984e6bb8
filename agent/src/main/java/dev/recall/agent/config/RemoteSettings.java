package dev.recall.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * What the sections of the shared stores ({@code redis:}, {@code memcached:}) set alike. Immutable.
 *
 * @param timeout per command: a slow store must cost the application at most this, then it is a miss
 * @param lockTimeout READ_THROUGH across JVMs: how long one JVM waits for another's load of the same key (and
 *     how long that load's lock lives if its JVM dies) before it loads the key itself
 * @param keyPrefix put before every key, so several applications can share one store
 * @param secrets what values are encrypted and key names keyed with, newest first: new values and names use the
 *     first, values under the others are still read (a rotation in progress); empty only with {@code insecure}
 * @param allowClasses patterns of application classes that may be read back from the store
 * @param insecure run without a secret: values in plain text, unsigned (an operator's explicit choice, warned about at start)
 * @param maxValueSize the largest sealed value read from or written to the store, in bytes: a larger one is
 *     not stored (a write invalidates instead) and counts as a remote error, so that one huge result cannot
 *     make every call of its method wait for megabytes on a 50 ms budget
 * @param maxStaleness the longest any entry lives in the store, whatever its ttl; {@code null}: no bound. It bounds
 *     what other JVMs can serve after a write made by a JVM that could not reach the store
 */
public record RemoteSettings(Duration timeout, Duration lockTimeout, String keyPrefix, List<String> secrets,
                             List<String> allowClasses, boolean insecure, long maxValueSize, Duration maxStaleness) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(2);
    public static final String DEFAULT_PREFIX = "recall:";

    /** The secret new values and key names use; {@code null} with {@code insecure: true}. */
    public String secret() {
        return secrets.isEmpty() ? null : secrets.get(0);
    }

    /** How the values are kept, for the line that says where the store is: never a secret. */
    String sealing() {
        return secrets.isEmpty() ? ", UNENCRYPTED and UNSIGNED (insecure: true)"
                : ", encrypted" + (secrets.size() > 1 ? " (" + secrets.size() + " secrets: rotating)" : "");
    }
}
