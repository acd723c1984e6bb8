package dev.recall.agent.config;

import java.util.List;
import java.util.Locale;

/**
 * The agent's own copy of {@code dev.recall.Strategy}. The agent never loads the annotation classes:
 * they belong to the application's class loaders, and it reads annotations from class files instead.
 */
public enum StrategyKind {
    READ_THROUGH, CACHE_ASIDE, WRITE_THROUGH, WRITE_BACK;

    /** The spellings a configuration file uses. */
    public static final List<String> CONFIG_NAMES = List.of("read-through", "cache-aside", "write-through", "write-back");

    /** Accepts {@code read-through}, {@code READ_THROUGH} and {@code read_through}; null if none. */
    public static StrategyKind fromName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (StrategyKind k : values()) {
            if (k.name().equals(n)) {
                return k;
            }
        }
        return null;
    }

    public boolean reads() {
        return this == READ_THROUGH || this == CACHE_ASIDE;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
