package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.ProxyApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A rule on an interface reaches the JDK dynamic proxies that implement it (Spring Data repositories). */
class ProxyIT {

    private static Result r;

    @BeforeAll
    static void run() {
        r = AppJvm.main(ProxyApp.class).config("proxy-app.yml").jvmArg("-Drecall.log=debug").run().assertSucceeded();
    }

    @Test
    void aMethodWithNoBodyButTheProxysIsCachedByTheRuleOnItsInterface() {
        assertTrue(r.value("proxyClass").contains("$Proxy"), r.value("proxyClass"));
        assertEquals("[findByName(ada), findByName(ada), findByName(bob)]", r.value("owners.results"));
        assertEquals(2, r.intValue("findByName.calls"), r.toString());
    }

    @Test
    void aProxyOfAPackagePrivateInterfaceToo() {
        assertEquals("[findById(1), findById(1)]", r.value("vets.results"));
        assertEquals(1, r.intValue("findById.calls"), r.toString());
    }

    @Test
    void methodsTheRuleDoesNotNameRunAsTheyAre() {
        assertEquals(2, r.intValue("countAll.calls"));
    }

    @Test
    void theMethodIsNamedByItsInterfaceNotByTheProxyClass() {
        assertTrue(r.stderrText().contains("caching dev.recall.it.app.ProxyApp$OwnerRepository.findByName(java.lang.String)"),
                r.stderrText());
        assertTrue(r.stderrMatching("ERROR").isEmpty(), r.toString());
    }
}
