package dev.recall;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Removes entries of a region when the method is called, with the Recall agent attached.
 *
 * <pre>{@code
 * @CacheEvict(cache = "products", key = "{0}")
 * void delete(long id) { ... }             // after delete returns, entry {id} is gone
 *
 * @CacheEvict(cache = "products", allEntries = true, beforeInvocation = true)
 * void reimport() { ... }                  // the whole region is emptied before the call
 * }</pre>
 *
 * <p>By default the eviction happens after the method returns normally; a method that throws evicts
 * nothing (the write it stands for did not happen). With {@code beforeInvocation = true} the eviction
 * happens before the method runs, whatever its outcome. Any load of the same key that was already under
 * way when the eviction happened does not put its (possibly stale) result into the region.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CacheEvict {

    /** The region to evict from, as named by {@link Cached#cache()} on its readers. Required. */
    String cache();

    /** The key template of the entry to remove, written as in {@link Cached#key()}. Empty: all arguments. */
    String key() default "";

    /** Remove every entry of the region instead of one key. */
    boolean allEntries() default false;

    /** Evict before the method runs (whatever its outcome) instead of after it returns normally. */
    boolean beforeInvocation() default false;
}
