package dev.recall.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Hand-written cache-aside over Caffeine, configured like Recall's default region (bounded, with a TTL):
 * {@code getIfPresent}, then {@code put} on a miss. The floor for a local cache, and the baseline every
 * ratio in the table is taken against.
 */
@State(Scope.Benchmark)
public class CaffeineBench {

    private final Cache<Long, String> byLong = cache();
    private final Cache<Work.TwoKey, String> byTwo = cache();
    private final Cache<Long, String> byOrder = cache();
    private final Cache<Long, Work.Owner> owners = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(5, TimeUnit.MINUTES).build();

    private static <K> Cache<K, String> cache() {
        return Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(5, TimeUnit.MINUTES).build();
    }

    @Setup
    public void fill() {
        Keys k = new Keys();
        for (int i = 0; i < Work.KEYS; i++) {
            longKey(k);
            twoArgs(k);
            objectKey(k);
            ownerCopied(k);
        }
    }

    @Benchmark
    public String longKey(Keys k) {
        long id = k.ids[k.next()];
        String v = byLong.getIfPresent(id);
        if (v == null) {
            v = Work.byLong(id);
            byLong.put(id, v);
        }
        return v;
    }

    /** The floor for a mutable result held by value: the lookup, then a copy written by hand. */
    @Benchmark
    public Work.Owner ownerCopied(Keys k) {
        long id = k.ids[k.next()];
        Work.Owner v = owners.getIfPresent(id);
        if (v == null) {
            v = Work.owner(id);
            owners.put(id, new Work.Owner(v));
        }
        return new Work.Owner(v);
    }

    @Benchmark
    public String twoArgs(Keys k) {
        int i = k.next();
        Work.TwoKey key = new Work.TwoKey(k.skus[i], k.quantities[i]);
        String v = byTwo.getIfPresent(key);
        if (v == null) {
            v = Work.byTwo(key.sku(), key.quantity());
            byTwo.put(key, v);
        }
        return v;
    }

    @Benchmark
    public String objectKey(Keys k) {
        Work.Order order = k.orders[k.next()];
        String v = byOrder.getIfPresent(order.getId());
        if (v == null) {
            v = Work.byOrder(order);
            byOrder.put(order.getId(), v);
        }
        return v;
    }
}
