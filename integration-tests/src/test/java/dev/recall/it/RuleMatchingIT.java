package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.rules.RulesApp;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 24's rule matching through a real JVM with the agent jar and {@code rules.yml}: every rule that names a
 * method applies (three evictions on one writer, two beside a write-through), frameworks' generated subclasses
 * are never woven (the call is cached once, at the real method), and a rule on an interface reaches only what
 * the interface declares. A rule is reported as matching nothing only when it matched nothing.
 */
class RuleMatchingIT {

    private static Result r;

    @BeforeAll
    static void run() {
        r = AppJvm.main(RulesApp.class).config("rules.yml")
                .jvmArg("-Drecall.unmatchedRuleDelay=5s", "-Dapp.linger=7000", "-Drecall.jmx.delay=0").run().assertSucceeded();
    }

    @Test
    void threeEvictRulesOnOneWriterAllApply() {
        assertEquals("1,1,2", r.value("beforeUpdate"), r::toString);
        assertEquals("2,2,4", r.value("afterUpdate"), "a by key, b by key, c every entry\n" + r);
    }

    @Test
    void evictRulesBesideAWriteThroughRuleApplyWithIt() {
        assertEquals("new-d", r.value("readD.afterSave"), "the write-through wrote d\n" + r);
        assertEquals("4,4,1", r.value("afterSave"), "and a and b were evicted in the same call\n" + r);
    }

    @Test
    void onlyARuleThatMatchedNothingIsReportedSo() {
        List<String> unmatched = r.stderrMatching("matched no method");
        assertEquals(1, unmatched.size(), r::toString);
        assertTrue(unmatched.get(0).contains("ArticleRepository#update(..)"), unmatched::toString);
    }

    @Test
    void generatedSubclassesAreNotWovenAndTheCallIsCachedOnceAtTheRealMethod() {
        assertEquals(1, r.intValue("price.calls"), r::toString);
        assertEquals("17", r.value("price.hits"), "18 calls through 9 classes: one miss, every hit at the real method\n" + r);
        String instrumented = r.value("instrumented");
        assertTrue(instrumented.contains("PriceService.price(java.lang.String)"), instrumented);
        for (String generated : List.of("_Subclass", "_ClientProxy", "$HibernateProxy$", "$ByteBuddy$", "$$", "_$$_jvst",
                "InterceptedPrices")) {
            assertFalse(instrumented.contains(generated), generated + " woven: " + instrumented);
        }
    }

    @Test
    void anInterfaceRuleLeavesTheClassesOtherOverloadsAlone() {
        assertEquals(1, r.intValue("findBySlug.beforeDelete"), "delete(String, Object...) is not the interface's delete\n" + r);
        assertEquals(2, r.intValue("findBySlug.afterDelete"), "delete(String) is, and evicts\n" + r);
        assertEquals(2, r.intValue("findBySlugPaged.calls"), "findBySlug(String, int) is not declared by the interface\n" + r);
        String instrumented = r.value("instrumented");
        assertTrue(instrumented.contains("ArticleStore.findBySlug(java.lang.String)"), instrumented);
        assertFalse(instrumented.contains("ArticleStore.findBySlug(java.lang.String,int)"), instrumented);
        assertFalse(instrumented.contains("ArticleStore.delete(java.lang.String,java.lang.Object[])"), instrumented);
        assertFalse(instrumented.contains("ArticleStore.update("), instrumented);
    }
}
