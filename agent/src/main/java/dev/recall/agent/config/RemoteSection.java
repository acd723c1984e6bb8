package dev.recall.agent.config;

import java.time.Duration;
import java.util.List;

/** A shared store's section ({@code redis:}, {@code memcached:}): what they set alike, read through its {@link #shared()}. */
public sealed interface RemoteSection permits RedisSettings, MemcachedSettings {

    RemoteSettings shared();

    /** File and line of the section, for messages. */
    String where();

    default Duration timeout() {
        return shared().timeout();
    }

    default Duration lockTimeout() {
        return shared().lockTimeout();
    }

    default String keyPrefix() {
        return shared().keyPrefix();
    }

    default List<String> secrets() {
        return shared().secrets();
    }

    /** The secret new values and key names use; {@code null} with {@code insecure: true}. */
    default String secret() {
        return shared().secret();
    }

    default List<String> allowClasses() {
        return shared().allowClasses();
    }

    default boolean insecure() {
        return shared().insecure();
    }

    default long maxValueSize() {
        return shared().maxValueSize();
    }

    default Duration maxStaleness() {
        return shared().maxStaleness();
    }
}
