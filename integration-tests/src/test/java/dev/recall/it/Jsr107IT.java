package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.jsr107.BlogApp;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSR-107's annotations honoured by the agent with no container (issue 27): a plain application JVM with the
 * shaded agent, and the same application with Spring's JCache support on its class path, which the agent leaves
 * the annotations to; exception caches ({@code exceptionCacheName}) in this JVM and in Redis, shared by two JVMs. The TCK's own annotation tests run in the module integration-tests/jsr107-tck.
 */
class Jsr107IT {

    private static Result withAgent;

    @BeforeAll
    static void run() {
        withAgent = AppJvm.main(BlogApp.class).config("jsr107.yml").run().assertSucceeded();
    }

    @Test
    void methodsNamingOneCacheShareItsEntriesByTheirKeyParameters() {
        assertEquals("[A1, A1, A1]", withAgent.value("shared.results"), withAgent.stderrText());
        assertEquals(1, withAgent.intValue("shared.entry"));
        assertEquals(0, withAgent.intValue("shared.entryFor"), "entryFor(reader, @CacheKey title, attempt) hits entry(title)'s entry");
    }

    @Test
    void putsAndRemovalsReachTheNamedCache() {
        assertEquals("A3", withAgent.value("put.result"), "@CachePut put the @CacheValue");
        assertEquals("null", withAgent.value("removed.result"), "@CacheRemove removed it, so the read ran");
        assertEquals(2, withAgent.intValue("removed.entry"));
        assertEquals(1, withAgent.intValue("afterClear.ran"), "@CacheRemoveAll emptied the cache");
    }

    @Test
    void exceptionListsDecideWhetherAFailedCallStillEvictsOrPuts() {
        assertEquals("B1", withAgent.value("notEvicted.result"));
        assertEquals("null", withAgent.value("evictedOnException.result"));
        assertEquals("C1", withAgent.value("putOnException.result"));
        assertEquals(0, withAgent.intValue("putOnException.ran"), "cacheFor = IOException: the value was put");
        assertEquals(1, withAgent.intValue("notPutOnException.ran"), "another exception invalidates the key");
    }

    @Test
    void anExceptionCachedIsThrownAgainWithoutRunningTheMethod() {
        assertEquals(1, withAgent.intValue("exceptionCached.ran"), withAgent.stderrText());
        assertEquals("no entry for x/404", withAgent.value("exceptionCached.second"), "the cached copy keeps its message and field");
        assertEquals("true,true", withAgent.value("exceptionCached.copy"), "a copy of its own, with the original's stack trace");
    }

    @Test
    void nonCachedExceptionsAndUncopyableExceptionsRunTheMethodEachTime() {
        assertEquals(2, withAgent.intValue("nonCached.ran"), "nonCachedExceptions = IllegalArgumentException");
        assertEquals(2, withAgent.intValue("uncopyable.ran"), "an exception that cannot be copied is not cached");
        String log = withAgent.stderrText();
        assertTrue(log.contains("BlogApp$Opaque thrown by") && log.contains("was not put in its exception cache failures"), log);
        assertEquals(log.indexOf("was not put in its exception cache"), log.lastIndexOf("was not put in its exception cache"),
                "said once: " + log);
    }

    @Test
    void aResultAnswersBeforeACachedExceptionAndOnceItExpired() {
        assertEquals("Y1,Y1", withAgent.value("resultAfterException.result"), "@CachePut's result is read before the exception");
        assertEquals(1, withAgent.intValue("resultAfterException.ran"));
        assertEquals("Z1,Z1", withAgent.value("exceptionTtl.result"));
        assertEquals("1,2", withAgent.value("exceptionTtl.ran"), "caches: shortFailures: { ttl: 1s } let the exception go");
    }

    @Test
    void aKeyGeneratorOrResolverFactoryOfTheApplicationsLeavesTheMethodUncachedWithOneMessage() {
        assertEquals(2, withAgent.intValue("keyGenerator.ran"));
        String log = withAgent.stderrText();
        String said = "names cacheKeyGenerator = dev.recall.it.app.jsr107.BlogApp$TitleKeys.class";
        assertTrue(log.contains(said) && log.contains("generated(java.lang.String)"), log);
        assertEquals(log.indexOf(said), log.lastIndexOf(said), "said once: " + log);
        assertEquals(2, withAgent.intValue("resolverFactory.ran"), "a resolver factory named by @CacheDefaults");
        assertTrue(log.contains("@CacheResult names cacheResolverFactory = dev.recall.it.app.jsr107.BlogApp$OwnResolvers.class"), log);
    }

    @Test
    void anExceptionCacheInRedisIsSharedWithAnotherJvm(@TempDir Path dir) throws IOException {
        RedisTarget.Servers servers = RedisTarget.SINGLE.servers("Jsr107IT.anExceptionCacheInRedisIsSharedWithAnotherJvm");
        String prefix = "recall-jsr107-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        Path config = dir.resolve("jsr107-redis.yml");
        Files.writeString(config, "redis:\n" + servers.yaml() + "  keyPrefix: \"" + prefix + "\"\n"
                + "  secret: jsr107-it-secret-5c0e91f2a7d3b8e4\n"
                + "caches:\n  sharedFailures: { store: redis, ttl: 1m }\n");
        try (TestRedis redis = servers.client()) {
            try {
                Result first = AppJvm.main(BlogApp.class).agentOptions("config=" + config).args("remote").run().assertSucceeded();
                assertEquals(1, first.intValue("remote.ran"), first.stderrText());
                assertEquals("no entry for gone/410 at remoteLookup", first.value("remote.outcome"));
                assertFalse(redis.keysWithPrefix(prefix).isEmpty(), "the exception is in Redis");
                Result second = AppJvm.main(BlogApp.class).agentOptions("config=" + config).args("remote").run().assertSucceeded();
                assertEquals(0, second.intValue("remote.ran"), "the other JVM's exception was thrown: " + second.stderrText());
                assertEquals("no entry for gone/410 at remoteLookup", second.value("remote.outcome"),
                        "its class, message, field and stack trace, read back from Redis");
            } finally {
                redis.deletePrefix(prefix);
            }
        }
    }

    @Test
    void privateSelfInvokedSkipGetDefaultNamesAndCacheSettings() {
        assertEquals("X/X,X/X", withAgent.value("private.result"));
        assertEquals(1, withAgent.intValue("private.ran"), "a private method called by its own class is cached");
        assertEquals("k#2", withAgent.value("skipGet.stampOf"), "skipGet ran each time and put its result");
        assertEquals("2,0", withAgent.value("skipGet.ran"));
        assertEquals(2, withAgent.intValue("defaultName.ran"), "the default name is Class.method(types), as the spec says");
        assertEquals("2,1", withAgent.value("cacheSettings.ran"), "caches: noNulls: { cacheNulls: false } applies to that cache only");
    }

    @Test
    void withoutTheAgentNothingIsCached() {
        Result plain = AppJvm.main(BlogApp.class).withoutAgent().run().assertSucceeded();
        assertEquals("[A1, A2, A2]", plain.value("shared.results"));
        assertEquals(4, plain.intValue("private.ran"));
        assertEquals(3, plain.intValue("defaultName.ran"));
        assertEquals(2, plain.intValue("exceptionCached.ran"));
        assertEquals("2,4", plain.value("exceptionTtl.ran"));
    }

    @Test
    void anInterceptorHostOnTheClassPathKeepsTheAnnotations() {
        URL host = Jsr107IT.class.getClassLoader().getResource("org/springframework/cache/jcache/interceptor/JCacheInterceptor.class");
        String jar = host.getPath().substring("file:".length(), host.getPath().indexOf("!/"));
        Result beside = AppJvm.main(BlogApp.class).config("jsr107.yml").classpath(Path.of(jar)).run().assertSucceeded();
        assertEquals("[A1, A2, A2]", beside.value("shared.results"), "the agent cached nothing");
        assertEquals(4, beside.intValue("private.ran"));
        String log = beside.stderrText();
        assertTrue(log.contains("are left to Spring's JCache support"), log);
        assertEquals(log.indexOf("are left to"), log.lastIndexOf("are left to"), "said once: " + log);
        assertFalse(withAgent.stderrText().contains("are left to"));
    }
}
