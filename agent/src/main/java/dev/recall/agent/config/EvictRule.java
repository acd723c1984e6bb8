package dev.recall.agent.config;

/** One entry of {@code evict:}; {@code null} attributes were not written. Immutable. */
public record EvictRule(MethodPattern pattern, String where, String cache, String key, Boolean allEntries,
                        Boolean beforeInvocation) {
}
