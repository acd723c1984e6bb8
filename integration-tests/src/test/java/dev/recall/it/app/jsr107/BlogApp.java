package dev.recall.it.app.jsr107;

import dev.recall.it.app.Counter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/**
 * JSR-107's annotations with no container: a plain object, called directly, private methods and calls to itself
 * included. Prints what each call returned and how often each body ran ({@link Counter}); Jsr107IT runs it with
 * the agent, without it, and beside an interceptor host.
 */
@CacheDefaults(cacheName = "blog")
public class BlogApp {

    /** The system of record. */
    private final Map<String, String> bodies = new ConcurrentHashMap<>();

    @CacheResult
    public String entry(String title) {
        Counter.ran("entry");
        return bodies.get(title);
    }

    /** Names the same cache (the class's default) with the title as its only key: shares entry's entries. */
    @CacheResult
    public String entryFor(String reader, @CacheKey String title, int attempt) {
        Counter.ran("entryFor");
        return bodies.get(title);
    }

    @CachePut
    public void save(String title, @CacheValue String body) {
        bodies.put(title, body);
    }

    @CacheRemove
    public void delete(String title) {
        bodies.remove(title);
    }

    /** Evicts after an IllegalStateException (the delete happened), not after an IllegalArgumentException. */
    @CacheRemove(evictFor = IllegalStateException.class)
    public void deleteThenFail(@CacheKey String title, boolean deleted) {
        if (deleted) {
            bodies.remove(title);
            throw new IllegalStateException("deleted, then the notification failed");
        }
        throw new IllegalArgumentException("refused before deleting");
    }

    /** Puts the value even when the write reports an IOException after it happened; never after anything else. */
    @CachePut(cacheFor = IOException.class)
    public void saveThenFail(@CacheKey String title, @CacheValue String body, boolean written) throws IOException {
        if (written) {
            bodies.put(title, body);
            throw new IOException("written, then the log failed");
        }
        throw new IllegalStateException("not written");
    }

    @CacheRemoveAll
    public void clear() {
        Counter.ran("clear");
    }

    /** Self-invocation of a private cached method, which no proxy can intercept. */
    public String summary(String title) {
        return digest(title) + "/" + digest(title);
    }

    @CacheResult(cacheName = "digests")
    private String digest(String title) {
        Counter.ran("digest");
        return title.toUpperCase();
    }

    /** skipGet: always runs and puts what it returns, for stampOf to read. */
    @CacheResult(cacheName = "stamps", skipGet = true)
    public String stamp(String key) {
        Counter.ran("stamp");
        return key + "#" + Counter.count("stamp");
    }

    @CacheResult(cacheName = "stamps")
    public String stampOf(String key) {
        Counter.ran("stampOf");
        return "none";
    }

    /** exceptionCacheName is not honoured (Recall caches results, not exceptions): each failing call runs. */
    @CacheResult(cacheName = "failing", exceptionCacheName = "failures")
    public String failing(String key) {
        Counter.ran("failing");
        throw new IllegalStateException("fails");
    }

    /** The default cache name, from the method, named by a removal in another method. */
    public static class DefaultNamed {
        @CacheResult
        public String of(String key) {
            Counter.ran("defaultNamed");
            return "v-" + key;
        }

        @CacheRemove(cacheName = "dev.recall.it.app.jsr107.BlogApp$DefaultNamed.of(java.lang.String)")
        public void drop(String key) {
        }
    }

    /** Its cache's settings come from caches: in the YAML (cacheNulls: false). */
    @CacheResult(cacheName = "noNulls")
    public String missing(String key) {
        Counter.ran("missing");
        return null;
    }

    /** A cache with no entry under caches: keeps the defaults (nulls cached). */
    @CacheResult(cacheName = "nulls")
    public String missingCached(String key) {
        Counter.ran("missingCached");
        return null;
    }

    public static void main(String[] args) throws Exception {
        BlogApp app = new BlogApp();
        List<String> shared = new ArrayList<>();
        app.bodies.put("a", "A1");
        shared.add(app.entry("a"));
        app.bodies.put("a", "A2"); // behind the cache's back: a cached read still says A1
        shared.add(app.entryFor("ann", "a", 1));
        shared.add(app.entryFor("bob", "a", 2));
        Counter.print("shared.results", shared);
        Counter.print("shared.entry", Counter.count("entry"));
        Counter.print("shared.entryFor", Counter.count("entryFor"));

        app.save("a", "A3");
        Counter.print("put.result", app.entryFor("cy", "a", 3));
        app.delete("a");
        Counter.print("removed.result", app.entry("a"));
        Counter.print("removed.entry", Counter.count("entry"));

        app.save("b", "B1");
        try {
            app.deleteThenFail("b", false);
        } catch (IllegalArgumentException expected) {
            // not in evictFor: the entry stays
        }
        Counter.print("notEvicted.result", app.entry("b"));
        try {
            app.deleteThenFail("b", true);
        } catch (IllegalStateException expected) {
            // in evictFor: the entry goes
        }
        Counter.print("evictedOnException.result", app.entry("b"));

        try {
            app.saveThenFail("c", "C1", true);
        } catch (IOException expected) {
            // in cacheFor: the value is put all the same
        }
        int before = Counter.count("entry");
        Counter.print("putOnException.result", app.entry("c"));
        Counter.print("putOnException.ran", Counter.count("entry") - before);
        try {
            app.saveThenFail("c", "C2", false);
        } catch (IllegalStateException expected) {
            // not in cacheFor: the key is invalidated (the write may or may not have happened)
        }
        before = Counter.count("entry");
        Counter.print("notPutOnException.result", app.entry("c"));
        Counter.print("notPutOnException.ran", Counter.count("entry") - before);

        app.clear();
        before = Counter.count("entry");
        app.entry("c");
        Counter.print("afterClear.ran", Counter.count("entry") - before);

        Counter.print("private.result", app.summary("x") + "," + app.summary("x"));
        Counter.print("private.ran", Counter.count("digest"));

        app.stamp("k");
        app.stamp("k");
        Counter.print("skipGet.stampOf", app.stampOf("k"));
        Counter.print("skipGet.ran", Counter.count("stamp") + "," + Counter.count("stampOf"));

        for (int i = 0; i < 2; i++) {
            try {
                app.failing("f");
            } catch (IllegalStateException expected) {
                // passed through
            }
        }
        Counter.print("exceptions.ran", Counter.count("failing"));

        DefaultNamed named = new DefaultNamed();
        named.of("d");
        named.of("d");
        named.drop("d");
        named.of("d");
        Counter.print("defaultName.ran", Counter.count("defaultNamed"));

        app.missing("m");
        app.missing("m");
        app.missingCached("m");
        app.missingCached("m");
        Counter.print("cacheSettings.ran", Counter.count("missing") + "," + Counter.count("missingCached"));
    }
}
