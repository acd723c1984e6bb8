package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.BadTemplateApp;
import dev.recall.it.app.FailureApp;
import dev.recall.it.app.MethodKindsApp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input and failures inside the agent never break the application. */
class FailureIT {

    @Test
    void aBadFileIsReportedWithFileLineAndFixAndTheApplicationRunsUncached() {
        Result r = AppJvm.main(MethodKindsApp.class).config("bad.yml").run().assertSucceeded();
        assertEquals(3, r.intValue("instance.calls"), "nothing is cached while the file is broken\n" + r);
        String err = r.stderrText();
        assertTrue(err.contains("bad.yml:2: bad duration: '5 minutes' is not a duration"), err);
        assertTrue(err.contains("bad.yml:4: 'dev.recall.it.app.config.PriceService.price(..)' has no '#'")
                && err.contains("did you mean 'dev.recall.it.app.config.PriceService#price(..)'"), err);
        assertTrue(err.contains("bad.yml:5: unknown key 'tll' in a methods entry; did you mean 'ttl'?"), err);
        assertTrue(err.contains("bad.yml:7: unknown strategy 'read-thru'; did you mean 'read-through'?"), err);
        assertTrue(err.contains("nothing is cached until they are fixed"), err);
    }

    @Test
    void aBadFileInStrictModeStopsTheJvmAtStartup() {
        Result r = AppJvm.main(MethodKindsApp.class).config("bad.yml").jvmArg("-Drecall.strict=true").run();
        assertEquals(78, r.exitCode(), r::toString);
        assertTrue(r.stdout().isEmpty(), "main never ran\n" + r);
        assertTrue(r.stderrText().contains("strict mode"), r::toString);
        assertTrue(r.stderrText().contains("bad.yml:5: unknown key 'tll'"), r::toString);
    }

    @Test
    void anUnresolvableKeyTemplateNamesTheMethodAndOnlyThatMethodRunsUncached() {
        Result r = AppJvm.main(BadTemplateApp.class).run().assertSucceeded();
        assertEquals(2, r.intValue("broken.calls"));
        assertEquals(1, r.intValue("fine.calls"));
        List<String> lines = r.stderrMatching("BadTemplateApp.broken(long)");
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).contains("names the parameter 'customerId' but the method has only id"), lines::toString);
    }

    @Test
    void anUnresolvableKeyTemplateInStrictModeStopsTheJvm() {
        Result r = AppJvm.main(BadTemplateApp.class).jvmArg("-Drecall.strict=true").run();
        assertEquals(78, r.exitCode(), r::toString);
        assertTrue(r.stderrText().contains("BadTemplateApp.broken(long)"), r::toString);
    }

    @Test
    void aFailureInsideTheAgentFallsBackToTheMethodAndIsLoggedOnce() {
        Result r = AppJvm.main(FailureApp.class).run().assertSucceeded();
        assertEquals("ran,ran,ran,ran,ran", r.value("lookup.results"));
        assertEquals(5, r.intValue("lookup.calls"));
        List<String> errors = r.stderrMatching("ERROR");
        assertEquals(1, errors.size(), "logged once, not five times\n" + r);
        assertTrue(errors.get(0).contains("FailureApp.lookup(dev.recall.it.app.FailureApp$Explosive)"), errors::toString);
        assertTrue(errors.get(0).contains("getter blows up") || errors.get(0).contains("cannot read 'id'"), errors::toString);
    }
}
