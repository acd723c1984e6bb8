package dev.recall.agent.config;

import dev.recall.agent.config.StrategyKind;
import java.time.Duration;

/**
 * One entry of {@code methods:}. A {@code null} attribute was not written in the file, so the method's
 * annotation (or the defaults) decides it. Immutable.
 */
public record MethodRule(MethodPattern pattern, String where, String cache, String key, Duration ttl,
                         StrategyKind strategy, Long maxSize, Boolean cacheNulls,
                         StoreKind store, Duration loadWait, CopyKind copy, Boolean shared) {
}
