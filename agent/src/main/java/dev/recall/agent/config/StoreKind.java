package dev.recall.agent.config;

import java.util.List;

/** Where a method's entries live, as the configuration names it. */
public enum StoreKind {
    LOCAL("local"),
    REDIS("redis"),
    TWO_LEVEL("two-level"),
    MEMCACHED("memcached");

    public static final List<String> CONFIG_NAMES = List.of("local", "redis", "two-level", "memcached");

    private final String configName;

    StoreKind(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public boolean remote() {
        return this != LOCAL;
    }

    /** @return the kind written as {@code name} in the file, or {@code null} */
    public static StoreKind fromName(String name) {
        for (StoreKind k : values()) {
            if (k.configName.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
