package dev.recall.it.app;

import dev.recall.Cached;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Many virtual threads missing a few keys at the same moment (benchmarks/virtual-misses.sh): each round, every
 * thread asks for one of {@code keys} keys of a read-through method whose body takes 200 ms, the round's keys new.
 * With the agent one thread per key runs the body and the rest wait for it; without, every thread runs it. Prints
 * each round's wall time ({@code round.N.millis}) and the right-answer count. Needs JDK 21 or later (virtual threads,
 * reached by reflection: the test classes are compiled for 17).
 */
public class VirtualMissApp {

    @Cached(key = "{0}")
    public String price(String sku) throws InterruptedException {
        Thread.sleep(200);
        return "price-" + sku;
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int keys = Integer.parseInt(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        VirtualMissApp app = new VirtualMissApp();
        for (int r = 0; r < rounds; r++) {
            int round = r;
            long start = System.nanoTime();
            long right = 0;
            ExecutorService pool = (ExecutorService) java.util.concurrent.Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            try {
                List<Future<Boolean>> all = new ArrayList<>(threads);
                for (int i = 0; i < threads; i++) {
                    String sku = round + ":" + (i % keys);
                    all.add(pool.submit(() -> {
                        // Made before the call: a string concatenation first run after it is not yet linked in the
                        // code C2 compiled while every thread was still in the call, and each thread's frame would
                        // deoptimize there on its way out (tens of thousands a round, with or without the agent).
                        String expected = "price-" + sku;
                        return app.price(sku).equals(expected);
                    }));
                }
                for (Future<Boolean> f : all) {
                    right += f.get() ? 1 : 0;
                }
            } finally {
                pool.shutdown();
            }
            System.out.println("round." + r + ".millis=" + (System.nanoTime() - start) / 1_000_000);
            System.out.println("round." + r + ".right=" + right);
        }
    }
}
