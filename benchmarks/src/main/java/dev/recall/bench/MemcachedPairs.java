package dev.recall.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;

/**
 * A Memcached hit and a raw xmemcached get of the same bytes, alternated in short rounds in one JVM started with the
 * agent ({@link MemcachedBenchMain} starts it): on a shared machine the time one call waits for the client's I/O
 * thread and the server varies far more from second to second than the agent's own cost, so two JMH forks run one
 * after the other compare two different moments. Paired rounds see the same moment; each round gives the
 * difference of the two, and the calling thread's CPU time per call says how much of a call the agent itself spends.
 *
 * <p>Prints one line: {@code pairs hit=... raw=... hitCpu=... rawCpu=... diff=... ratio=...}, each the
 * 25th/50th/75th percentile over the rounds (ns per call; diff in ns; ratio hit over raw), the first tenth left out.
 * Arguments: server, rounds, calls per round.
 */
public final class MemcachedPairs {

    private MemcachedPairs() {
    }

    public static void main(String[] args) throws Exception {
        String server = args[0];
        int rounds = Integer.parseInt(args[1]);
        int calls = Integer.parseInt(args[2]);
        int colon = server.lastIndexOf(':');
        XMemcachedClientBuilder b = new XMemcachedClientBuilder(List.of(new InetSocketAddress(server.substring(0, colon),
                Integer.parseInt(server.substring(colon + 1)))));
        b.setSessionLocator(new KetamaMemcachedSessionLocator());
        b.setSelectorPoolSize(1);
        MemcachedClient client = b.build();
        // About the agent's sizes: its names have 48 characters (prefix, region, 22 of hash), its envelopes 76 bytes here.
        String[] keys = new String[Work.KEYS];
        byte[] value = new byte[80];
        for (int i = 0; i < Work.KEYS; i++) {
            keys[i] = String.format(Locale.ROOT, "recall-bench:bench-raw:%022d", i);
            client.set(keys[i], 3600, value, RawMemcachedBench.BYTES, 1000);
        }
        RemoteTargets targets = new RemoteTargets();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"UP".equals(MemcachedBenchMain.memcachedState()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Keys k = new Keys();
        for (int i = 0; i < 3 * Work.KEYS; i++) {
            targets.remote(k.ids[k.next()]);
            client.get(keys[i & (Work.KEYS - 1)], 1000, RawMemcachedBench.BYTES);
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[][] m = new double[6][rounds];
        int next = 0;
        for (int r = 0; r < rounds; r++) {
            long hitNanos = 0;
            long rawNanos = 0;
            long hitCpu = 0;
            long rawCpu = 0;
            for (int pass = 0; pass < 2; pass++) {
                boolean hit = (pass == 0) == (r % 2 == 0); // which goes first alternates, so order costs neither
                long c0 = cpu.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                if (hit) {
                    for (int i = 0; i < calls; i++) {
                        targets.remote(k.ids[k.next()]);
                    }
                } else {
                    for (int i = 0; i < calls; i++) {
                        client.get(keys[next++ & (Work.KEYS - 1)], 1000, RawMemcachedBench.BYTES);
                    }
                }
                long t1 = System.nanoTime();
                long c1 = cpu.getCurrentThreadCpuTime();
                if (hit) {
                    hitNanos = t1 - t0;
                    hitCpu = c1 - c0;
                } else {
                    rawNanos = t1 - t0;
                    rawCpu = c1 - c0;
                }
            }
            m[0][r] = hitNanos / (double) calls;
            m[1][r] = rawNanos / (double) calls;
            m[2][r] = hitCpu / (double) calls;
            m[3][r] = rawCpu / (double) calls;
            m[4][r] = (hitNanos - rawNanos) / (double) calls;
            m[5][r] = hitNanos / (double) rawNanos;
        }
        client.shutdown();
        String[] names = {"hit", "raw", "hitCpu", "rawCpu", "diff", "ratio"};
        StringBuilder line = new StringBuilder("pairs");
        for (int i = 0; i < names.length; i++) {
            double[] kept = Arrays.copyOfRange(m[i], rounds / 10, rounds);
            Arrays.sort(kept);
            line.append(String.format(Locale.ROOT, " %s=%.3f/%.3f/%.3f", names[i], kept[kept.length / 4], kept[kept.length / 2],
                    kept[3 * kept.length / 4]));
        }
        System.out.println(line);
        System.exit(0);
    }
}
