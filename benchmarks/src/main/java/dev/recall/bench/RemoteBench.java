package dev.recall.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Hits on each store, in a JVM with the agent and the configuration {@link RemoteBenchMain} wrote. */
@State(Scope.Benchmark)
public class RemoteBench {

    private final RemoteTargets targets = new RemoteTargets();

    @Setup
    public void fill() throws InterruptedException {
        if (System.getProperty("dev.recall.agent.installed") == null) {
            throw new IllegalStateException("RemoteBench needs the agent; run benchmarks/remote.sh");
        }
        // The store connects in the background; until then calls run uncached and fill nothing.
        Keys k = new Keys();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"UP".equals(RemoteBenchMain.redisState()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(500); // and the subscription the near cache waits for
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < Work.KEYS; i++) {
                long id = k.ids[k.next()];
                targets.local(id);
                targets.near(id);
                targets.remote(id);
            }
        }
    }

    /** A Redis that stopped answering in time (a loaded machine) makes the Redis cases measure no Redis at all: said. */
    @TearDown
    public void state() {
        System.err.println("[bench] RedisState at the end of this case: " + RemoteBenchMain.redisState());
    }

    @Benchmark
    public String localHit(Keys k) {
        return targets.local(k.ids[k.next()]);
    }

    @Benchmark
    public String nearHit(Keys k) {
        return targets.near(k.ids[k.next()]);
    }

    @Benchmark
    public String redisHit(Keys k) {
        return targets.remote(k.ids[k.next()]);
    }

    /** A write-through of one key: its marker, the conditional set of its value, the message to other JVMs. */
    @Benchmark
    public String redisWrite(Keys k) {
        return targets.writeRemote(k.ids[k.next()]);
    }

    /** An eviction (its tombstone and message), then the miss it causes and the fill that replaces the tombstone. */
    @Benchmark
    public String redisEvictAndFill(Keys k) {
        long id = k.ids[k.next()];
        targets.evictRemote(id);
        return targets.fillRemote(id);
    }
}
