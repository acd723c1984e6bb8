package dev.recall.agent.telemetry.jmx;

import dev.recall.agent.config.Durations;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodSettings;
import dev.recall.agent.method.WriteBackMethod;
import dev.recall.agent.method.writeback.WriteQueue;
import dev.recall.agent.metrics.LatencySnapshot;
import dev.recall.agent.metrics.MethodStats;
import java.util.concurrent.TimeUnit;

/** {@code dev.recall:type=CachedMethod,name=...}: one cached method's figures and switches. */
final class CachedMethodBean extends DescribedBean<CachedMethod> {

    /** The window of the load-latency attributes: recent enough that today is not drowned by yesterday. */
    static final long LOAD_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(2);
    /** The window of the per-second and recent-ratio attributes. */
    static final long RATE_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    /**
     * The attributes and operations, one schema for every method (and one more with the write-back figures):
     * shared, so that a bean is only its method (issue 28).
     */
    private static final Schema<CachedMethod> PLAIN = schema(false);
    private static final Schema<CachedMethod> WRITE_BACK = schema(true);

    CachedMethodBean(CachedMethod method) {
        super(CachedMethod.class.getName(), null, method instanceof WriteBackMethod ? WRITE_BACK : PLAIN, method);
    }

    /** Worked out when asked (tools read it once), not kept: one string less per method. */
    @Override
    String description() {
        return "A method cached by the Recall agent: " + target().spec().signature();
    }

    private static Schema<CachedMethod> schema(boolean writeBack) {
        Schema<CachedMethod> s = new Schema<>();
        s.attribute("Method", String.class, "The cached method: Class.method(ParameterTypes)", m -> m.spec().signature().display());
        s.attribute("ShortName", String.class, "The method with simple class and parameter names: Class.method(Types)",
                m -> m.spec().signature().shortForm());
        s.attribute("Cache", String.class, "The region its entries live in; methods naming the same region share entries",
                m -> m.spec().region());
        s.attribute("Strategy", String.class, "READ_THROUGH, CACHE_ASIDE, WRITE_THROUGH, WRITE_BACK, or EVICT for @CacheEvict", m -> m.spec().settings().kindName());
        s.attribute("Ttl", String.class, "How long an entry this method writes lives; empty for an eviction",
                CachedMethodBean::ttl);
        s.attribute("Key", String.class, "The key template; empty means all arguments", m -> m.spec().key().text());
        s.attribute("Source", String.class, "Where the settings came from: @Cached, a configuration file line, or both",
                m -> m.spec().source());
        s.attribute("Enabled", boolean.class, "false: calls go straight to the method (see setEnabled)", CachedMethod::enabled);
        s.attribute("Refused", boolean.class, "true: caching this method would change what the application computes, "
                + "so it runs uncached for good (see RefusedReason)", m -> m.refusedReason() != null);
        s.attribute("RefusedReason", String.class, "Why the method is refused, and what to write instead; empty if it is not",
                m -> m.refusedReason() == null ? "" : m.refusedReason());

        s.attribute("HitCount", long.class, "Calls answered from the cache", m -> m.stats().hits());
        s.attribute("MissCount", long.class, "Calls that did not find their key (they ran the method or waited for another thread's run)",
                m -> m.stats().misses());
        s.attribute("HitRatio", double.class, "HitCount / (HitCount + MissCount), 0..1; NaN before any call", m -> m.stats().hitRatio());
        s.attribute("RecentHitRatio", double.class, "Hit ratio over the last minute; NaN if no call",
                m -> m.stats().window(RATE_WINDOW_NANOS, System.nanoTime()).hitRatio());
        s.attribute("SavedLatencyMillis", double.class,
                "Time the hits saved: each hit adds the measured duration of the call that produced the entry it served",
                m -> m.stats().savedNanos() / 1e6);
        s.attribute("SavedMillisPerSecond", double.class, "Milliseconds saved per second of wall time over the last minute",
                m -> m.stats().window(RATE_WINDOW_NANOS, System.nanoTime()).savedMillisPerSecond());
        s.attribute("LoadCount", long.class, "Runs of the method on a miss that returned normally", m -> m.stats().loads());
        s.attribute("LoadFailureCount", long.class, "Runs of the method on a miss that threw (never cached)", m -> m.stats().loadFailures());
        s.attribute("UncacheableResults", long.class, "Results returned to the caller but not stored, because that one value "
                + "could not be copied faithfully (an uninitialized lazy association); the method stays cached",
                CachedMethod::uncacheableResults);
        s.attribute("UncacheableReasons", String.class, "UncacheableResults by reason, e.g. uninitialized-lazy-association=3; "
                + "empty if none", CachedMethod::uncacheableReasons);
        s.attribute("ErrorCount", long.class, "Failures inside the agent for this method; each such call ran uncached", m -> m.stats().errors());
        s.attribute("RefreshCount", long.class, "Refresh-ahead reloads that stored a fresh value in the background (refresh)",
                m -> m.stats().refreshes());
        s.attribute("RefreshFailureCount", long.class, "Refresh-ahead reloads that threw or could not run; the entry stayed "
                + "until its ttl", m -> m.stats().refreshFailures());
        s.attribute("StaleServedCount", long.class, "Calls answered with a value past its ttl because its reload threw or "
                + "outlasted loadTimeout (staleIfError)", m -> m.stats().staleServed());
        s.attribute("MaxStaleMillis", double.class, "The longest past its ttl of any stale value served, in ms; never more "
                + "than staleIfError", m -> m.stats().maxStaleNanos() / 1e6);
        s.attribute("VerifiedHits", long.class, "Hits on which the method also ran and its result was compared with the "
                + "cached one by value (verify: a share of hits)", m -> m.stats().verifiedHits());
        s.attribute("StaleHits", long.class, "Verified hits whose cached value differed from what the method returned: "
                + "the ttl outlives the data, or a write does not evict", m -> m.stats().staleHits());
        s.attribute("EvictionCount", long.class, "Entries of the region removed by its size bound or expiry",
                CachedMethod::removals);
        s.attribute("Size", long.class, "Entries in the region held in this JVM now (approximate; for redis, 0)", CachedMethod::size);
        s.attribute("RemoteHitCount", long.class, "Reads answered by Redis (redis and two-level stores)", m -> m.stats().remote().remoteHits());
        s.attribute("RemoteMissCount", long.class, "Reads that Redis did not have", m -> m.stats().remote().remoteMisses());
        s.attribute("RemoteErrorCount", long.class, "Calls that could not use Redis (down, slow, or a value that cannot be "
                + "stored); each ran the method", m -> m.stats().remote().remoteErrors());
        s.attribute("RejectedEntries", long.class, "Values in Redis refused unread: bad signature, or a class outside "
                + "redis.allowClasses; each counted as a miss", m -> m.stats().remote().rejectedEntries());
        s.attribute("NearHitCount", long.class, "Reads answered by the two-level store's near cache in this JVM",
                m -> m.stats().remote().nearHits());

        if (writeBack) {
            s.attribute("PendingWrites", int.class, "Writes accepted and not yet made by the background writer (waiting, "
                    + "being retried, or running)", m -> queue(m).pending());
            s.attribute("OldestPendingWriteMillis", double.class, "Age of the oldest write not yet made; 0 if none",
                    m -> queue(m).oldestPendingMillis(System.nanoTime()));
            s.attribute("FlushedWrites", long.class, "Writes the background writer made (the method returned normally)",
                    m -> queue(m).flushed());
            s.attribute("FailedWrites", long.class, "Runs of the method by the background writer that threw; each such write "
                    + "is retried with a growing pause unless a newer write of its key replaces it", m -> queue(m).failed());
            s.attribute("CoalescedWrites", long.class, "Writes replaced by a newer write of the same key before they were made "
                    + "(last wins)", m -> queue(m).coalesced());
        }

        s.attribute("LoadWindowSeconds", long.class, "The window of AverageLoadMillis, P50/P90/P99/MaxLoadMillis",
                m -> TimeUnit.NANOSECONDS.toSeconds(LOAD_WINDOW_NANOS));
        s.attribute("AverageLoadMillis", double.class, "Mean load time over the last LoadWindowSeconds; NaN if no load",
                m -> recent(m.stats()).mean());
        s.attribute("P50LoadMillis", double.class, "Median load time over the last LoadWindowSeconds", m -> recent(m.stats()).p50());
        s.attribute("P90LoadMillis", double.class, "90th percentile load time over the last LoadWindowSeconds", m -> recent(m.stats()).p90());
        s.attribute("P99LoadMillis", double.class, "99th percentile load time over the last LoadWindowSeconds", m -> recent(m.stats()).p99());
        s.attribute("MaxLoadMillis", double.class, "Longest load over the last LoadWindowSeconds", m -> recent(m.stats()).max());
        s.attribute("LifetimeAverageLoadMillis", double.class, "Mean load time since start (or the last reset)",
                m -> m.stats().loads() == 0 ? Double.NaN : m.stats().totalLoadNanos() / 1e6 / m.stats().loads());
        s.attribute("LifetimeP50LoadMillis", double.class, "Median load time since start", m -> lifetime(m.stats()).p50());
        s.attribute("LifetimeP90LoadMillis", double.class, "90th percentile load time since start", m -> lifetime(m.stats()).p90());
        s.attribute("LifetimeP99LoadMillis", double.class, "99th percentile load time since start", m -> lifetime(m.stats()).p99());
        s.attribute("LifetimeMaxLoadMillis", double.class, "Longest load since start", m -> lifetime(m.stats()).max());

        s.operation("invalidateAll", "Removes every entry of this method's region (shared with the other methods that name it)",
                void.class, (m, p) -> {
                    m.invalidateAll();
                    return null;
                });
        s.operation("invalidate", "Removes the entries whose key renders as given (as the key template renders it, "
                        + "e.g. 42 for {id}, sku:A1:EUR for sku:{sku}:{currency}, a,1 for two arguments, null for a null value); "
                        + "in Redis, every key the text stands for read as the parameters' types; true if one was removed "
                        + "(Redis: once the removal is sent). See docs/keys.md",
                boolean.class, (m, p) -> m.invalidateRendered(String.valueOf(p[0])) > 0,
                parameter("key", String.class, "The key as the template renders it"));
        s.operation("setEnabled", "false: calls go straight to the method, reading and writing nothing; true: cached again",
                void.class, (m, p) -> {
                    m.setEnabled((Boolean) p[0]);
                    return null;
                }, parameter("enabled", boolean.class, "Whether to cache"));
        s.operation("resetStatistics", "Sets this method's counters and latency windows back to zero; entries stay",
                void.class, (m, p) -> {
                    m.resetStatistics();
                    return null;
                });
        return s;
    }

    private static String ttl(CachedMethod m) {
        MethodSettings.Entries entries = m.spec().entries();
        return entries == null ? "" : Durations.format(entries.ttl());
    }

    private static WriteQueue queue(CachedMethod m) {
        return ((WriteBackMethod) m).queue();
    }

    private static LatencySnapshot recent(MethodStats stats) {
        return stats.recentLoads(LOAD_WINDOW_NANOS, System.nanoTime());
    }

    private static LatencySnapshot lifetime(MethodStats stats) {
        return stats.lifetimeLoads(System.nanoTime());
    }
}
