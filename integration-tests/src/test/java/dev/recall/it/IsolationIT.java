package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.ChildLoaderApp;
import dev.recall.it.app.OwnCaffeineApp;
import dev.recall.it.app.tenant.TenantsApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent in class-loader set-ups users have. */
class IsolationIT {

    @Test
    void aClassOfAnIsolatedChildClassLoaderIsCached() {
        Result r = AppJvm.main(ChildLoaderApp.class).run().assertSucceeded();
        assertEquals("true", r.value("loader.isolated"));
        assertEquals("[hello a, hello a, hello b]", r.value("child.results"));
        assertEquals(2, r.intValue("child.calls"), r::toString);
    }

    @Test
    void anApplicationWithItsOwnOlderCaffeineKeepsIt() {
        Result r = AppJvm.main(OwnCaffeineApp.class).run().assertSucceeded();
        assertEquals("from_the_application's_cache", r.value("own.value"));
        assertTrue(r.value("own.jar").startsWith("caffeine-2."), r::toString);
        assertEquals(1, r.intValue("cached.calls"), r::toString);
    }

    /**
     * Issue 25: one process deploys the same application twice (tenants A and B, two class loaders, each
     * configured differently). Each tenant gets its own results, including a result of its own class, and
     * keys that rendered alike ({@code {0}:{1}} over "x:y","z" and "x","y:z"; null and "null"; two dates in
     * one second) are entries of their own. Nine keys per tenant: nine bodies each, the second round all hits.
     */
    @Test
    void twoClassLoadersOfOneApplicationNeverShareEntries() {
        Result r = AppJvm.main(TenantsApp.class).run().assertSucceeded();
        assertEquals("0", r.value("wrong"), r::toString);
        assertEquals("[hello ann from A, 100, Quote[sku=sku-1, tenant=A], A[x:y|z], A[x|y:z], A no user, A user null, A@1500, A@1000]",
                r.value("tenant.A.results"), r::toString);
        assertEquals("[hello ann from B, 200, Quote[sku=sku-1, tenant=B], B[x:y|z], B[x|y:z], B no user, B user null, B@1500, B@1000]",
                r.value("tenant.B.results"), r::toString);
        assertEquals(9, r.intValue("tenant.A.calls"), r::toString);
        assertEquals(9, r.intValue("tenant.B.calls"), r::toString);
    }

    @TempDir
    Path dir;

    /**
     * The same in Redis: in one JVM the two tenants never share an entry; a second JVM deploying the same
     * two tenants in the same order shares the first one's entries (its bodies do not run at all), as equal
     * deployments of different JVMs always have.
     */
    @Test
    void inRedisTenantsOfOneJvmStayApartAndEqualDeploymentsOfTwoJvmsShare() throws IOException {
        String prefix = "recall-it-tenants-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        Path config = dir.resolve("tenants-redis.yml");
        Files.writeString(config, "store: redis\n"
                + "redis:\n"
                + "  uri: " + System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379") + "\n"
                + "  keyPrefix: \"" + prefix + "\"\n"
                + "  secret: tenants-it-secret\n"
                + "  allowClasses: [dev.recall.it.**]\n");
        Result first = AppJvm.main(TenantsApp.class).agentOptions("config=" + config).jvmArg("-Drecall.jmx.delay=0").args("--await-redis").run().assertSucceeded();
        assertEquals("0", first.value("wrong"), first::toString);
        assertEquals(9, first.intValue("tenant.A.calls"), first::toString);
        assertEquals(9, first.intValue("tenant.B.calls"), first::toString);
        Result second = AppJvm.main(TenantsApp.class).agentOptions("config=" + config).jvmArg("-Drecall.jmx.delay=0").args("--await-redis").run().assertSucceeded();
        assertEquals("0", second.value("wrong"), second::toString);
        assertEquals(0, second.intValue("tenant.A.calls"), "tenant A of the second JVM is served tenant A's entries\n" + second);
        assertEquals(0, second.intValue("tenant.B.calls"), "tenant B of the second JVM is served tenant B's entries\n" + second);
    }
}
