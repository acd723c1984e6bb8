package dev.recall.it;

import dev.recall.it.ConsistencyIT.RedisProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * ConsistencyIT's replicated Redis for its failover scenarios, on loopback ports of its own: a master with one
 * replica watched by three real {@code redis-sentinel} processes (quorum 2), or a cluster of three masters with a
 * replica each. Set for seconds, not minutes: the sentinels call a master down after 1 s of silence, the cluster
 * a node after 1 s. {@link #master} is the node the test kills, {@link #replica} the one promoted.
 */
final class Failover {

    static final String MASTER_NAME = "mymaster";
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    final RedisProcess master;
    final RedisProcess replica;
    /** Sentinel only: the three sentinels; empty for a cluster. */
    final List<RedisProcess> sentinels;
    /** Cluster only: every node. */
    private final List<RedisProcess> nodes;

    private Failover(RedisProcess master, RedisProcess replica, List<RedisProcess> sentinels, List<RedisProcess> nodes) {
        this.master = master;
        this.replica = replica;
        this.sentinels = sentinels;
        this.nodes = nodes;
    }

    /** A master, its replica (in sync) and three sentinels that all know both and each other; all added to {@code started}. */
    static Failover sentinel(Path dir, List<? super RedisProcess> started) throws Exception {
        RedisProcess master = RedisProcess.start("master", dir, List.of());
        started.add(master);
        RedisProcess replica = RedisProcess.start("replica", dir, List.of("--replicaof", "127.0.0.1", String.valueOf(master.port)));
        started.add(replica);
        await("the replica to be in sync with its master", () -> {
            try (Jedis j = master.client()) {
                return j.info("replication").contains("state=online");
            }
        });
        List<RedisProcess> sentinels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RedisProcess s = RedisProcess.sentinel("sentinel" + i, dir, List.of(
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1"));
            started.add(s);
            sentinels.add(s);
        }
        // A failover needs the sentinels to know the replica and each other (hello messages every 2 s).
        await("every sentinel to know the replica and the two other sentinels", () -> {
            for (RedisProcess s : sentinels) {
                try (Jedis j = s.client()) {
                    Map<String, String> m = j.sentinelMaster(MASTER_NAME);
                    if (!"1".equals(m.get("num-slaves")) || !"2".equals(m.get("num-other-sentinels"))) {
                        return false;
                    }
                }
            }
            return true;
        });
        return new Failover(master, replica, sentinels, List.of());
    }

    /** Six nodes, three masters with a replica each, every replica in sync; all added to {@code started}. */
    static Failover cluster(Path dir, List<? super RedisProcess> started) throws Exception {
        List<RedisProcess> nodes = RedisProcess.cluster(dir, 6, 1, 1000);
        started.addAll(nodes);
        RedisProcess[] pair = new RedisProcess[2];
        await("every replica's link to its master to be up", () -> {
            int up = 0;
            for (RedisProcess n : nodes) {
                try (Jedis j = n.client()) {
                    String info = j.info("replication");
                    if (info.contains("role:slave") && info.contains("master_link_status:up")) {
                        up++;
                        int masterPort = Integer.parseInt(field(info, "master_port"));
                        pair[1] = n;
                        pair[0] = nodes.stream().filter(p -> p.port == masterPort).findFirst().orElseThrow();
                    }
                }
            }
            return up == 3;
        });
        return new Failover(pair[0], pair[1], List.of(), nodes);
    }

    /**
     * After the master was killed: waits until its replica is master (for Sentinel: every sentinel names it; for a
     * cluster: it says role:master and every live node says cluster_state:ok), until {@code deadline} at most.
     *
     * @return when it was seen, or -1
     */
    long awaitPromotion(long deadline) {
        while (System.currentTimeMillis() < deadline) {
            if (promoted()) {
                return System.currentTimeMillis();
            }
            sleep(50);
        }
        return -1;
    }

    private boolean promoted() {
        try {
            if (!sentinels.isEmpty()) {
                for (RedisProcess s : sentinels) {
                    try (Jedis j = s.client()) {
                        if (!String.valueOf(replica.port).equals(j.sentinelGetMasterAddrByName(MASTER_NAME).get(1))) {
                            return false;
                        }
                    }
                }
                return true;
            }
            try (Jedis j = replica.client()) {
                if (!j.info("replication").contains("role:master")) {
                    return false;
                }
            }
            List<RedisProcess> alive = nodes.stream().filter(n -> n != master).toList();
            return RedisProcess.clusterOk(alive);
        } catch (RuntimeException e) {
            return false;
        }
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        for (RedisProcess s : sentinels) {
            try (Jedis j = s.client()) {
                b.append("sentinel ").append(s.port).append(": ").append(j.sentinelMaster(MASTER_NAME)).append('\n');
            } catch (RuntimeException e) {
                b.append("sentinel ").append(s.port).append(": ").append(e).append('\n');
            }
        }
        for (RedisProcess n : nodes) {
            try (Jedis j = n.client()) {
                b.append("node ").append(n.port).append(": ").append(j.clusterInfo().lines().findFirst().orElse(""))
                        .append(", ").append(field(j.info("replication"), "role")).append('\n');
            } catch (RuntimeException e) {
                b.append("node ").append(n.port).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition c) throws Exception {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (c.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(50);
        }
        throw new AssertionError("waited " + READY_WITHIN.toSeconds() + " s for " + what + (last == null ? "" : "; last: " + last));
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
