package dev.recall.it.app.safety;

import dev.recall.Cached;
import dev.recall.Strategy;
import dev.recall.it.app.Counter;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The promises of "Safe on real applications" that need threads, in one application JVM with the real
 * agent: a key argument changed after the call, racing write-throughs against a version oracle, the two
 * waits that could hang (crossed keys, a load that waits for another executor), and futures. Prints
 * {@code name=value} lines; run with {@code safety.yml} (loadWait 1s).
 */
public class SafetyApp {

    // ---- a key argument the caller changes after the call ----

    /** A search form, equal by content, reused by its caller. */
    public static final class Criteria {
        String lastName;

        Criteria(String lastName) {
            this.lastName = lastName;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Criteria c && Objects.equals(c.lastName, lastName);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(lastName);
        }

        @Override
        public String toString() {
            return lastName;
        }
    }

    @Cached(cache = "search")
    public String search(Criteria c) {
        Counter.ran("search");
        return "owners named " + c.lastName;
    }

    // ---- racing write-throughs ----

    static final int KEYS = 8;
    /** The database: each key's newest version (a write never lowers it, so its truth only grows). */
    final AtomicLongArray db = new AtomicLongArray(KEYS);

    @Cached(cache = "versions", key = "{0}")
    public long read(int key) {
        return db.get(key);
    }

    @Cached(cache = "versions", key = "{0}", strategy = Strategy.WRITE_THROUGH)
    public long write(int key, long version) {
        db.accumulateAndGet(key, version, Math::max);
        return db.get(key);
    }

    // ---- waits that could hang ----

    final ExecutorService other = Executors.newSingleThreadExecutor();
    final CountDownLatch bothLoading = new CountDownLatch(2);

    /** Thread 1 loads A and needs B, thread 2 loads B and needs A. */
    @Cached(cache = "crossed", key = "{0}")
    public String crossed(String key, boolean outer) throws InterruptedException {
        if (!outer) {
            return key;
        }
        bothLoading.countDown();
        bothLoading.await(5, TimeUnit.SECONDS); // both threads are inside their loads
        return key + crossed(key.equals("A") ? "B" : "A", false);
    }

    @Cached(cache = "handoff", key = "{0}")
    public String handoff(String key, boolean outer) throws Exception {
        if (!outer) {
            return "inner " + key;
        }
        // The load hands work for its own key to another executor and blocks on it: a wait no lock shows.
        return other.submit(() -> handoff(key, false)).get(20, TimeUnit.SECONDS);
    }

    // ---- futures ----

    final LongAdder futureCalls = new LongAdder();
    final AtomicBoolean failing = new AtomicBoolean();

    @Cached(cache = "quotes", key = "{0}")
    public CompletableFuture<String> quote(String symbol) {
        futureCalls.increment();
        boolean fail = failing.get();
        return CompletableFuture.supplyAsync(() -> {
            sleep(50);
            if (fail) {
                throw new IllegalStateException("the quote service is down");
            }
            return "quote " + symbol;
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        SafetyApp app = new SafetyApp();
        app.mutatedKey();
        app.racingWriters(Long.parseLong(args.length > 0 ? args[0] : "4000"));
        app.crossedKeys();
        app.handoffToAnotherExecutor();
        app.futures();
        app.other.shutdownNow();
    }

    void mutatedKey() {
        Criteria form = new Criteria("Davis");
        String first = search(form);
        form.lastName = "Franklin";
        Counter.print("mutated.davis", search(new Criteria("Davis")).replace(' ', '_'));
        Counter.print("mutated.franklin", search(new Criteria("Franklin")).replace(' ', '_'));
        Counter.print("mutated.first", first.replace(' ', '_'));
        Counter.print("mutated.calls", Counter.count("search"));
    }

    /**
     * Two writers per key raise its version through the write-through method while two readers read it;
     * a read is stale when it returns less than a version whose write had returned before the read began.
     */
    void racingWriters(long millis) throws InterruptedException {
        AtomicLongArray completed = new AtomicLongArray(KEYS);
        AtomicLong next = new AtomicLong();
        LongAdder reads = new LongAdder();
        LongAdder stale = new LongAdder();
        LongAdder writes = new LongAdder();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < 2; t++) {
            threads[t] = new Thread(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    int key = i++ % KEYS;
                    long v = next.incrementAndGet();
                    write(key, v);
                    completed.accumulateAndGet(key, v, Math::max);
                    writes.increment();
                }
            });
        }
        for (int t = 2; t < 4; t++) {
            threads[t] = new Thread(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    int key = i++ % KEYS;
                    long floor = completed.get(key);
                    if (read(key) < floor) {
                        stale.increment();
                    }
                    reads.increment();
                }
            });
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Counter.print("race.reads", reads.sum());
        Counter.print("race.writes", writes.sum());
        Counter.print("race.stale", stale.sum());
    }

    void crossedKeys() throws Exception {
        long start = System.nanoTime();
        // Two threads of their own: the common pool may have one thread on a small machine.
        ExecutorService two = Executors.newFixedThreadPool(2);
        java.util.concurrent.Future<String> a = two.submit(() -> crossed("A", true));
        java.util.concurrent.Future<String> b = two.submit(() -> crossed("B", true));
        Counter.print("crossed.a", a.get(30, TimeUnit.SECONDS));
        Counter.print("crossed.b", b.get(30, TimeUnit.SECONDS));
        Counter.print("crossed.millis", (System.nanoTime() - start) / 1_000_000);
        two.shutdown();
    }

    void handoffToAnotherExecutor() throws Exception {
        long start = System.nanoTime();
        Counter.print("handoff.result", handoff("k", true).replace(' ', '_'));
        Counter.print("handoff.millis", (System.nanoTime() - start) / 1_000_000);
    }

    void futures() throws Exception {
        CompletableFuture<String> first = quote("ACME");
        CompletableFuture<String> together = quote("ACME"); // while the first is still running
        Counter.print("future.first", first.get(5, TimeUnit.SECONDS).replace(' ', '_'));
        Counter.print("future.together", together.get(5, TimeUnit.SECONDS).replace(' ', '_'));
        Counter.print("future.hit", quote("ACME").get(5, TimeUnit.SECONDS).replace(' ', '_'));
        Counter.print("future.calls", futureCalls.sum());
        failing.set(true);
        int failures = 0;
        for (int i = 0; i < 2; i++) {
            try {
                quote("FAIL").get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failures++;
            }
        }
        Counter.print("future.failures", failures);
        Counter.print("future.callsAfterFailures", futureCalls.sum());
    }

}
