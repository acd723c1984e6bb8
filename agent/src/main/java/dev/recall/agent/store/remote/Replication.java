package dev.recall.agent.store.remote;

import dev.recall.agent.log.Log;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.ClusterCommandObjects;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.SafeEncoder;

/**
 * What a failover cannot lose: the changes a reader relies on (a written value, an eviction's tombstone, a
 * generation bump, a fill taken back) are acknowledged by a replica before the writer's call returns.
 *
 * <p>Redis replicates asynchronously, so a replica promoted when its master dies may lack the master's last
 * commands; a tombstone lost that way brings an evicted value back. Here each such change runs on one
 * connection followed by {@code WAIT 1 timeout} (WAIT covers the commands of its own connection only), when
 * the master of its key has a replica online. A WAIT that times out is counted ({@link #unreplicated}) and the
 * write returns anyway: the agent never makes a call wait longer than {@code redis.timeout} for it. A change
 * made while its master has no replica online does not wait: there is nothing to fail over to, and a replica
 * that connects later copies the whole data set. Fills, a write's marker and locks do not wait: losing one
 * costs a load, never an older value (a lost marker makes its write's end find something else and leave a
 * tombstone).
 *
 * <p>It also watches the topology (the connector's thread, every tick): which node is master (Sentinel's current
 * master and its replication id, which a promotion changes; a cluster's slot owners) and which masters have a
 * replica online. A change is reported so that near caches are emptied: invalidation messages published on a
 * master that died may never have been delivered.
 *
 * <p>Thread safety: {@link #write} runs on application threads and reads the volatile topology; {@link #refresh}
 * runs on the connector's thread only and replaces it whole.
 */
final class Replication {

    private static final CommandObjects COMMANDS = new CommandObjects();
    private static final int SLOTS = 16384;

    /** One server: nothing to wait for, nothing to watch. */
    static final Replication NONE = new Replication(null, null, 0, null, null, null);

    private final SentineledConnectionProvider sentinel;
    private final ClusterConnectionProvider cluster;
    private final long waitMillis;
    /** A cluster's commands carry their key's slot, which its connection provider routes by. */
    private final CommandObjects commands;
    private final String masterName;
    private final Set<HostAndPort> sentinels;
    private final JedisClientConfig sentinelConfig;
    private final LongAdder unreplicated = new LongAdder();

    /** What {@link #refresh} saw last: masters and their replicas. */
    private volatile Topology topology = new Topology("", false, null);

    /** @param waitMillis how long a write waits for a replica's acknowledgement; below the command timeout */
    static Replication sentinel(SentineledConnectionProvider provider, long waitMillis, String masterName,
                                Set<HostAndPort> sentinels, JedisClientConfig sentinelConfig) {
        return new Replication(provider, null, waitMillis, masterName, sentinels, sentinelConfig);
    }

    static Replication cluster(ClusterConnectionProvider provider, long waitMillis) {
        return new Replication(null, provider, waitMillis, null, null, null);
    }

    private Replication(SentineledConnectionProvider sentinel, ClusterConnectionProvider cluster, long waitMillis,
                        String masterName, Set<HostAndPort> sentinels, JedisClientConfig sentinelConfig) {
        this.sentinel = sentinel;
        this.cluster = cluster;
        this.waitMillis = waitMillis;
        this.commands = cluster != null ? new ClusterCommandObjects() : COMMANDS;
        this.masterName = masterName;
        this.sentinels = sentinels;
        this.sentinelConfig = sentinelConfig;
    }

    /**
     * Sentinel only, while the current master does not answer: whether the sentinels name another master than the
     * one the client uses. Jedis follows a promotion through the sentinels' {@code +switch-master} messages; this
     * covers a message it missed (a listener between two connections), so that the connector can connect anew.
     */
    boolean masterMoved() {
        if (sentinel == null) {
            return false;
        }
        HostAndPort current = sentinel.getCurrentMaster();
        for (HostAndPort s : sentinels) {
            try (Jedis j = new Jedis(s, sentinelConfig)) {
                List<String> named = j.sentinelGetMasterAddrByName(masterName);
                if (named != null && named.size() == 2) {
                    return !new HostAndPort(named.get(0), Integer.parseInt(named.get(1))).equals(current);
                }
            } catch (RuntimeException e) {
                // that sentinel is down: ask the next
            }
        }
        return false;
    }

    /** What the connector builds the commands it gives {@link #write} with. */
    CommandObjects commands() {
        return commands;
    }

    /** Writes whose replica did not acknowledge them within the wait, since start: a failover may lose them. */
    long unreplicated() {
        return unreplicated.sum();
    }

    /**
     * Runs a change of {@code key} and, when its master has a replica online, waits for one to acknowledge it.
     * Errors are Jedis' own, as from {@code client.executeCommand(command)}.
     */
    <T> T write(UnifiedJedis client, byte[] key, CommandObject<T> command) {
        if (!topology.replicated(key)) {
            return client.executeCommand(command);
        }
        for (int attempt = 0; ; attempt++) {
            try (Connection c = connection(key)) {
                T result = c.executeCommand(command);
                Long acked = c.executeCommand(COMMANDS.waitReplicas(1, waitMillis));
                if (acked == null || acked < 1) {
                    unreplicated.increment();
                    Log.warnOnce("redis-unreplicated", "Redis store: a write was not acknowledged by a replica within "
                            + waitMillis + " ms (WAIT); a failover before the replica catches up may lose it (counted as "
                            + "UnreplicatedWrites on the Agent MBean)");
                }
                return result;
            } catch (JedisRedirectionException moved) {
                // The slot moved (a failover, a resharding): learn the new owner once and go there.
                if (attempt > 0) {
                    throw moved;
                }
                cluster.renewSlotCache();
            }
        }
    }

    private Connection connection(byte[] key) {
        if (cluster != null) {
            return cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(key));
        }
        return sentinel.getConnection();
    }

    /**
     * Looks at the topology again (the connector's thread, while Redis is up).
     *
     * @return a description of the change if the masters are not those of the last look (never on the first)
     * @throws RuntimeException if Redis could not be asked; the last topology is kept
     */
    String refresh() {
        if (sentinel == null && cluster == null) {
            return null;
        }
        Topology now = cluster != null ? clusterTopology() : sentinelTopology();
        Topology before = topology;
        topology = now;
        if (cluster != null && !now.masters.equals(before.masters) && !before.masters.isEmpty()) {
            cluster.renewSlotCache();
        }
        return before.masters.isEmpty() || before.masters.equals(now.masters) ? null
                : "masters were " + before.masters + ", now " + now.masters;
    }

    private Topology sentinelTopology() {
        HostAndPort master = sentinel.getCurrentMaster();
        String info;
        try (Connection c = sentinel.getConnection()) {
            info = c.executeCommand(COMMANDS.info("replication"));
        }
        String replid = field(info, "master_replid");
        int online = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("slave") && line.contains("state=online")) {
                online++;
            }
        }
        // A promotion gives the new master a new replication id, even one at the same address.
        return new Topology(master + "/" + replid, online > 0, null);
    }

    /** {@code CLUSTER SLOTS}: per range of slots, its master and the replicas not marked failed. */
    private Topology clusterTopology() {
        List<Object> slots = null;
        RuntimeException failure = null;
        for (ConnectionPool pool : cluster.getPrimaryNodes().values()) {
            try (Connection c = pool.getResource()) {
                @SuppressWarnings("unchecked")
                List<Object> got = (List<Object>) c.executeCommand(new CommandArguments(Protocol.Command.CLUSTER).add("SLOTS"));
                slots = got;
                break;
            } catch (RuntimeException e) {
                failure = e; // that node is down: ask another
            }
        }
        if (slots == null) {
            throw failure != null ? failure : new IllegalStateException("no cluster node known");
        }
        boolean[] replicated = new boolean[SLOTS];
        TreeMap<Long, String> owners = new TreeMap<>();
        for (Object o : slots) {
            List<?> range = (List<?>) o;
            long from = (Long) range.get(0);
            long to = (Long) range.get(1);
            List<?> master = (List<?>) range.get(2);
            String id = master.size() > 2 ? SafeEncoder.encode((byte[]) master.get(2))
                    : SafeEncoder.encode((byte[]) master.get(0)) + ":" + master.get(1);
            owners.put(from, from + "-" + to + "@" + id);
            boolean hasReplica = range.size() > 3;
            for (long s = from; s <= to; s++) {
                replicated[(int) s] = hasReplica;
            }
        }
        return new Topology(String.join(",", owners.values()), false, replicated);
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }

    /**
     * One look at the topology; immutable.
     *
     * @param masters which nodes are masters (of which slots), to compare with the next look
     * @param replicated Sentinel: whether the master has a replica online
     * @param slotReplicated a cluster: per slot, whether its master has a replica not marked failed
     */
    private record Topology(String masters, boolean replicated, boolean[] slotReplicated) {

        boolean replicated(byte[] key) {
            return slotReplicated == null ? replicated : slotReplicated[JedisClusterCRC16.getSlot(key)];
        }
    }
}
