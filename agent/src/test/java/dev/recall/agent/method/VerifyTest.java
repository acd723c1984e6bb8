package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recall.agent.config.CopyKind;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.StrategyKind;
import dev.recall.bridge.Call;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code verify:} on a reading method: a verified hit runs the real method (here unwoven, so reflection reaches
 * its body straight away), returns the cached value all the same, and counts the hit stale when the method
 * now returns something else.
 */
class VerifyTest {

    /** The data behind the method: its version changes when the test says. */
    public static final class Source {
        static final AtomicInteger VERSION = new AtomicInteger(1);
        static final AtomicInteger RUNS = new AtomicInteger();

        public static String read(String key) {
            RUNS.incrementAndGet();
            return key + "@" + VERSION.get();
        }
    }

    private static ReadThroughMethod method(double verify) {
        MethodSpec spec = new MethodSpec(TestMethods.signature(Source.class.getName() + ".read(java.lang.String)"),
                TestMethods.returns(String.class), "verified", TestMethods.key("", List.of("key")),
                new MethodSettings.Read(StrategyKind.READ_THROUGH, new MethodSettings.Entries(Duration.ofHours(1), true, 100,
                        StoreKind.LOCAL, CopyKind.AUTO), TestMethods.LOAD_WAIT, null, null, verify), "test");
        ReadThroughMethod m = new ReadThroughMethod(spec, TestMethods.region("verified-" + verify));
        m.bindLoader(VerifyTest.class.getClassLoader());
        return m;
    }

    /** A miss as the woven code makes it: enter, the body, exit. */
    private static void load(ReadThroughMethod m, String key) {
        Object call = m.enter(null, key, null, null);
        m.exit((Call) call, Source.read(key), null);
    }

    @Test
    void aVerifiedHitRunsTheMethodReturnsTheCachedValueAndCountsItStaleOnceTheDataChanged() {
        ReadThroughMethod m = method(1.0);
        Source.VERSION.set(1);
        load(m, "a");
        int runs = Source.RUNS.get();
        assertEquals("a@1", m.lookup(null, "a", null, null));
        assertEquals(runs + 1, Source.RUNS.get(), "the method ran to verify the hit");
        assertEquals(1, m.stats().verifiedHits());
        assertEquals(0, m.stats().staleHits());

        Source.VERSION.set(2);
        assertEquals("a@1", m.lookup(null, "a", null, null), "the caller still gets the cached value");
        assertEquals(2, m.stats().verifiedHits());
        assertEquals(1, m.stats().staleHits());
        assertEquals("a@1", m.enter(null, "a", null, null), "a hit through enter is verified too");
        assertEquals(3, m.stats().verifiedHits());
        assertEquals(2, m.stats().staleHits());
    }

    @Test
    void withoutVerifyAHitRunsNothing() {
        ReadThroughMethod m = method(0);
        load(m, "b");
        int runs = Source.RUNS.get();
        for (int i = 0; i < 100; i++) {
            m.lookup(null, "b", null, null);
        }
        assertEquals(runs, Source.RUNS.get());
        assertEquals(0, m.stats().verifiedHits());
        assertEquals(100, m.stats().hits());
    }

    @Test
    void aShareVerifiesAboutThatManyHits() {
        ReadThroughMethod m = method(0.1);
        load(m, "c");
        for (int i = 0; i < 5_000; i++) {
            m.lookup(null, "c", null, null);
        }
        long verified = m.stats().verifiedHits();
        // 10% of 5,000: 500, with a standard deviation of about 21.
        assertEquals(500, verified, 110, "verified " + verified + " of 5,000 hits at 10%");
    }
}
