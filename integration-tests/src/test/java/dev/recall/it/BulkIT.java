package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.LineAppJvm.Reply;
import dev.recall.it.RedisTarget.Servers;
import dev.recall.it.app.bulk.BulkApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bulk methods ({@code @Cached(bulk = true)}, {@link BulkApp}) in application JVMs started with the real agent jar:
 * each call loads only the elements nobody holds, as the method's own record of what it was called with shows,
 * answers in the caller's order, shares its elements with the single-key method of the same cache, and loses only
 * the element an eviction names. On the local store (one JVM), on Redis and Memcached with one JVM and two, and on
 * two-level with two JVMs.
 */
class BulkIT {

    private final List<LineAppJvm> apps = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    private String report = "";

    @TempDir
    Path dir;

    @RegisterExtension
    final TestWatcher dumpOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.out.println("==== " + context.getDisplayName() + " failed; the application JVMs printed:\n" + report);
        }
    };

    @AfterEach
    void stop() {
        report = LineAppJvm.report(apps);
        cleanups.forEach(Runnable::run);
    }

    @Test
    void localStoreLoadsOnlyTheMissingElementsInTheCallersOrder() throws IOException {
        LineAppJvm a = start("A", config("store: local\n"));

        Reply first = a.ok("prices a,b,c");
        assertEquals("[a,b,c]", first.field("loaded"), first.line());
        assertEquals("LinkedHashMap", first.field("kind"));
        String va = price(first, "a");

        // Partial hit, a duplicate, the caller's order: only d runs, once, in a list of the caller's kind.
        Reply partial = a.ok("prices c,a,d,b,d");
        assertEquals("[d]", partial.field("loaded"), partial.line());
        assertEquals("ArrayList", partial.field("argkind"), partial.line());
        assertEquals(List.of("c", "a", "d", "b"), keys(partial), partial.line());
        assertEquals(va, price(partial, "a"));

        // A set in, a set to the body.
        Reply set = a.ok("priceset e,a");
        assertEquals("[e]", set.field("loaded"), set.line());
        assertEquals("LinkedHashSet", set.field("argkind"), set.line());

        // Absent elements are cached as absent (cacheNulls by default) and left out of the map.
        Reply absent = a.ok("prices x1,a");
        assertEquals("[x1]", absent.field("loaded"), absent.line());
        assertEquals(List.of("a"), keys(absent), absent.line());
        Reply absentAgain = a.ok("prices x1,a");
        assertEquals("", absentAgain.field("loaded"), absentAgain.line());
        assertEquals(List.of("a"), keys(absentAgain), absentAgain.line());

        // The single-key method of the cache reads the bulk method's elements, and the other way round.
        assertEquals("", a.ok("price a").field("loaded"));
        assertEquals("[f]", a.ok("price f").field("loaded"));
        assertEquals("", a.ok("prices f,a").field("loaded"));

        // An eviction of one element: only it is loaded again, with the new value.
        a.ok("dbset b 999");
        a.ok("evict b");
        Reply afterEvict = a.ok("prices a,b,c");
        assertEquals("[b]", afterEvict.field("loaded"), afterEvict.line());
        assertEquals("b:999", price(afterEvict, "b"));

        // A caller that changes what it got changes nobody else's values.
        a.ok("mutate a,b");
        Reply unchanged = a.ok("prices a,b");
        assertEquals(va, price(unchanged, "a"), unchanged.line());
        assertEquals("b:999", price(unchanged, "b"), unchanged.line());

        // The List method: aligned with its argument, duplicates and absent elements in place.
        Reply stock = a.ok("stock a,x2,a,b");
        assertEquals("[a,x2,b]", stock.field("loaded"), stock.line());
        assertEquals("ArrayList", stock.field("kind"));
        String cents = va.substring(2);
        assertEquals("[" + cents + ", null, " + cents + ", 999]", stock.value(), stock.line());
        Reply stock2 = a.ok("stock b,g,a");
        assertEquals("[g]", stock2.field("loaded"), stock2.line());
        assertTrue(stock2.value().matches("\\[999, \\d+, " + cents + "\\]"), stock2.line());

        // Two calls at once that share c3: every element is loaded once.
        Reply both = a.ok("parallel c1,c2,c3 c3,c4,c5");
        List<String> loaded = Arrays.stream(both.field("loaded").split(";")).map(s -> s.replaceAll("[\\[\\]]", ""))
                .flatMap(s -> Arrays.stream(s.split(","))).sorted().toList();
        assertEquals(List.of("c1", "c2", "c3", "c4", "c5"), loaded, both.line());

        // Hits and misses per element asked (distinct within a call); an element another call was loading is a miss.
        long hits = a.count("prices(java.util.Collection)", "HitCount");
        long misses = a.count("prices(java.util.Collection)", "MissCount");
        // misses: a,b,c | d | e | x1 | b after its eviction | c1,c2,c3 and c3,c4,c5
        assertEquals(3 + 1 + 1 + 1 + 1 + 6, misses);
        // hits: c,a,b | a | a | x1,a | f,a | a,c | mutate's a,b | a,b
        assertEquals(3 + 1 + 1 + 2 + 2 + 2 + 2 + 2, hits);
    }

    /**
     * One JVM on a shared store: every element it holds is read back from the store (there is no tier in the JVM) in one
     * multi-get, only the missing ones are loaded, in the caller's order, and an eviction drops only its element. On
     * Memcached, the server's own {@code get_hits} count the elements found, on a {@code memcached} of the test's own.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "memcached"})
    void oneJvmOnASharedStoreReadsHeldElementsAndLoadsOnlyTheMissing(String store) throws IOException {
        Shared shared = shared(store);
        LineAppJvm a = start("A", shared.config());
        shared.awaitUp(a);

        Reply first = a.ok("prices a,b,c");
        assertEquals("[a,b,c]", first.field("loaded"), first.line());
        long hits0 = shared.hits();
        Reply partial = a.ok("prices c,a,d,b,d");
        assertEquals("[d]", partial.field("loaded"), () -> "only d is loaded: a, b and c came from " + store + "\n" + partial.line()
                + "\nRemoteErrorCount=" + a.attr("prices(java.util.Collection)", "RemoteErrorCount"));
        assertEquals(List.of("c", "a", "d", "b"), keys(partial), partial.line());
        assertEquals(price(first, "a"), price(partial, "a"));
        shared.assertHits(hits0, 3, "c, a and b found in one multi-get; d missed and added");
        assertEquals(3, a.count("prices(java.util.Collection)", "RemoteHitCount"));

        long hits1 = shared.hits();
        Reply all = a.ok("prices d,c,b,a");
        assertEquals("", all.field("loaded"), all.line());
        assertEquals(List.of("d", "c", "b", "a"), keys(all), all.line());
        shared.assertHits(hits1, 4, "a whole hit: every element from the store");
        assertEquals(3 + 4, a.count("prices(java.util.Collection)", "RemoteHitCount"));

        // An eviction of one element: only it is loaded again, with the new value; the others still come from the store.
        a.ok("dbset b 999");
        a.ok("evict b");
        Reply afterEvict = a.ok("prices a,b,c");
        assertEquals("[b]", afterEvict.field("loaded"), afterEvict.line());
        assertEquals("b:999", price(afterEvict, "b"), afterEvict.line());
        assertEquals(price(first, "a"), price(afterEvict, "a"));
        assertEquals(3 + 4 + 2, a.count("prices(java.util.Collection)", "RemoteHitCount"));
        Reply again = a.ok("prices c,b,a");
        assertEquals("", again.field("loaded"), again.line());
        assertEquals("b:999", price(again, "b"), again.line());

        // The List method and the single-key method read the same elements.
        assertEquals("[a,x2,e]", a.ok("stock a,x2,e").field("loaded"));
        Reply stock = a.ok("stock e,a,x2,a");
        assertEquals("", stock.field("loaded"), stock.line());
        assertTrue(stock.value().matches("\\[\\d+, \\d+, null, \\d+\\]"), stock.line());
        assertEquals("", a.ok("price c").field("loaded"), "the single-key method reads the bulk method's element");
        assertEquals(0, a.count("prices(java.util.Collection)", "ErrorCount"));
        assertEquals(0, a.count("prices(java.util.Collection)", "RemoteErrorCount"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "two-level", "memcached"})
    void twoJvmsShareElementsAndAnEvictionDropsOnlyItsOwn(String store) throws IOException {
        Shared sharedStore = shared(store);
        LineAppJvm a = start("A", sharedStore.config());
        LineAppJvm b = start("B", sharedStore.config());
        sharedStore.awaitUp(a, b);

        Reply first = a.ok("prices a,b,c");
        assertEquals("[a,b,c]", first.field("loaded"), first.line());
        long hits0 = sharedStore.hits();
        Reply shared = b.ok("prices c,d,a,b,d");
        assertEquals("[d]", shared.field("loaded"), "B loads only d: a, b and c came from " + store + "\n" + shared.line());
        assertEquals(List.of("c", "d", "a", "b"), keys(shared), shared.line());
        assertEquals(price(first, "a"), price(shared, "a"));
        sharedStore.assertHits(hits0, 3, "B found A's c, a and b in one multi-get");
        assertEquals(3, b.count("prices(java.util.Collection)", "RemoteHitCount"));
        assertEquals("", a.ok("prices d,b").field("loaded"), "A reads B's d");

        // A writer on A changes b and evicts it: B loads b only, and sees the new value.
        a.ok("dbset b 777");
        a.ok("evict b");
        long hits1 = sharedStore.hits();
        long remoteHits1 = b.count("prices(java.util.Collection)", "RemoteHitCount");
        Reply afterEvict = awaitLoaded(b, "prices a,b,c,d", "[b]");
        assertEquals("b:777", price(afterEvict, "b"), afterEvict.line());
        if (!store.equals("two-level")) {
            // Memcached finds the four keys, b's being the eviction's tombstone, and b's fill reads it once more (gets,
            // then cas over exactly it); the agent counts the three it served.
            sharedStore.assertHits(hits1, 4 + 1, "a, c and d served, b's tombstone read and replaced");
            assertEquals(remoteHits1 + 3, b.count("prices(java.util.Collection)", "RemoteHitCount"));
        }
        assertEquals("", a.ok("prices a,b,c,d").field("loaded"), "A reads the b that B loaded");

        // Absent elements: loaded once, on one JVM, and absent on both.
        Reply absent = a.ok("prices x9,a");
        assertEquals("[x9]", absent.field("loaded"), absent.line());
        Reply absentOnB = b.ok("prices x9,c");
        assertEquals("", absentOnB.field("loaded"), absentOnB.line());
        assertEquals(List.of("c"), keys(absentOnB));

        // The List method and the single-key method, across the JVMs.
        assertEquals("[a,x2,e]", a.ok("stock a,x2,e").field("loaded"));
        Reply stockB = b.ok("stock e,a,x2,a");
        assertEquals("", stockB.field("loaded"), stockB.line());
        assertTrue(stockB.value().matches("\\[\\d+, \\d+, null, \\d+\\]"), stockB.line());
        assertEquals("", b.ok("price c").field("loaded"), "the single-key method reads A's element");
        assertEquals(0, b.count("prices(java.util.Collection)", "ErrorCount"));
        assertEquals(0, a.count("prices(java.util.Collection)", "ErrorCount"));
    }

    /**
     * A shared store of the test's own: Redis under a key prefix of its own (deleted after), or a {@code memcached}
     * process of its own (stopped after), so that its {@code stats} count this test's reads only.
     */
    private Shared shared(String store) throws IOException {
        String prefix = "recall-it-bulk-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        // A timeout well over the default 50 ms: a JVM's first multi-get and fills load their classes within the
        // command's wait, which on a loaded machine can take longer, and a timed-out read is a miss (by design).
        String common = "  timeout: 1s\n  keyPrefix: \"" + prefix + "\"\n  secret: " + RedisStoreIT.SECRET + "\n  allowClasses: [dev.recall.it.**]\n";
        if (store.equals("memcached")) {
            ConsistencyIT.MemcachedProcess memcached = ConsistencyIT.MemcachedProcess.start(dir.resolve("memcached"));
            cleanups.add(memcached::kill);
            return new Shared(config("store: memcached\nmemcached:\n  servers: [127.0.0.1:" + memcached.port() + "]\n" + common),
                    "MemcachedState", memcached.port());
        }
        Servers servers = RedisTarget.SINGLE.servers("BulkIT");
        cleanups.add(() -> {
            try (TestRedis redis = servers.client()) {
                redis.deletePrefix(prefix);
            }
        });
        return new Shared(config("store: " + store + "\nredis:\n" + servers.yaml() + common + "near:\n  ttl: 10s\n"), "RedisState", -1);
    }

    /** @param memcachedPort the test's own memcached, whose {@code get_hits} are read; -1 on Redis (shared: not read) */
    private record Shared(Path config, String stateAttribute, int memcachedPort) {

        void awaitUp(LineAppJvm... jvms) {
            for (LineAppJvm app : jvms) {
                app.awaitAttr("agent", stateAttribute, "UP"::equals, Duration.ofSeconds(15));
            }
        }

        /** Memcached's {@code get_hits}: keys found by get, multi-get and gets (the agent's generation reads miss). */
        long hits() throws IOException {
            if (memcachedPort < 0) {
                return 0;
            }
            try (MemcachedEncryptionIT.Memcached mc = new MemcachedEncryptionIT.Memcached("127.0.0.1:" + memcachedPort)) {
                return Long.parseLong(mc.stats().get("get_hits"));
            }
        }

        void assertHits(long before, long expected, String what) throws IOException {
            if (memcachedPort >= 0) {
                assertEquals(expected, hits() - before, "Memcached's get_hits: " + what);
            }
        }
    }

    /** Calls until the call loads {@code expected} (another JVM's eviction reaches a near cache a moment later). */
    private static Reply awaitLoaded(LineAppJvm app, String command, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Reply r;
        do {
            r = app.ok(command);
            if (r.field("loaded").equals(expected)) {
                return r;
            }
            assertEquals("", r.field("loaded"), "before the eviction arrives, nothing is loaded: " + r.line());
            LineAppJvm.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(app.name() + ": " + command + " never loaded " + expected + ": " + r.line());
    }

    /** The keys of a Map answer {@code {a=a:101, b=b:102}}, in its order. */
    private static List<String> keys(Reply r) {
        String v = r.value();
        String body = v.substring(1, v.length() - 1);
        if (body.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(body.split(", ")).map(e -> e.substring(0, e.indexOf('='))).toList();
    }

    /** {@code sku:cents} of one key of a Map answer. */
    private static String price(Reply r, String sku) {
        String v = r.value();
        for (String e : v.substring(1, v.length() - 1).split(", ")) {
            if (e.startsWith(sku + "=")) {
                return e.substring(sku.length() + 1);
            }
        }
        throw new AssertionError("no " + sku + " in " + r.line());
    }

    private LineAppJvm start(String name, Path config) throws IOException {
        LineAppJvm app = LineAppJvm.start(name, BulkApp.class, config, Files.createDirectories(dir.resolve("db")));
        apps.add(app);
        return app;
    }

    private Path config(String yaml) throws IOException {
        Path file = dir.resolve("bulk-" + Integer.toHexString(yaml.hashCode()) + ".yml");
        Files.writeString(file, yaml);
        return file;
    }
}
