package dev.recall.agent.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Values of {@link Setting}s, as a file section or an annotation gives them: a setting with no value here was not
 * written. Immutable.
 */
public final class SettingValues {

    public static final SettingValues NONE = new SettingValues(Map.of());

    private final Map<Setting<?>, Object> values;

    private SettingValues(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /** The value given for {@code setting}, or {@code null} if none is. */
    public <T> T get(Setting<T> setting) {
        return setting.type().cast(values.get(setting));
    }

    public boolean has(Setting<?> setting) {
        return values.containsKey(setting);
    }

    /** These values and {@code setting} set to {@code value}. */
    public <T> SettingValues with(Setting<T> setting, T value) {
        Map<Setting<?>, Object> copy = new HashMap<>(values);
        copy.put(setting, value);
        return new SettingValues(copy);
    }

    /** Builds values one setting at a time; for one reader, on one thread. */
    static final class Builder {
        private final Map<Setting<?>, Object> values = new HashMap<>();

        <T> Builder put(Setting<T> setting, T value) {
            values.put(setting, value);
            return this;
        }

        SettingValues build() {
            return new SettingValues(new HashMap<>(values));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SettingValues other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
