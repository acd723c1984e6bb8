package dev.recall.agent.method;

import dev.recall.agent.config.StrategyKind;

import dev.recall.agent.config.StoreKind;
import dev.recall.agent.key.KeyTemplate;
import java.time.Duration;

/**
 * Everything decided about one cached method once its class is seen: annotation and file merged,
 * template compiled. Immutable.
 *
 * @param signature {@code com.acme.Repo.find(long)}: how operators see the method (logs, JMX)
 * @param region the region name
 * @param arity the number of parameters
 * @param valueIndex for write strategies, the parameter written when the method returns nothing; else -1
 * @param allEntries for evictions: the whole region
 * @param beforeInvocation for evictions: evict before the body runs
 * @param evict whether this is an eviction rather than a cached method
 * @param source where the settings came from ({@code @Cached}, {@code recall.yml:12}, or both)
 * @param store where its entries live; for an eviction, {@code null}: wherever its region's readers keep them
 * @param returnType the declared return type's binary name: a value read back from Redis must fit it
 */
public record MethodSpec(String signature, String region, KeyTemplate key, Duration ttl, StrategyKind strategy,
                         boolean cacheNulls, long maxSize, int arity, boolean returnsValue, int valueIndex,
                         boolean evict, boolean allEntries, boolean beforeInvocation, String source,
                         StoreKind store, String returnType) {

    /** A method of the local store, whose values are never serialized. */
    public MethodSpec(String signature, String region, KeyTemplate key, Duration ttl, StrategyKind strategy,
                      boolean cacheNulls, long maxSize, int arity, boolean returnsValue, int valueIndex,
                      boolean evict, boolean allEntries, boolean beforeInvocation, String source) {
        this(signature, region, key, ttl, strategy, cacheNulls, maxSize, arity, returnsValue, valueIndex, evict, allEntries,
                beforeInvocation, source, StoreKind.LOCAL, "java.lang.Object");
    }
}
