package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.jsr107.BlogApp;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JSR-107's annotations honoured by the agent with no container (issue 27): a plain application JVM with the
 * shaded agent, and the same application with Spring's JCache support on its class path, which the agent leaves
 * the annotations to. The TCK's own annotation tests run in the module integration-tests/jsr107-tck.
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
        assertEquals(2, withAgent.intValue("exceptions.ran"), "exceptions are not cached");
        assertTrue(withAgent.stderrText().contains("exceptionCacheName = \"failures\") is not honoured"), withAgent.stderrText());
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
