package dev.recall.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code memcached:} section. Immutable.
 *
 * @param servers {@code host:port} of every server; keys are spread over them by consistent hashing (Ketama)
 * @param shared what Redis and Memcached set alike; its {@code keyPrefix} stays within Memcached's 250 bytes with
 *     the keyed hash, and its {@code maxValueSize} is Memcached's item limit, 1 MB, by default
 * @param where file and line of the section, for messages
 */
public record MemcachedSettings(List<String> servers, RemoteSettings shared, String where)
        implements RemoteSection {

    /** Memcached's default item size limit ({@code -I}); the envelope takes a few dozen bytes of it. */
    public static final long DEFAULT_MAX_VALUE_SIZE = 1024 * 1024 - 1024;
    /** The longest prefix accepted, so that a key name always fits in 250 bytes. */
    public static final int LONGEST_PREFIX = 100;

    @Override
    public String toString() {
        return "servers " + servers + ", timeout " + Durations.format(timeout()) + ", keyPrefix '" + keyPrefix() + "'"
                + shared.sealing();
    }
}
