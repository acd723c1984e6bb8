package dev.recall.agent.config;

import java.util.List;

/**
 * The {@code redis.sentinel:} section: Redis behind Sentinel, whose master the agent asks the sentinels for and
 * follows when they promote a replica. Immutable.
 *
 * @param master the name the sentinels monitor the master by ({@code sentinel monitor <name> ...})
 * @param nodes {@code host:port} of the sentinels (at least one; more, so that one being down does not matter)
 * @param user ACL user of the master and replicas; {@code null} for the default user
 * @param password of the master and replicas; {@code null} for none
 * @param database the logical database, as {@code /db} of a {@code uri}
 * @param sentinelPassword of the sentinels themselves ({@code requirepass} in sentinel.conf); {@code null} for none
 */
public record SentinelSettings(String master, List<String> nodes, String user, String password, int database,
                               String sentinelPassword) {

    @Override
    public String toString() {
        // Never the passwords.
        return "sentinel '" + master + "' " + nodes + (database != 0 ? " db " + database : "");
    }
}
