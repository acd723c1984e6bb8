package dev.recall.agent.method;

import dev.recall.agent.config.CopyKind;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.StrategyKind;
import java.time.Duration;

/**
 * What a cached method does with its region: reads entries, writes them, or evicts them. Each kind
 * carries only the settings that mean something for it. Immutable.
 */
public sealed interface MethodSettings permits MethodSettings.Read, MethodSettings.Write, MethodSettings.Evict {

    /** {@code READ_THROUGH}, {@code CACHE_ASIDE}, {@code WRITE_THROUGH}, {@code WRITE_BACK} or {@code EVICT}. */
    String kindName();

    /**
     * How the entries a reading or writing method stores are kept.
     *
     * @param copy whether values are shared with callers or held by value
     */
    record Entries(Duration ttl, boolean cacheNulls, long maxSize, StoreKind store, CopyKind copy) {
    }

    /**
     * {@code READ_THROUGH} or {@code CACHE_ASIDE}.
     *
     * @param loadWait how long a READ_THROUGH caller waits for another thread's load of its key before it
     *     runs the method itself
     */
    record Read(StrategyKind strategy, Entries entries, Duration loadWait) implements MethodSettings {
        public Read {
            if (!strategy.reads()) {
                throw new IllegalArgumentException(strategy + " does not read");
            }
        }

        @Override
        public String kindName() {
            return strategy.name();
        }
    }

    /**
     * {@code WRITE_THROUGH} or {@code WRITE_BACK}.
     *
     * @param valueIndex the parameter that is the written value, or -1: the method returns it
     */
    record Write(StrategyKind strategy, Entries entries, int valueIndex) implements MethodSettings {
        public Write {
            if (strategy.reads()) {
                throw new IllegalArgumentException(strategy + " does not write");
            }
        }

        @Override
        public String kindName() {
            return strategy.name();
        }
    }

    /**
     * {@code @CacheEvict}.
     *
     * @param allEntries the whole region rather than one key
     * @param beforeInvocation before the body runs rather than after it returns normally
     */
    record Evict(boolean allEntries, boolean beforeInvocation) implements MethodSettings {
        @Override
        public String kindName() {
            return "EVICT";
        }
    }
}
