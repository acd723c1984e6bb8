package dev.recall.agent.config;

import dev.recall.agent.config.StrategyKind;
import java.time.Duration;

/**
 * One entry of {@code methods:}. A {@code null} attribute was not written in the file, so the method's
 * annotation (or the defaults) decides it. Immutable.
 *
 * @param jitter the share of the TTL by which each entry's life is shortened at random, from 0 to 0.9
 * @param verify the share of hits (0 to 1) on which the method also runs to check the cached result
 * @param sensitive whether the method's values must stay in this JVM (a shared store is then refused)
 * @param bulk whether the method is a bulk method, cached per element of its one collection parameter
 */
public record MethodRule(MethodPattern pattern, String where, String cache, String key, Duration ttl,
                         StrategyKind strategy, Long maxSize, Boolean cacheNulls,
                         StoreKind store, Duration loadWait, CopyKind copy, Boolean shared,
                         Duration refresh, Duration staleIfError, Duration loadTimeout, Double jitter, Duration nullTtl,
                         Double verify, Boolean sensitive, Boolean bulk) {

    /** A rule that says nothing of bulk. */
    public MethodRule(MethodPattern pattern, String where, String cache, String key, Duration ttl,
                      StrategyKind strategy, Long maxSize, Boolean cacheNulls,
                      StoreKind store, Duration loadWait, CopyKind copy, Boolean shared,
                      Duration refresh, Duration staleIfError, Duration loadTimeout, Double jitter, Duration nullTtl,
                      Double verify, Boolean sensitive) {
        this(pattern, where, cache, key, ttl, strategy, maxSize, cacheNulls, store, loadWait, copy, shared, refresh,
                staleIfError, loadTimeout, jitter, nullTtl, verify, sensitive, null);
    }

    /** A rule that says nothing of sensitivity. */
    public MethodRule(MethodPattern pattern, String where, String cache, String key, Duration ttl,
                      StrategyKind strategy, Long maxSize, Boolean cacheNulls,
                      StoreKind store, Duration loadWait, CopyKind copy, Boolean shared,
                      Duration refresh, Duration staleIfError, Duration loadTimeout, Double jitter, Duration nullTtl,
                      Double verify) {
        this(pattern, where, cache, key, ttl, strategy, maxSize, cacheNulls, store, loadWait, copy, shared, refresh,
                staleIfError, loadTimeout, jitter, nullTtl, verify, null);
    }

    /** A rule that says nothing of verification. */
    public MethodRule(MethodPattern pattern, String where, String cache, String key, Duration ttl,
                      StrategyKind strategy, Long maxSize, Boolean cacheNulls,
                      StoreKind store, Duration loadWait, CopyKind copy, Boolean shared,
                      Duration refresh, Duration staleIfError, Duration loadTimeout, Double jitter, Duration nullTtl) {
        this(pattern, where, cache, key, ttl, strategy, maxSize, cacheNulls, store, loadWait, copy, shared, refresh,
                staleIfError, loadTimeout, jitter, nullTtl, null);
    }

    /** A rule that says nothing of freshness. */
    public MethodRule(MethodPattern pattern, String where, String cache, String key, Duration ttl,
                      StrategyKind strategy, Long maxSize, Boolean cacheNulls,
                      StoreKind store, Duration loadWait, CopyKind copy, Boolean shared) {
        this(pattern, where, cache, key, ttl, strategy, maxSize, cacheNulls, store, loadWait, copy, shared, null, null, null, null, null);
    }
}
