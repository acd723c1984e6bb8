package dev.recall.bench;

import dev.recall.Cached;
import dev.recall.Strategy;

/**
 * One two-level region, read by peer JVMs (so they hold its entries near and a near-cache lease) and written
 * through by the measured JVM ({@link ScaleOutBenchMain}).
 */
public class ScaleOutTargets {

    @Cached(cache = "bench-scaleout", key = "{0}", ttl = "1h")
    public String read(long id) {
        return Work.byLong(id);
    }

    @Cached(cache = "bench-scaleout", key = "{0}", ttl = "1h", strategy = Strategy.WRITE_THROUGH)
    public String write(long id) {
        return Work.byLong(id);
    }
}
