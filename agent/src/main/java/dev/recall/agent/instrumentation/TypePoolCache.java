package dev.recall.agent.instrumentation;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

/**
 * Parsed class-file descriptions, kept per class loader so that supertypes read while matching one class
 * are not read again for the next. Bounded per loader and weakly keyed by loader, so neither a large
 * application nor a redeployed web application makes it grow without end. Shared; Caffeine is
 * thread-safe.
 */
final class TypePoolCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {

    private static final Object BOOTSTRAP = new Object();
    private static final int TYPES_PER_LOADER = 4_000;

    private final LoadingCache<Object, TypePool.CacheProvider> providers = Caffeine.newBuilder()
            .weakKeys()
            .executor(Runnable::run)
            .build(loader -> new TypePool.CacheProvider.Simple(
                    Caffeine.newBuilder().maximumSize(TYPES_PER_LOADER).executor(Runnable::run)
                            .<String, TypePool.Resolution>build().asMap()));

    TypePoolCache() {
        // Debug information is needed: parameter names come from it when -parameters was not used.
        super(TypePool.Default.ReaderMode.EXTENDED);
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader classLoader) {
        return providers.get(classLoader == null ? BOOTSTRAP : classLoader);
    }
}
