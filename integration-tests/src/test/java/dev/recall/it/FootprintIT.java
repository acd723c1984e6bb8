package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.footprint.LoaderLoopApp;
import dev.recall.it.app.footprint.ManyClassesApp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's own heap: a rule over every method of a large application fits in a small heap, a redeploy
 * loop keeps the heap flat, and beyond {@code maxMethods} methods run uncached with one message.
 */
class FootprintIT {

    /**
     * What each of 10,000 matched methods costs, never called and called twice (one entry each): the heap
     * after GC of the application with the agent, minus the same application under a rule that matches
     * nothing (the agent, its rule and the application's own objects, called the same way). Heap, not time:
     * a serial GC's used heap after full collections, a few hundred KB of noise against budgets of 10 MB
     * and 160 MB. No exporter is configured, as by default: the called methods have no meters.
     */
    @Test
    void aMatchedMethodNeverCalledCostsAtMost1KbAndACalledOneAtMost16Kb() {
        Result neverCalled = tenThousand("footprint-all.yml", false);
        Result called = tenThousand("footprint-all.yml", true);
        Result baseline = tenThousand("footprint-none.yml", false);
        Result calledBaseline = tenThousand("footprint-none.yml", true);

        assertEquals(0, neverCalled.intValue("bodies"), neverCalled::toString);
        assertEquals(0, neverCalled.intValue("beans"), "no MBean before a method's first call\n" + neverCalled);
        assertEquals(10_000, neverCalled.intValue("instrumented"), "but every one is matched\n" + neverCalled);
        assertEquals("0", called.value("wrong"), called::toString);
        // Each of the 10,000 methods was called twice and its body ran once: every one is cached.
        assertEquals(10_000, called.intValue("bodies"), called::toString);
        assertEquals(10_000, called.intValue("beans"), "one MBean per method called\n" + called);
        assertEquals(20_000, calledBaseline.intValue("bodies"), "nothing cached under the rule that matches nothing");

        long perNeverCalled = (bytes(neverCalled) - bytes(baseline)) / 10_000;
        long perCalled = (bytes(called) - bytes(calledBaseline)) / 10_000;
        System.out.println("FootprintIT: retained heap per matched method never called " + perNeverCalled
                + " B, per method called (with its one entry and MBean; no exporter, so no meters) " + perCalled + " B");
        assertTrue(perNeverCalled <= 1024, "a matched method never called costs " + perNeverCalled + " B\n" + neverCalled);
        // Issue 28's budget. About 6 KB measured since the MBeans share their schema, meters exist only for an
        // exporter and the counters, latency window and region guards grow with use (27.8 KB before). With
        // Prometheus on, 15.9 KB (docs/performance.md); not measured here.
        assertTrue(perCalled <= 16 * 1024, "a called method costs " + perCalled + " B\n" + called);
    }

    private static Result tenThousand(String config, boolean call) {
        return AppJvm.main(ManyClassesApp.class).config(config)
                .jvmArg("-Xmx512m", "-XX:+UseSerialGC", "-Drecall.jmx.delay=0", "-Dfootprint.calledEvery=" + (call ? 1 : 0))
                .args("1000", config.equals("footprint-all.yml") && call ? "10000" : "0").timeout(Duration.ofSeconds(180))
                .run().assertSucceeded();
    }

    private static long bytes(Result r) {
        return Long.parseLong(r.value("heap.used.bytes"));
    }

    @Test
    void aRedeployLoopOf2000ClassLoadersKeepsTheHeapFlat() {
        String[] jvm = {"-Xmx256m", "-Drecall.jmx.delay=0"};
        Result with = AppJvm.main(LoaderLoopApp.class).jvmArg(jvm).args("2000").timeout(Duration.ofSeconds(90))
                .run().assertSucceeded();
        Result without = AppJvm.main(LoaderLoopApp.class).withoutAgent().jvmArg(jvm).args("2000").run().assertSucceeded();
        assertEquals("0", with.value("wrong"), with::toString);
        assertEquals(2000 * 2, with.intValue("bodies"), "each method's body once per loader: cached\n" + with);
        assertEquals(2000 * 4, without.intValue("bodies"), without::toString);
        // What is left of 4,000 methods once their loaders are gone: nothing but what a loader still
        // being collected holds.
        assertTrue(with.intValue("beans") < 100, "MBeans of released methods are unregistered\n" + with);
        assertTrue(with.intValue("instrumented") < 100, "released methods leave the registry\n" + with);
        double agent = Double.parseDouble(with.value("heap.used.mb"));
        double none = Double.parseDouble(without.value("heap.used.mb"));
        System.out.println("FootprintIT: after 2,000 loaders, heap used after GC " + agent + " MB with the agent, "
                + none + " MB without");
        assertTrue(agent - none < 50, "heap with the agent " + agent + " MB, without " + none + " MB");
    }

    @Test
    void beyondMaxMethodsFurtherMethodsRunUncachedAndTheAgentSaysSoOnce() {
        Result r = AppJvm.main(ManyClassesApp.class).config("footprint-all.yml").jvmArg("-Drecall.maxMethods=25")
                .args("10").run().assertSucceeded();
        assertEquals("0", r.value("wrong"), r::toString);
        // 25 cached methods ran once, the other 75 on both calls.
        assertEquals(25 + 75 * 2, r.intValue("bodies"), r::toString);
        List<String> said = r.stderrMatching("recall.maxMethods");
        assertEquals(1, said.size(), r::toString);
        assertTrue(said.get(0).contains("25 methods are cached"), said::toString);
        assertTrue(r.stderrMatching("ERROR").isEmpty(), r::toString);
    }
}
