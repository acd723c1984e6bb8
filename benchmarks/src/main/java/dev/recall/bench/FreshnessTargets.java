package dev.recall.bench;

import dev.recall.Cached;

/**
 * The same trivial method cached four ways, for {@link FreshnessBench}: hits on entries that are never old
 * enough to refresh nor past their ttl, so each case measures only what its settings add to a hit.
 * {@code benchmarks/freshness.sh} gives {@code fixed} {@code jitter: 0} in its configuration.
 */
public class FreshnessTargets {

    /** No jitter, no stale window: the fixed-expiry read path of the first wave. */
    @Cached(cache = "fresh-fixed", ttl = "1h")
    public String fixed(long id) {
        return Work.byLong(id);
    }

    /** The default 10% jitter: each entry's own deadline. */
    @Cached(cache = "fresh-jittered", ttl = "1h")
    public String jittered(long id) {
        return Work.byLong(id);
    }

    /** Refresh-ahead that never fires here: the age check on every hit. */
    @Cached(cache = "fresh-refresh", ttl = "1h", refresh = "30m")
    public String refreshAhead(long id) {
        return Work.byLong(id);
    }

    /** A stale window: the deadline check on every hit. */
    @Cached(cache = "fresh-stale", ttl = "1h", staleIfError = "1h")
    public String staleIfError(long id) {
        return Work.byLong(id);
    }
}
