package dev.recall.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code redis:} section. Immutable.
 *
 * @param uri {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}; {@code null} for a cluster or Sentinel
 * @param cluster {@code host:port} seeds of a Redis Cluster; empty for one server
 * @param sentinel Redis behind Sentinel (a master and its replicas); {@code null} otherwise
 * @param shared what Redis and Memcached set alike: timeouts, key prefix, secrets, allowed classes, sizes
 * @param where file and line of the section, for messages
 */
public record RedisSettings(String uri, List<String> cluster, SentinelSettings sentinel, RemoteSettings shared, String where)
        implements RemoteSection {

    public static final Duration DEFAULT_TIMEOUT = RemoteSettings.DEFAULT_TIMEOUT;
    public static final Duration DEFAULT_LOCK_TIMEOUT = RemoteSettings.DEFAULT_LOCK_TIMEOUT;
    public static final String DEFAULT_PREFIX = RemoteSettings.DEFAULT_PREFIX;
    public static final long DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

    @Override
    public String toString() {
        // Never print the secret, nor a password inside the URI.
        String shown = sentinel != null ? sentinel.toString()
                : uri == null ? "cluster " + cluster : uri.replaceAll("//[^@/]*@", "//***@");
        return shown + ", timeout " + Durations.format(timeout()) + ", keyPrefix '" + keyPrefix() + "'" + shared.sealing();
    }
}
