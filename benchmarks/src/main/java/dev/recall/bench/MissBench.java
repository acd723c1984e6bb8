package dev.recall.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The miss path: every call asks for a key never seen before, so the method runs and its result is
 * stored (and, once the region is full, an old entry evicted). Compared with the direct call, the
 * difference is what a miss costs on top of the work itself.
 */
@State(Scope.Thread)
public class MissBench {

    private long next = 1L << 40;
    private final Cache<Long, String> caffeine = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(5, TimeUnit.MINUTES).build();
    private final RecallTargets recall = new RecallTargets();

    @Benchmark
    public String direct() {
        return Work.byLong(next++);
    }

    @Benchmark
    public String caffeine() {
        long id = next++;
        String v = caffeine.getIfPresent(id);
        if (v == null) {
            v = Work.byLong(id);
            caffeine.put(id, v);
        }
        return v;
    }

    /** Named apart from the others so the runner gives it the agent. */
    @Benchmark
    public String recallReadThrough() {
        return recall.miss(next++);
    }
}
