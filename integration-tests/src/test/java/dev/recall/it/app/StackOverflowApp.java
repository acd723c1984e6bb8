package dev.recall.it.app;

import dev.recall.Cached;
import java.util.ArrayList;
import java.util.List;

/**
 * An application that catches {@code StackOverflowError}, as parsers and request loops do: several threads
 * recurse until the stack overflows, through cached methods at every level (hits, misses, stores and
 * evictions of a small region), catch the error and start again. Afterwards the cache must still take
 * writes and answer: an overflow inside the agent must not have left a lock of its, or of Caffeine's, held.
 *
 * <p>Prints {@code soe.rounds}, {@code soe.after} (the results of fresh keys after the storm, checked) and
 * {@code soe.millis}.
 */
public class StackOverflowApp {

    static final int KEYS = 2_000;

    @Cached(key = "{0}")
    public int leaf(int n) {
        return n * 31 + 7;
    }

    /** Cached and recursive: every level is a key of its own, and the overflow strikes among them. */
    @Cached(key = "{0}")
    public long deep(long n) {
        return 1 + deep(n + 1);
    }

    /** Uncached recursion that calls a cached method at every level. */
    int recurse(int n) {
        int v = leaf((n * 7919) % KEYS);
        return recurse(n + 1) + v;
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        StackOverflowApp app = new StackOverflowApp();
        long start = System.nanoTime();
        List<Thread> all = new ArrayList<>();
        long[] overflows = new long[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            // A small stack: many overflows in little time.
            Thread th = new Thread(null, () -> {
                for (int r = 0; r < rounds; r++) {
                    try {
                        app.recurse(r + id);
                    } catch (StackOverflowError e) {
                        overflows[id]++;
                    }
                    try {
                        app.deep(((long) id * rounds + r) * 1_000_000L);
                    } catch (StackOverflowError e) {
                        overflows[id]++;
                    }
                }
            }, "overflowing-" + t, 256 * 1024);
            all.add(th);
            th.start();
        }
        for (Thread th : all) {
            th.join();
        }
        long total = 0;
        for (long o : overflows) {
            total += o;
        }
        System.out.println("soe.rounds=" + total);
        // Fresh keys after the storm: each is a store into the region that the overflows hit.
        int wrong = 0;
        for (int i = 0; i < 5 * KEYS; i++) {
            int n = KEYS + i;
            if (app.leaf(n) != n * 31 + 7 || app.leaf(n) != n * 31 + 7) {
                wrong++;
            }
        }
        System.out.println("soe.after=" + (wrong == 0 ? "right" : wrong + " wrong"));
        System.out.println("soe.millis=" + (System.nanoTime() - start) / 1_000_000);
    }
}
