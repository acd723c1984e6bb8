package dev.recall.agent.config;

/**
 * One entry of {@code methods:}, or of {@code caches:} (then with no pattern, and the cache name as its
 * {@link Settings#CACHE}). A setting the file does not give has no value here, so the method's annotation (or the
 * defaults) decides it. Immutable.
 *
 * @param where file and line of the entry, for messages
 * @param settings what the entry sets, of {@link Settings#RULE}
 */
public record MethodRule(MethodPattern pattern, String where, SettingValues settings) {

    /** What the rule sets {@code setting} to, or {@code null} if it leaves it out. */
    public <T> T get(Setting<T> setting) {
        return settings.get(setting);
    }
}
