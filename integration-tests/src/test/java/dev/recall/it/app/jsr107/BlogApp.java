package dev.recall.it.app.jsr107;

import dev.recall.it.app.Counter;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.GeneratedCacheKey;
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

    /** An exception of the application's with state of its own: a cached one carries its code. */
    public static class LookupFailed extends RuntimeException {
        private final int code;

        public LookupFailed(String key, int code) {
            super("no entry for " + key);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** Computes its message, so what Throwable holds cannot be copied: never cached, the method runs each time. */
    public static class Opaque extends RuntimeException {
        @Override
        public String getMessage() {
            return "opaque";
        }
    }

    /**
     * Exceptions cached in "failures" under the key and thrown again without running, except the
     * IllegalArgumentException of a malformed key; results in "lookups", which publish() writes.
     */
    @CacheResult(cacheName = "lookups", exceptionCacheName = "failures", nonCachedExceptions = IllegalArgumentException.class)
    public String lookup(String key) {
        Counter.ran("lookup");
        if (key.startsWith("bad")) {
            throw new IllegalArgumentException("malformed key " + key);
        }
        if (key.startsWith("opaque")) {
            throw new Opaque();
        }
        String body = bodies.get(key);
        if (body == null) {
            throw new LookupFailed(key, 404);
        }
        return body;
    }

    @CachePut(cacheName = "lookups")
    public void publish(String key, @CacheValue String body) {
        bodies.put(key, body);
    }

    /** Its exception cache lives one second (caches: shortFailures: { ttl: 1s }), then the method runs again. */
    @CacheResult(cacheName = "flaky", exceptionCacheName = "shortFailures", cachedExceptions = LookupFailed.class)
    public String flaky(String key) {
        Counter.ran("flaky");
        String body = bodies.get(key);
        if (body == null) {
            throw new LookupFailed(key, 503);
        }
        return body;
    }

    /** Its exception cache is in Redis when the file says caches: sharedFailures: { store: redis }. */
    @CacheResult(cacheName = "remoteLookups", exceptionCacheName = "sharedFailures")
    public String remoteLookup(String key) {
        Counter.ran("remoteLookup");
        throw new LookupFailed(key, 410);
    }

    /** A key generator of the application's, which the agent does not run: it leaves the method uncached, saying why. */
    public static class TitleKeys implements CacheKeyGenerator {
        @Override
        public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
            throw new UnsupportedOperationException("no container here calls it");
        }
    }

    @CacheResult(cacheName = "generated", cacheKeyGenerator = TitleKeys.class)
    public String generated(String key) {
        Counter.ran("generated");
        return key;
    }

    /** A resolver factory of the application's, which the agent does not run either. */
    public static class OwnResolvers implements CacheResolverFactory {
        @Override
        public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
            throw new UnsupportedOperationException("no container here calls it");
        }

        @Override
        public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
            throw new UnsupportedOperationException("no container here calls it");
        }
    }

    /** Defaults naming a resolver factory of the application's: the method is left uncached. */
    @CacheDefaults(cacheName = "resolved", cacheResolverFactory = OwnResolvers.class)
    public static class Resolved {
        @CacheResult
        public String read(String key) {
            Counter.ran("resolved");
            return key;
        }
    }

    /** What {@code call} threw, which must be a {@code type}. */
    private static <T extends Throwable> T failure(Class<T> type, Runnable call) {
        try {
            call.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw new AssertionError("threw " + t + " instead of a " + type.getName(), t);
        }
        throw new AssertionError("returned instead of throwing a " + type.getName());
    }

    /** With an argument: only the Redis-held exception cache, whose entries another run of this class reads. */
    private static void remote(BlogApp app) {
        LookupFailed e = failure(LookupFailed.class, () -> app.remoteLookup("gone"));
        Counter.print("remote.outcome", e.getMessage() + "/" + e.code() + " at " + e.getStackTrace()[0].getMethodName());
        Counter.print("remote.ran", Counter.count("remoteLookup"));
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
        if (args.length > 0) {
            remote(app);
            return;
        }
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

        LookupFailed first = failure(LookupFailed.class, () -> app.lookup("x"));
        LookupFailed second = failure(LookupFailed.class, () -> app.lookup("x"));
        Counter.print("exceptionCached.ran", Counter.count("lookup"));
        Counter.print("exceptionCached.second", second.getMessage() + "/" + second.code());
        Counter.print("exceptionCached.copy", (first != second) + "," + Arrays.equals(first.getStackTrace(), second.getStackTrace()));
        before = Counter.count("lookup");
        failure(IllegalArgumentException.class, () -> app.lookup("bad1"));
        failure(IllegalArgumentException.class, () -> app.lookup("bad1"));
        Counter.print("nonCached.ran", Counter.count("lookup") - before);
        before = Counter.count("lookup");
        failure(LookupFailed.class, () -> app.lookup("y"));
        app.publish("y", "Y1");
        Counter.print("resultAfterException.result", app.lookup("y") + "," + app.lookup("y"));
        Counter.print("resultAfterException.ran", Counter.count("lookup") - before);
        before = Counter.count("lookup");
        failure(Opaque.class, () -> app.lookup("opaque1"));
        failure(Opaque.class, () -> app.lookup("opaque1"));
        Counter.print("uncopyable.ran", Counter.count("lookup") - before);

        failure(LookupFailed.class, () -> app.flaky("z"));
        failure(LookupFailed.class, () -> app.flaky("z"));
        String ranWhileCached = String.valueOf(Counter.count("flaky"));
        app.bodies.put("z", "Z1");
        Thread.sleep(1_500); // past the exception cache's ttl of 1s
        Counter.print("exceptionTtl.result", app.flaky("z") + "," + app.flaky("z"));
        Counter.print("exceptionTtl.ran", ranWhileCached + "," + Counter.count("flaky"));

        app.generated("g");
        app.generated("g");
        Counter.print("keyGenerator.ran", Counter.count("generated"));
        Resolved resolved = new Resolved();
        resolved.read("r");
        resolved.read("r");
        Counter.print("resolverFactory.ran", Counter.count("resolved"));

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
