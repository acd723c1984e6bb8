package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.recall.agent.config.CopyKind;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.StrategyKind;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Call;
import dev.recall.bridge.Thrown;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JSR-107's exception cache driven through enter/exit as the woven code drives it: an exception the lists include is
 * kept in a region of its own and thrown again (a copy) without the body; others are not kept; a result in the
 * result cache answers first; an exception that cannot be copied is counted and not kept.
 */
class ExceptionCacheTest {

    static class Computed extends RuntimeException {
        @Override
        public String getMessage() {
            return "computed";
        }
    }

    private final Region results = TestMethods.region("lookups");
    private final Region failures = TestMethods.region("failures");

    /** lookup(String) naming exception cache "failures", which keeps all but IllegalArgumentException. */
    private ReadThroughMethod method(CopyKind copy) {
        MethodSpec spec = TestMethods.readSpec("com.acme.Directory.lookup(java.lang.String)", "lookups", StrategyKind.READ_THROUGH, true)
                .withExceptions(new ExceptionCaching("failures",
                        new ExceptionClasses(List.of(), List.of("java.lang.IllegalArgumentException"), true),
                        new MethodSettings.Entries(TestMethods.TTL, false, 100, StoreKind.LOCAL, copy)));
        ReadThroughMethod m = new ReadThroughMethod(spec, results);
        m.bindExceptions(failures);
        return m;
    }

    private static void threw(ReadThroughMethod m, String key, Throwable t) {
        Call call = assertInstanceOf(Call.class, m.enter(null, key, null, null), "a miss runs the body");
        m.exit(call, null, t);
    }

    @Test
    void anIncludedExceptionIsThrownAgainAsACopyWithoutTheBody() {
        ReadThroughMethod m = method(CopyKind.AUTO);
        IllegalStateException original = new IllegalStateException("down");
        threw(m, "k", original);
        assertNull(m.lookup(null, "k", null, null), "the hit path reads results only");
        Thrown first = assertInstanceOf(Thrown.class, m.enter(null, "k", null, null));
        Thrown second = assertInstanceOf(Thrown.class, m.enter(null, "k", null, null));
        assertEquals(IllegalStateException.class, first.exception().getClass());
        assertEquals("down", first.exception().getMessage());
        assertNotSame(original, first.exception());
        assertNotSame(first.exception(), second.exception(), "each caller its own copy");
        assertEquals(2, m.stats().hits());
        assertInstanceOf(Call.class, m.enter(null, "other", null, null), "another key runs the body");
    }

    @Test
    void anExcludedExceptionIsNotKept() {
        ReadThroughMethod m = method(CopyKind.AUTO);
        threw(m, "k", new IllegalArgumentException("bad key"));
        assertInstanceOf(Call.class, m.enter(null, "k", null, null));
        assertEquals(0, failures.size());
    }

    @Test
    void aCachedResultAnswersBeforeACachedException() {
        ReadThroughMethod m = method(CopyKind.AUTO);
        threw(m, "k", new IllegalStateException("down"));
        results.write("k", Entry.expiringAfter("value", 0, TestMethods.TTL.toNanos()), Accessor.NONE);
        assertEquals("value", m.enter(null, "k", null, null));
    }

    @Test
    void aResultIsCachedAfterTheExceptionIsGone() {
        ReadThroughMethod m = method(CopyKind.AUTO);
        threw(m, "k", new IllegalStateException("down"));
        failures.invalidate("k");
        Call call = assertInstanceOf(Call.class, m.enter(null, "k", null, null));
        m.exit(call, "up", null);
        assertEquals("up", m.enter(null, "k", null, null));
    }

    @Test
    void copyReferenceSharesTheExceptionItself() {
        ReadThroughMethod m = method(CopyKind.REFERENCE);
        IllegalStateException original = new IllegalStateException("down");
        threw(m, "k", original);
        assertSame(original, assertInstanceOf(Thrown.class, m.enter(null, "k", null, null)).exception());
    }

    @Test
    void anExceptionThatCannotBeCopiedIsCountedAndNotKept() {
        ReadThroughMethod m = method(CopyKind.AUTO);
        threw(m, "k", new Computed());
        threw(m, "k", new Computed());
        assertEquals(2, m.uncacheableResults());
        assertEquals("exception-not-copyable=2", m.uncacheableReasons());
        assertInstanceOf(Call.class, m.enter(null, "k", null, null), "the method runs as before");
        assertEquals(0, m.stats().errors());
    }

    @Test
    void skipGetKeepsExceptionsItNeverReads() {
        MethodSpec spec = TestMethods.writeSpec("com.acme.Directory.refresh(java.lang.String)", "lookups",
                TestMethods.key("", List.of("k")), 1, true, -1, true)
                .withExceptions(new ExceptionCaching("failures", new ExceptionClasses(List.of(), List.of(), true),
                        new MethodSettings.Entries(TestMethods.TTL, false, 100, StoreKind.LOCAL, CopyKind.AUTO)));
        WriteThroughMethod w = new WriteThroughMethod(spec, results);
        w.bindExceptions(failures);
        Call call = assertInstanceOf(Call.class, w.enter(null, "k", null, null));
        w.exit(call, null, new IllegalStateException("down"));
        assertInstanceOf(Call.class, w.enter(null, "k", null, null), "skipGet reads nothing: the body runs");
        assertInstanceOf(Thrown.class, method(CopyKind.AUTO).enter(null, "k", null, null), "a reader of the cache finds it");
    }
}
