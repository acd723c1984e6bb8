package dev.recall.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration as loaded: the file's rules and every problem found in it. Immutable.
 *
 * @param source the file it came from, or {@code null} when none was given
 * @param rules which methods are cached, evicted or observed
 * @param stores where entries live
 * @param writeBack the {@code writeBack:} section, or its defaults
 * @param metrics the {@code metrics:} section: exports besides JMX
 * @param errors problems; when any exists the file's rules are not applied (see {@link #usable()})
 */
public record RecallConfig(String source, Defaults defaults, Rules rules, Stores stores, WriteBackSettings writeBack,
                           MetricsSettings metrics, List<AlertRule> alerts, List<ConfigError> errors) {

    /**
     * What decides which methods are cached, evicted or observed. Immutable.
     *
     * @param caches the {@code caches:} section: Recall's settings by cache name for the JSR-107 annotations, each a
     *     rule with no pattern whose {@code cache} is the name
     * @param advise the {@code advise:} patterns: classes whose methods are observed, never cached
     */
    public record Rules(List<MethodRule> methods, List<EvictRule> evictions, Map<String, MethodRule> caches,
                        List<MethodPattern> advise) {

        public static final Rules NONE = new Rules(List.of(), List.of(), Map.of(), List.of());
    }

    /**
     * Where entries live. Immutable.
     *
     * @param store where entries live unless a rule says otherwise
     * @param redis the {@code redis:} section, or {@code null} if there is none
     * @param memcached the {@code memcached:} section, or {@code null} if there is none
     * @param near the {@code near:} section: the local tier of {@code two-level}
     */
    public record Stores(StoreKind store, RedisSettings redis, MemcachedSettings memcached, NearSettings near) {

        public static final Stores LOCAL = new Stores(StoreKind.LOCAL, null, null, NearSettings.DEFAULT);
    }

    public List<MethodRule> methods() {
        return rules.methods();
    }

    public List<EvictRule> evictions() {
        return rules.evictions();
    }

    public Map<String, MethodRule> caches() {
        return rules.caches();
    }

    public List<MethodPattern> advise() {
        return rules.advise();
    }

    public StoreKind store() {
        return stores.store();
    }

    public RedisSettings redis() {
        return stores.redis();
    }

    public MemcachedSettings memcached() {
        return stores.memcached();
    }

    public NearSettings near() {
        return stores.near();
    }

    /** This configuration with {@code caches} as its {@code caches:} section. */
    public RecallConfig withCaches(Map<String, MethodRule> caches) {
        return caches.isEmpty() && rules.caches().isEmpty() ? this : withRules(new Rules(rules.methods(), rules.evictions(),
                Map.copyOf(caches), rules.advise()));
    }

    /** This configuration with {@code more} advise patterns (the agent option {@code advise=}) after its own. */
    public RecallConfig advising(List<MethodPattern> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<MethodPattern> all = new ArrayList<>(rules.advise());
        all.addAll(more);
        return withRules(new Rules(rules.methods(), rules.evictions(), rules.caches(), List.copyOf(all)));
    }

    private RecallConfig withRules(Rules rules) {
        return new RecallConfig(source, defaults, rules, stores, writeBack, metrics, alerts, errors);
    }

    /** This configuration with {@code errors} as its problems. */
    public RecallConfig withErrors(List<ConfigError> errors) {
        return new RecallConfig(source, defaults, rules, stores, writeBack, metrics, alerts, List.copyOf(errors));
    }

    /** Whether some classes are observed by the advisor instead of cached. */
    public boolean advises() {
        return !rules.advise().isEmpty();
    }

    public static RecallConfig none() {
        return refused(null, List.of());
    }

    /** A file refused as a whole: no rules, the built-in defaults, and the one error that says why. */
    public static RecallConfig refused(String source, ConfigError error) {
        return refused(source, List.of(error));
    }

    /** No rules, the built-in defaults and {@code errors}: a file that is not applied, or none. */
    static RecallConfig refused(String source, List<ConfigError> errors) {
        return new RecallConfig(source, Defaults.BUILT_IN, Rules.NONE, Stores.LOCAL, WriteBackSettings.DEFAULT,
                MetricsSettings.NONE, List.of(), errors);
    }

    /**
     * A configuration with errors caches nothing: a half-applied file could cache what an operator's
     * override was written to stop caching, so the application runs as if the agent were absent.
     */
    public boolean usable() {
        return errors.isEmpty();
    }

    public boolean hasRules() {
        return !rules.methods().isEmpty() || !rules.evictions().isEmpty();
    }
}
