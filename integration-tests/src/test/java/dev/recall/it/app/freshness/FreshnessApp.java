package dev.recall.it.app.freshness;

import dev.recall.Cached;
import dev.recall.Strategy;
import dev.recall.it.app.Jmx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * "Freshness and resilience" in one application JVM with the real agent: refresh-ahead under steady calls
 * and a write that races a refresh, stale-if-error through an outage of the method's backend, a load that
 * hangs behind loadTimeout, TTL jitter over a burst of keys, and the TTL of cached nulls. Prints
 * {@code name=value} lines; run with a configuration from {@code FreshnessIT} (the store varies).
 *
 * <p>{@code shared SECONDS}: only the steady refresh loop, for two JVMs on one Redis.
 */
public class FreshnessApp {

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void print(String name, Object value) {
        System.out.println(name + "=" + value);
    }

    // ---- refresh-ahead: ttl 2s, refresh 1s (the annotation), a 100 ms method ----

    /** The threads that call the method: a load on one of them, once warm, is a caller that waited. */
    final Set<Thread> callers = ConcurrentHashMap.newKeySet();
    volatile boolean warm;
    final AtomicInteger callerLoads = new AtomicInteger();
    final Map<Integer, AtomicInteger> quoteLoads = new ConcurrentHashMap<>();
    /** Loads once the callers run (the first load of each key came before). */
    final Map<Integer, AtomicInteger> warmLoads = new ConcurrentHashMap<>();
    /** The system of record of key {@link #RACED}. */
    volatile String racedValue = "before-write";
    static final int RACED = 99;
    /** Armed: the next load of {@link #RACED} on a non-caller thread reads the value, then waits to be let go. */
    volatile CountDownLatch racedReading;
    volatile CountDownLatch racedRelease;

    @Cached(cache = "quotes", key = "{0}", ttl = "2s", refresh = "1s")
    public String quote(int key) {
        if (warm && callers.contains(Thread.currentThread())) {
            callerLoads.incrementAndGet();
        }
        if (key == RACED) {
            String read = racedValue;
            CountDownLatch reading = racedReading;
            if (reading != null && !callers.contains(Thread.currentThread())) {
                racedReading = null;
                reading.countDown();
                try {
                    racedRelease.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return read;
        }
        int n = quoteLoads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (warm) {
            warmLoads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
        sleep(100);
        return "quote-" + key + "-v" + n + "-" + ProcessHandle.current().pid();
    }

    @Cached(cache = "quotes", key = "{0}", ttl = "2s", strategy = Strategy.WRITE_THROUGH)
    public String saveQuote(int key, String value) {
        racedValue = value;
        return value;
    }

    /** Callers on 4 threads, each key every ~10 ms, for {@code seconds}: who waited, and how long. */
    void steadyRefresh(String prefix, int keys, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int k = 0; k < keys; k++) {
            quote(k);
        }
        warm = true;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong calls = new AtomicLong();
        AtomicLong over10 = new AtomicLong();
        AtomicLong maxNanos = new AtomicLong();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            running.add(pool.submit(() -> {
                callers.add(Thread.currentThread());
                while (System.nanoTime() < end) {
                    for (int k = 0; k < keys; k++) {
                        long t0 = System.nanoTime();
                        quote(k);
                        long took = System.nanoTime() - t0;
                        calls.incrementAndGet();
                        maxNanos.accumulateAndGet(took, Math::max);
                        if (took > TimeUnit.MILLISECONDS.toNanos(10)) {
                            over10.incrementAndGet();
                        }
                    }
                    sleep(10);
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        print(prefix + ".calls", calls.get());
        print(prefix + ".callerLoads", callerLoads.get());
        print(prefix + ".over10ms", over10.get());
        print(prefix + ".maxMillis", maxNanos.get() / 1_000_000);
        for (int k = 0; k < keys; k++) {
            AtomicInteger loads = warmLoads.get(k);
            print(prefix + ".loads." + k, loads == null ? 0 : loads.get());
        }
        print(prefix + ".refreshCount", Jmx.attribute(FreshnessApp.class, "quote(int)", "RefreshCount"));
        print(prefix + ".refreshFailures", Jmx.attribute(FreshnessApp.class, "quote(int)", "RefreshFailureCount"));
        print(prefix + ".remoteErrors", Jmx.attribute(FreshnessApp.class, "quote(int)", "RemoteErrorCount"));
    }

    /** A write made while a refresh that read the old value is still running: the refresh must not win. */
    void writeDuringRefresh() throws Exception {
        callers.add(Thread.currentThread());
        quote(RACED);
        racedReading = new CountDownLatch(1);
        racedRelease = new CountDownLatch(1);
        CountDownLatch reading = racedReading;
        sleep(1_100); // older than refresh: the next hit schedules one
        quote(RACED);
        boolean started = reading.await(5, TimeUnit.SECONDS);
        print("race.refreshStarted", started);
        print("race.written", saveQuote(RACED, "written"));
        racedRelease.countDown();
        int stale = 0;
        int reads = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
        while (System.nanoTime() < end) {
            reads++;
            if (!"written".equals(quote(RACED))) {
                stale++;
            }
            sleep(5);
        }
        print("race.reads", reads);
        print("race.readsOlderThanTheWrite", stale);
    }

    // ---- stale-if-error: ttl 1s, staleIfError 3s, no jitter ----

    volatile boolean ratesDown;
    final AtomicInteger rateLoads = new AtomicInteger();

    public String rate(String currency) {
        int n = rateLoads.incrementAndGet();
        if (ratesDown) {
            throw new IllegalStateException("the rates API does not answer");
        }
        return "rate-" + currency + "-" + n;
    }

    void staleIfError() {
        String first = rate("EUR");
        long loaded = System.nanoTime();
        ratesDown = true;
        int errorsWithinWindow = 0;
        int staleAfterWindow = 0;
        int servedWithinWindow = 0;
        long firstErrorAge = -1;
        long lastValueAge = -1;
        String wrong = null;
        while (true) {
            long age = (System.nanoTime() - loaded) / 1_000_000;
            if (age > 6_000) {
                break;
            }
            try {
                String v = rate("EUR");
                lastValueAge = age;
                if (!first.equals(v) && wrong == null) {
                    wrong = v;
                }
                if (age > 4_300) {
                    staleAfterWindow++;
                } else if (age > 1_000) {
                    servedWithinWindow++;
                }
            } catch (IllegalStateException e) {
                if (firstErrorAge < 0) {
                    firstErrorAge = age;
                }
                if (age < 3_900) {
                    errorsWithinWindow++;
                }
            }
            sleep(50);
        }
        ratesDown = false;
        print("stale.first", first);
        print("stale.unexpectedValue", wrong);
        print("stale.servedWithinWindow", servedWithinWindow);
        print("stale.errorsWithinWindow", errorsWithinWindow);
        print("stale.servedAfterWindow", staleAfterWindow);
        print("stale.firstErrorAgeMillis", firstErrorAge);
        print("stale.lastValueAgeMillis", lastValueAge);
        print("stale.recovered", rate("EUR"));
        print("stale.again", rate("EUR"));
        print("stale.servedCount", Jmx.attribute(FreshnessApp.class, "rate(java.lang.String)", "StaleServedCount"));
    }

    /** A write replaces a stale value, and an eviction removes it: neither is ever served again. */
    final AtomicInteger profileLoads = new AtomicInteger();
    volatile boolean profilesDown;

    @Cached(cache = "profiles", key = "{0}", ttl = "300ms", staleIfError = "1m")
    public String profile(int id) {
        profileLoads.incrementAndGet();
        if (profilesDown) {
            throw new IllegalStateException("profiles down");
        }
        return "profile-" + id + "-loaded";
    }

    @Cached(cache = "profiles", key = "{0}", ttl = "300ms", staleIfError = "1m", strategy = Strategy.WRITE_THROUGH)
    public String saveProfile(int id, String value) {
        return value;
    }

    void writesReplaceStaleValues() {
        profile(1);
        profile(2);
        profilesDown = true;
        sleep(400);
        print("writes.staleBeforeWrite", profile(1));
        saveProfile(1, "profile-1-written");
        sleep(400);
        print("writes.staleAfterWrite", profile(1));
        String evicted;
        try {
            evicted = profile(2);
        } catch (IllegalStateException e) {
            evicted = "threw";
        }
        print("writes.beforeEvict", evicted);
        try {
            print("writes.invalidated", Jmx.invalidate(FreshnessApp.class, "profile(int)", "2"));
        } catch (Exception e) {
            print("writes.invalidated", e);
        }
        try {
            evicted = profile(2);
        } catch (IllegalStateException e) {
            evicted = "threw";
        }
        print("writes.afterEvict", evicted);
        profilesDown = false;
    }

    // ---- loadTimeout: ttl 500ms, staleIfError 30s, loadTimeout 200ms; the backend hangs 10 s ----

    volatile CountDownLatch hang;
    final AtomicInteger slowLoads = new AtomicInteger();

    public String slow(String key) throws InterruptedException {
        int n = slowLoads.incrementAndGet();
        CountDownLatch h = hang;
        if (h != null) {
            h.await(10, TimeUnit.SECONDS);
        }
        return "slow-" + key + "-" + n;
    }

    void loadTimeout() throws Exception {
        String first = slow("A");
        hang = new CountDownLatch(1);
        sleep(600);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<Future<long[]>> answers = new ArrayList<>();
        List<String> values = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 5; i++) {
            answers.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                values.add(slow("A"));
                return new long[] {(System.nanoTime() - t0) / 1_000_000};
            }));
        }
        long max = 0;
        for (Future<long[]> f : answers) {
            max = Math.max(max, f.get(20, TimeUnit.SECONDS)[0]);
        }
        pool.shutdown();
        print("timeout.first", first);
        print("timeout.values", String.join(",", new java.util.TreeSet<>(values)));
        print("timeout.answers", values.size());
        print("timeout.maxMillis", max);
        hang.countDown();
        hang = null;
        // The hung reload ends now and stores its value; then a fresh one is served.
        String after = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            after = slow("A");
            if (!after.equals(first)) {
                break;
            }
            sleep(20);
        }
        print("timeout.after", after);
    }

    // ---- jitter: ttl 2s, the default jitter (10%); 1,000 keys loaded in one burst ----

    static final int ITEMS = 1_000;
    final long[] itemLoadedAt = new long[ITEMS];
    final long[] itemExpiredAfter = new long[ITEMS];
    final AtomicInteger itemLoads = new AtomicInteger();

    public String item(int k) {
        itemLoads.incrementAndGet();
        long now = System.nanoTime();
        if (itemLoadedAt[k] == 0) {
            itemLoadedAt[k] = now;
        } else if (itemExpiredAfter[k] == 0) {
            itemExpiredAfter[k] = now - itemLoadedAt[k];
        }
        return "item-" + k;
    }

    void jitter() {
        for (int k = 0; k < ITEMS; k++) {
            item(k);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        int expired = 0;
        while (expired < ITEMS && System.nanoTime() < deadline) {
            expired = 0;
            for (int k = 0; k < ITEMS; k++) {
                item(k);
                if (itemExpiredAfter[k] != 0) {
                    expired++;
                }
            }
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long e : itemExpiredAfter) {
            if (e != 0) {
                min = Math.min(min, e);
                max = Math.max(max, e);
            }
        }
        print("jitter.expired", expired);
        print("jitter.minMillis", min / 1_000_000);
        print("jitter.maxMillis", max / 1_000_000);
        print("jitter.spreadMillis", (max - min) / 1_000_000);
    }

    // ---- nullTtl: ttl 10s, nulls 300ms ----

    final AtomicInteger findLoads = new AtomicInteger();

    public String find(int id) {
        findLoads.incrementAndGet();
        return null;
    }

    void nullTtl() {
        find(1);
        find(1);
        print("nulls.loadsAtOnce", findLoads.get());
        sleep(450);
        find(1);
        print("nulls.loadsAfterNullTtl", findLoads.get());
    }

    /**
     * On a Redis store, waits until the agent is connected: calls before that run uncached by design, and a key
     * primed then would be loaded again by its first caller, which the refresh figures must not count.
     */
    static void awaitRedis() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String state = Jmx.attribute(FreshnessApp.class, "agent", "RedisState");
        while (!state.equals("UP") && !state.equals("NOT_CONFIGURED") && System.nanoTime() < deadline) {
            sleep(20);
            state = Jmx.attribute(FreshnessApp.class, "agent", "RedisState");
        }
        print("redisStateAtStart", state);
    }

    public static void main(String[] args) throws Exception {
        FreshnessApp app = new FreshnessApp();
        awaitRedis();
        if (args.length > 0 && args[0].equals("shared")) {
            app.steadyRefresh("shared", 2, Integer.parseInt(args[1]));
            return;
        }
        app.steadyRefresh("refresh", 3, 10);
        app.writeDuringRefresh();
        app.staleIfError();
        app.writesReplaceStaleValues();
        app.loadTimeout();
        app.jitter();
        app.nullTtl();
    }
}
