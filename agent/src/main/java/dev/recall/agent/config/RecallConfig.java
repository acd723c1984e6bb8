package dev.recall.agent.config;

import java.util.List;
import java.util.Map;

/**
 * The configuration as loaded: the file's rules and every problem found in it. Immutable.
 *
 * @param source the file it came from, or {@code null} when none was given
 * @param store where entries live unless a rule says otherwise
 * @param redis the {@code redis:} section, or {@code null} if there is none
 * @param writeBack the {@code writeBack:} section, or its defaults
 * @param metrics the {@code metrics:} section: exports besides JMX
 * @param errors problems; when any exists the file's rules are not applied (see {@link #usable()})
 * @param advise the {@code advise:} patterns: classes whose methods are observed, never cached
 * @param caches the {@code caches:} section: Recall's settings by cache name for the JSR-107 annotations, each a
 *     rule with no pattern whose {@code cache} is the name
 */
public record RecallConfig(String source, Defaults defaults, List<MethodRule> methods, List<EvictRule> evictions,
                           List<AlertRule> alerts, StoreKind store, RedisSettings redis, NearSettings near,
                           WriteBackSettings writeBack, MetricsSettings metrics, List<ConfigError> errors,
                           List<MethodPattern> advise, Map<String, MethodRule> caches) {

    /** A configuration with no {@code caches:} section. */
    public RecallConfig(String source, Defaults defaults, List<MethodRule> methods, List<EvictRule> evictions,
                        List<AlertRule> alerts, StoreKind store, RedisSettings redis, NearSettings near,
                        WriteBackSettings writeBack, MetricsSettings metrics, List<ConfigError> errors,
                        List<MethodPattern> advise) {
        this(source, defaults, methods, evictions, alerts, store, redis, near, writeBack, metrics, errors, advise, Map.of());
    }

    /** This configuration with {@code caches} as its {@code caches:} section. */
    public RecallConfig withCaches(Map<String, MethodRule> caches) {
        return caches.isEmpty() && this.caches.isEmpty() ? this : new RecallConfig(source, defaults, methods, evictions, alerts,
                store, redis, near, writeBack, metrics, errors, advise, Map.copyOf(caches));
    }

    /** A configuration that advises nothing. */
    public RecallConfig(String source, Defaults defaults, List<MethodRule> methods, List<EvictRule> evictions,
                        List<AlertRule> alerts, StoreKind store, RedisSettings redis, NearSettings near,
                        WriteBackSettings writeBack, MetricsSettings metrics, List<ConfigError> errors) {
        this(source, defaults, methods, evictions, alerts, store, redis, near, writeBack, metrics, errors, List.of());
    }

    /** This configuration with {@code more} advise patterns (the agent option {@code advise=}) after its own. */
    public RecallConfig advising(List<MethodPattern> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<MethodPattern> all = new java.util.ArrayList<>(advise);
        all.addAll(more);
        return new RecallConfig(source, defaults, methods, evictions, alerts, store, redis, near, writeBack, metrics, errors,
                List.copyOf(all), caches);
    }

    /** Whether some classes are observed by the advisor instead of cached. */
    public boolean advises() {
        return !advise.isEmpty();
    }

    public static RecallConfig none() {
        return new RecallConfig(null, Defaults.BUILT_IN, List.of(), List.of(), List.of(), StoreKind.LOCAL, null,
                NearSettings.DEFAULT, WriteBackSettings.DEFAULT, MetricsSettings.NONE, List.of());
    }

    /** A file refused as a whole: no rules, the built-in defaults, and the one error that says why. */
    public static RecallConfig refused(String source, ConfigError error) {
        return new RecallConfig(source, Defaults.BUILT_IN, List.of(), List.of(), List.of(), StoreKind.LOCAL, null,
                NearSettings.DEFAULT, WriteBackSettings.DEFAULT, MetricsSettings.NONE, List.of(error));
    }

    /**
     * A configuration with errors caches nothing: a half-applied file could cache what an operator's
     * override was written to stop caching, so the application runs as if the agent were absent.
     */
    public boolean usable() {
        return errors.isEmpty();
    }

    public boolean hasRules() {
        return !methods.isEmpty() || !evictions.isEmpty();
    }
}
