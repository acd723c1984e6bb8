package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.consistency.ConsistencyApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A Jepsen-style consistency checker of the Redis and two-level stores: application JVMs with the real
 * agent jar ({@link ConsistencyApp}) read and write versioned keys of an <em>oracle</em> database (a Redis
 * server of its own, never faulted) through cached methods whose entries live in a <em>cache Redis</em>,
 * while the test breaks the cache Redis: kills it, freezes it, partitions or slows one JVM's link to it,
 * fills its memory, kills a node of a cluster. The servers are {@code redis-server} processes the test
 * starts on free loopback ports ({@code /usr/bin/redis-server}, or {@code -Drecall.it.redisServer}); without
 * one the test fails, it is never skipped.
 *
 * <p><b>The check.</b> Every key has one writer thread in the whole system, and its versions strictly
 * increase. A writer records a version as done in the oracle ({@code done:KEY}) only after its cached call
 * (the write-through, or the eviction after a direct database write) returned. A read first takes that
 * floor from the oracle, then calls the cached reader: it is <b>stale</b> if it returned a version older
 * than the floor, that is, older than a write that completed before the read began. No other read counts.
 *
 * <p><b>Phases.</b> From the run's start, a warm-up, the fault (from its injection to the moment the server
 * or the link is whole again: "fault end"), and a settle period. A JVM has <b>recovered</b> at the first
 * 250 ms sample after the fault end from which its agent's {@code RedisState} is UP at every later sample;
 * the run has recovered when every JVM has. Reads are counted by the 250 ms bucket in which they began:
 * before the fault (buckets that end before it), from the fault to recovery, and after recovery (buckets
 * that begin after it). The Redis share is (remote hits + near hits) / reads of the read method.
 *
 * <p><b>What must hold</b> (the demands): no caller ever sees an exception; no stale read while
 * every JVM reaches Redis (the whole of a run without fault, before every fault, and after recovery); the
 * run recovers within its settle period; and each JVM's Redis share over a 1 s window is back to 80% of
 * its share before the fault within 3 s of recovery, under the same writes. Plus two checks that the
 * checker itself saw something: the oracle never failed, and the cache served at least 30% of the reads
 * before the fault on each JVM (or 0 stale reads would prove little).
 *
 * <p>Each scenario's figures are written to {@code target/consistency/report.md} (this JDK pass; each pass
 * also to {@code report-<jdk>.md}) and printed, <em>before</em> its assertions, so a failing run reports in
 * full; the application JVMs' output and the servers' logs are kept under {@code target/consistency/<jdk>/}.
 * <p>CI runs it once, on JDK 17 (it leaves the newest-JDK pass to keep CI within its time: nothing it checks differs
 * by JDK): every Redis fault once, on {@code redis} for the odd ids and {@code two-level} for the even ones, scenario 2
 * (read-your-writes, 3 JVMs) on {@code two-level}, Memcached with no fault and killed, Sentinel's failover on
 * {@code two-level} and the cluster's on {@code redis}. {@code -Drecall.it.secondPass=true} swaps the stores of the
 * Redis faults; {@code -Drecall.soak=true} runs longer phases, every fault on both stores, every Memcached fault and
 * both failovers on both stores, and the stall and the slow link apart; {@code -Drecall.consistency.only=1,3} runs
 * only the scenarios of those ids (any of them, those CI leaves out too).
 */
class ConsistencyIT {

    static final String SECRET = "recall-consistency-" + "3f9a0c6e1b7d4a52";
    static final boolean SOAK = Boolean.getBoolean("recall.soak");
    static final String REDIS_SERVER = System.getProperty("recall.it.redisServer", "/usr/bin/redis-server");
    static final String REDIS_CLI = System.getProperty("recall.it.redisCli",
            Paths.get(REDIS_SERVER).resolveSibling("redis-cli").toString());
    static final int THREADS = 4;
    /** Each worker's pause between operations: enough that 2 cores are not saturated by the JVMs alone. */
    static final long THINK_MICROS = 2000;
    static final long BUCKET = 250;
    /** The share of the cache back to this fraction of its share before the fault counts as back. */
    static final double SHARE_BACK = 0.8;
    static final long HITS_BACK_WITHIN = 3000;
    static final double MIN_SHARE = 0.3;

    static final Path OUT = Paths.get("target", "consistency").toAbsolutePath();
    static final String JDK = jdkLabel();
    static final Path RUN = OUT.resolve(JDK);

    private static final List<RedisProcess> PROCESSES = new CopyOnWriteArrayList<>();
    private static final Set<Integer> PORTS_TAKEN = new HashSet<>();
    private static final Random PORTS = new Random();
    private static final List<Outcome> OUTCOMES = new ArrayList<>();
    private static RedisProcess oracle;

    enum Fault { NONE, KILL, STOP, STALL, DELAY, STALL_THEN_DELAY, OOM, CLUSTER_KILL, SENTINEL_FAILOVER, CLUSTER_FAILOVER }

    static final String REDIS_SENTINEL = System.getProperty("recall.it.redisSentinel",
            Paths.get(REDIS_SERVER).resolveSibling("redis-sentinel").toString());
    /**
     * The failover scenarios (Sentinel, a cluster with replicas), each on both stores, in the first pass only: the
     * newest-JDK pass of integration-tests/pom.xml sets this false, as no code they test differs by JDK.
     */
    static final boolean FAILOVER = Boolean.parseBoolean(System.getProperty("recall.consistency.failover", "true"));
    /** The longest the test waits, after killing a master, for its replica to be promoted. */
    static final long PROMOTION_BUDGET_MILLIS = 8_000;

    /**
     * "After recovery" begins this long after every JVM is UP again: a write that failed during the fault
     * is retried on the connector's next ticks (250 ms apart), and a JVM whose breaker never opened (a
     * cluster node lost, the others answering) still owes such writes when it reads UP. Until they are
     * delivered, the README's model lets other JVMs serve the values they replaced.
     */
    static final long SETTLE_MILLIS = 1_000;

    /**
     * Two-level's allowance in the phases around a fault only (none without a fault: {@link #nearWindow}):
     * reads that began less than this after the write they missed had completed are reported apart, not as
     * stale; any later is stale.
     */
    static final long NEAR_WINDOW_MILLIS = 500;

    /**
     * A write the agent could not deliver at once (its command timed out twice; the Agent's UndeliveredWrites
     * moved) is kept and delivered on one of the next ticks, 250 ms apart: the README's "while a writer cannot
     * reach Redis". Reads that miss such a write are reported apart; outside a fault, one that began longer
     * than this after the write returned is a violation, since Redis was answering and the write should have
     * arrived by then.
     */
    static final long UNDELIVERED_BOUND_MILLIS = 1_000;

    /** One run: its store, its fault, how many JVMs, and how long each phase lasts (ms). */
    record Scenario(String id, String title, String store, Fault fault, int jvms, long warmup, long faultMillis, long settle) {

        long total() {
            return warmup + faultMillis + settle;
        }

        boolean cluster() {
            return fault == Fault.CLUSTER_KILL || fault == Fault.CLUSTER_FAILOVER;
        }

        /** A master and its replica: the fault kills the master and waits for the replica's promotion. */
        boolean failover() {
            return fault == Fault.SENTINEL_FAILOVER || fault == Fault.CLUSTER_FAILOVER;
        }

        /** The checker's controls: no agent ({@code none}) or the local store, no Redis. */
        boolean control() {
            return store.equals("none") || store.equals("local");
        }

        /** The fault is on the link of JVM 0 only (a proxy); the others reach Redis directly. */
        boolean proxied() {
            return fault == Fault.STALL || fault == Fault.DELAY || fault == Fault.STALL_THEN_DELAY;
        }

        @Override
        public String toString() {
            return id + " " + title + " [" + store + ", " + jvms + " JVMs]";
        }
    }

    /** {@code -Drecall.consistency.only}, or {@code null}: with it, the scenarios CI leaves out may be named too. */
    static final String ONLY = System.getProperty("recall.consistency.only", "").isBlank() ? null
            : System.getProperty("recall.consistency.only");

    /** {@code -Drecall.consistency.only=1,3}: only those scenarios (by id; the controls {@code 0a,0b} too). */
    static Stream<Scenario> scenarios() {
        String only = System.getProperty("recall.consistency.only", "").trim();
        Set<String> ids = only.isEmpty() ? Set.of() : Set.of(only.split("\\s*,\\s*"));
        if (ids.isEmpty()) {
            return allScenarios();
        }
        Map<String, Scenario> candidates = new java.util.LinkedHashMap<>();
        allScenarios().forEach(s -> candidates.put(s.id, s));
        controls().forEach(s -> candidates.putIfAbsent(s.id, s));
        return candidates.values().stream().filter(s -> ids.contains(s.id));
    }

    /**
     * The checker's own controls (in the soak list; or by id): without the agent nothing can be stale; on the
     * local store, which shares nothing across JVMs, other JVMs' writes are never seen, so it must find
     * stale reads.
     */
    static Stream<Scenario> controls() {
        return Stream.of(
                new Scenario("0a", "control: no agent, nothing cached", "none", Fault.NONE, 2, 4000, 0, 4000),
                new Scenario("0b", "control: local store, nothing shared", "local", Fault.NONE, 2, 4000, 0, 4000));
    }

    /**
     * The same fault on {@code store: memcached} (ids {@code m1}, ...), for the faults Memcached can have: no fault,
     * killed and restarted empty, stopped, a stalled then delayed link. In CI ({@code all} false) the first two only, to
     * keep CI within its time: the stop and the stalled link take the same paths of the connector as Redis's (breaker,
     * owed invalidations, probe), and the soak ({@code -Drecall.soak=true}) or {@code -Drecall.consistency.only=m4,m5}
     * runs them.
     */
    private static Stream<Scenario> memcached(Scenario redis, boolean all) {
        boolean ci = redis.fault == Fault.NONE || redis.fault == Fault.KILL;
        if (!ci && !(all && (redis.fault == Fault.STOP || redis.fault == Fault.STALL_THEN_DELAY)) || redis.id.equals("2")) {
            return Stream.empty();
        }
        return Stream.of(new Scenario("m" + redis.id, redis.title.replace("Redis", "Memcached"), "memcached", redis.fault,
                redis.jvms, redis.warmup, redis.faultMillis, redis.settle));
    }

    static Stream<Scenario> allScenarios() {
        if (!SOAK) {
            // Every fault once per pass, each on one store, and every assertion strict: the first pass (JDK 17)
            // takes redis for the odd scenarios and two-level for the even ones, the second pass (the newest
            // JDK) the other way round, so a CI run checks every fault on both stores within the time of one.
            boolean second = Boolean.getBoolean("recall.it.secondPass");
            java.util.function.IntFunction<String> store = i -> (i % 2 == 1) != second ? "redis" : "two-level";
            return Stream.concat(Stream.of(
                    new Scenario("1", "no fault", store.apply(1), Fault.NONE, 2, 4000, 0, 4000),
                    // Read-your-writes across JVMs' near tiers, with no allowance: two-level in both passes.
                    new Scenario("2", "no fault, 3 JVMs", "two-level", Fault.NONE, 3, 4000, 0, 4000),
                    new Scenario("3", "cache Redis SIGKILLed, restarted empty after 3 s", store.apply(3), Fault.KILL, 2, 4000,
                            3000, 8000),
                    new Scenario("4", "cache Redis SIGSTOPped for 10 s", store.apply(4), Fault.STOP, 2, 4000, 10000, 8000),
                    new Scenario("5", "JVM 0's link stalled 4 s, then delayed 20-100 ms for 4 s", store.apply(5),
                            Fault.STALL_THEN_DELAY, 2, 4000, 8000, 8000),
                    new Scenario("6", "cache Redis out of memory (noeviction) for 5 s", store.apply(6), Fault.OOM, 2, 4000, 5000,
                            8000),
                    new Scenario("7", "cluster of 3: a node SIGKILLed, restarted after 3 s", store.apply(7), Fault.CLUSTER_KILL, 2,
                            4000, 3000, 8000)).flatMap(sc -> second ? Stream.of(sc) : Stream.concat(Stream.of(sc),
                            memcached(sc, ONLY != null))),
                    failovers(2, 4000, 6000, ONLY != null));
        }
        List<Scenario> soak = new ArrayList<>();
        controls().forEach(soak::add);
        soak.add(new Scenario("1", "no fault", "redis", Fault.NONE, 3, 5000, 0, 25000));
        soak.add(new Scenario("2", "no fault", "two-level", Fault.NONE, 3, 5000, 0, 25000));
        String[][] faults = {
            {"3", "cache Redis SIGKILLed, restarted empty after 3 s", "KILL", "3000"},
            {"4", "cache Redis SIGSTOPped for 10 s", "STOP", "10000"},
            {"5a", "JVM 0's link stalled for 5 s", "STALL", "5000"},
            {"5b", "JVM 0's link delayed 20-100 ms for 5 s", "DELAY", "5000"},
            {"6", "cache Redis out of memory (noeviction) for 5 s", "OOM", "5000"},
            {"7", "cluster of 3: a node SIGKILLed, restarted after 3 s", "CLUSTER_KILL", "3000"},
        };
        for (String[] f : faults) {
            for (String store : List.of("redis", "two-level")) {
                soak.add(new Scenario(f[0] + (store.equals("redis") ? "r" : "t"), f[1], store, Fault.valueOf(f[2]), 3, 5000,
                        Long.parseLong(f[3]), 15000));
            }
        }
        failovers(3, 5000, 15000, true).forEach(soak::add);
        for (String[] f : new String[][] {{"1", "no fault", "NONE", "0"}, {"3", "cache Memcached SIGKILLed, restarted empty after 3 s",
                "KILL", "3000"}, {"4", "cache Memcached SIGSTOPped for 10 s", "STOP", "10000"}, {"5",
                "JVM 0's link stalled 4 s, then delayed 20-100 ms for 4 s", "STALL_THEN_DELAY", "8000"}}) {
            soak.add(new Scenario("m" + f[0], f[1], "memcached", Fault.valueOf(f[2]), 3, 5000, Long.parseLong(f[3]), 15000));
        }
        return soak.stream();
    }

    /**
     * A master SIGKILLed and its replica promoted, by Redis Sentinel (3 sentinels, quorum 2) or by a cluster of 3
     * masters with a replica each, on both stores ({@code both}), or in CI, to keep it within its time, Sentinel on
     * two-level (the near tiers' flush on a topology change) and the cluster on redis (the routing of a promoted
     * slot); {@code -Drecall.soak=true} or {@code -Drecall.consistency.only=8r,9t} runs the other two. The fault's time
     * is the budget for the promotion; the fault ends when the test sees it (the after-phase is longer by what is left
     * of the budget).
     */
    static Stream<Scenario> failovers(int jvms, long warmup, long settle, boolean both) {
        if (!FAILOVER) {
            return Stream.empty();
        }
        List<Scenario> list = new ArrayList<>();
        for (String store : List.of("redis", "two-level")) {
            String tag = store.equals("redis") ? "r" : "t";
            if (both || store.equals("two-level")) {
                list.add(new Scenario("8" + tag, "Sentinel: the master SIGKILLed, its replica promoted", store,
                        Fault.SENTINEL_FAILOVER, jvms, warmup, PROMOTION_BUDGET_MILLIS, settle));
            }
            if (both || store.equals("redis")) {
                list.add(new Scenario("9" + tag, "cluster of 3 masters + 3 replicas: a master SIGKILLed, its replica promoted",
                        store, Fault.CLUSTER_FAILOVER, jvms, warmup, PROMOTION_BUDGET_MILLIS, settle));
            }
        }
        return list.stream();
    }

    // ---- lifecycle ----

    @BeforeAll
    static void servers() throws Exception {
        if (!Files.isExecutable(Paths.get(REDIS_SERVER))) {
            throw new AssertionError("ConsistencyIT starts its own Redis servers and needs redis-server at " + REDIS_SERVER
                    + " (install redis-server, or set -Drecall.it.redisServer=/path/to/redis-server); it is never skipped");
        }
        if (!Files.isExecutable(Paths.get(REDIS_CLI))) {
            throw new AssertionError("ConsistencyIT needs redis-cli at " + REDIS_CLI + " to create its cluster"
                    + " (or set -Drecall.it.redisCli=/path/to/redis-cli)");
        }
        deleteTree(RUN);
        Files.createDirectories(RUN);
        oracle = RedisProcess.start("oracle", RUN.resolve("oracle"), List.of());
    }

    @AfterAll
    static void stopServers() throws IOException {
        for (RedisProcess p : PROCESSES) {
            p.kill();
        }
        writeReport();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(Scenario s) throws Exception {
        Outcome o;
        try {
            o = execute(s);
        } catch (Throwable t) {
            OUTCOMES.add(Outcome.broken(s, t));
            writeReport();
            throw t;
        }
        OUTCOMES.add(o);
        writeReport();
        System.out.println(o.details());
        assertTrue(o.violations.isEmpty(), "ConsistencyIT " + s + ":\n  " + String.join("\n  ", o.violations)
                + "\n(table: " + OUT.resolve("report.md") + "; logs: " + o.dir + ")");
    }

    // ---- one run ----

    private Outcome execute(Scenario s) throws Exception {
        Path dir = RUN.resolve("scenario-" + s.id);
        Files.createDirectories(dir);
        List<CacheServer> cache = new ArrayList<>();
        boolean memcached = s.store.equals("memcached");
        TcpProxy proxy = null;
        List<AppJvm.Running> jvms = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (Jedis o = oracle.client()) {
            o.flushAll();
        }
        try {
            // The cache Redis: one server, or a cluster of three (a control has one, unused); for a failover a
            // master, its replica and three sentinels, or a cluster of three masters with a replica each.
            Failover failover = null;
            if (s.fault == Fault.SENTINEL_FAILOVER) {
                failover = Failover.sentinel(dir, cache);
            } else if (s.fault == Fault.CLUSTER_FAILOVER) {
                failover = Failover.cluster(dir, cache);
            } else if (s.cluster()) {
                cache.addAll(RedisProcess.cluster(dir, 3));
            } else if (memcached) {
                cache.add(MemcachedProcess.start(dir));
            } else {
                cache.add(RedisProcess.start("cache", dir, s.fault == Fault.OOM
                        ? List.of("--maxmemory-policy", "noeviction") : List.of()));
            }
            String direct = s.fault == Fault.SENTINEL_FAILOVER
                    ? "  sentinel:\n    master: " + Failover.MASTER_NAME + "\n    nodes: [" + failover.sentinels.stream()
                            .map(p -> "127.0.0.1:" + p.port()).collect(Collectors.joining(", ")) + "]\n"
                    : s.cluster()
                    ? "  cluster: [" + cache.stream().map(p -> "127.0.0.1:" + p.port()).collect(Collectors.joining(", ")) + "]\n"
                    : memcached ? "  servers: [127.0.0.1:" + cache.get(0).port() + "]\n"
                    : "  uri: redis://127.0.0.1:" + cache.get(0).port() + "\n";
            // JVM 0's link for the proxied faults: one TcpProxy that stalls or delays.
            TcpProxy link = null;
            String viaProxy = direct;
            if (s.proxied()) {
                link = new TcpProxy("127.0.0.1", cache.get(0).port());
                proxy = link;
                viaProxy = memcached ? "  servers: [127.0.0.1:" + link.port() + "]\n"
                        : "  uri: redis://127.0.0.1:" + link.port() + "\n";
            }

            // The application JVMs, started together.
            long seed = s.id.hashCode();
            for (int j = 0; j < s.jvms; j++) {
                Path config = dir.resolve("recall-" + j + ".yml");
                Files.writeString(config, s.store.equals("local") ? "store: local\n"
                        : config(s.store, j == 0 && s.proxied() ? viaProxy : direct));
                AppJvm app = AppJvm.main(ConsistencyApp.class).agentOptions("config=" + config)
                        .jvmArg("-Drecall.jmx.delay=100ms", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                                "-Dconsistency.windowMillis=" + nearWindow(s),
                                "-Dconsistency.state=" + (memcached ? "MemcachedState" : "RedisState"))
                        .args(String.valueOf(j), String.valueOf(s.jvms), String.valueOf(oracle.port), String.valueOf(seed),
                                String.valueOf(THREADS), String.valueOf(THINK_MICROS));
                if (s.control()) {
                    app.args("no-redis");
                }
                if (Boolean.getBoolean("recall.it.agentDebug")) {
                    app.jvmArg("-Drecall.log=debug");
                }
                if (s.store.equals("none")) {
                    app.withoutAgent();
                }
                jvms.add(app.start());
            }
            for (int j = 0; j < s.jvms; j++) {
                String ready = jvms.get(j).awaitLine("ready", Duration.ofSeconds(40));
                if (!ready.equals("ready state=UP")) {
                    notes.add("JVM " + j + " started with " + ready.substring("ready ".length()) + " (not UP after 20 s)");
                }
            }

            long t0 = System.currentTimeMillis() + 300;
            for (AppJvm.Running jvm : jvms) {
                jvm.send("start " + t0 + " " + s.total());
            }
            sleepUntil(t0 + s.warmup);
            long faultStart = System.currentTimeMillis();
            long faultEnd = faultStart;
            CacheServer victim = s.failover() ? failover.master : s.cluster() ? cache.get(1) : cache.get(0);
            switch (s.fault) {
                case NONE -> {
                }
                case KILL, CLUSTER_KILL -> {
                    victim.kill();
                    sleepUntil(faultStart + s.faultMillis);
                    victim.restart();
                    faultEnd = System.currentTimeMillis();
                    if (s.cluster()) {
                        long ok = RedisProcess.awaitClusterOk(List.of((RedisProcess) victim), Duration.ofSeconds(10));
                        notes.add(ok < 0 ? "the restarted node did not report cluster_state:ok within 10 s"
                                : "the restarted node reported cluster_state:ok " + (ok - faultEnd) + " ms after it answered PING");
                    }
                }
                case SENTINEL_FAILOVER, CLUSTER_FAILOVER -> {
                    victim.kill();
                    long promoted = failover.awaitPromotion(faultStart + s.faultMillis);
                    faultEnd = System.currentTimeMillis();
                    notes.add(promoted < 0 ? "the replica was NOT promoted within " + s.faultMillis + " ms of the kill"
                            : "the replica (port " + failover.replica.port + ") was promoted " + (promoted - faultStart)
                            + " ms after the master (port " + victim.port() + ") was killed; the fault ends there");
                    if (promoted < 0) {
                        throw new AssertionError("the replica was not promoted within " + s.faultMillis + " ms: "
                                + failover.describe());
                    }
                }
                case STOP -> {
                    victim.signal("STOP");
                    sleepUntil(faultStart + s.faultMillis);
                    victim.signal("CONT");
                    faultEnd = System.currentTimeMillis();
                }
                case STALL -> {
                    link.stall();
                    sleepUntil(faultStart + s.faultMillis);
                    link.restore();
                    faultEnd = System.currentTimeMillis();
                }
                case DELAY -> {
                    link.delay(20, 100);
                    sleepUntil(faultStart + s.faultMillis);
                    link.restore();
                    faultEnd = System.currentTimeMillis();
                }
                case STALL_THEN_DELAY -> {
                    link.stall();
                    sleepUntil(faultStart + s.faultMillis / 2);
                    link.delay(20, 100); // the held bytes go on, each chunk from now on 20-100 ms late
                    notes.add("stalled " + (System.currentTimeMillis() - faultStart) + " ms, then delayed 20-100 ms");
                    sleepUntil(faultStart + s.faultMillis);
                    link.restore();
                    faultEnd = System.currentTimeMillis();
                }
                case OOM -> {
                    notes.add(((RedisProcess) victim).fill());
                    sleepUntil(faultStart + s.faultMillis);
                    ((RedisProcess) victim).unfill();
                    faultEnd = System.currentTimeMillis();
                }
                default -> throw new IllegalStateException(s.fault.name());
            }

            if (s.proxied()) {
                // The checker's own look at JVM 0's link once the fault is over: is it whole again?
                int port = link.port();
                long before = System.nanoTime();
                try (Jedis viaLink = memcached ? null : new Jedis("127.0.0.1", port, 2000)) {
                    if (memcached) {
                        MemcachedProcess.version(port);
                    } else {
                        viaLink.ping();
                    }
                    notes.add("after the fault, a PING through JVM 0's proxy took " + (System.nanoTime() - before) / 1_000_000
                            + " ms");
                } catch (RuntimeException e) {
                    notes.add("after the fault, a PING through JVM 0's proxy FAILED: " + e);
                }
            }
            List<JvmRun> runs = new ArrayList<>();
            for (int j = 0; j < s.jvms; j++) {
                Result r = jvms.get(j).await(Duration.ofMillis(Math.max(0, t0 + s.total() - System.currentTimeMillis()) + 40_000));
                Files.writeString(dir.resolve("jvm-" + j + ".log"), r.toString());
                runs.add(JvmRun.parse(j, r));
            }
            return new Outcome(s, dir, t0, faultStart, faultEnd, runs, notes);
        } finally {
            for (AppJvm.Running jvm : jvms) {
                jvm.stop();
            }
            if (proxy != null) {
                proxy.close();
            }
            for (CacheServer p : cache) {
                p.kill();
            }
        }
    }

    /**
     * Two-level's near tiers give read-your-writes across JVMs with no fault (leases and acknowledged
     * invalidations): no allowance then. Under a fault the window stays for the phases around it.
     */
    static long nearWindow(Scenario s) {
        return s.store.equals("two-level") && s.fault != Fault.NONE ? NEAR_WINDOW_MILLIS : 0;
    }

    private static String config(String store, String connection) {
        return "store: " + store + "\n"
                + (store.equals("memcached") ? "memcached:\n" : "redis:\n")
                + connection
                + "  timeout: 50ms\n"
                + "  keyPrefix: \"consistency:\"\n"
                + "  secret: " + SECRET + "\n"
                + "near:\n"
                + "  ttl: 10s\n"
                + "  maxSize: 1000\n";
    }

    // ---- what one JVM printed ----

    /** One JVM's run: per 250 ms bucket its counts (by the time an operation began) and its JMX samples. */
    static final class JvmRun {
        final int index;
        final int buckets;
        final long[] reads;
        final long[] stale;
        final long[] calls;
        final long[] errors;
        final long[] writes;
        final long[] maxMicros;
        /** Reads that missed a write its JVM's agent said it could not deliver to Redis, and their longest lag. */
        final long[] ustale;
        final long[] ulag;
        long undelivered;
        /** The agent's UnreplicatedWrites and RedisTopologyChanges at the end of the run. */
        long unreplicated;
        long topologyChanges;
        /** Remote hits + near hits of the read method in each bucket (from the JMX samples). */
        final long[] served;
        final String[] state;
        final long oracleErrors;
        final long staleFromMethod;
        /** Near-cache reads that missed a write completed less than {@link #NEAR_WINDOW_MILLIS} before them. */
        long inWindow;
        long maxWindowLag;
        final List<String> staleLines;
        final List<String> errorLines;
        final List<String> agentLog;

        private JvmRun(int index, int buckets, long oracleErrors, long staleFromMethod, List<String> staleLines,
                List<String> errorLines, List<String> agentLog) {
            this.index = index;
            this.buckets = buckets;
            reads = new long[buckets];
            stale = new long[buckets];
            calls = new long[buckets];
            errors = new long[buckets];
            writes = new long[buckets];
            maxMicros = new long[buckets];
            ustale = new long[buckets];
            ulag = new long[buckets];
            served = new long[buckets];
            state = new String[buckets];
            this.oracleErrors = oracleErrors;
            this.staleFromMethod = staleFromMethod;
            this.staleLines = staleLines;
            this.errorLines = errorLines;
            this.agentLog = agentLog;
        }

        static JvmRun parse(int index, Result r) {
            Map<Integer, Map<String, String>> lines = new HashMap<>();
            Map<String, String> result = null;
            List<String> staleLines = new ArrayList<>();
            List<String> errorLines = new ArrayList<>();
            for (String line : r.stdout()) {
                if (line.startsWith("T ")) {
                    Map<String, String> f = fields(line);
                    lines.put(Integer.parseInt(f.get("b")), f);
                } else if (line.startsWith("STALE ")) {
                    staleLines.add(line);
                } else if (line.startsWith("ERROR ")) {
                    errorLines.add(line);
                } else if (line.startsWith("RESULT ")) {
                    result = fields(line);
                }
            }
            if (result == null || !lines.containsKey(-1)) {
                throw new AssertionError("JVM " + index + " printed no RESULT line (exit code " + r.exitCode() + ")\n" + r);
            }
            int buckets = lines.size() - 1;
            List<String> agentLog = r.stderr().stream().filter(l -> l.contains("[recall]")).distinct().limit(40)
                    .collect(Collectors.toList());
            JvmRun run = new JvmRun(index, buckets, Long.parseLong(result.get("oracleErrors")),
                    Long.parseLong(result.get("staleFromMethod")), staleLines, errorLines, agentLog);
            run.inWindow = Long.parseLong(result.get("inWindow"));
            run.maxWindowLag = Long.parseLong(result.get("maxWindowLag"));
            run.undelivered = Long.parseLong(result.get("undelivered"));
            run.unreplicated = Long.parseLong(result.getOrDefault("unreplicated", "0"));
            run.topologyChanges = Long.parseLong(result.getOrDefault("topologyChanges", "0"));
            long prev = served(lines.get(-1));
            for (int b = 0; b < buckets; b++) {
                Map<String, String> f = lines.get(b);
                if (f == null) {
                    throw new AssertionError("JVM " + index + ": no line for bucket " + b + "\n" + r);
                }
                run.reads[b] = Long.parseLong(f.get("reads"));
                run.stale[b] = Long.parseLong(f.get("stale"));
                run.calls[b] = Long.parseLong(f.get("calls"));
                run.errors[b] = Long.parseLong(f.get("errors"));
                run.writes[b] = Long.parseLong(f.get("writes"));
                run.maxMicros[b] = Long.parseLong(f.get("maxMicros"));
                run.ustale[b] = Long.parseLong(f.get("ustale"));
                run.ulag[b] = Long.parseLong(f.get("ulag"));
                long now = served(f);
                run.served[b] = Math.max(0, now - prev);
                prev = now;
                run.state[b] = f.get("state");
            }
            return run;
        }

        private static long served(Map<String, String> f) {
            return Long.parseLong(f.get("RemoteHitCount")) + Long.parseLong(f.get("NearHitCount"));
        }

        private static Map<String, String> fields(String line) {
            Map<String, String> f = new HashMap<>();
            for (String part : line.split(" ")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    f.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            return f;
        }
    }

    // ---- the figures of a run ----

    static final class Outcome {
        final Scenario s;
        final Path dir;
        final long t0;
        final long faultStart;
        final long faultEnd;
        final List<JvmRun> runs;
        final List<String> notes;
        final List<String> violations = new ArrayList<>();
        final String broken;
        /** Per JVM: the time it recovered (epoch ms), or -1; and whether it ever left UP after the warm-up. */
        final long[] upAt;
        final boolean[] leftUp;
        final long allUpAt;

        Outcome(Scenario s, Path dir, long t0, long faultStart, long faultEnd, List<JvmRun> runs, List<String> notes) {
            this.s = s;
            this.dir = dir;
            this.t0 = t0;
            this.faultStart = faultStart;
            this.faultEnd = faultEnd;
            this.runs = runs;
            this.notes = notes;
            this.broken = null;
            upAt = new long[runs.size()];
            leftUp = new boolean[runs.size()];
            long all = 0;
            for (JvmRun r : runs) {
                upAt[r.index] = recoveredAt(r);
                for (int b = 0; b < r.buckets; b++) {
                    if (sampleAt(b) >= t0 + s.warmup && !"UP".equals(r.state[b])) {
                        leftUp[r.index] = true;
                    }
                }
                all = upAt[r.index] < 0 || all < 0 ? -1 : Math.max(all, upAt[r.index]);
            }
            allUpAt = all;
            judge();
        }

        private Outcome(Scenario s, Throwable t) {
            this.s = s;
            this.dir = RUN.resolve("scenario-" + s.id);
            this.t0 = 0;
            this.faultStart = 0;
            this.faultEnd = 0;
            this.runs = List.of();
            this.notes = List.of();
            this.broken = String.valueOf(t).replace('\n', ' ');
            this.upAt = new long[0];
            this.leftUp = new boolean[0];
            this.allUpAt = -1;
            violations.add("the run did not complete: " + broken);
        }

        static Outcome broken(Scenario s, Throwable t) {
            return new Outcome(s, t);
        }

        long bucketStart(int b) {
            return t0 + b * BUCKET;
        }

        long sampleAt(int b) {
            return t0 + (b + 1) * BUCKET;
        }

        /** The first sample at or after the fault end from which RedisState is UP at every later sample. */
        private long recoveredAt(JvmRun r) {
            long at = -1;
            for (int b = r.buckets - 1; b >= 0 && sampleAt(b) >= faultEnd; b--) {
                if (!"UP".equals(r.state[b])) {
                    break;
                }
                at = sampleAt(b);
            }
            return at;
        }

        enum Phase { BEFORE, FAULT, AFTER }

        Phase phase(int b) {
            if (bucketStart(b) + BUCKET <= faultStart) {
                return Phase.BEFORE;
            }
            if (allUpAt >= 0 && bucketStart(b) >= allUpAt + SETTLE_MILLIS) {
                return Phase.AFTER;
            }
            return Phase.FAULT;
        }

        long sum(List<JvmRun> of, java.util.function.Function<JvmRun, long[]> what, java.util.function.IntPredicate buckets) {
            long n = 0;
            for (JvmRun r : of) {
                long[] a = what.apply(r);
                for (int b = 0; b < r.buckets; b++) {
                    if (buckets.test(b)) {
                        n += a[b];
                    }
                }
            }
            return n;
        }

        long stale(List<JvmRun> of, Phase p) {
            return sum(of, r -> r.stale, b -> phase(b) == p);
        }

        /** Served by Redis / reads, over the buckets that begin in [from, to). */
        double share(List<JvmRun> of, long from, long to) {
            long served = sum(of, r -> r.served, b -> bucketStart(b) >= from && bucketStart(b) < to);
            long reads = sum(of, r -> r.reads, b -> bucketStart(b) >= from && bucketStart(b) < to);
            return reads == 0 ? Double.NaN : Math.min(1.0, (double) served / reads);
        }

        double shareBefore(List<JvmRun> of) {
            return share(of, faultStart - 3000, faultStart - BUCKET + 1);
        }

        double shareLast(List<JvmRun> of) {
            return share(of, t0 + s.total() - 3000, Long.MAX_VALUE);
        }

        /** When this JVM's share over a 1 s window first reached 80% of its share before the fault, or -1. */
        long hitsBackAt(JvmRun r) {
            double before = shareBefore(List.of(r));
            if (Double.isNaN(before) || before <= 0) {
                return -1;
            }
            for (int b = 0; b + 3 < r.buckets; b++) {
                if (bucketStart(b) < faultEnd) {
                    continue;
                }
                long served = 0;
                long reads = 0;
                for (int i = b; i < b + 4; i++) {
                    served += r.served[i];
                    reads += r.reads[i];
                }
                if (reads >= 20 && (double) served / reads >= SHARE_BACK * before) {
                    return bucketStart(b);
                }
            }
            return -1;
        }

        long maxMillis(List<JvmRun> of) {
            long max = 0;
            for (JvmRun r : of) {
                for (long m : r.maxMicros) {
                    max = Math.max(max, m);
                }
            }
            return max / 1000;
        }

        private void judge() {
            boolean faulted = s.fault != Fault.NONE;
            if (s.control()) {
                long stale = sum(runs, r -> r.stale, b -> true);
                long errors = sum(runs, r -> r.errors, b -> true);
                if (errors > 0) {
                    violations.add(errors + " caller error(s)");
                }
                if (s.store.equals("none") && stale > 0) {
                    violations.add("CHECKER BUG: " + stale + " stale read(s) without any cache: " + firstStale());
                }
                if (s.store.equals("local") && stale == 0) {
                    violations.add("CHECKER BLIND: no stale read although the JVMs share no cache");
                }
                return;
            }
            for (JvmRun r : runs) {
                long errors = sum(List.of(r), x -> x.errors, b -> true);
                if (errors > 0) {
                    violations.add("JVM " + r.index + ": " + errors + " caller error(s), first: "
                            + (r.errorLines.isEmpty() ? "?" : r.errorLines.get(0)));
                }
                if (r.oracleErrors > 0) {
                    violations.add("JVM " + r.index + ": the oracle failed " + r.oracleErrors + " time(s) (the checker's own"
                            + " database, not the agent): operations were lost");
                }
                List<String> hung = r.errorLines.stream().filter(l -> l.contains(" op=hang ")).collect(Collectors.toList());
                if (!hung.isEmpty()) {
                    violations.add("JVM " + r.index + ": " + hung.size() + " call(s) still running 5 s after the run ended"
                            + " (slowest finished call " + maxMillis(List.of(r)) + " ms); first: " + hung.get(0));
                }
                if (r.staleFromMethod > 0) {
                    violations.add("JVM " + r.index + ": " + r.staleFromMethod + " stale read(s) whose value the method body"
                            + " had just read from the oracle: the caller got something else than the method returned");
                }
                long reads = sum(List.of(r), x -> x.reads, b -> true);
                if (reads < 1000) {
                    violations.add("JVM " + r.index + ": only " + reads + " reads (slowest call " + maxMillis(List.of(r))
                            + " ms): too few to check anything");
                }
            }
            for (JvmRun r : runs) {
                double before = shareBefore(List.of(r));
                if (!(before >= MIN_SHARE)) {
                    violations.add(String.format(Locale.ROOT, "JVM %d: Redis served %s of its reads in the 3 s before the"
                            + " fault (under %.0f%%): with so few hits its 0 stale reads prove little, and its share has"
                            + " nothing to come back to", r.index, pct(before), MIN_SHARE * 100));
                }
            }
            for (JvmRun r : runs) {
                for (int b = 0; b < r.buckets; b++) {
                    if (r.ustale[b] > 0 && r.ulag[b] > UNDELIVERED_BOUND_MILLIS && (!faulted || phase(b) != Phase.FAULT)) {
                        violations.add(String.format(Locale.ROOT, "JVM %d: a read at %.2f s missed a write that its JVM's"
                                + " agent could not deliver to Redis, %d ms after that write returned, with no fault: such a write"
                                + " is delivered within %d ms", r.index, (bucketStart(b) - t0) / 1000.0, r.ulag[b],
                                UNDELIVERED_BOUND_MILLIS));
                        break;
                    }
                }
            }
            if (!faulted) {
                long stale = sum(runs, r -> r.stale, b -> true);
                if (stale > 0) {
                    violations.add(stale + " stale read(s) without any fault: " + firstStale());
                }
                return;
            }
            long staleBefore = stale(runs, Phase.BEFORE);
            if (staleBefore > 0) {
                violations.add(staleBefore + " stale read(s) before the fault, every JVM reaching Redis: "
                        + firstStale(Phase.BEFORE));
            }
            if (allUpAt < 0) {
                for (JvmRun r : runs) {
                    if (upAt[r.index] < 0) {
                        violations.add("JVM " + r.index + ": RedisState did not come back UP (to stay) within the "
                                + (t0 + s.total() - faultEnd) + " ms after the fault ended; last: " + r.state[r.buckets - 1]
                                + ", states: " + stateTimeline(r));
                    }
                }
                return;
            }
            if (s.failover()) {
                // The stated model: a write or eviction that returned was acknowledged by the replica that is
                // promoted (WAIT), unless UnreplicatedWrites says otherwise; so nothing goes back in time, during
                // the failover either (reads that missed a write its JVM could not deliver are counted apart).
                long unreplicated = runs.stream().mapToLong(r -> r.unreplicated).sum();
                long staleFault = stale(runs, Phase.FAULT);
                if (staleFault > 0 && unreplicated == 0) {
                    violations.add(staleFault + " stale read(s) during the failover, no write unacknowledged by a replica"
                            + " (UnreplicatedWrites 0): " + firstStale(Phase.FAULT));
                }
                for (JvmRun r : runs) {
                    if (r.topologyChanges == 0) {
                        violations.add("JVM " + r.index + ": its agent saw no change of master (RedisTopologyChanges 0)");
                    }
                }
            }
            long staleAfter = stale(runs, Phase.AFTER);
            if (staleAfter > 0) {
                violations.add(staleAfter + " stale read(s) after recovery (every JVM UP again): " + firstStale(Phase.AFTER));
            }
            for (JvmRun r : runs) {
                long back = hitsBackAt(r);
                if (!(shareBefore(List.of(r)) >= MIN_SHARE)) {
                    continue; // reported above
                }
                if (back < 0 || back > allUpAt + HITS_BACK_WITHIN) {
                    violations.add(String.format(Locale.ROOT, "JVM %d: the share of reads served from Redis was not back to"
                            + " %.0f%% of its %s before the fault within %d ms of recovery (%s after the fault end); %s",
                            r.index, SHARE_BACK * 100, pct(shareBefore(List.of(r))), HITS_BACK_WITHIN,
                            back < 0 ? "never" : (back - faultEnd) + " ms", sharePerSecond(r)));
                }
            }
        }

        private String firstStale() {
            return firstStale(null);
        }

        /** The first printed STALE line of that phase (of any, for {@code null}). */
        private String firstStale(Phase p) {
            for (JvmRun r : runs) {
                for (String l : r.staleLines) {
                    int b = Integer.parseInt(l.substring("STALE b=".length(), l.indexOf(' ', "STALE b=".length())));
                    if (p == null || phase(b) == p) {
                        return "JVM " + r.index + " " + l;
                    }
                }
            }
            return "(none among the STALE lines printed)";
        }

        String stateTimeline(JvmRun r) {
            StringBuilder b = new StringBuilder();
            String last = null;
            for (int i = 0; i < r.buckets; i++) {
                if (!r.state[i].equals(last)) {
                    b.append(last == null ? "" : ", ").append(r.state[i]).append(" from ")
                            .append(String.format(Locale.ROOT, "%.2f", (sampleAt(i) - t0) / 1000.0)).append(" s");
                    last = r.state[i];
                }
            }
            return b.toString();
        }

        String sharePerSecond(JvmRun r) {
            StringBuilder b = new StringBuilder("Redis share per second:");
            for (long sec = 0; sec * 1000 < s.total(); sec++) {
                b.append(' ').append(sec).append(':');
                double sh = share(List.of(r), t0 + sec * 1000, t0 + (sec + 1) * 1000);
                b.append(Double.isNaN(sh) ? "-" : String.valueOf(Math.round(sh * 100)));
            }
            return b.toString();
        }

        String stalePerSecond(JvmRun r) {
            StringBuilder b = new StringBuilder();
            for (long sec = 0; sec * 1000 < s.total(); sec++) {
                long from = t0 + sec * 1000;
                long n = sum(List.of(r), x -> x.stale, i -> bucketStart(i) >= from && bucketStart(i) < from + 1000);
                if (n > 0) {
                    b.append(' ').append(sec).append(':').append(n);
                }
            }
            return b.length() == 0 ? " none" : b.toString();
        }

        /** The rows of the table: one per JVM and the total. */
        List<String> rows() {
            List<String> rows = new ArrayList<>();
            if (broken != null) {
                rows.add("| " + s.id + " | " + s.title + " (" + s.store + ") | all | - | - | - | - | - | - | - | - | - | - | **did not run**: "
                        + broken.replace('|', '/') + " |");
                return rows;
            }
            for (JvmRun r : runs) {
                rows.add(row(List.of(r), "JVM " + r.index + (s.proxied() && r.index == 0 ? " (proxied)" : ""),
                        upAt[r.index], leftUp[r.index], fmtBack(hitsBackAt(r)), ""));
            }
            long back = -1;
            boolean allBack = true;
            for (JvmRun r : runs) {
                long b = hitsBackAt(r);
                allBack &= b >= 0;
                back = Math.max(back, b);
            }
            boolean anyLeft = false;
            for (boolean l : leftUp) {
                anyLeft |= l;
            }
            rows.add(row(runs, "**all**", allUpAt, anyLeft, allBack ? fmtBack(back) : fmtBack(-1),
                    violations.isEmpty() ? "pass" : "**FAIL** (" + violations.size() + ")"));
            return rows;
        }

        private String fmtBack(long at) {
            if (s.fault == Fault.NONE) {
                return "-";
            }
            return at < 0 ? "never" : (at - faultEnd) + " ms";
        }

        private String row(List<JvmRun> of, String who, long up, boolean left, String back, String verdict) {
            boolean faulted = s.fault != Fault.NONE;
            String upText = !faulted ? "-" : up < 0 ? "never" : !left ? "stayed UP" : (up - faultEnd) + " ms";
            return "| " + s.id + " | " + s.title + " (" + s.store + ") | " + who
                    + " | " + sum(of, r -> r.calls, b -> true)
                    + " | " + sum(of, r -> r.errors, b -> true)
                    + " | " + (faulted ? String.valueOf(stale(of, Phase.BEFORE)) : String.valueOf(sum(of, r -> r.stale, b -> true)))
                    + " | " + (faulted ? String.valueOf(stale(of, Phase.FAULT)) : "-")
                    + " | " + (faulted ? (allUpAt < 0 ? "(no recovery)" : String.valueOf(stale(of, Phase.AFTER))) : "-")
                    + " | " + (s.control() ? "-" : pct(shareBefore(of)))
                    + " | " + (s.control() ? "-" : pct(shareLast(of)))
                    + " | " + upText
                    + " | " + back
                    + " | " + maxMillis(of)
                    + " | " + verdict + " |";
        }

        String details() {
            StringBuilder b = new StringBuilder();
            b.append("### ").append(s).append('\n');
            if (broken != null) {
                b.append("- did not run: ").append(broken).append('\n');
                return b.toString();
            }
            b.append(String.format(Locale.ROOT, "- phases: warm-up %.1f s; fault from %.2f s to %.2f s; run ends at %.1f s;"
                    + " every JVM recovered at %s%n", s.warmup / 1000.0, (faultStart - t0) / 1000.0, (faultEnd - t0) / 1000.0,
                    s.total() / 1000.0, allUpAt < 0 ? "never" : String.format(Locale.ROOT, "%.2f s", (allUpAt - t0) / 1000.0)));
            for (String n : notes) {
                b.append("- ").append(n).append('\n');
            }
            for (JvmRun r : runs) {
                for (int i = 0; i < r.buckets && sampleAt(i) < faultStart; i++) {
                    if (!"UP".equals(r.state[i])) {
                        b.append("- JVM ").append(r.index).append(" was not UP throughout the warm-up, with no fault yet (")
                                .append(r.state[i]).append(String.format(Locale.ROOT, " at %.2f s", (sampleAt(i) - t0) / 1000.0))
                                .append("): its own commands timed out or failed\n");
                        break;
                    }
                }
            }
            for (JvmRun r : runs) {
                if (r.inWindow > 0) {
                    b.append("- JVM ").append(r.index).append(": ").append(r.inWindow).append(" near-cache read(s) missed a write"
                            + " completed less than ").append(NEAR_WINDOW_MILLIS).append(" ms before them, the latest ")
                            .append(r.maxWindowLag).append(" ms after it: two-level's stated allowance (another JVM's"
                            + " invalidation had not arrived yet), not counted as stale\n");
                }
            }
            for (JvmRun r : runs) {
                long excused = sum(List.of(r), x -> x.ustale, i -> true);
                if (r.undelivered > 0 || excused > 0) {
                    long outside = sum(List.of(r), x -> x.ustale, i -> s.fault == Fault.NONE || phase(i) != Phase.FAULT);
                    long lag = 0;
                    for (int i = 0; i < r.buckets; i++) {
                        if (s.fault == Fault.NONE || phase(i) != Phase.FAULT) {
                            lag = Math.max(lag, r.ulag[i]);
                        }
                    }
                    b.append("- JVM ").append(r.index).append(": its agent could not deliver ").append(r.undelivered)
                            .append(" write(s) or eviction(s) at once (UndeliveredWrites); ").append(excused)
                            .append(" read(s) anywhere missed a write so flagged, not counted as stale; outside the fault ")
                            .append(outside).append(", the latest ").append(lag).append(" ms after the write\n");
                }
            }
            if (s.failover()) {
                for (JvmRun r : runs) {
                    long back = hitsBackAt(r);
                    b.append("- JVM ").append(r.index).append(": UnreplicatedWrites ").append(r.unreplicated)
                            .append(", RedisTopologyChanges ").append(r.topologyChanges).append("; UP to stay ")
                            .append(upAt[r.index] < 0 ? "never" : (upAt[r.index] - faultStart) + " ms")
                            .append(" after the kill; Redis share back ").append(back < 0 ? "never" : (back - faultStart) + " ms")
                            .append(" after the kill\n");
                }
            }
            for (JvmRun r : runs) {
                b.append("- JVM ").append(r.index).append(": RedisState ").append(stateTimeline(r)).append('\n');
                b.append("  - ").append(sharePerSecond(r)).append('\n');
                b.append("  - stale reads per second (by start):").append(stalePerSecond(r)).append('\n');
                r.staleLines.stream().limit(5).forEach(l -> b.append("  - `").append(l).append("`\n"));
                r.errorLines.stream().limit(3).forEach(l -> b.append("  - `").append(l).append("`\n"));
                r.agentLog.stream().filter(l -> l.contains("WARN") || l.contains("ERROR")).limit(4)
                        .forEach(l -> b.append("  - agent: `").append(l.replace('`', '\'')).append("`\n"));
            }
            if (violations.isEmpty()) {
                b.append("- **pass**\n");
            }
            for (String v : violations) {
                b.append("- **violation**: ").append(v).append('\n');
            }
            return b.toString();
        }
    }

    static String pct(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    // ---- the report ----

    static final String HEADER = "| # | scenario | JVM | calls | caller errors | stale before fault | stale fault→recovery"
            + " | stale after recovery | Redis share before fault | Redis share last 3 s | UP after fault end"
            + " | Redis share back after fault end | slowest call ms | verdict |\n"
            + "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n";

    private static synchronized void writeReport() throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("## ConsistencyIT on ").append(JDK).append(SOAK ? " (soak)" : "").append(", ").append(Instant.now()).append("\n\n");
        b.append("Stale: a read that returned a version older than a write that had completed before the read began."
                + " Phases by the 250 ms bucket in which an operation began; recovery: every JVM's RedisState UP to stay."
                + " Redis share: (remote + near hits) / reads. For runs without a fault, the stale column counts the whole run.\n\n");
        b.append(HEADER);
        for (Outcome o : OUTCOMES) {
            o.rows().forEach(r -> b.append(r).append('\n'));
        }
        b.append('\n');
        for (Outcome o : OUTCOMES) {
            b.append(o.details()).append('\n');
        }
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("report-" + JDK + ".md"), b.toString());
        // report.md: this pass's report (a second JDK pass overwrites it; report-<jdk>.md keeps each).
        Files.writeString(OUT.resolve("report.md"), "# Recall consistency checker (ConsistencyIT)\n\n" + b
                + "\n(Each JDK pass: report-<jdk>.md in this directory.)\n");
        System.out.println("\n==== ConsistencyIT report (" + OUT.resolve("report.md") + ")\n" + HEADER
                + OUTCOMES.stream().flatMap(o -> o.rows().stream()).collect(Collectors.joining("\n")) + "\n");
    }

    // ---- Redis servers of the test's own ----

    /** A cache server process of the test's own, that it can kill, freeze and restart. */
    interface CacheServer {
        int port();

        void kill();

        void restart() throws IOException;

        void signal(String signal) throws IOException, InterruptedException;
    }

    /** A {@code memcached} process on a loopback port of its own ({@code MEMCACHED_BIN}, or /usr/bin/memcached). */
    static final class MemcachedProcess implements CacheServer {
        static final String BIN = System.getProperty("recall.it.memcached",
                System.getenv().getOrDefault("MEMCACHED_BIN", "/usr/bin/memcached"));
        private final int port;
        private final Path dir;
        private Process process;

        private MemcachedProcess(int port, Path dir) {
            this.port = port;
            this.dir = dir;
        }

        static MemcachedProcess start(Path dir) throws IOException {
            if (!Files.isExecutable(Paths.get(BIN))) {
                throw new AssertionError("the Memcached scenarios start their own memcached and need it at " + BIN
                        + " (apt-get install memcached, or -Drecall.it.memcached=/path/to/memcached); never skipped");
            }
            MemcachedProcess p = new MemcachedProcess(freePort(), dir);
            p.launch();
            return p;
        }

        @Override
        public int port() {
            return port;
        }

        private void launch() throws IOException {
            Files.createDirectories(dir);
            process = new ProcessBuilder(BIN, "-l", "127.0.0.1", "-p", String.valueOf(port), "-U", "0", "-m", "64",
                    "-u", System.getProperty("user.name")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("memcached-" + port + ".out").toFile())).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("memcached on port " + port + " exited with " + process.exitValue());
                }
                try {
                    version(port);
                    return;
                } catch (IOException notYet) {
                    sleep(20);
                }
            }
            throw new AssertionError("memcached on port " + port + " did not answer 'version' within 10 s");
        }

        /** Asks {@code version}; throws if nothing answers within 2 s. */
        static String version(int port) throws IOException {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                socket.setSoTimeout(2000);
                socket.getOutputStream().write("version\r\n".getBytes(StandardCharsets.US_ASCII));
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                if (line == null || !line.startsWith("VERSION")) {
                    throw new IOException("memcached answered " + line);
                }
                return line;
            }
        }

        @Override
        public void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Starts it again on the same port: empty. */
        @Override
        public void restart() throws IOException {
            kill();
            launch();
        }

        @Override
        public void signal(String signal) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
            }
        }
    }

    /** A {@code redis-server} process on a loopback port of its own, that the test can kill, freeze and restart. */
    static final class RedisProcess implements CacheServer {
        final String name;
        final int port;
        final Path dir;
        final List<String> command;
        private Process process;

        private RedisProcess(String name, int port, Path dir, List<String> command) {
            this.name = name;
            this.port = port;
            this.dir = dir;
            this.command = command;
        }

        static RedisProcess start(String name, Path dir, List<String> extra) throws IOException {
            int port = freePort();
            Files.createDirectories(dir);
            List<String> cmd = new ArrayList<>(List.of(REDIS_SERVER, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", "redis-" + port + ".log"));
            cmd.addAll(extra.stream().map(e -> e.replace("{port}", String.valueOf(port))).collect(Collectors.toList()));
            RedisProcess p = new RedisProcess(name, port, dir, cmd);
            PROCESSES.add(p);
            p.launch();
            return p;
        }

        /**
         * A {@code redis-sentinel} process: its own sentinel.conf in {@code dir} (which it rewrites), with
         * {@code lines} (the {@code sentinel monitor ...} settings) after the port.
         */
        static RedisProcess sentinel(String name, Path dir, List<String> lines) throws IOException {
            int port = freePort();
            Files.createDirectories(dir);
            Path conf = dir.resolve("sentinel-" + port + ".conf");
            List<String> all = new ArrayList<>(List.of("port " + port, "bind 127.0.0.1", "dir " + dir,
                    "logfile redis-" + port + ".log"));
            all.addAll(lines);
            Files.write(conf, all);
            RedisProcess p = new RedisProcess(name, port, dir, List.of(REDIS_SENTINEL, conf.toString()));
            PROCESSES.add(p);
            p.launch();
            return p;
        }

        /** Three cluster nodes, the cluster made with {@code redis-cli --cluster create}, every slot served. */
        static List<RedisProcess> cluster(Path dir, int n) throws Exception {
            return cluster(dir, n, 0, 5000);
        }

        /** {@code n} cluster nodes, {@code replicas} per master, every slot served. */
        static List<RedisProcess> cluster(Path dir, int n, int replicas, int nodeTimeoutMillis) throws Exception {
            List<RedisProcess> nodes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                nodes.add(start("node" + i, dir, List.of("--cluster-enabled", "yes", "--cluster-config-file",
                        dir.resolve("nodes-{port}.conf").toString(), "--cluster-node-timeout", String.valueOf(nodeTimeoutMillis))));
            }
            List<String> cmd = new ArrayList<>(List.of(REDIS_CLI, "--cluster", "create"));
            nodes.forEach(p -> cmd.add("127.0.0.1:" + p.port));
            cmd.addAll(List.of("--cluster-replicas", String.valueOf(replicas), "--cluster-yes"));
            Path log = dir.resolve("cluster-create.log");
            Process create = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!create.waitFor(30, TimeUnit.SECONDS) || create.exitValue() != 0) {
                create.destroyForcibly();
                throw new AssertionError("redis-cli --cluster create failed:\n" + Files.readString(log));
            }
            if (awaitClusterOk(nodes, Duration.ofSeconds(20)) < 0) {
                throw new AssertionError("the cluster did not reach cluster_state:ok within 20 s:\n" + Files.readString(log));
            }
            return nodes;
        }

        /** Whether every node says {@code cluster_state:ok} now. */
        static boolean clusterOk(List<RedisProcess> nodes) {
            for (RedisProcess p : nodes) {
                try (Jedis j = p.client()) {
                    if (!j.clusterInfo().contains("cluster_state:ok")) {
                        return false;
                    }
                } catch (RuntimeException e) {
                    return false;
                }
            }
            return true;
        }

        /** Waits until every node says {@code cluster_state:ok}; the time it did, or -1. */
        static long awaitClusterOk(List<RedisProcess> nodes, Duration timeout) {
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (System.currentTimeMillis() < deadline) {
                boolean ok = true;
                for (RedisProcess p : nodes) {
                    try (Jedis j = p.client()) {
                        ok &= j.clusterInfo().contains("cluster_state:ok");
                    } catch (RuntimeException e) {
                        ok = false;
                    }
                }
                if (ok) {
                    return System.currentTimeMillis();
                }
                sleep(100);
            }
            return -1;
        }

        private void launch() throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis-" + port + ".out").toFile())).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("redis-server " + name + " on port " + port + " exited with " + process.exitValue()
                            + ": " + String.join(" ", command) + "\n" + tail());
                }
                try (Jedis j = client()) {
                    if ("PONG".equals(j.ping())) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // starting
                }
                sleep(20);
            }
            throw new AssertionError("redis-server " + name + " on port " + port + " did not answer PING within 10 s\n" + tail());
        }

        private String tail() {
            try {
                Path log = dir.resolve("redis-" + port + ".log");
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            } catch (IOException e) {
                return e.toString();
            }
        }

        Jedis client() {
            return new Jedis("127.0.0.1", port, 2000);
        }

        @Override
        public int port() {
            return port;
        }

        /** SIGKILL, and waits for the process to be gone (a stopped process dies too). */
        @Override
        public void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Starts it again on the same port with the same arguments: empty (nothing is saved). */
        @Override
        public void restart() throws IOException {
            kill();
            launch();
        }

        @Override
        public void signal(String signal) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
            }
        }

        /**
         * Full: a memory ceiling 256 KB above what it uses now (and at least 1 MB), junk values in database 1
         * until writes fail with OOM, then the ceiling lowered below the junk so that it stays full while
         * the agent deletes its own entries. Returns what it did.
         */
        String fill() {
            try (Jedis j = client()) {
                long used = usedMemory(j);
                j.configSet("maxmemory", String.valueOf(Math.max(1 << 20, used + 256 * 1024)));
                j.select(1);
                byte[] junk = new byte[1024];
                Arrays.fill(junk, (byte) 'x');
                int n = 0;
                String refused = null;
                while (n < 100_000 && refused == null) {
                    try {
                        j.set(("junk:" + n).getBytes(StandardCharsets.UTF_8), junk);
                        n++;
                    } catch (JedisDataException e) {
                        refused = e.getMessage();
                    }
                }
                long full = usedMemory(j);
                j.configSet("maxmemory", String.valueOf(full - 64 * 1024));
                return "filled with " + n + " junk values of 1 KB until '" + refused + "' (used_memory " + used + " before, "
                        + full + " after); maxmemory then " + (full - 64 * 1024);
            }
        }

        void unfill() {
            try (Jedis j = client()) {
                j.select(1);
                j.flushDB();
                j.configSet("maxmemory", "0");
            }
        }

        private static long usedMemory(Jedis j) {
            for (String line : j.info("memory").split("\r?\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
            throw new AssertionError("no used_memory in INFO memory");
        }
    }

    /** A port free on 127.0.0.1 whose cluster bus port (+10000) is free too, never handed out twice in a run. */
    static synchronized int freePort() {
        for (int i = 0; i < 500; i++) {
            int p = 20000 + PORTS.nextInt(10000);
            if (!PORTS_TAKEN.contains(p) && free(p) && free(p + 10000)) {
                PORTS_TAKEN.add(p);
                return p;
            }
        }
        throw new AssertionError("no free port pair found in 20000-39999");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- small things ----

    private static void sleepUntil(long epochMillis) {
        long wait;
        while ((wait = epochMillis - System.currentTimeMillis()) > 0) {
            sleep(Math.min(wait, 50));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String jdkLabel() {
        Path home = Paths.get(AppJvm.JAVA).toAbsolutePath().getParent().getParent();
        return home.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.\\-]", "_");
    }
}
