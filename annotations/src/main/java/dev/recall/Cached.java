package dev.recall;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a method's results when the application runs with the Recall agent
 * ({@code -javaagent:recall-agent.jar}). Without the agent this annotation does nothing at all.
 *
 * <pre>{@code
 * @Cached(cache = "products", key = "{id}", ttl = "5m")
 * Product find(long id) { ... }                       // READ_THROUGH: one load per key
 *
 * @Cached(cache = "products", key = "{0.id}", strategy = Strategy.WRITE_THROUGH)
 * void save(Product p) { ... }                         // after it returns, entry {p.id} = p
 * }</pre>
 *
 * <p>Any method with a body can be cached: instance, static, private, final, and calls made from inside
 * its own class. There is no proxy; the agent weaves the cache into the method itself. Constructors,
 * abstract and native methods cannot be cached.
 *
 * <h2>What is cached</h2>
 * <ul>
 *   <li>Exceptions are never cached: a call that throws leaves the cache as it was.</li>
 *   <li>{@code null} results are cached unless the configuration says {@code cacheNulls: false}.</li>
 *   <li>Values of immutable types are shared; any other value is held by value, so a caller that
 *       changes what it got changes nobody else's (see {@link #copy()}).</li>
 * </ul>
 *
 * <h2>The written value (write strategies)</h2>
 * For {@link Strategy#WRITE_THROUGH} and {@link Strategy#WRITE_BACK} the entry is set to: the method's
 * return value when it returns one; else the parameter marked {@link CacheValue}; else the only parameter
 * that the key template does not use. Anything else is a configuration error naming the method.
 *
 * <h2>Configuration file</h2>
 * A rule in the YAML configuration that matches the same method overrides each attribute it sets, so
 * operators can retune a deployed application without a rebuild.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Cached {

    /**
     * The region the entries live in. Methods that name the same region share entries (a reader and the
     * writers that keep it fresh). Empty: a region of the method's own, named by its signature, so two
     * methods never collide by accident.
     */
    String cache() default "";

    /**
     * The key template, compiled once when the class is loaded, never parsed per call.
     * <ul>
     *   <li>{@code {0}}: the first argument; {@code {id}}: the parameter named {@code id} (needs
     *       {@code -parameters} or debug information, which Maven and Gradle compile in by default);</li>
     *   <li>{@code {order.customer.id}}: a property path; each step is a getter ({@code getId()},
     *       {@code isActive()}), a record component or accessor ({@code id()}), or a field;</li>
     *   <li>literal text around placeholders: {@code "sku:{sku}:{currency}"}.</li>
     * </ul>
     * A template that is exactly one placeholder keys by that value itself; one with literal text or
     * several placeholders keys by the rendered string. Empty: all arguments together, compared by
     * {@code equals} (arrays by content). A name or property that cannot be resolved is a configuration
     * error reported when the class loads, naming the method.
     */
    String key() default "";

    /**
     * Time to live of the entries this method writes: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h},
     * {@code 2d}, or ISO-8601 such as {@code PT30S}. Empty: the configured default ({@code defaults.ttl},
     * five minutes unless set).
     */
    String ttl() default "";

    /**
     * Refresh-ahead: a hit on an entry older than this returns at once and reloads the key once, in the
     * background, with the same receiver and arguments, so hot keys stay fresh and no caller waits for a
     * load after the first. Shorter than {@link #ttl()}; empty: no refresh. A reload that a write or
     * eviction of the key overtakes stores nothing.
     */
    String refresh() default "";

    /**
     * Stale-if-error: when a load throws (or a caller has waited {@code loadTimeout}), callers get the last
     * value if it expired less than this long ago, and the exception is counted and logged instead of
     * thrown. Empty: none. A value a write replaced or an eviction removed is never served stale.
     */
    String staleIfError() default "";

    /** How the method and its entries relate; see {@link Strategy}. */
    Strategy strategy() default Strategy.READ_THROUGH;

    /**
     * How values reach callers: {@link Copy#AUTO} (the default) shares immutable values and hands every
     * caller its own copy of any other, {@link Copy#REFERENCE} always shares (fast, and right only if no
     * caller changes a result), {@link Copy#VALUE} always copies. A value that cannot be copied (a
     * Hibernate lazy proxy, a class of a closed module) makes the method run uncached, with a message
     * saying why.
     */
    Copy copy() default Copy.AUTO;

    /**
     * For an instance method: whether every instance shares one set of entries. By default ({@code false})
     * the entries of a method with a region of its own are kept apart per receiver state, so two instances
     * that differ (two repositories of one generic class, for owners and for vets) never answer each
     * other's calls, while instances equal in state (the same service in several JVMs) share. {@code true}:
     * all instances share, for a class whose instances all answer alike. A key template may instead name
     * the state that matters: {@code {this.table}}. With a named {@link #cache()} the region is shared as
     * named, and the receiver decides nothing unless the key names it.
     */
    boolean shared() default false;

    /**
     * Whether the method's results are personal or secret data that must never leave this JVM. {@code true}: its
     * entries live only in the local store; if its store is shared ({@code store: redis} or {@code two-level} in the
     * configuration, for the method or for all), the agent refuses to cache the method at all, reports a
     * configuration error naming it and the fix ({@code store: local} in a rule for the method), and the method
     * runs uncached. The configuration's {@code sensitive:} in a rule overrides this. Default {@code false}.
     */
    boolean sensitive() default false;

    /**
     * A bulk method, cached per element: {@code true} on a method whose one collection parameter
     * ({@code Collection}, {@code List} or {@code Set}) holds the keys and which returns a {@code Map} from
     * key to value, or a {@code List} with one value per key in the argument's order.
     * <pre>{@code
     * @Cached(cache = "products", bulk = true)
     * Map<Long, Product> findAll(Collection<Long> ids) { ... }
     * }</pre>
     * Each element is an entry of its own, keyed as a single-key method of the same region keys it
     * ({@link #key()}, if given, is applied to each element in the collection parameter's place), so
     * {@code Product find(long id)} with {@code cache = "products"} shares them and an eviction of one
     * id evicts that element only. A call answers the elements held (one round trip on Redis), runs the
     * method once with only the missing ones (a {@code List} or {@code Set} as the caller passed), stores
     * each, and returns a {@code LinkedHashMap} (or an {@code ArrayList}) in the caller's order. A method of
     * another shape is a configuration error naming it. Default {@code false}.
     */
    boolean bulk() default false;
}
