package dev.recall.bridge;

/**
 * What a site's {@link Site#enter} returns instead of a result when the call must end by throwing an exception it
 * holds, without running the body: JSR-107's exception cache ({@code @CacheResult(exceptionCacheName = ...)}). The
 * woven code of such a method throws {@link #exception()} where it would return a cached result. An agent class, so
 * no method's own result can be one. Immutable; each instance is made for one call and confined to its thread.
 */
public final class Thrown {

    private final Throwable exception;

    public Thrown(Throwable exception) {
        this.exception = exception;
    }

    /** The exception the call throws: the caller's own copy when the cache holds it by value. */
    public Throwable exception() {
        return exception;
    }
}
