package dev.recall.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * Every setting of a cached method, and where each may be written. Adding a setting is a constant here, its place in
 * the lists below, and its use where specs are built; the section readers, the keys each section accepts and the
 * precedence (annotation under rule, defaults under both) follow from these. Stateless.
 */
public final class Settings {

    public static final Setting<String> CACHE = new Setting<>("cache", String.class, Scalars::scalar, null);
    public static final Setting<String> KEY = new Setting<>("key", String.class, Scalars::scalar, "");
    public static final Setting<Duration> TTL = new Setting<>("ttl", Duration.class, Scalars::duration, Duration.ofMinutes(5));
    public static final Setting<StrategyKind> STRATEGY = new Setting<>("strategy", StrategyKind.class,
            (in, node, name) -> in.strategy(node), StrategyKind.READ_THROUGH);
    /** Entries per region. */
    public static final Setting<Long> MAX_SIZE = new Setting<>("maxSize", Long.class, Scalars::positiveLong, 10_000L);
    public static final Setting<Boolean> CACHE_NULLS = new Setting<>("cacheNulls", Boolean.class, Scalars::bool, true);
    /** No built-in: the file's top-level {@code store:} is the fallback. */
    public static final Setting<StoreKind> STORE = new Setting<>("store", StoreKind.class, (in, node, name) -> in.store(node), null);
    /**
     * How long a READ_THROUGH caller waits for another thread's load of its key before it runs the method itself.
     */
    public static final Setting<Duration> LOAD_WAIT = new Setting<>("loadWait", Duration.class, Scalars::duration,
            Duration.ofSeconds(30));
    public static final Setting<CopyKind> COPY = new Setting<>("copy", CopyKind.class, (in, node, name) -> in.copy(node),
            CopyKind.AUTO);
    public static final Setting<Boolean> SHARED = new Setting<>("shared", Boolean.class, Scalars::bool, false);
    public static final Setting<Duration> REFRESH = new Setting<>("refresh", Duration.class, Scalars::duration, null);
    /** How long past its TTL a value may still be served when its reload fails; zero: never. */
    public static final Setting<Duration> STALE_IF_ERROR = new Setting<>("staleIfError", Duration.class, Scalars::duration,
            Duration.ZERO);
    /** How long a caller waits for a load when a stale value exists; {@code null}: loadWait. */
    public static final Setting<Duration> LOAD_TIMEOUT = new Setting<>("loadTimeout", Duration.class, Scalars::duration, null);
    /**
     * The share of the TTL by which each entry's life is shortened at random (0.1: up to 10%), so that keys loaded
     * together do not expire together.
     */
    public static final Setting<Double> JITTER = new Setting<>("jitter", Double.class, (in, node, name) -> in.jitter(node), 0.10);
    /** The TTL of cached nulls; no built-in: the method's ttl. */
    public static final Setting<Duration> NULL_TTL = new Setting<>("nullTtl", Duration.class, Scalars::duration, null);
    /** The share of hits (0 to 1) on which the method also runs and its result is compared with the cached one. */
    public static final Setting<Double> VERIFY = new Setting<>("verify", Double.class, Scalars::share, 0.0);
    /** Whether the method's values must stay in this JVM (a shared store is then refused). */
    public static final Setting<Boolean> SENSITIVE = new Setting<>("sensitive", Boolean.class, Scalars::bool, false);
    /** Whether the method is a bulk method, cached per element of its one collection parameter. */
    public static final Setting<Boolean> BULK = new Setting<>("bulk", Boolean.class, Scalars::bool, false);

    /** What a {@code methods:} entry may set besides {@code method:}, in the order its keys are listed in messages. */
    public static final List<Setting<?>> RULE = List.of(CACHE, KEY, TTL, STRATEGY, MAX_SIZE, CACHE_NULLS, STORE, LOAD_WAIT, COPY,
            SHARED, REFRESH, STALE_IF_ERROR, LOAD_TIMEOUT, JITTER, NULL_TTL, VERIFY, SENSITIVE, BULK);

    /** What {@code defaults:} may set, in the order its keys are listed in messages. */
    public static final List<Setting<?>> DEFAULTS = List.of(TTL, MAX_SIZE, CACHE_NULLS, LOAD_WAIT, JITTER, STALE_IF_ERROR,
            LOAD_TIMEOUT, VERIFY);

    /**
     * What a {@code caches:} entry may set: what a rule sets, except what names the methods, their key, their kind and
     * their shape.
     */
    public static final List<Setting<?>> CACHES = RULE.stream()
            .filter(s -> !List.of(CACHE, KEY, STRATEGY, SHARED, BULK).contains(s)).toList();

    /** What {@code @Cached} may set, each an element of the setting's name. */
    public static final List<Setting<?>> ANNOTATION = List.of(CACHE, KEY, TTL, STRATEGY, COPY, SHARED, REFRESH, STALE_IF_ERROR,
            SENSITIVE, BULK);

    private Settings() {
    }

    /** The YAML keys of {@code settings}, in their order. */
    static List<String> names(List<Setting<?>> settings) {
        return settings.stream().map(Setting::name).toList();
    }
}
