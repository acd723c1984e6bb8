package dev.recall.agent.method;

import dev.recall.agent.config.CopyKind;
import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.StrategyKind;

import dev.recall.agent.key.KeyTemplate;
import dev.recall.agent.key.TemplateException;
import dev.recall.agent.store.LocalStore;
import dev.recall.agent.store.Region;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Builds method specs and cached methods for tests, with no agent and no instrumentation. */
public final class TestMethods {

    public static final Duration TTL = Duration.ofHours(1);
    /** Long enough that no test waits it out by accident. */
    public static final Duration LOAD_WAIT = Duration.ofSeconds(30);

    private TestMethods() {
    }

    public static KeyTemplate key(String template, List<String> parameterNames) {
        try {
            return KeyTemplate.compile(template, parameterNames, null);
        } catch (TemplateException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code com.acme.Repo.find(long,java.lang.String)} taken apart, as the analyzer would have built it. */
    public static MethodSignature signature(String display) {
        int open = display.indexOf('(');
        int dot = display.lastIndexOf('.', open);
        String params = display.substring(open + 1, display.length() - 1);
        return new MethodSignature(display.substring(0, dot), display.substring(dot + 1, open),
                params.isEmpty() ? List.of() : List.of(params.split(",")));
    }

    /** A reading method of the local store, with the test TTL and room for 1,000 entries. */
    public static MethodSpec readSpec(String signature, String region, KeyTemplate key, StrategyKind strategy, boolean cacheNulls) {
        return new MethodSpec(signature(signature), returns(Object.class), region, key,
                new MethodSettings.Read(strategy, entries(cacheNulls), LOAD_WAIT), "test");
    }

    /** A reading method of one parameter, keyed by that parameter. */
    public static MethodSpec readSpec(String signature, String region, StrategyKind strategy, boolean cacheNulls) {
        return readSpec(signature, region, key("", List.of("k")), strategy, cacheNulls);
    }

    public static MethodSpec writeSpec(String signature, String region, KeyTemplate key, int arity, boolean returnsValue,
                                       int valueIndex, boolean cacheNulls) {
        MethodSignature s = signature(signature);
        if (s.arity() != arity) {
            throw new AssertionError(signature + " does not have " + arity + " parameters");
        }
        return new MethodSpec(s, returnsValue ? returns(Object.class) : returns(void.class), region, key,
                new MethodSettings.Write(StrategyKind.WRITE_THROUGH, entries(cacheNulls), valueIndex), "test");
    }

    public static MethodSpec evictSpec(String signature, String region, KeyTemplate key, int arity, boolean allEntries,
                                       boolean beforeInvocation) {
        MethodSignature s = signature(signature);
        if (s.arity() != arity) {
            throw new AssertionError(signature + " does not have " + arity + " parameters");
        }
        return new MethodSpec(s, returns(void.class), region, key, new MethodSettings.Evict(allEntries, beforeInvocation), "test");
    }

    private static MethodSettings.Entries entries(boolean cacheNulls) {
        return new MethodSettings.Entries(TTL, cacheNulls, 1000, StoreKind.LOCAL, CopyKind.AUTO);
    }

    /** What a method declared to return {@code type} returns, as the analyzer finds it: a future's value is cached. */
    public static ReturnType returns(Class<?> type) {
        return new ReturnType(type.getName(), type == void.class ? ReturnType.Kind.VOID
                : type == CompletableFuture.class || type == CompletionStage.class ? ReturnType.Kind.FUTURE
                : ReturnType.Kind.VALUE);
    }

    public static Region region(String name) {
        return new Region(name, new LocalStore(1000, TTL, Runnable::run));
    }

    public static ReadThroughMethod readThrough(String signature, String region) {
        return new ReadThroughMethod(readSpec(signature, region, StrategyKind.READ_THROUGH, true), region(region));
    }

    /** A reading method of one parameter declared to return {@code returnType}. */
    public static ReadMethod reading(String signature, String region, StrategyKind strategy, ReturnType returnType) {
        return reading(signature, region, strategy, returnType, null);
    }

    /** A reading method of one parameter declared to return {@code returnType}, with {@code refresh} ({@code null}: none). */
    public static ReadMethod reading(String signature, String region, StrategyKind strategy, ReturnType returnType,
                                     Duration refresh) {
        MethodSpec spec = new MethodSpec(signature(signature), returnType, region, key("", List.of("k")),
                new MethodSettings.Read(strategy, entries(true), LOAD_WAIT, refresh, null), "test");
        return strategy == StrategyKind.READ_THROUGH ? new ReadThroughMethod(spec, region(region)) : new ReadMethod(spec, region(region));
    }

    /** A READ_THROUGH method of one parameter that hands values to callers as {@code copy} says. */
    public static ReadThroughMethod readThrough(String signature, String region, CopyKind copy) {
        MethodSpec spec = new MethodSpec(signature(signature), returns(Object.class), region, key("", List.of("k")),
                new MethodSettings.Read(StrategyKind.READ_THROUGH, new MethodSettings.Entries(TTL, true, 1000, StoreKind.LOCAL, copy),
                        LOAD_WAIT), "test");
        return new ReadThroughMethod(spec, region(region));
    }

    /** A READ_THROUGH method whose callers wait at most {@code loadWait} for another thread's load. */
    public static ReadThroughMethod readThrough(String signature, String region, Duration loadWait) {
        MethodSpec spec = new MethodSpec(signature(signature), returns(Object.class), region, key("", List.of("k")),
                new MethodSettings.Read(StrategyKind.READ_THROUGH, entries(true), loadWait), "test");
        return new ReadThroughMethod(spec, region(region));
    }

    public static ReadThroughMethod readThrough(String signature, Region region) {
        return new ReadThroughMethod(readSpec(signature, region.name(), StrategyKind.READ_THROUGH, true), region);
    }

    public static EvictMethod evict(String signature, Region region) {
        return new EvictMethod(evictSpec(signature, region.name(), key("", List.of("k")), 1, false, false), region);
    }

    /**
     * A call of a reading method with one argument as the advice makes it: enter, and if the body must run,
     * exit with {@code result} as what it returned.
     *
     * @return what the caller gets: {@code result} when the body ran, else the cached answer
     */
    public static Object call(ReadMethod m, Object self, Object a0, Object result) {
        Object r = m.enter(self, a0, null, null);
        if (r instanceof dev.recall.bridge.Call c) {
            m.exit(c, result, null);
            return result;
        }
        return r;
    }

    /**
     * Waits until at least {@code nanos} of wall time have passed since now: a method's saved time grows no
     * faster than wall time multiplied by its callers, so a test that credits hits and reads the total at
     * once must let that much time pass first.
     */
    public static void letWallTimePass(long nanos) {
        try {
            Thread.sleep(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(nanos) + 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
