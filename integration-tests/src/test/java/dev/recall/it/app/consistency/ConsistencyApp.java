package dev.recall.it.app.consistency;

import dev.recall.CacheEvict;
import dev.recall.Cached;
import dev.recall.Strategy;
import dev.recall.it.app.Jmx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One node of {@code ConsistencyIT}'s history checker: a service whose cached methods read and write
 * versioned keys of an <em>oracle</em> database (a Redis server of its own that is never faulted, reached
 * by a plain client, {@link Resp}), while the agent keeps the methods' entries in the cache Redis.
 *
 * <p>Keys are {@code k0..k39}. Node {@code j} of {@code n} writes only the keys whose index is {@code j}
 * mod {@code n}, and each of its threads only its own share of those, so a key has one writer and its
 * versions strictly increase. Every node reads every key. An operation is one of:
 *
 * <ul>
 *   <li>read (80%): GET {@code done:KEY} from the oracle (the floor: the newest version whose write had
 *       completed before this read began), then the cached {@link #read}; <b>stale</b> if it returned a
 *       version below the floor;</li>
 *   <li>write-through (10%): the cached {@link #write} of the key's next version, then SET
 *       {@code done:KEY};</li>
 *   <li>database then evict (10%): SET the version in the oracle directly, the {@link #evict} of the key,
 *       then SET {@code done:KEY}.</li>
 * </ul>
 *
 * An exception out of a cached method is a caller error (unless the oracle itself failed, counted apart);
 * a write whose cached call threw is not recorded as done.
 *
 * <p>Protocol: {@code ConsistencyApp INDEX COUNT ORACLE_PORT SEED THREADS THINK_MICROS [no-redis]}. It waits for the
 * agent's {@code RedisState} to be UP (at most 20 s), warms up for a second with the same calls on keys of
 * its own ({@code warm-*}, never checked), waits for UP again, prints {@code ready state=...}, then reads one line
 * {@code start T0 DURATION} (epoch ms, ms): the operations run from {@code T0} for {@code DURATION}. Counts
 * are kept in 250 ms buckets by the time the operation began, and the method's JMX figures are sampled at
 * the end of every bucket. When the run is over it prints one {@code T b=N ...} line per bucket (and
 * {@code b=-1}, the JMX figures at {@code T0}), up to 10 {@code STALE ...} lines per second of the run (400 in all) and 20 {@code ERROR ...} lines,
 * one {@code RESULT ...} line, and exits.
 */
public final class ConsistencyApp {

    static final int KEYS = 40;
    static final long BUCKET_MILLIS = 250;
    static final String READ_BEAN = "read(java.lang.String)";

    private static volatile int oraclePort;
    private static final ThreadLocal<Resp> ORACLE = new ThreadLocal<>();
    /** Set by {@link #read}'s body: whether the value of this thread's last read came from the method. */
    private static final ThreadLocal<boolean[]> BODY_RAN = ThreadLocal.withInitial(() -> new boolean[1]);

    // ---- the cached methods ----

    @Cached(cache = "items", key = "{0}")
    static long read(String key) {
        BODY_RAN.get()[0] = true;
        try {
            return oracle().getLong("v:" + key);
        } catch (IOException e) {
            throw oracleFailed(e);
        }
    }

    /** Writes the version to the oracle; the region's entry becomes the returned value (the contract). */
    @Cached(cache = "items", key = "{0}", strategy = Strategy.WRITE_THROUGH)
    static long write(String key, long version) {
        try {
            oracle().set("v:" + key, version);
        } catch (IOException e) {
            throw oracleFailed(e);
        }
        return version;
    }

    @CacheEvict(cache = "items", key = "{0}")
    static void evict(String key) {
    }

    // ---- the oracle ----

    /** The oracle failed under a cached method: not the agent's doing, counted apart from caller errors. */
    static final class OracleFailure extends RuntimeException {
        OracleFailure(IOException cause) {
            super("oracle: " + cause, cause);
        }
    }

    static Resp oracle() throws IOException {
        Resp r = ORACLE.get();
        if (r == null) {
            r = new Resp("127.0.0.1", oraclePort, 5000);
            ORACLE.set(r);
        }
        return r;
    }

    static OracleFailure oracleFailed(IOException e) {
        Resp r = ORACLE.get();
        if (r != null) {
            r.close();
            ORACLE.remove();
        }
        return new OracleFailure(e);
    }

    // ---- the run ----

    private final int index;
    private final int count;
    private final long seed;
    private final int threads;
    private final long thinkMicros;
    private long t0;
    private long end;
    private int buckets;

    private AtomicLongArray reads;
    private AtomicLongArray stale;
    private AtomicLongArray calls;
    private AtomicLongArray errors;
    private AtomicLongArray writes;
    private AtomicLongArray maxMicros;
    /** Per bucket: reads that missed a write the agent said it could not deliver, and their longest lag (ms). */
    private AtomicLongArray ustale;
    private AtomicLongArray ulag;
    private String[] samples;
    private String baseline;
    private final AtomicLong oracleErrors = new AtomicLong();
    private final AtomicInteger staleLines = new AtomicInteger();
    /** STALE lines printed per second of the run, so that every second with stale reads shows some. */
    private java.util.concurrent.atomic.AtomicIntegerArray staleLinesPerSecond;
    private final AtomicLong staleFromMethod = new AtomicLong();
    /**
     * Two-level's stated allowance: another JVM's near cache may serve the value a write replaced for the
     * time the invalidation message takes to arrive. A stale read that began within this many ms of the
     * completion of the write it missed is counted apart ({@code -Dconsistency.windowMillis}, 0: none).
     */
    private static final long WINDOW_MILLIS = Long.getLong("consistency.windowMillis", 0);
    /** done:KEY holds the version shifted left by this, and the low bits of the completion time in ms. */
    private static final int TIME_BITS = 20;
    private static final long TIME_MASK = (1L << TIME_BITS) - 1;
    /**
     * Set in done:KEY (above the time bits, below the version) when the agent said, during the write's cached
     * call, that a write of this JVM could not reach Redis (the Agent's UndeliveredWrites moved): the README's
     * "while a writer cannot reach Redis", whose staleness is bounded by delivery on a later tick, not zero.
     * The counter is the JVM's, so another thread's undelivered write at the same moment flags this one too.
     */
    private static final long UNDELIVERED = 1L << TIME_BITS;
    private static final int VERSION_SHIFT = TIME_BITS + 1;
    private final AtomicLong undeliveredStale = new AtomicLong();
    private final AtomicLong maxUndeliveredLag = new AtomicLong();
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong maxWindowLag = new AtomicLong();
    private final AtomicInteger errorLines = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> details = new ConcurrentLinkedQueue<>();

    private ConsistencyApp(int index, int count, long seed, int threads, long thinkMicros) {
        this.index = index;
        this.count = count;
        this.seed = seed;
        this.threads = threads;
        this.thinkMicros = thinkMicros;
    }

    public static void main(String[] args) throws Exception {
        int index = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        oraclePort = Integer.parseInt(args[2]);
        ConsistencyApp app = new ConsistencyApp(index, count, Long.parseLong(args[3]), Integer.parseInt(args[4]),
                Long.parseLong(args[5]));
        // A seventh argument 'no-redis': the checker's controls, without the agent or on the local store.
        boolean redis = args.length < 7 || !args[6].equals("no-redis");
        String state = redis ? awaitUp(20_000) : "UP";
        if ("UP".equals(state)) {
            // A second of the same calls on keys of their own (never read by the run): the JIT, the agent's
            // connection pool and its lock paths are warm before the first checked operation.
            app.warmUp(1_000);
            state = redis ? awaitUp(10_000) : "UP";
        }
        System.out.println("ready state=" + state);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.startsWith("start ")) {
            // nothing else is expected before the start
        }
        if (line == null) {
            return;
        }
        String[] start = line.trim().split(" ");
        app.run(Long.parseLong(start[1]), Long.parseLong(start[2]));
        System.out.flush();
        System.exit(0);
    }

    /** The Agent MBean's attribute for the shared store's state: RedisState, or MemcachedState on Memcached. */
    private static final String STATE = System.getProperty("consistency.state", "RedisState");

    private static String awaitUp(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        String state;
        while (!"UP".equals(state = Jmx.attribute(ConsistencyApp.class, "agent", STATE))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return state;
    }

    private void warmUp(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        List<Thread> warmers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String own = "warm-" + index + "-" + t;
            Thread w = new Thread(() -> {
                Random random = new Random(index * 7919L + own.hashCode());
                long v = 0;
                while (System.currentTimeMillis() < until) {
                    try {
                        int op = random.nextInt(10);
                        if (op < 8) {
                            read("warm-" + random.nextInt(count) + "-" + random.nextInt(threads));
                        } else if (op == 8) {
                            write(own, ++v);
                        } else {
                            evict(own);
                        }
                    } catch (RuntimeException ignored) {
                        // not checked: only warming up
                    }
                    think();
                }
            }, "warm-" + t);
            w.setDaemon(true);
            w.start();
            warmers.add(w);
        }
        for (Thread w : warmers) {
            w.join(millis + 5_000);
        }
    }

    private void run(long t0, long duration) throws InterruptedException {
        this.t0 = t0;
        this.end = t0 + duration;
        this.buckets = (int) ((duration + BUCKET_MILLIS - 1) / BUCKET_MILLIS);
        reads = new AtomicLongArray(buckets);
        stale = new AtomicLongArray(buckets);
        calls = new AtomicLongArray(buckets);
        errors = new AtomicLongArray(buckets);
        writes = new AtomicLongArray(buckets);
        maxMicros = new AtomicLongArray(buckets);
        ustale = new AtomicLongArray(buckets);
        ulag = new AtomicLongArray(buckets);
        samples = new String[buckets];
        staleLinesPerSecond = new java.util.concurrent.atomic.AtomicIntegerArray((int) (duration / 1000) + 1);

        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> work(thread), "worker-" + t);
            w.setDaemon(true);
            workers.add(w);
        }
        sleepUntil(t0);
        baseline = sample();
        for (Thread w : workers) {
            w.start();
        }
        for (int b = 0; b < buckets; b++) {
            sleepUntil(t0 + (b + 1) * BUCKET_MILLIS);
            samples[b] = sample();
        }
        long joinDeadline = System.currentTimeMillis() + 5_000;
        for (Thread w : workers) {
            // A worker stuck in a call past the end (a hung call) is reported, not waited for.
            w.join(Math.max(1, joinDeadline - System.currentTimeMillis()));
            if (w.isAlive()) {
                details.add("ERROR b=" + (buckets - 1) + " op=hang " + w.getName() + " still in a call 5 s after the end: "
                        + stackTop(w));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("T b=-1 ").append(baseline).append('\n');
        long totalCalls = 0;
        long totalReads = 0;
        long totalStale = 0;
        long totalErrors = 0;
        long totalWrites = 0;
        long max = 0;
        for (int b = 0; b < buckets; b++) {
            out.append("T b=").append(b)
                    .append(" reads=").append(reads.get(b))
                    .append(" stale=").append(stale.get(b))
                    .append(" calls=").append(calls.get(b))
                    .append(" errors=").append(errors.get(b))
                    .append(" writes=").append(writes.get(b))
                    .append(" maxMicros=").append(maxMicros.get(b))
                    .append(" ustale=").append(ustale.get(b))
                    .append(" ulag=").append(ulag.get(b))
                    .append(' ').append(samples[b]).append('\n');
            totalCalls += calls.get(b);
            totalReads += reads.get(b);
            totalStale += stale.get(b);
            totalErrors += errors.get(b);
            totalWrites += writes.get(b);
            max = Math.max(max, maxMicros.get(b));
        }
        for (String d : details) {
            out.append(d).append('\n');
        }
        out.append("RESULT jvm=").append(index).append(" calls=").append(totalCalls).append(" reads=").append(totalReads)
                .append(" writes=").append(totalWrites).append(" stale=").append(totalStale)
                .append(" staleFromMethod=").append(staleFromMethod.get())
                .append(" inWindow=").append(inWindow.get()).append(" maxWindowLag=").append(maxWindowLag.get())
                .append(" undeliveredStale=").append(undeliveredStale.get())
                .append(" maxUndeliveredLag=").append(maxUndeliveredLag.get())
                .append(" undelivered=").append(undeliveredWrites())
                .append(" unreplicated=").append(agentCount("UnreplicatedWrites"))
                .append(" topologyChanges=").append(agentCount("RedisTopologyChanges"))
                .append(" errors=").append(totalErrors).append(" oracleErrors=").append(oracleErrors.get())
                .append(" maxMicros=").append(max).append('\n');
        System.out.print(out);
    }

    /** The read method's JMX figures and the agent's RedisState, now. */
    private static String sample() {
        StringBuilder s = new StringBuilder();
        for (String a : new String[] {"RemoteHitCount", "RemoteMissCount", "NearHitCount", "HitCount", "MissCount",
                "RemoteErrorCount"}) {
            String v = Jmx.attribute(ConsistencyApp.class, READ_BEAN, a);
            s.append(a).append('=').append(v.matches("-?\\d+") ? v : "0").append(' ');
        }
        String state = Jmx.attribute(ConsistencyApp.class, "agent", STATE);
        s.append("state=").append(state.replace(' ', '_'));
        return s.toString();
    }

    private void work(int thread) {
        Random random = new Random(seed * 31 + index * 1009L + thread);
        // This thread's own keys: it is their only writer anywhere.
        List<String> own = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            if (k % count == index && (k / count) % threads == thread) {
                own.add("k" + k);
            }
        }
        long[] version = new long[own.size()];
        while (true) {
            long begin = System.currentTimeMillis();
            if (begin >= end) {
                return;
            }
            int op = random.nextInt(10);
            if (op < 8 || own.isEmpty()) {
                readOp("k" + random.nextInt(KEYS));
            } else {
                int i = random.nextInt(own.size());
                version[i]++;
                writeOp(own.get(i), version[i], op == 8);
            }
            think();
        }
    }

    private void readOp(String key) {
        long floor;
        long doneAt;
        boolean undelivered;
        try {
            long done = oracle().getLong("done:" + key);
            floor = done >>> VERSION_SHIFT;
            doneAt = done & TIME_MASK;
            undelivered = (done & UNDELIVERED) != 0;
        } catch (IOException e) {
            oracleFailed(e);
            oracleErrors.incrementAndGet();
            return;
        }
        long begin = System.currentTimeMillis();
        int b = bucket(begin);
        BODY_RAN.get()[0] = false;
        long startNanos = System.nanoTime();
        long got;
        try {
            got = read(key);
        } catch (Throwable t) {
            called(b, startNanos);
            failed(b, "read " + key, t);
            return;
        }
        called(b, startNanos);
        reads.incrementAndGet(b);
        long lag = ((begin & TIME_MASK) - doneAt) & TIME_MASK;
        if (got < floor && undelivered && !BODY_RAN.get()[0]) {
            undeliveredStale.incrementAndGet();
            maxUndeliveredLag.accumulateAndGet(lag, Math::max);
            ustale.incrementAndGet(b);
            ulag.accumulateAndGet(b, lag, Math::max);
        } else if (got < floor && lag < WINDOW_MILLIS && !BODY_RAN.get()[0]) {
            inWindow.incrementAndGet();
            maxWindowLag.accumulateAndGet(lag, Math::max);
        } else if (got < floor) {
            stale.incrementAndGet(b);
            boolean fromMethod = BODY_RAN.get()[0];
            if (fromMethod) {
                // The method read the oracle after the floor was done: it cannot be older, unless what the
                // caller got is not what the method returned.
                staleFromMethod.incrementAndGet();
            }
            int second = (int) Math.min(staleLinesPerSecond.length() - 1, Math.max(0, (begin - t0) / 1000));
            if (staleLinesPerSecond.incrementAndGet(second) <= 10 && staleLines.incrementAndGet() <= 400) {
                details.add("STALE b=" + b + " at=" + (begin - t0) + "ms key=" + key + " got=" + got + " floor=" + floor
                        + " from=" + (fromMethod ? "method" : "cache") + " lag=" + lag + "ms");
            }
        }
    }

    private void writeOp(String key, long version, boolean writeThrough) {
        long begin = System.currentTimeMillis();
        int b = bucket(begin);
        if (!writeThrough) {
            try {
                oracle().set("v:" + key, version);
            } catch (IOException e) {
                oracleFailed(e);
                oracleErrors.incrementAndGet();
                return; // the next write of the key takes the next version: versions only grow
            }
        }
        long startNanos = System.nanoTime();
        long undeliveredBefore = undeliveredWrites();
        try {
            if (writeThrough) {
                long returned = write(key, version);
                if (returned != version) {
                    throw new IllegalStateException("write returned " + returned + " for version " + version);
                }
            } else {
                evict(key);
            }
        } catch (Throwable t) {
            called(b, startNanos);
            failed(b, (writeThrough ? "write " : "evict ") + key, t);
            return; // not done: a failed write sets no floor
        }
        called(b, startNanos);
        writes.incrementAndGet(b);
        long flag = undeliveredWrites() != undeliveredBefore ? UNDELIVERED : 0;
        try {
            oracle().set("done:" + key, (version << VERSION_SHIFT) | flag | (System.currentTimeMillis() & TIME_MASK));
        } catch (IOException e) {
            oracleFailed(e);
            oracleErrors.incrementAndGet();
        }
    }

    /** An Agent MBean count now (0 without the agent, or an agent without it). */
    private static long agentCount(String attribute) {
        String v = Jmx.attribute(ConsistencyApp.class, "agent", attribute);
        return v.matches("\\d+") ? Long.parseLong(v) : 0;
    }

    /** The Agent's UndeliveredWrites now (0 without the agent). */
    private static long undeliveredWrites() {
        String v = Jmx.attribute(ConsistencyApp.class, "agent", "UndeliveredWrites");
        return v.matches("\\d+") ? Long.parseLong(v) : 0;
    }

    private void called(int b, long startNanos) {
        calls.incrementAndGet(b);
        long micros = (System.nanoTime() - startNanos) / 1000;
        maxMicros.accumulateAndGet(b, micros, Math::max);
    }

    private void failed(int b, String op, Throwable t) {
        if (t instanceof OracleFailure) {
            oracleErrors.incrementAndGet();
            return;
        }
        errors.incrementAndGet(b);
        if (errorLines.incrementAndGet() <= 20) {
            details.add("ERROR b=" + b + " op=" + op + " " + t.toString().replace('\n', ' '));
        }
    }

    private int bucket(long millis) {
        return (int) Math.min(buckets - 1, Math.max(0, (millis - t0) / BUCKET_MILLIS));
    }

    private void think() {
        if (thinkMicros <= 0) {
            return;
        }
        try {
            Thread.sleep(thinkMicros / 1000, (int) (thinkMicros % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait;
        while ((wait = epochMillis - System.currentTimeMillis()) > 0) {
            Thread.sleep(Math.min(wait, 50));
        }
    }

    private static String stackTop(Thread t) {
        StringBuilder s = new StringBuilder();
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < Math.min(10, stack.length); i++) {
            s.append(stack[i]).append(" < ");
        }
        return s.toString();
    }
}
