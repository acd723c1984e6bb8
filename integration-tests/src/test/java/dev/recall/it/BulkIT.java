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
 * the element an eviction names. On the local store (one JVM), and on Redis and two-level with two JVMs.
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "two-level"})
    void twoJvmsShareElementsAndAnEvictionDropsOnlyItsOwn(String store) throws IOException {
        Servers servers = RedisTarget.SINGLE.servers("BulkIT");
        String prefix = "recall-it-bulk-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        cleanups.add(() -> {
            try (TestRedis redis = servers.client()) {
                redis.deletePrefix(prefix);
            }
        });
        Path config = config("store: " + store + "\nredis:\n" + servers.yaml() + "  keyPrefix: \"" + prefix + "\"\n"
                + "  secret: " + RedisStoreIT.SECRET + "\n  allowClasses: [dev.recall.it.**]\nnear:\n  ttl: 10s\n");
        LineAppJvm a = start("A", config);
        LineAppJvm b = start("B", config);
        for (LineAppJvm app : List.of(a, b)) {
            app.awaitRedisState(Duration.ofSeconds(15), "UP");
        }

        Reply first = a.ok("prices a,b,c");
        assertEquals("[a,b,c]", first.field("loaded"), first.line());
        Reply shared = b.ok("prices c,d,a,b,d");
        assertEquals("[d]", shared.field("loaded"), "B loads only d: a, b and c came from Redis\n" + shared.line());
        assertEquals(List.of("c", "d", "a", "b"), keys(shared), shared.line());
        assertEquals(price(first, "a"), price(shared, "a"));
        assertEquals("", a.ok("prices d,b").field("loaded"), "A reads B's d");

        // A writer on A changes b and evicts it: B loads b only, and sees the new value.
        a.ok("dbset b 777");
        a.ok("evict b");
        Reply afterEvict = awaitLoaded(b, "prices a,b,c,d", "[b]");
        assertEquals("b:777", price(afterEvict, "b"), afterEvict.line());
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
