package dev.recall.it;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import redis.clients.jedis.HostAndPort;

/**
 * The Redis servers the Redis store is tested against, taken from the environment:
 *
 * <ul>
 *   <li>{@link #SINGLE}: {@code REDIS_URL} ({@code redis://[user:password@]host:port}); without it, a
 *       Redis container through Testcontainers where a Docker engine answers;</li>
 *   <li>{@link #CLUSTER}: {@code REDIS_CLUSTER_NODES} ({@code host:port,host:port,...}, a Redis Cluster;
 *       {@code .ci/run} starts one on 7000-7002). A cluster in containers announces addresses the test
 *       JVM cannot reach, so there is no Testcontainers fallback for it.</li>
 * </ul>
 *
 * A test whose servers are missing is skipped with a message naming the test and what to set, except when
 * {@code RECALL_REQUIRE_SERVICES=true} (as in CI): then it fails, so that CI can never pass by skipping
 * ({@link Containers}).
 */
enum RedisTarget {
    SINGLE("REDIS_URL", "redis://127.0.0.1:6379"),
    CLUSTER("REDIS_CLUSTER_NODES", "127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002");

    private static final Map<RedisTarget, Servers> RESOLVED = new ConcurrentHashMap<>();

    private final String variable;
    private final String example;

    RedisTarget(String variable, String example) {
        this.variable = variable;
        this.example = example;
    }

    /** Where Redis is, as the agent's configuration and the test's own client need it. */
    record Servers(RedisTarget target, String uri, List<HostAndPort> nodes, String user, String password, String source) {

        boolean cluster() {
            return target == CLUSTER;
        }

        /** The connection lines of the {@code redis:} section, indented for it. */
        String yaml() {
            if (cluster()) {
                return "  cluster: [" + nodes.stream().map(HostAndPort::toString).collect(Collectors.joining(", ")) + "]\n";
            }
            return "  uri: " + uri + "\n";
        }

        /** The same server seen through {@code proxy}: only for one server. */
        String yamlThrough(TcpProxy proxy) {
            if (cluster()) {
                throw new IllegalStateException("a cluster's redirections name the real ports: it cannot be proxied");
            }
            String auth = password == null ? "" : (user == null ? "" : user) + ":" + password + "@";
            return "  uri: redis://" + auth + "127.0.0.1:" + proxy.port() + "\n";
        }

        TestRedis client() {
            return new TestRedis(nodes, cluster(), user, password);
        }

        HostAndPort first() {
            return nodes.get(0);
        }
    }

    /**
     * The servers of this target for {@code test}; skips the test (fails it under
     * {@code RECALL_REQUIRE_SERVICES=true}) if there are none.
     */
    Servers servers(String test) {
        Servers s = RESOLVED.get(this);
        if (s == null) {
            s = resolve(test);
            RESOLVED.put(this, s);
        }
        return s;
    }

    private Servers resolve(String test) {
        String value = System.getenv(variable);
        Servers servers;
        if (value != null && !value.isBlank()) {
            servers = this == SINGLE ? fromUrl(value.trim(), variable) : fromNodes(value.trim());
        } else {
            servers = this == SINGLE ? container() : null;
            if (servers == null) {
                return Containers.missing(test + " needs " + (this == SINGLE ? "a Redis server" : "a Redis Cluster") + ": set "
                        + variable + " (for example " + variable + "=" + example + ")"
                        + (this == SINGLE ? "; without it, a Redis container is started where a Docker engine answers"
                        : "; bash .ci/run starts one"));
            }
        }
        try (TestRedis client = servers.client()) {
            if (!client.ping()) {
                throw new AssertionError("Redis at " + servers.nodes() + " (from " + servers.source() + ") did not answer PING");
            }
            if (servers.cluster()) {
                // Every slot served, or keys would land nowhere.
                for (HostAndPort node : servers.nodes()) {
                    String info = client.clusterInfo(node);
                    if (!info.contains("cluster_state:ok")) {
                        throw new AssertionError("the Redis Cluster node " + node + " is not healthy:\n" + info);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new AssertionError(test + ": Redis from " + servers.source() + " (" + servers.nodes() + ") is not reachable: " + e, e);
        }
        return servers;
    }

    private static Servers fromUrl(String url, String source) {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme())) {
            throw new AssertionError(source + " must be redis://host:port; got " + url);
        }
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            user = colon < 0 ? null : info.substring(0, colon);
            password = colon < 0 ? info : info.substring(colon + 1);
            if (user != null && user.isEmpty()) {
                user = null;
            }
        }
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        return new Servers(SINGLE, url, List.of(new HostAndPort(uri.getHost(), port)), user, password, source);
    }

    private static Servers fromNodes(String nodes) {
        List<HostAndPort> list = new ArrayList<>();
        for (String n : nodes.split(",")) {
            if (!n.isBlank()) {
                list.add(HostAndPort.from(n.trim()));
            }
        }
        return new Servers(CLUSTER, null, list, null, null, "REDIS_CLUSTER_NODES");
    }

    @Override
    public String toString() {
        return this == SINGLE ? "single server" : "cluster";
    }

    /** A Redis container, where a Docker engine answers; {@code null} otherwise. */
    private static Servers container() {
        Containers.Address a = Containers.start("redis:7.0", 6379, Map.of(), ".*Ready to accept connections.*", 1);
        return a == null ? null : new Servers(SINGLE, "redis://" + a.host() + ":" + a.port(),
                List.of(new HostAndPort(a.host(), a.port())), null, null, "Testcontainers");
    }
}
