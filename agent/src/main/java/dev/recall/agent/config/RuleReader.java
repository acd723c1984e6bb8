package dev.recall.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.recall.agent.config.YamlNode.Entry;
import dev.recall.agent.config.YamlNode.Mapping;
import dev.recall.agent.config.YamlNode.Scalar;

/**
 * Reads the sections that set how methods are cached, {@code defaults:}, {@code methods:}, {@code caches:} and
 * {@code evict:}, the first three from the table of {@link Settings}. Used by one reading, on one thread.
 */
final class RuleReader {

    private static final List<String> DEFAULT_KEYS = Settings.names(Settings.DEFAULTS);
    private static final List<String> METHOD_KEYS;
    private static final List<String> CACHE_KEYS = Settings.names(Settings.CACHES);
    private static final List<String> EVICT_KEYS = List.of("method", "cache", "key", "allEntries", "beforeInvocation");

    static {
        List<String> keys = new ArrayList<>();
        keys.add("method");
        keys.addAll(Settings.names(Settings.RULE));
        METHOD_KEYS = List.copyOf(keys);
    }

    private final Scalars in;
    private final Problems problems;

    RuleReader(Scalars in) {
        this.in = in;
        this.problems = in.problems();
    }

    Defaults defaults(YamlNode node) {
        if (node == null) {
            return Defaults.BUILT_IN;
        }
        return new Defaults(settings(in.mapping(node, "defaults", DEFAULT_KEYS), Settings.DEFAULTS).build());
    }

    MethodRule method(YamlNode node) {
        Map<String, YamlNode> m = in.mapping(node, "a methods entry", METHOD_KEYS);
        MethodPattern pattern = in.pattern(node, m.get("method"), "methods");
        SettingValues.Builder settings = settings(m, Settings.RULE);
        // Where it is written is found only for a rule that is made: a file of half a million broken entries must
        // not be scanned for each.
        return pattern == null ? null : new MethodRule(pattern, problems.where(node), settings.build());
    }

    /**
     * {@code caches:}, Recall's settings by cache name for the JSR-107 annotations ({@code @CacheResult(cacheName =
     * ...)}): each a rule without a method pattern, whose {@code cache} is the name.
     */
    Map<String, MethodRule> caches(YamlNode node) {
        Map<String, MethodRule> caches = new LinkedHashMap<>();
        if (node == null || node instanceof Scalar s && s.value().isEmpty()) {
            return caches;
        }
        if (!(node instanceof Mapping map)) {
            problems.error(node, "'caches:' must be a section of cache names, each with its settings, for example "
                    + " caches: { blogManager: { ttl: 10m, store: two-level } }");
            return caches;
        }
        for (Entry e : map.entries()) {
            String name = e.key().value();
            Map<String, YamlNode> m = in.mapping(e.value(), "the settings of cache '" + name + "' (under caches:)", CACHE_KEYS);
            SettingValues settings = settings(m, Settings.CACHES).put(Settings.CACHE, name).build();
            if (caches.put(name, new MethodRule(null, problems.where(e.key()), settings)) != null) {
                problems.error(e.key(), "cache '" + name + "' is written twice under caches:; keep one");
            }
        }
        return caches;
    }

    /**
     * The values of {@code settings} in section {@code m}, each read (and its problems reported) in the order of the
     * list; a key the section does not allow was refused by {@link Scalars#mapping} and is absent here.
     */
    private SettingValues.Builder settings(Map<String, YamlNode> m, List<Setting<?>> settings) {
        SettingValues.Builder values = new SettingValues.Builder();
        for (Setting<?> s : settings) {
            YamlNode node = m.get(s.name());
            if (node != null) {
                put(values, s, node);
            }
        }
        return values;
    }

    private <T> void put(SettingValues.Builder values, Setting<T> setting, YamlNode node) {
        T value = setting.read(in, node);
        if (value != null) {
            values.put(setting, value);
        }
    }

    EvictRule evict(YamlNode node) {
        Map<String, YamlNode> m = in.mapping(node, "an evict entry", EVICT_KEYS);
        MethodPattern pattern = in.pattern(node, m.get("method"), "evict");
        String cache = in.scalar(m.get("cache"), "cache");
        if (cache == null || cache.isBlank()) {
            problems.error(node, "an evict entry needs 'cache:', the region to evict from (as named by its readers)");
        }
        String key = in.scalar(m.get("key"), "key");
        Boolean allEntries = in.bool(m.get("allEntries"), "allEntries");
        Boolean before = in.bool(m.get("beforeInvocation"), "beforeInvocation");
        if (Boolean.TRUE.equals(allEntries) && key != null) {
            // Either reading leaves the other setting silently unused; which one the user meant is theirs to say.
            problems.error(m.get("key"), "an evict entry has both 'key:' (evict one entry) and 'allEntries: true' (evict every "
                    + "entry of the region); keep the one you mean: delete 'key:' to clear the region, or 'allEntries:' to "
                    + "evict the key's entry only");
            return null;
        }
        return pattern == null || cache == null ? null : new EvictRule(pattern, problems.where(node), cache, key, allEntries, before);
    }
}
