package dev.recall.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code benchmarks/bulk.sh}: what a bulk call of 50 elements with 45 cached in Redis costs, against its baseline
 * in the same run: one raw Jedis MGET of the agent's own 45 entries (the same bytes) plus one uncached call of the
 * method for the 5 missing keys. Also a call with all 50 cached against a raw MGET of 50. Runs in a JVM started with
 * the agent ({@code bulk.sh} does); cases interleave round by round so that the machine's noise falls on all alike,
 * and each figure is the median of its rounds. Timed, not JMH: the agent must be in this JVM, and the figures are
 * microseconds, far above a timer's grain. Indicative on a shared machine; rerun on a quiet one.
 */
public final class BulkBenchMain {

    private BulkBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 2000);
        String uri = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
        String prefix = System.getProperty("bench.prefix", "recall-bulk-bench:");
        URI u = URI.create(uri);
        BulkTargets t = new BulkTargets();
        try (JedisPooled raw = new JedisPooled(new HostAndPort(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort()))) {
            List<String> cached = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                cached.add("sku-" + i);
            }
            awaitUp();
            t.prices(cached);
            // The agent's own 50 entries, read raw by their names: the MGET baseline moves the same bytes.
            byte[][] names50 = names(raw, prefix, 50);
            byte[][] names45 = Arrays.copyOf(names50, 45);
            List<String> cached45 = cached.subList(0, 45);
            long[] bulk = new long[rounds];
            long[] mget45 = new long[rounds];
            long[] load5 = new long[rounds];
            long[] set5 = new long[rounds];
            byte[] sample = raw.get(names50[0]);
            long[] allHit = new long[rounds];
            long[] mget50 = new long[rounds];
            int fresh = 0;
            int warm = rounds / 4;
            for (int r = -warm; r < rounds; r++) {
                List<String> call = new ArrayList<>(cached45);
                List<String> five = new ArrayList<>();
                for (int j = 0; j < 5; j++) {
                    five.add("new-" + fresh++);
                }
                call.addAll(five);
                List<String> otherFive = new ArrayList<>();
                for (int j = 0; j < 5; j++) {
                    otherFive.add("uncached-" + fresh++);
                }
                long a = System.nanoTime();
                Map<String, String> got = t.prices(call);
                long b = System.nanoTime();
                raw.mget(names45);
                long c = System.nanoTime();
                t.pricesUncached(otherFive);
                long c2 = System.nanoTime();
                try (redis.clients.jedis.AbstractPipeline p = raw.pipelined()) {
                    for (String k : otherFive) {
                        p.psetex(("recall-bulk-bench:raw:" + k).getBytes(StandardCharsets.UTF_8), 3_600_000L, sample);
                    }
                    p.sync();
                }
                long d = System.nanoTime();
                t.prices(cached);
                long e = System.nanoTime();
                raw.mget(names50);
                long f = System.nanoTime();
                if (got.size() != 50) {
                    throw new AssertionError("a bulk call answered " + got.size() + " of 50 elements");
                }
                if (r >= 0) {
                    bulk[r] = b - a;
                    mget45[r] = c - b;
                    load5[r] = c2 - c;
                    set5[r] = d - c2;
                    allHit[r] = e - d;
                    mget50[r] = f - e;
                }
            }
            double mBulk = median(bulk);
            double mMget45 = median(mget45);
            double mLoad5 = median(load5);
            double mSet5 = median(set5);
            double mAll = median(allHit);
            double mMget50 = median(mget50);
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "Bulk calls on Redis (%s), %d rounds, medians, query %d µs per call, %d cores%n%n",
                    uri, rounds, BulkTargets.QUERY_NANOS / 1000, Runtime.getRuntime().availableProcessors()));
            out.append("| case | µs | against |\n|---|---|---|\n");
            out.append(row("bulk call, 50 elements, 45 cached (loads 5, stores 5)", mBulk, String.format(Locale.ROOT,
                    "%.2fx raw MGET 45 + load of 5 (%+.1f µs); %.2fx with a raw pipelined store of the 5 too (%+.1f µs)",
                    mBulk / (mMget45 + mLoad5), (mBulk - mMget45 - mLoad5) / 1000, mBulk / (mMget45 + mLoad5 + mSet5),
                    (mBulk - mMget45 - mLoad5 - mSet5) / 1000)));
            out.append(row("raw Jedis MGET of the agent's 45 entries", mMget45, ""));
            out.append(row("uncached call of the method for 5 keys", mLoad5, ""));
            out.append(row("raw Jedis pipeline of 5 PSETEX of an entry's bytes", mSet5, ""));
            out.append(row("bulk call, 50 elements, all cached", mAll, String.format(Locale.ROOT, "%.2fx raw MGET 50 (%+.1f µs)",
                    mAll / mMget50, (mAll - mMget50) / 1000)));
            out.append(row("raw Jedis MGET of the agent's 50 entries", mMget50, ""));
            System.out.println(out);
            // Leave nothing behind in the shared Redis.
            for (String k : keys(raw, prefix)) {
                raw.del(k);
            }
        }
    }

    private static String row(String name, double nanos, String against) {
        return String.format(Locale.ROOT, "| %s | %.1f | %s |%n", name, nanos / 1000, against);
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static byte[][] names(JedisPooled raw, String prefix, int expected) {
        Set<String> found = keys(raw, prefix + "*prices*");
        List<String> entries = new ArrayList<>();
        for (String k : found) {
            byte[] v = raw.get(k.getBytes(StandardCharsets.UTF_8));
            if (v != null && v.length > 40) {
                entries.add(k);
            }
        }
        if (entries.size() < expected) {
            throw new AssertionError("expected " + expected + " entries under " + prefix + ", found " + found);
        }
        byte[][] names = new byte[expected][];
        for (int i = 0; i < expected; i++) {
            names[i] = entries.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return names;
    }

    private static Set<String> keys(JedisPooled raw, String pattern) {
        Set<String> all = new TreeSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = raw.scan(cursor, new ScanParams().match(pattern.endsWith("*") ? pattern : pattern + "*").count(1000));
            all.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return all;
    }

    private static void awaitUp() throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!"UP".equals(RemoteBenchMain.redisState()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
