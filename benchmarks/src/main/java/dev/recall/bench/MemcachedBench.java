package dev.recall.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A hit on {@code store: memcached} ({@link RemoteTargets#remote}, its rule made a Memcached one by the configuration
 * {@link MemcachedBenchMain} wrote), in a JVM with the agent.
 */
@State(Scope.Benchmark)
public class MemcachedBench {

    private final RemoteTargets targets = new RemoteTargets();

    @Setup
    public void fill() throws InterruptedException {
        if (System.getProperty("dev.recall.agent.installed") == null) {
            throw new IllegalStateException("MemcachedBench needs the agent; run benchmarks/memcached.sh");
        }
        Keys k = new Keys();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"UP".equals(MemcachedBenchMain.memcachedState()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < Work.KEYS; i++) {
                targets.remote(k.ids[k.next()]);
            }
        }
    }

    @TearDown
    public void state() {
        System.err.println("[bench] MemcachedState at the end of this case: " + MemcachedBenchMain.memcachedState());
    }

    @Benchmark
    public String memcachedHit(Keys k) {
        return targets.remote(k.ids[k.next()]);
    }
}
