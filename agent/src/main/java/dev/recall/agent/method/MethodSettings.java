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
     * @param sensitive the values must stay in this JVM: the method is not cached in a region whose store is shared
     * @param freshness how an entry's life differs from {@code ttl}: shorter at random, for a null, or past it
     */
    record Entries(Duration ttl, boolean cacheNulls, long maxSize, StoreKind store, CopyKind copy, boolean sensitive,
                   Freshness freshness) {

        /** Entries that live exactly {@code ttl}, nulls too, and are never served stale. */
        public Entries(Duration ttl, boolean cacheNulls, long maxSize, StoreKind store, CopyKind copy) {
            this(ttl, cacheNulls, maxSize, store, copy, false, new Freshness(0, ttl, Duration.ZERO));
        }

        /**
         * How long the store keeps each entry after it is written: the longest life an entry can have (its ttl or
         * a null's), plus the stale window. Shorter lives (jitter) end earlier by each entry's own deadline.
         */
        public Duration kept() {
            Duration nullTtl = freshness.nullTtl();
            Duration longest = cacheNulls && nullTtl.compareTo(ttl) > 0 ? nullTtl : ttl;
            return longest.plus(freshness.staleIfError());
        }

        /**
         * Whether an entry may end before the store lets it go, so that a hit must compare its own deadline:
         * jitter, a shorter life for nulls, or a stale window.
         */
        public boolean timed() {
            return freshness.jitter() > 0 || !freshness.staleIfError().isZero()
                    || cacheNulls && !freshness.nullTtl().equals(ttl);
        }
    }

    /**
     * @param jitter the share of {@code ttl} (0 to 0.9) by which each entry's life is shortened at random
     * @param nullTtl the TTL of a cached {@code null}
     * @param staleIfError how long past its TTL an entry is kept to be served when a reload fails; zero: none
     */
    record Freshness(double jitter, Duration nullTtl, Duration staleIfError) {
    }

    /**
     * {@code READ_THROUGH} or {@code CACHE_ASIDE}.
     *
     * @param loadWait how long a READ_THROUGH caller waits for another thread's load of its key before it
     *     runs the method itself
     * @param refresh the age past which a hit reloads its entry in the background; {@code null}: never
     * @param loadTimeout how long a caller that has a stale value waits for its reload; {@code null}: loadWait
     * @param verify the share of hits (0 to 1) on which the method also runs to check the entry ({@code verify:})
     * @param bulkIndex a bulk method's collection parameter, whose elements are cached one by one; -1: not bulk
     */
    record Read(StrategyKind strategy, Entries entries, Duration loadWait, Duration refresh, Duration loadTimeout,
                double verify, int bulkIndex) implements MethodSettings {

        /** A reader that is not bulk. */
        public Read(StrategyKind strategy, Entries entries, Duration loadWait, Duration refresh, Duration loadTimeout,
                    double verify) {
            this(strategy, entries, loadWait, refresh, loadTimeout, verify, -1);
        }

        public boolean bulk() {
            return bulkIndex >= 0;
        }

        public Read {
            if (!strategy.reads()) {
                throw new IllegalArgumentException(strategy + " does not read");
            }
        }

        /** A reader with no refresh-ahead and no load timeout. */
        public Read(StrategyKind strategy, Entries entries, Duration loadWait) {
            this(strategy, entries, loadWait, null, null, 0);
        }

        /** A reader whose hits are never verified. */
        public Read(StrategyKind strategy, Entries entries, Duration loadWait, Duration refresh, Duration loadTimeout) {
            this(strategy, entries, loadWait, refresh, loadTimeout, 0);
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
     * @param beforeInvocation the value is written before the body runs (JSR-107's {@code @CachePut(afterInvocation =
     *     false)}); only with a {@code valueIndex}
     * @param writtenOn the exceptions after which the value is written all the same (JSR-107's {@code cacheFor});
     *     after any other the key is invalidated
     */
    record Write(StrategyKind strategy, Entries entries, int valueIndex, boolean beforeInvocation,
                 ExceptionClasses writtenOn) implements MethodSettings {
        public Write {
            if (strategy.reads()) {
                throw new IllegalArgumentException(strategy + " does not write");
            }
        }

        /** A write after the body returns normally. */
        public Write(StrategyKind strategy, Entries entries, int valueIndex) {
            this(strategy, entries, valueIndex, false, ExceptionClasses.NONE);
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
     * @param evictedOn the exceptions after which the eviction happens all the same (JSR-107's {@code evictFor})
     */
    record Evict(boolean allEntries, boolean beforeInvocation, ExceptionClasses evictedOn) implements MethodSettings {

        public Evict(boolean allEntries, boolean beforeInvocation) {
            this(allEntries, beforeInvocation, ExceptionClasses.NONE);
        }

        @Override
        public String kindName() {
            return "EVICT";
        }
    }
}
