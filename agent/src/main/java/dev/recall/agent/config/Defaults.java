package dev.recall.agent.config;

import java.time.Duration;

/**
 * The {@code defaults:} section: what a method gets when neither its annotation nor its rule says. Every setting of
 * {@link Settings#DEFAULTS} has a value here (its built-in one unless the file gives another). Immutable.
 */
public record Defaults(SettingValues values) {

    public static final Defaults BUILT_IN = new Defaults(SettingValues.NONE);

    /** {@code given}, and the built-in value of each defaults setting it does not give. */
    public Defaults {
        for (Setting<?> s : Settings.DEFAULTS) {
            if (!values.has(s)) {
                values = withBuiltIn(values, s);
            }
        }
    }

    private static <T> SettingValues withBuiltIn(SettingValues values, Setting<T> setting) {
        return values.with(setting, setting.builtIn());
    }

    /** The default of {@code setting}: the file's, else its built-in value (also for a setting defaults cannot hold). */
    public <T> T get(Setting<T> setting) {
        return values.has(setting) ? values.get(setting) : setting.builtIn();
    }

    /** These defaults with {@code setting} set to {@code value}. */
    public <T> Defaults with(Setting<T> setting, T value) {
        return new Defaults(values.with(setting, value));
    }

    /** The default TTL (kept for the advisor, which proposes TTLs against it). */
    public Duration ttl() {
        return get(Settings.TTL);
    }

    /** The default share of verified hits (kept for the advisor's proposed file). */
    public double verify() {
        return get(Settings.VERIFY);
    }
}
