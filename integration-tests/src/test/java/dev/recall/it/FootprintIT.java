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

    @Test
    void aThousandClassesOfTenMethodsAllCachedRunInA512MbHeap() {
        Result r = AppJvm.main(ManyClassesApp.class).config("footprint-all.yml")
                .jvmArg("-Xmx512m", "-Drecall.jmx.delay=0", "-Drecall.sampleInterval=1s")
                .args("1000", "10000").timeout(Duration.ofSeconds(90)).run().assertSucceeded();
        assertEquals("0", r.value("wrong"), r::toString);
        // Each of the 10,000 methods was called twice and its body ran once: every one is cached.
        assertEquals(10_000, r.intValue("bodies"), r::toString);
        assertEquals(10_000, r.intValue("beans"), "one MBean per method\n" + r);
        System.out.println("FootprintIT: 10,000 cached methods, heap used after GC " + r.value("heap.used.mb") + " MB");
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
