package dev.recall.it.app;

import dev.recall.Cached;
import dev.recall.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Many threads missing the same key at the same moment. */
public class ConcurrencyApp {

    public static final int THREADS = 8;

    @Cached(strategy = Strategy.READ_THROUGH)
    public String readThrough(String key) throws InterruptedException {
        Counter.ran("readThrough");
        Thread.sleep(300);
        return "value-" + key;
    }

    @Cached(strategy = Strategy.CACHE_ASIDE)
    public String cacheAside(String key) throws InterruptedException {
        Counter.ran("cacheAside");
        Thread.sleep(300);
        return "value-" + key;
    }

    private final AtomicInteger failingCalls = new AtomicInteger();

    /** The first load fails: its waiters must not all fail with it, nor all run the method at once. */
    @Cached
    public String firstLoadFails(String key) throws InterruptedException {
        Counter.ran("firstLoadFails");
        Thread.sleep(300);
        if (failingCalls.getAndIncrement() == 0) {
            throw new IllegalStateException("backend hiccup");
        }
        return "value-" + key;
    }

    /** Re-enters its own key on the same thread: must not deadlock waiting for itself. */
    @Cached
    public int recursive(int depth) {
        Counter.ran("recursive");
        return depth == 0 ? 0 : 1 + recursiveSameKey(depth);
    }

    private int reentered;

    private int recursiveSameKey(int depth) {
        return reentered++ == 0 ? recursive(depth) : 0;
    }

    interface Call {
        String call(String key) throws Exception;
    }

    /** Runs {@code call} on THREADS threads released at once; returns what each saw. */
    static List<String> stampede(Call call, Function<Integer, String> keyOf) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            String key = keyOf.apply(i);
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    return call.call(key);
                } catch (Exception e) {
                    return "threw " + e.getMessage();
                }
            }));
        }
        start.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> f : futures) {
            results.add(f.get());
        }
        pool.shutdown();
        return results;
    }

    public static void main(String[] args) throws Exception {
        ConcurrencyApp app = new ConcurrencyApp();
        List<String> rt = stampede(app::readThrough, i -> "k");
        Counter.print("readThrough.distinct", Set.copyOf(rt));
        List<String> ca = stampede(app::cacheAside, i -> "k");
        Counter.print("cacheAside.distinct", Set.copyOf(ca));
        List<String> twoKeys = stampede(app::readThrough, i -> i % 2 == 0 ? "even" : "odd");
        Counter.print("twoKeys.distinct", new java.util.TreeSet<>(twoKeys));
        List<String> failing = stampede(app::firstLoadFails, i -> "k");
        Counter.print("firstLoadFails.threw", failing.stream().filter(s -> s.startsWith("threw")).count());
        Counter.print("firstLoadFails.succeeded", failing.stream().filter(s -> s.equals("value-k")).count());
        Counter.print("recursive.result", app.recursive(3));
        Counter.printCounts();
    }
}
