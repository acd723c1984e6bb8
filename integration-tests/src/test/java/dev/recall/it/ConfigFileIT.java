package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.ConfigApp;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract's YAML section: methods cached with no change to their code. */
class ConfigFileIT {

    private static Result r;

    @BeforeAll
    static void run() {
        r = AppJvm.main(ConfigApp.class).config("config-app.yml")
                .jvmArg("-Drecall.unmatchedRuleDelay=500ms", "-Dapp.linger=1500")
                .run().assertSucceeded();
    }

    @Test
    void anExactSignatureCachesAClassWithoutAnnotations() {
        assertEquals("[A1@EUR, A1@EUR, A1@USD]", r.value("price.results"));
        assertEquals(3, r.intValue("price.calls"), "EUR, USD, then EUR again after the evict rule\n" + r);
    }

    @Test
    void wildcardsInClassAndMethodNamesWithAnyParameters() {
        assertEquals(1, r.intValue("findUser.calls"));
        assertEquals(1, r.intValue("findUserByEmail.calls"));
        assertEquals(1, r.intValue("findOrder.calls"));
        assertEquals(2, r.intValue("countUsers.calls"), "countUsers does not match find*\n" + r);
    }

    @Test
    void aRuleOnAnInterfaceMethodAppliesToItsImplementations() {
        assertEquals(1, r.intValue("jdbcLookup.calls"));
        assertEquals(1, r.intValue("remoteLookup.calls"), "implementation through an abstract class\n" + r);
    }

    @Test
    void theFilesValuesOverrideTheAnnotations() {
        assertEquals(2, r.intValue("retunedTtl.calls"), "file ttl 300ms beats @Cached(ttl = 1h)\n" + r);
        assertEquals(1, r.intValue("regionMoved.calls"), "file key {0} ignores the second argument\n" + r);
        assertEquals("k", r.value("sameRegionReader.result"), "file region shared with another method\n" + r);
        assertNull(r.values().get("sameRegionReader.calls"));
    }

    @Test
    void aWriteBackRuleDefersAMethodWithoutAnnotationsAndCoalescesItsWrites() {
        assertEquals(0, r.intValue("writeBehind.atOnce"), "the callers returned before the method ran\n" + r);
        assertEquals(1, r.intValue("writeBehind.calls"), "two writes of one key within the delay ran once\n" + r);
    }

    @Test
    void writeBackOnAMethodWithAResultIsReportedAndTheMethodRunsUncached() {
        assertEquals(2, r.intValue("writeBackWithResult.calls"));
        List<String> lines = r.stderrMatching("write-back needs a void method");
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).contains("RetunedService.writeBackWithResult(java.lang.String)"), lines::toString);
        assertTrue(lines.get(0).contains("config-app.yml:36"), "says which rule asked for it: " + lines);
    }

    @Test
    void aRuleThatMatchesNothingIsReportedOnceTheApplicationHasRun() {
        List<String> lines = r.stderrMatching("NoSuchClass#nothing()");
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).contains("config-app.yml:34"), lines::toString);
        assertTrue(lines.get(0).contains("matched no method"), lines::toString);
    }
}
