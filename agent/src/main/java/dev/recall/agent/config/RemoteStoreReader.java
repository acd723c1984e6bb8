package dev.recall.agent.config;

import dev.recall.agent.codec.ClassAllowlist;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.recall.agent.config.YamlNode.Sequence;

/**
 * Reads the sections of the shared stores, {@code redis:} (with {@code sentinel:}) and {@code memcached:}: where
 * the store is, its timeouts, its secrets and the classes it may give back. Used by one reading, on one thread.
 */
final class RemoteStoreReader {

    private static final List<String> REDIS_KEYS = List.of("uri", "cluster", "sentinel", "timeout", "lockTimeout", "keyPrefix", "secret", "secrets", "allowClasses", "insecure",
            "maxValueSize", "maxStaleness");
    private static final List<String> MEMCACHED_KEYS = List.of("servers", "timeout", "lockTimeout", "keyPrefix", "secret", "secrets",
            "allowClasses", "insecure", "maxValueSize", "maxStaleness");
    private static final List<String> SENTINEL_KEYS = List.of("master", "nodes", "user", "password", "database",
            "sentinelPassword");
    private static final int SHORTEST_SECRET = 16;

    private final Scalars in;
    private final Problems problems;
    private final EnvReferences env;

    RemoteStoreReader(Scalars in, EnvReferences env) {
        this.in = in;
        this.problems = in.problems();
        this.env = env;
    }

    RedisSettings redis(YamlNode node, YamlNode keyNode) {
        Map<String, YamlNode> m = in.mapping(node, "redis", REDIS_KEYS);
        String uri = env.resolved(m.get("uri"), "uri");
        List<String> cluster = in.strings(m.get("cluster"), "cluster");
        SentinelSettings sentinel = m.containsKey("sentinel") ? sentinel(m.get("sentinel")) : null;
        if ((uri != null ? 1 : 0) + (cluster.isEmpty() ? 0 : 1) + (m.containsKey("sentinel") ? 1 : 0) != 1) {
            problems.error(keyNode, "redis: needs exactly one of 'uri:' (one server, like "
                    + "redis://127.0.0.1:6379), 'cluster:' (a list of host:port of a Redis Cluster) or 'sentinel:' "
                    + "(master: its name, nodes: a list of host:port of the sentinels)");
        }
        if (uri != null && !uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            problems.error(m.get("uri"), "redis uri must start with redis:// (or rediss:// for TLS), like "
                    + "redis://127.0.0.1:6379; got '" + withoutPassword(uri) + "'");
        } else if (uri != null) {
            String problem = uriProblem(uri);
            if (problem != null) {
                problems.error(m.get("uri"), "redis uri '" + withoutPassword(uri) + "' cannot be connected to: " + problem
                        + "; write redis://[user:password@]host[:port][/database], like redis://127.0.0.1:6379");
            }
        }
        for (String seed : cluster) {
            if (!isHostPort(seed)) {
                problems.error(m.get("cluster"), "each cluster entry is host:port, like 127.0.0.1:7000, with a port from "
                        + "1 to 65535; got '" + seed + "'");
            }
        }
        RemoteSettings shared = shared(m, keyNode, "redis", "Redis", false, RedisSettings.DEFAULT_MAX_VALUE_SIZE,
                "redis maxStaleness must be more than 0 (it is the longest an entry lives in Redis, whatever its ttl); "
                + "leave it out for no bound");
        return new RedisSettings(uri, cluster, sentinel, shared, problems.where(keyNode));
    }

    MemcachedSettings memcached(YamlNode node, YamlNode keyNode) {
        Map<String, YamlNode> m = in.mapping(node, "memcached", MEMCACHED_KEYS);
        List<String> servers = in.strings(m.get("servers"), "servers");
        if (servers.isEmpty()) {
            problems.error(keyNode, "memcached: needs 'servers:', a list of host:port, like servers: [127.0.0.1:11211] "
                    + "(several servers share the keys by consistent hashing)");
        }
        for (String server : servers) {
            if (!isHostPort(server)) {
                problems.error(m.get("servers"), "each memcached server is host:port, like 127.0.0.1:11211, with a port from "
                        + "1 to 65535; got '" + server + "'");
            }
        }
        RemoteSettings shared = shared(m, keyNode, "memcached", "Memcached", true, MemcachedSettings.DEFAULT_MAX_VALUE_SIZE,
                "memcached maxStaleness must be more than 0; leave it out for no bound");
        return new MemcachedSettings(List.copyOf(servers), shared, problems.where(keyNode));
    }

    /**
     * What the sections of Redis and Memcached set alike, in the order they are read (so that problems on one line
     * come in the same order for both).
     *
     * @param section the section's key, as messages start
     * @param store the store's name in prose
     * @param shortPrefix whether the key prefix must fit Memcached's keys (at most {@link MemcachedSettings#LONGEST_PREFIX}
     *     printable ASCII characters)
     */
    private RemoteSettings shared(Map<String, YamlNode> m, YamlNode keyNode, String section, String store, boolean shortPrefix,
                                  long defaultMaxValueSize, String zeroStaleness) {
        Duration timeout = m.containsKey("timeout") ? in.duration(m.get("timeout"), "timeout") : RemoteSettings.DEFAULT_TIMEOUT;
        if (timeout != null && (timeout.isZero() || timeout.compareTo(Duration.ofSeconds(10)) > 0)) {
            problems.error(m.get("timeout"), section + " timeout must be between 1ms and 10s (it is how long a "
                    + "call may wait for " + store + " before running the method itself); got " + Durations.format(timeout));
        }
        Duration lockTimeout = m.containsKey("lockTimeout") ? in.duration(m.get("lockTimeout"), "lockTimeout")
                : RemoteSettings.DEFAULT_LOCK_TIMEOUT;
        if (lockTimeout != null && (lockTimeout.isZero() || lockTimeout.compareTo(Duration.ofMinutes(1)) > 0)) {
            problems.error(m.get("lockTimeout"), section + " lockTimeout must be between 1ms and 1m (it is how long "
                    + "a JVM waits for another JVM's load of the same key before loading it itself); got "
                    + Durations.format(lockTimeout));
        }
        String prefix = m.containsKey("keyPrefix") ? in.scalar(m.get("keyPrefix"), "keyPrefix") : RemoteSettings.DEFAULT_PREFIX;
        if (shortPrefix && prefix != null && (prefix.length() > MemcachedSettings.LONGEST_PREFIX || !prefix.matches("[\\x21-\\x7e]*"))) {
            problems.error(m.get("keyPrefix"), "memcached keyPrefix must be at most " + MemcachedSettings.LONGEST_PREFIX
                    + " printable ASCII characters without spaces (Memcached keys are at most 250 bytes, no spaces or "
                    + "control characters); got " + prefix.length() + " characters");
        }
        boolean insecure = Boolean.TRUE.equals(in.bool(m.get("insecure"), "insecure"));
        List<String> secrets = secrets(m, insecure, keyNode, section);
        List<String> allow = allowClasses(m);
        long maxValueSize = maxValueSize(m, defaultMaxValueSize);
        Duration maxStaleness = maxStaleness(m, zeroStaleness);
        return new RemoteSettings(timeout == null ? RemoteSettings.DEFAULT_TIMEOUT : timeout,
                lockTimeout == null ? RemoteSettings.DEFAULT_LOCK_TIMEOUT : lockTimeout,
                prefix == null ? RemoteSettings.DEFAULT_PREFIX : prefix, secrets, allow, insecure, maxValueSize, maxStaleness);
    }

    /** A shared store's {@code allowClasses}, each pattern checked (Redis and Memcached alike). */
    private List<String> allowClasses(Map<String, YamlNode> m) {
        List<String> allow = in.strings(m.get("allowClasses"), "allowClasses");
        try {
            ClassAllowlist.of(allow);
        } catch (IllegalArgumentException e) {
            problems.error(m.get("allowClasses"), e.getMessage());
        }
        return allow;
    }

    /** A shared store's {@code maxValueSize}, or {@code fallback} if it is not given or not a size. */
    private long maxValueSize(Map<String, YamlNode> m, long fallback) {
        Long parsed = m.containsKey("maxValueSize") ? in.byteSize(m.get("maxValueSize"), "maxValueSize") : null;
        return parsed != null ? parsed : fallback;
    }

    /** A shared store's {@code maxStaleness}; {@code null} for no bound (not given, or 0, which {@code zeroMessage} refuses). */
    private Duration maxStaleness(Map<String, YamlNode> m, String zeroMessage) {
        if (!m.containsKey("maxStaleness")) {
            return null;
        }
        Duration maxStaleness = in.duration(m.get("maxStaleness"), "maxStaleness");
        if (maxStaleness != null && maxStaleness.isZero()) {
            problems.error(m.get("maxStaleness"), zeroMessage);
            return null;
        }
        return maxStaleness;
    }

    private static boolean isHostPort(String s) {
        return s.matches("[^:\\s]+:\\d{1,5}") && isPort(Integer.parseInt(s.substring(s.lastIndexOf(':') + 1)));
    }

    /** {@code sentinel: { master: NAME, nodes: [host:port, ...], user:, password:, database:, sentinelPassword: }}. */
    private SentinelSettings sentinel(YamlNode node) {
        Map<String, YamlNode> m = in.mapping(node, "redis sentinel", SENTINEL_KEYS);
        String master = in.scalar(m.get("master"), "master");
        if (master == null || master.isBlank()) {
            problems.error(node, "redis sentinel: needs 'master:', the name the sentinels monitor the master by (the "
                    + "name in 'sentinel monitor NAME host port quorum' of sentinel.conf), like 'master: mymaster'");
        }
        List<String> nodes = in.strings(m.get("nodes"), "nodes");
        if (nodes.isEmpty()) {
            problems.error(node, "redis sentinel: needs 'nodes:', a list of host:port of the sentinels, like "
                    + "[127.0.0.1:26379, 127.0.0.2:26379]");
        }
        for (String n : nodes) {
            if (!isHostPort(n)) {
                problems.error(m.get("nodes"), "each sentinel node is host:port, like 127.0.0.1:26379, with a port from 1 to "
                        + "65535; got '" + n + "'");
            }
        }
        int database = 0;
        if (m.containsKey("database")) {
            String text = in.scalar(m.get("database"), "database");
            if (text == null || !text.matches("\\d{1,5}")) {
                problems.error(m.get("database"), "redis sentinel database is a number from 0, like 'database: 0'; got '"
                        + text + "'");
            } else {
                database = Integer.parseInt(text);
            }
        }
        return new SentinelSettings(master, nodes, env.resolved(m.get("user"), "user"), env.resolved(m.get("password"), "password"),
                database, env.resolved(m.get("sentinelPassword"), "sentinelPassword"));
    }

    /**
     * {@code secret: X} or {@code secrets: [NEW, OLD, ...]} (newest first, a rotation in progress), each from the
     * environment; empty only with {@code insecure: true}. Messages never quote a secret.
     */
    private List<String> secrets(Map<String, YamlNode> m, boolean insecure, YamlNode keyNode, String section) {
        List<String> secrets = new ArrayList<>();
        if (m.containsKey("secret") && m.containsKey("secrets")) {
            problems.error(m.get("secrets"), section + ": has both 'secret:' and 'secrets:'; write one: 'secret: ${RECALL_SECRET}', "
                    + "or while rotating 'secrets: [${RECALL_SECRET}, ${RECALL_SECRET_OLD}]' (newest first)");
            return secrets;
        }
        List<YamlNode> nodes = new ArrayList<>();
        if (m.containsKey("secrets")) {
            if (m.get("secrets") instanceof Sequence list) {
                nodes.addAll(list.items());
            }
            if (nodes.isEmpty()) {
                problems.error(m.get("secrets"), section + " secrets: is a list of at least one secret, newest first, like "
                        + "secrets: [${RECALL_SECRET}, ${RECALL_SECRET_OLD}] (for one secret, 'secret: ${RECALL_SECRET}')");
            }
        } else if (m.containsKey("secret")) {
            nodes.add(m.get("secret"));
        } else if (!insecure) {
            problems.error(keyNode, section + ": needs 'secret:', the key every entry is encrypted and authenticated with so that "
                    + "nothing in " + (section.equals("redis") ? "Redis" : "Memcached") + " can be read without it and a value nobody in this application wrote is never read: "
                    + "write 'secret: ${RECALL_SECRET}' and set that environment variable to a random string of 16 or more "
                    + "characters (or, to store values in plain text, unsigned, 'insecure: true')");
        }
        for (YamlNode node : nodes) {
            String secret = env.resolved(node, "secret");
            if (secret == null) {
                continue;
            }
            if (secret.length() < SHORTEST_SECRET) {
                problems.error(node, section + " secret is too short to encrypt with (" + secret.length()
                        + " characters); use a random string of " + SHORTEST_SECRET + " or more");
            } else if (secrets.contains(secret)) {
                problems.error(node, section + " secrets: lists the same secret twice (entry " + (secrets.indexOf(secret) + 1)
                        + " and " + (secrets.size() + 1) + "); each rotation step lists a secret once, newest first");
            }
            secrets.add(secret);
        }
        return List.copyOf(secrets);
    }

    /** What would stop a connection to this URI, as the connector reads it, or {@code null}. */
    private static String uriProblem(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            return e.getReason() + " at character " + (e.getIndex() + 1);
        }
        if (u.getHost() == null) {
            return "it names no host (or the host or port is malformed)";
        }
        if (u.getPort() != -1 && !isPort(u.getPort())) {
            return "port " + u.getPort() + " is not from 1 to 65535";
        }
        String path = u.getPath();
        if (path != null && path.length() > 1 && !path.substring(1).matches("\\d{1,9}")) {
            return "after the '/' comes the database, a number like 0; got '" + path.substring(1) + "'";
        }
        return null;
    }

    private static boolean isPort(int port) {
        return port >= 1 && port <= 65_535;
    }

    private static String withoutPassword(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }
}
