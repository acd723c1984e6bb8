package dev.recall.agent.method;

/**
 * JSR-107's exception cache of a {@code @CacheResult} method, as its class file and {@code caches:} decide it: an
 * exception the method throws that {@code cached} includes is kept in region {@code region} under the call's key,
 * and a later call with that key throws it again without running the method (unless the result cache answers
 * first). A region of its own, with the settings {@code caches:} gives its name. Immutable.
 *
 * @param region the {@code exceptionCacheName}
 * @param cached {@code cachedExceptions} and {@code nonCachedExceptions}; with neither, every exception
 * @param entries how the exceptions are kept: {@code ttl}, {@code maxSize}, {@code store}, {@code copy}
 */
public record ExceptionCaching(String region, ExceptionClasses cached, MethodSettings.Entries entries) {
}
