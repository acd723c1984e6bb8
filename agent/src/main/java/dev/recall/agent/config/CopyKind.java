package dev.recall.agent.config;

import java.util.List;
import java.util.Locale;

/** The agent's copy of {@code dev.recall.Copy}: how cached values reach callers. */
public enum CopyKind {
    AUTO, REFERENCE, VALUE;

    /** The spellings a configuration file uses. */
    public static final List<String> CONFIG_NAMES = List.of("auto", "reference", "value");

    /** Accepts {@code value}, {@code VALUE}; null if none. */
    public static CopyKind fromName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (CopyKind k : values()) {
            if (k.name().equals(n)) {
                return k;
            }
        }
        return null;
    }
}
