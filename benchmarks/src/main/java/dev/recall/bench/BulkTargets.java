package dev.recall.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bulk method ({@code bulk: true} by {@link BulkBenchMain}'s rule, entries in Redis) and its uncached twin with
 * the same body: a query that costs {@link #QUERY_NANOS} per call, as a database round trip does, however many
 * keys it is asked for.
 */
public class BulkTargets {

    static final long QUERY_NANOS = Long.getLong("bench.queryMicros", 300) * 1000;

    public Map<String, String> prices(List<String> skus) {
        return query(skus);
    }

    public Map<String, String> pricesUncached(List<String> skus) {
        return query(skus);
    }

    public void evict(String sku) {
    }

    private static Map<String, String> query(List<String> skus) {
        long end = System.nanoTime() + QUERY_NANOS;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String sku : skus) {
            out.put(sku, "price of " + sku + " is " + (sku.hashCode() & 0xffff));
        }
        return out;
    }
}
