package dev.recall.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Recall's {@code @Cached}, READ_THROUGH and CACHE_ASIDE. Runs only in a JVM with the agent attached. */
@State(Scope.Benchmark)
public class RecallBench {

    private final RecallTargets targets = new RecallTargets();

    @Setup
    public void fill() {
        if (System.getProperty("dev.recall.agent.installed") == null) {
            throw new IllegalStateException("RecallBench needs -javaagent:agent/target/recall-agent.jar; run benchmarks/run.sh");
        }
        Keys k = new Keys();
        for (int i = 0; i < Work.KEYS; i++) {
            readThroughLong(k);
            readThroughTwoArgs(k);
            readThroughObject(k);
            readThroughTemplate(k);
            readThroughPrefixed(k);
            cacheAsideLong(k);
            cacheAsideTwoArgs(k);
            cacheAsideObject(k);
            ownerHeldByValue(k);
        }
    }

    @Benchmark
    public String readThroughLong(Keys k) {
        return targets.byLong(k.ids[k.next()]);
    }

    @Benchmark
    public String readThroughTwoArgs(Keys k) {
        int i = k.next();
        return targets.byTwo(k.skus[i], k.quantities[i]);
    }

    @Benchmark
    public String readThroughObject(Keys k) {
        return targets.byOrder(k.orders[k.next()]);
    }

    @Benchmark
    public String readThroughTemplate(Keys k) {
        int i = k.next();
        return targets.byTemplate(k.skus[i], k.quantities[i]);
    }

    @Benchmark
    public String readThroughPrefixed(Keys k) {
        return targets.byPrefixed(k.ids[k.next()]);
    }

    @Benchmark
    public Work.Owner ownerHeldByValue(Keys k) {
        return targets.owner(k.ids[k.next()]);
    }

    @Benchmark
    public String cacheAsideLong(Keys k) {
        return targets.byLongAside(k.ids[k.next()]);
    }

    @Benchmark
    public String cacheAsideTwoArgs(Keys k) {
        int i = k.next();
        return targets.byTwoAside(k.skus[i], k.quantities[i]);
    }

    @Benchmark
    public String cacheAsideObject(Keys k) {
        return targets.byOrderAside(k.orders[k.next()]);
    }
}
