package dev.recall.agent.telemetry.jmx;

import dev.recall.agent.config.Durations;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodSettings;
import dev.recall.agent.method.MethodSpec;
import dev.recall.agent.method.WriteBackMethod;
import dev.recall.agent.method.writeback.WriteQueue;
import dev.recall.agent.metrics.LatencySnapshot;
import dev.recall.agent.metrics.MethodStats;
import java.util.concurrent.TimeUnit;

/** {@code dev.recall:type=CachedMethod,name=...}: one cached method's figures and switches. */
final class CachedMethodBean extends DescribedBean {

    /** The window of the load-latency attributes: recent enough that today is not drowned by yesterday. */
    static final long LOAD_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(2);
    /** The window of the per-second and recent-ratio attributes. */
    static final long RATE_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    CachedMethodBean(CachedMethod method) {
        super(CachedMethod.class.getName(), "A method cached by the Recall agent: " + method.spec().signature());
        MethodSpec spec = method.spec();
        MethodStats stats = method.stats();
        String strategy = spec.settings().kindName();
        MethodSettings.Entries entries = spec.entries();

        attribute("Method", String.class, "The cached method: Class.method(ParameterTypes)", () -> spec.signature().display());
        attribute("ShortName", String.class, "The method with simple class and parameter names: Class.method(Types)",
                () -> spec.signature().shortForm());
        attribute("Cache", String.class, "The region its entries live in; methods naming the same region share entries",
                spec::region);
        attribute("Strategy", String.class, "READ_THROUGH, CACHE_ASIDE, WRITE_THROUGH, WRITE_BACK, or EVICT for @CacheEvict", () -> strategy);
        attribute("Ttl", String.class, "How long an entry this method writes lives; empty for an eviction",
                () -> entries == null ? "" : Durations.format(entries.ttl()));
        attribute("Key", String.class, "The key template; empty means all arguments", () -> spec.key().text());
        attribute("Source", String.class, "Where the settings came from: @Cached, a configuration file line, or both",
                spec::source);
        attribute("Enabled", boolean.class, "false: calls go straight to the method (see setEnabled)", method::enabled);
        attribute("Refused", boolean.class, "true: caching this method would change what the application computes, "
                + "so it runs uncached for good (see RefusedReason)", () -> method.refusedReason() != null);
        attribute("RefusedReason", String.class, "Why the method is refused, and what to write instead; empty if it is not",
                () -> method.refusedReason() == null ? "" : method.refusedReason());

        attribute("HitCount", long.class, "Calls answered from the cache", stats::hits);
        attribute("MissCount", long.class, "Calls that did not find their key (they ran the method or waited for another thread's run)",
                stats::misses);
        attribute("HitRatio", double.class, "HitCount / (HitCount + MissCount), 0..1; NaN before any call", stats::hitRatio);
        attribute("RecentHitRatio", double.class, "Hit ratio over the last minute; NaN if no call",
                () -> stats.window(RATE_WINDOW_NANOS, System.nanoTime()).hitRatio());
        attribute("SavedLatencyMillis", double.class,
                "Time the hits saved: each hit adds the measured duration of the call that produced the entry it served",
                () -> stats.savedNanos() / 1e6);
        attribute("SavedMillisPerSecond", double.class, "Milliseconds saved per second of wall time over the last minute",
                () -> stats.window(RATE_WINDOW_NANOS, System.nanoTime()).savedMillisPerSecond());
        attribute("LoadCount", long.class, "Runs of the method on a miss that returned normally", stats::loads);
        attribute("LoadFailureCount", long.class, "Runs of the method on a miss that threw (never cached)", stats::loadFailures);
        attribute("UncacheableResults", long.class, "Results returned to the caller but not stored, because that one value "
                + "could not be copied faithfully (an uninitialized lazy association); the method stays cached",
                method::uncacheableResults);
        attribute("UncacheableReasons", String.class, "UncacheableResults by reason, e.g. uninitialized-lazy-association=3; "
                + "empty if none", method::uncacheableReasons);
        attribute("ErrorCount", long.class, "Failures inside the agent for this method; each such call ran uncached", stats::errors);
        attribute("RefreshCount", long.class, "Refresh-ahead reloads that stored a fresh value in the background (refresh)",
                stats::refreshes);
        attribute("RefreshFailureCount", long.class, "Refresh-ahead reloads that threw or could not run; the entry stayed "
                + "until its ttl", stats::refreshFailures);
        attribute("StaleServedCount", long.class, "Calls answered with a value past its ttl because its reload threw or "
                + "outlasted loadTimeout (staleIfError)", stats::staleServed);
        attribute("MaxStaleMillis", double.class, "The longest past its ttl of any stale value served, in ms; never more "
                + "than staleIfError", () -> stats.maxStaleNanos() / 1e6);
        attribute("VerifiedHits", long.class, "Hits on which the method also ran and its result was compared with the "
                + "cached one by value (verify: a share of hits)", stats::verifiedHits);
        attribute("StaleHits", long.class, "Verified hits whose cached value differed from what the method returned: "
                + "the ttl outlives the data, or a write does not evict", stats::staleHits);
        attribute("EvictionCount", long.class, "Entries of the region removed by its size bound or expiry",
                method::evictions);
        attribute("Size", long.class, "Entries in the region held in this JVM now (approximate; for redis, 0)", method::size);
        attribute("RemoteHitCount", long.class, "Reads answered by Redis (redis and two-level stores)", () -> stats.remote().remoteHits());
        attribute("RemoteMissCount", long.class, "Reads that Redis did not have", () -> stats.remote().remoteMisses());
        attribute("RemoteErrorCount", long.class, "Calls that could not use Redis (down, slow, or a value that cannot be "
                + "stored); each ran the method", () -> stats.remote().remoteErrors());
        attribute("RejectedEntries", long.class, "Values in Redis refused unread: bad signature, or a class outside "
                + "redis.allowClasses; each counted as a miss", () -> stats.remote().rejectedEntries());
        attribute("NearHitCount", long.class, "Reads answered by the two-level store's near cache in this JVM",
                () -> stats.remote().nearHits());

        if (method instanceof WriteBackMethod writeBack) {
            WriteQueue queue = writeBack.queue();
            attribute("PendingWrites", int.class, "Writes accepted and not yet made by the background writer (waiting, "
                    + "being retried, or running)", queue::pending);
            attribute("OldestPendingWriteMillis", double.class, "Age of the oldest write not yet made; 0 if none",
                    () -> queue.oldestPendingMillis(System.nanoTime()));
            attribute("FlushedWrites", long.class, "Writes the background writer made (the method returned normally)",
                    queue::flushed);
            attribute("FailedWrites", long.class, "Runs of the method by the background writer that threw; each such write "
                    + "is retried with a growing pause unless a newer write of its key replaces it", queue::failed);
            attribute("CoalescedWrites", long.class, "Writes replaced by a newer write of the same key before they were made "
                    + "(last wins)", queue::coalesced);
        }

        attribute("LoadWindowSeconds", long.class, "The window of AverageLoadMillis, P50/P90/P99/MaxLoadMillis",
                () -> TimeUnit.NANOSECONDS.toSeconds(LOAD_WINDOW_NANOS));
        attribute("AverageLoadMillis", double.class, "Mean load time over the last LoadWindowSeconds; NaN if no load",
                () -> recent(stats).mean());
        attribute("P50LoadMillis", double.class, "Median load time over the last LoadWindowSeconds", () -> recent(stats).p50());
        attribute("P90LoadMillis", double.class, "90th percentile load time over the last LoadWindowSeconds", () -> recent(stats).p90());
        attribute("P99LoadMillis", double.class, "99th percentile load time over the last LoadWindowSeconds", () -> recent(stats).p99());
        attribute("MaxLoadMillis", double.class, "Longest load over the last LoadWindowSeconds", () -> recent(stats).max());
        attribute("LifetimeAverageLoadMillis", double.class, "Mean load time since start (or the last reset)",
                () -> stats.loads() == 0 ? Double.NaN : stats.totalLoadNanos() / 1e6 / stats.loads());
        attribute("LifetimeP50LoadMillis", double.class, "Median load time since start", () -> lifetime(stats).p50());
        attribute("LifetimeP90LoadMillis", double.class, "90th percentile load time since start", () -> lifetime(stats).p90());
        attribute("LifetimeP99LoadMillis", double.class, "99th percentile load time since start", () -> lifetime(stats).p99());
        attribute("LifetimeMaxLoadMillis", double.class, "Longest load since start", () -> lifetime(stats).max());

        operation("invalidateAll", "Removes every entry of this method's region (shared with the other methods that name it)",
                void.class, p -> {
                    method.invalidateAll();
                    return null;
                });
        operation("invalidate", "Removes the entries whose key renders as given (as the key template renders it, "
                        + "e.g. 42 for {id}, sku:A1:EUR for sku:{sku}:{currency}, a,1 for two arguments, null for a null value); "
                        + "in Redis, every key the text stands for read as the parameters' types; true if one was removed "
                        + "(Redis: once the removal is sent). See docs/keys.md",
                boolean.class, p -> method.invalidateRendered(String.valueOf(p[0])) > 0,
                parameter("key", String.class, "The key as the template renders it"));
        operation("setEnabled", "false: calls go straight to the method, reading and writing nothing; true: cached again",
                void.class, p -> {
                    method.setEnabled((Boolean) p[0]);
                    return null;
                }, parameter("enabled", boolean.class, "Whether to cache"));
        operation("resetStatistics", "Sets this method's counters and latency windows back to zero; entries stay",
                void.class, p -> {
                    method.resetStatistics();
                    return null;
                });
    }

    private static LatencySnapshot recent(MethodStats stats) {
        return stats.recentLoads(LOAD_WINDOW_NANOS, System.nanoTime());
    }

    private static LatencySnapshot lifetime(MethodStats stats) {
        return stats.lifetimeLoads(System.nanoTime());
    }
}
