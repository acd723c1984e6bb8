package dev.recall.bench;

import org.openjdk.jmh.annotations.Benchmark;

/** No cache at all: the floor under every other case. */
public class DirectBench {

    @Benchmark
    public String longKey(Keys k) {
        return Work.byLong(k.ids[k.next()]);
    }

    @Benchmark
    public String twoArgs(Keys k) {
        int i = k.next();
        return Work.byTwo(k.skus[i], k.quantities[i]);
    }

    @Benchmark
    public String objectKey(Keys k) {
        return Work.byOrder(k.orders[k.next()]);
    }
}
