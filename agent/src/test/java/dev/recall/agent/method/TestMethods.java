package dev.recall.agent.method;

import dev.recall.agent.config.StrategyKind;

import dev.recall.agent.key.KeyTemplate;
import dev.recall.agent.key.TemplateException;
import dev.recall.agent.store.LocalStore;
import dev.recall.agent.store.Region;
import java.time.Duration;
import java.util.List;

/** Builds method specs and cached methods for tests, with no agent and no instrumentation. */
public final class TestMethods {

    public static final Duration TTL = Duration.ofHours(1);

    private TestMethods() {
    }

    public static KeyTemplate key(String template, List<String> parameterNames) {
        try {
            return KeyTemplate.compile(template, parameterNames, null);
        } catch (TemplateException e) {
            throw new AssertionError(e);
        }
    }

    /** A reading method of one parameter, keyed by that parameter. */
    public static MethodSpec readSpec(String signature, String region, StrategyKind strategy, boolean cacheNulls) {
        return new MethodSpec(signature, region, key("", List.of("k")), TTL, strategy, cacheNulls, 1000, 1, true, -1,
                false, false, false, "test");
    }

    public static MethodSpec writeSpec(String signature, String region, KeyTemplate key, int arity, boolean returnsValue,
                                       int valueIndex, boolean cacheNulls) {
        return new MethodSpec(signature, region, key, TTL, StrategyKind.WRITE_THROUGH, cacheNulls, 1000, arity, returnsValue,
                valueIndex, false, false, false, "test");
    }

    public static MethodSpec evictSpec(String signature, String region, KeyTemplate key, int arity, boolean allEntries,
                                       boolean beforeInvocation) {
        return new MethodSpec(signature, region, key, TTL, null, true, 1000, arity, false, -1, true, allEntries,
                beforeInvocation, "test");
    }

    public static Region region(String name) {
        return new Region(name, new LocalStore(1000, TTL, Runnable::run));
    }

    public static ReadThroughMethod readThrough(String signature, String region) {
        return new ReadThroughMethod(readSpec(signature, region, StrategyKind.READ_THROUGH, true), region(region));
    }

    public static ReadThroughMethod readThrough(String signature, Region region) {
        return new ReadThroughMethod(readSpec(signature, region.name(), StrategyKind.READ_THROUGH, true), region);
    }

    public static EvictMethod evict(String signature, Region region) {
        return new EvictMethod(evictSpec(signature, region.name(), key("", List.of("k")), 1, false, false), region);
    }
}
