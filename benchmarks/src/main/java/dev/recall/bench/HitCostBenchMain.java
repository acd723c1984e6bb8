package dev.recall.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code benchmarks/hit-cost.sh [--before OTHER-AGENT.jar] [--rounds N]}: what a Redis hit costs over a raw GET of
 * the same bytes, encrypted and {@code insecure: true}, for this build of the agent and, with {@code --before},
 * another one, all interleaved in one run. One worker JVM per (agent, mode), started once with the real agent;
 * each holds the 1,024 keys of {@link RemoteTargets#remote} in Redis under a key prefix of its own. Round by round,
 * in a shuffled order, one worker at a time (the others wait on their standard input, using no CPU) times, in
 * alternating blocks, the agent's hits, raw Jedis GETs of the agent's own entries (the same names and bytes) and raw
 * GETRANGEs of them (the command the agent reads with): wall time, this thread's CPU time and its allocation per
 * operation. So every comparison is within one round of one worker, or between workers a few hundred milliseconds
 * apart; the table gives medians over rounds and the spread (25th to 75th percentile).
 *
 * <p>The CPU figures say what the agent itself costs on the calling thread, which the wall time (mostly Redis's
 * round trip, and the machine's scheduling) hides in its noise. Needs Redis ({@code REDIS_URL}, default
 * {@code redis://127.0.0.1:6379}).
 */
public final class HitCostBenchMain {

    private static final int KEYS = Work.KEYS;
    /** What the agent asks GETRANGE for with the default {@code maxValueSize} (1 MiB) and its envelope's room. */
    private static final long READ_LIMIT = 1024 * 1024 + 64;

    private HitCostBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        if (a.contains("worker")) {
            worker(a.get(a.indexOf("worker") + 1));
            return;
        }
        int rounds = a.contains("--rounds") ? Integer.parseInt(a.get(a.indexOf("--rounds") + 1)) : 40;
        String redisUri = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
        Path jar = Paths.get(HitCostBenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path target = jar.getParent();
        Path agentJar = target.getParent().getParent().resolve("agent/target/recall-agent.jar");
        Path before = a.contains("--before") ? Paths.get(a.get(a.indexOf("--before") + 1)) : null;

        List<Worker> workers = new ArrayList<>();
        long run = System.currentTimeMillis();
        for (String mode : List.of("encrypted", "insecure")) {
            if (before != null) {
                workers.add(start(jar, before, "before " + mode, mode, redisUri, target, run));
            }
            workers.add(start(jar, agentJar, "now " + mode, mode, redisUri, target, run));
        }
        try {
            Random shuffle = new Random(7);
            int warmRounds = 5;
            for (int r = -warmRounds; r < rounds; r++) {
                List<Worker> order = new ArrayList<>(workers);
                Collections.shuffle(order, shuffle);
                for (Worker w : order) {
                    double[] m = w.round();
                    if (r >= 0) {
                        w.rounds.add(m);
                    }
                }
                System.err.print(r < 0 ? "w" : ".");
            }
            System.err.println();
            StringBuilder t = new StringBuilder();
            t.append("Redis hits against raw GETs of the same bytes, one thread, ").append(BenchmarkMain.machine(false)).append(", Redis at ")
                    .append(redisUri).append(", ").append(rounds).append(" rounds (medians over rounds; [p25, p75])\n\n");
            t.append("| worker | hit wall ns | raw GET wall ns | GETRANGE wall ns | hit / GET wall | hit - GET wall µs | GETRANGE - GET wall µs "
                    + "| hit CPU ns | GET CPU ns | hit - GET CPU µs | hit B/op | GET B/op | method runs |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Worker w : workers) {
                t.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %.0f | %.0f |%n", w.label,
                        stat(w, m -> m[0], 0), stat(w, m -> m[3], 0), stat(w, m -> m[6], 0), stat(w, m -> m[0] / m[3], 3),
                        stat(w, m -> m[10] / 1000, 2), stat(w, m -> m[12] / 1000, 2),
                        stat(w, m -> m[1], 0), stat(w, m -> m[4], 0), stat(w, m -> m[11] / 1000, 2),
                        median(w, m -> m[2]), median(w, m -> m[5]), sum(w, m -> m[9])));
            }
            if (before != null) {
                t.append("\nNow against before, per round (the two workers' rounds a few hundred ms apart):\n\n");
                t.append("| mode | hit wall now/before | hit CPU now/before | hit - GET wall, µs: before → now "
                        + "| hit - GET CPU, µs: before → now |\n|---|---:|---:|---:|---:|\n");
                for (int i = 0; i + 1 < workers.size(); i += 2) {
                    Worker b = workers.get(i);
                    Worker n = workers.get(i + 1);
                    double[] wall = new double[rounds];
                    double[] cpu = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        wall[r] = n.rounds.get(r)[0] / b.rounds.get(r)[0];
                        cpu[r] = n.rounds.get(r)[1] / b.rounds.get(r)[1];
                    }
                    t.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f → %.2f | %.2f → %.2f |%n", n.label.substring(4),
                            spread(wall, 3), spread(cpu, 3), median(b, m -> m[10] / 1000), median(n, m -> m[10] / 1000),
                            median(b, m -> m[11] / 1000), median(n, m -> m[11] / 1000)));
                }
            }
            System.out.println();
            System.out.println(t);
            Files.writeString(target.resolve("hit-cost-results.md"), t.toString(), StandardCharsets.UTF_8);
        } finally {
            for (Worker w : workers) {
                w.process.destroy();
                w.process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One worker JVM: its label, its process, and its rounds' measurements ({@link #measure}'s order). */
    private static final class Worker {
        final String label;
        final Process process;
        final BufferedReader out;
        final PrintStream in;
        final List<double[]> rounds = new ArrayList<>();

        Worker(String label, Process process) {
            this.label = label;
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        String await(String start) throws Exception {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(start)) {
                    return line;
                }
            }
            throw new IllegalStateException(label + ": the " + start + " line never came (exit " + process.waitFor() + ")");
        }

        double[] round() throws Exception {
            in.println("round");
            String[] f = await("result ").substring(7).split(" ");
            double[] m = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                m[i] = Double.parseDouble(f[i]);
            }
            return m;
        }
    }

    private static Worker start(Path jar, Path agent, String label, String mode, String redisUri, Path target, long run) throws Exception {
        String prefix = "recall-hitcost-" + run + "-" + label.replace(' ', '-') + ":";
        Path config = target.resolve("hit-cost-" + label.replace(' ', '-') + ".yml");
        Files.writeString(config, String.join("\n",
                "redis:",
                "  uri: " + redisUri,
                "  keyPrefix: \"" + prefix + "\"",
                mode.equals("encrypted") ? "  secret: a-benchmark-secret-of-some-length" : "  insecure: true",
                "methods:",
                "  - method: dev.recall.bench.RemoteTargets#remote(long)",
                "    store: redis",
                ""), StandardCharsets.UTF_8);
        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent + "=config=" + config, "-Drecall.jmx.delay=0", "-Xms256m", "-Xmx256m", "-cp", jar.toString(),
                HitCostBenchMain.class.getName(), "worker", prefix);
        Worker w = new Worker(label, new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        System.err.println("[hit-cost] " + label + ": " + w.await("ready"));
        return w;
    }

    /**
     * A worker: fills the keys, then on each {@code round} line times blocks of hits, raw GETs and raw GETRANGEs
     * (rotating which goes first) and prints {@code result} and, per operation (medians over the blocks): hit wall ns,
     * hit CPU ns, hit bytes, GET wall, CPU, bytes, GETRANGE wall, CPU, bytes; the method's runs during the round (0:
     * every call a hit); and the medians of the block-by-block differences hit - GET (wall, CPU) and GETRANGE - GET
     * (wall).
     */
    private static void worker(String prefix) throws Exception {
        RemoteTargets targets = new RemoteTargets();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"UP".equals(RemoteBenchMain.redisState()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long[] ids = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            ids[i] = 1_000 + i;
        }
        String redisUri = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
        URI u = URI.create(redisUri);
        try (JedisPooled raw = new JedisPooled(new HostAndPort(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort()))) {
            byte[][] names = {};
            // A fill may not land on a loaded machine (a command past the agent's timeout): the next pass fills it.
            for (int pass = 0; pass < 10 && names.length != KEYS; pass++) {
                for (int i = 0; i < KEYS; i++) {
                    targets.remote(ids[i]);
                }
                names = names(raw, prefix + "bench-remote:");
            }
            if (names.length != KEYS) {
                throw new IllegalStateException("found " + names.length + " entries of the agent, not " + KEYS + " (RedisState "
                        + RemoteBenchMain.redisState() + ")");
            }
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long self = Thread.currentThread().getId();
            int blocks = Integer.getInteger("bench.blocks", 21);
            int perBlock = Integer.getInteger("bench.perBlock", 50);
            // Warm the three paths before the first round (the JIT), then answer rounds.
            for (int i = 0; i < 20 * KEYS; i++) {
                targets.remote(ids[i & (KEYS - 1)]);
                raw.get(names[i & (KEYS - 1)]);
                raw.getrange(names[i & (KEYS - 1)], 0, READ_LIMIT);
            }
            System.out.println("ready " + names.length + " entries, " + raw.get(names[0]).length + " bytes each, RedisState "
                    + RemoteBenchMain.redisState());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            int next = 0;
            long sink = 0;
            for (String line; (line = commands.readLine()) != null; ) {
                if (!line.equals("round")) {
                    continue;
                }
                double[][] wall = new double[3][blocks];
                double[][] cpu = new double[3][blocks];
                long[] bytes = new long[3];
                long runsBefore = RemoteTargets.remoteRuns();
                for (int b = 0; b < blocks; b++) {
                    for (int k = 0; k < 3; k++) {
                        int c = (b + k) % 3;
                        long t0 = System.nanoTime();
                        long c0 = threads.getCurrentThreadCpuTime();
                        long a0 = threads.getThreadAllocatedBytes(self);
                        for (int i = 0; i < perBlock; i++) {
                            int key = next++ & (KEYS - 1);
                            sink += switch (c) {
                                case 0 -> targets.remote(ids[key]).length();
                                case 1 -> raw.get(names[key]).length;
                                default -> raw.getrange(names[key], 0, READ_LIMIT).length;
                            };
                        }
                        bytes[c] += threads.getThreadAllocatedBytes(self) - a0;
                        cpu[c][b] = (threads.getCurrentThreadCpuTime() - c0) / (double) perBlock;
                        wall[c][b] = (System.nanoTime() - t0) / (double) perBlock;
                    }
                }
                // Medians over the round's blocks (a block the machine preempted does not weigh), and of the
                // differences block by block (a hit's block and a GET's block run one right after the other).
                double ops = (double) blocks * perBlock;
                StringBuilder result = new StringBuilder("result");
                for (int c = 0; c < 3; c++) {
                    result.append(' ').append(medianOf(wall[c])).append(' ').append(medianOf(cpu[c])).append(' ').append(bytes[c] / ops);
                }
                result.append(' ').append(RemoteTargets.remoteRuns() - runsBefore);
                result.append(' ').append(medianOf(minus(wall[0], wall[1]))).append(' ').append(medianOf(minus(cpu[0], cpu[1])))
                        .append(' ').append(medianOf(minus(wall[2], wall[1])));
                System.out.println(result.append(sink == 42 ? " " : ""));
                System.out.flush();
            }
        }
    }

    private static double medianOf(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static byte[][] names(JedisPooled raw, String pattern) {
        Set<String> found = new TreeSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = raw.scan(cursor, new ScanParams().match(pattern + "*").count(1000));
            for (String name : page.getResult()) {
                if (name.indexOf('#') < 0) { // not a load's lock, nor the region's generation
                    found.add(name);
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        byte[][] names = new byte[found.size()][];
        int i = 0;
        for (String n : found) {
            names[i++] = n.getBytes(StandardCharsets.UTF_8);
        }
        return names;
    }

    private interface Of {
        double of(double[] m);
    }

    private static double[] values(Worker w, Of f) {
        double[] v = new double[w.rounds.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.of(w.rounds.get(i));
        }
        return v;
    }

    private static double median(Worker w, Of f) {
        double[] v = values(w, f);
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static double sum(Worker w, Of f) {
        double s = 0;
        for (double v : values(w, f)) {
            s += v;
        }
        return s;
    }

    private static String stat(Worker w, Of f, int decimals) {
        return spread(values(w, f), decimals);
    }

    /** The median and [25th, 75th] percentiles of {@code v}. */
    private static String spread(double[] v, int decimals) {
        double[] s = v.clone();
        Arrays.sort(s);
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", s[s.length / 2], s[s.length / 4], s[(s.length * 3) / 4]);
    }
}
