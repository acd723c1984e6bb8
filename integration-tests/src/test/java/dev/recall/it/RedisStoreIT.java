package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.LineAppJvm.Reply;
import dev.recall.it.app.redis.RedisApp;
import dev.recall.it.RedisTarget.Servers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Redis store (the contract's "Stores: local, Redis, two-level") in application JVMs started with the
 * real agent jar, against a real Redis: one server ({@code REDIS_URL}) and a Redis Cluster
 * ({@code REDIS_CLUSTER_NODES}). Outages are made with a {@link TcpProxy} between one application and the
 * single server, so the shared server is never stopped; a cluster's redirections name its real ports, so
 * the outage tests run on the single server only.
 *
 * <p>Every test has its own {@code keyPrefix}, so the JDK 17 and newest-JDK passes, and anything else using
 * the same Redis, never see each other's keys; its keys are deleted afterwards.
 */
class RedisStoreIT {

    static final String SECRET = "recall-it-secret-" + "5b0c2f7e9d1a4c3b";
    /** Per command, as the contract's example; the outage tests depend on it being short. */
    static final String TIMEOUT = "50ms";

    private final List<LineAppJvm> apps = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    private String prefix;
    private String testName;
    private String report;

    @TempDir
    Path dir;

    /** Prints what every application JVM of a failed test printed (its agent's log is on stderr). */
    @RegisterExtension
    final TestWatcher dumpOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.out.println("==== " + context.getDisplayName() + " failed; the application JVMs printed:\n" + report);
        }
    };

    @BeforeEach
    void name(TestInfo info) {
        testName = "RedisStoreIT." + info.getTestMethod().map(m -> m.getName()).orElse("?") + " [" + info.getDisplayName() + "]";
        prefix = "recall-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    @AfterEach
    void stopApps() {
        report = LineAppJvm.report(apps);
        for (Runnable r : cleanups) {
            r.run();
        }
    }

    // ---- a. one Redis shared by two JVMs ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(RedisTarget.class)
    void aValueLoadedByOneJvmIsAHitOnAnother(RedisTarget target) throws IOException {
        Servers servers = servers(target);
        Path config = config("redis", servers.yaml(), SECRET);
        Path db = db();
        LineAppJvm a = start("A", config, db);
        LineAppJvm b = start("B", config, db);
        awaitUp(a, b);

        try (TestRedis redis = servers.client()) {
            Reply loaded = a.ok("product 1");
            assertEquals(1, loaded.calls());
            assertTrue(loaded.ok(), loaded.line());
            Reply basket = a.ok("basket alice@example.com");
            assertEquals(1, basket.calls());
            assertEquals(1, entryKeys(redis, prefix + "products:").size(), redis.keysWithPrefix(prefix).toString());
            assertEquals(1, entryKeys(redis, prefix + "baskets:").size(), redis.keysWithPrefix(prefix).toString());

            Reply shared = b.ok("product 1");
            assertEquals(0, shared.calls(), "B's method body did not run: the value came from Redis\n" + shared.line());
            assertTrue(shared.ok(), "the record came back equal: " + shared.line());
            assertEquals(loaded.value(), shared.value());
            Reply sharedBasket = b.ok("basket alice@example.com");
            assertEquals(0, sharedBasket.calls(), sharedBasket.line());
            assertTrue(sharedBasket.ok(), "the plain, non-Serializable class came back equal: " + sharedBasket.line());
            assertEquals(basket.value(), sharedBasket.value(), "same field values and the same collection classes");

            assertEquals(1, b.count("product(long)", "RemoteHitCount"));
            assertEquals(1, b.count("basket(java.lang.String)", "RemoteHitCount"));
            assertEquals(0, b.count("product(long)", "RemoteMissCount"));
            assertTrue(a.count("product(long)", "RemoteMissCount") >= 1, "A's load was a remote miss");
            assertEquals(0, a.count("product(long)", "RemoteHitCount"));
            assertEquals(0, a.count("product(long)", "RemoteErrorCount"));
            assertEquals(0, b.count("product(long)", "RemoteErrorCount"));
            assertEquals(0, b.count("product(long)", "RejectedEntries"));
        }
    }

    // ---- b. two-level: a write on one JVM reaches the other's near cache ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(RedisTarget.class)
    void twoLevelNearCachesAreInvalidatedByAnotherJvmsWrites(RedisTarget target) throws IOException {
        Servers servers = servers(target);
        Path config = config("two-level", servers.yaml(), SECRET);
        Path db = db();
        LineAppJvm a = start("A", config, db);
        LineAppJvm b = start("B", config, db);
        awaitUp(a, b);

        // B holds product 2 in its near cache (once its subscription is live, it keeps what it reads).
        a.ok("product 2");
        a.ok("product 3");
        awaitNearHit(b, "product 2");
        awaitNearHit(b, "product 3");

        // A write-through on A...
        a.ok("save 2 renamed-by-A 20.50");
        Duration seen = awaitName(b, "product 2", "renamed-by-A", Duration.ofSeconds(1));
        neverOld(b, "product 2", "renamed-by-A");
        assertEquals("renamed-by-A", a.ok("product 2").name(), "the writer reads its own write");

        // ...and an eviction on A after another service changed the row.
        a.ok("dbset 3 changed-in-db");
        a.ok("evict 3");
        Duration seenEvict = awaitName(b, "product 3", "changed-in-db", Duration.ofSeconds(1));
        neverOld(b, "product 3", "changed-in-db");
        System.out.printf("%s: B saw A's write after %d ms, A's eviction after %d ms%n", testName, seen.toMillis(),
                seenEvict.toMillis());
    }

    // ---- c. a value changed in Redis by someone without the secret ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(RedisTarget.class)
    void aTamperedValueIsRejectedAndTheMethodRuns(RedisTarget target) throws IOException {
        Servers servers = servers(target);
        LineAppJvm a = start("A", config("redis", servers.yaml(), SECRET), db());
        awaitUp(a);
        try (TestRedis redis = servers.client()) {
            assertEquals(1, a.ok("product 4").calls());
            String key4 = onlyKey(redis, prefix + "products:");
            byte[] genuine = redis.get(key4);
            assertNotNull(genuine);
            // A hit first: the genuine value is opened, and remembered as opened, before it is changed.
            assertEquals(1, a.ok("product 4").calls());

            // One bit flipped in the last byte of the payload.
            byte[] flipped = genuine.clone();
            flipped[flipped.length - 1] ^= 0x01;
            redis.setKeepTtl(key4, flipped);
            Reply afterFlip = a.ok("product 4");
            assertEquals(2, afterFlip.calls(), "the tampered value was not used: the method ran\n" + afterFlip.line());
            assertTrue(afterFlip.ok(), afterFlip.line());
            long rejected = a.count("product(long)", "RejectedEntries");
            assertTrue(rejected >= 1, "RejectedEntries counted it: " + rejected);
            assertArrayEquals(Seal.open(SECRET, key4, genuine).payload(), Seal.open(SECRET, key4, redis.get(key4)).payload(),
                    "the method's result replaced the tampered value");
            assertEquals(2, a.ok("product 4").calls(), "and it is a hit again");

            // A genuine value moved to another key: signed, but not for that key.
            assertEquals(3, a.ok("product 5").calls());
            Set<String> keys = new HashSet<>(entryKeys(redis, prefix + "products:"));
            keys.remove(key4);
            String key5 = keys.iterator().next();
            redis.setKeepTtl(key5, genuine);
            Reply moved = a.ok("product 5");
            assertEquals(4, moved.calls(), "product 4's entry under product 5's key was refused\n" + moved.line());
            assertTrue(moved.ok() && moved.name().equals("product-5"), moved.line());
            assertTrue(a.count("product(long)", "RejectedEntries") > rejected, "counted again");
            assertEquals(0, a.count("product(long)", "ErrorCount"), "a rejection is not an agent failure");
        }
        Result r = a.stop();
        assertTrue(r.stderr().stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace for an expected rejection\n" + r);
        assertFalse(r.stderrMatching("refused and not deserialized").isEmpty(), "the refusal is reported\n" + r);
    }

    /**
     * A replay: an old signed value, saved by someone with access to Redis and put back at its own key
     * after a newer write. Signed and at the right key, but older than what this JVM wrote there.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(RedisTarget.class)
    void anOldSignedValuePutBackAtItsKeyIsRefused(RedisTarget target) throws IOException {
        Servers servers = servers(target);
        LineAppJvm a = start("A", config("redis", servers.yaml(), SECRET), db());
        awaitUp(a);
        try (TestRedis redis = servers.client()) {
            assertEquals("product-6", a.ok("product 6").name());
            String key = onlyKey(redis, prefix + "products:");
            byte[] old = redis.get(key);
            LineAppJvm.sleep(1_200); // older than the clock skew the agent allows between JVMs (1 s)
            a.ok("save 6 renamed 9.99");
            assertEquals("renamed", a.ok("product 6").name());
            redis.setKeepTtl(key, old);
            Reply replayed = a.ok("product 6");
            assertEquals("renamed", replayed.name(), "the replayed value was refused, the method ran\n" + replayed.line());
            assertTrue(a.count("product(long)", "RejectedEntries") >= 1, "counted as rejected");
        }
        Result r = a.stop();
        assertFalse(r.stderrMatching("a replay").isEmpty(), "the refusal says why\n" + r);
    }

    /** A value far over redis.maxValueSize at an entry's key: only its first bytes are read, and the call is a miss. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(RedisTarget.class)
    void aValueOverMaxValueSizeIsNotReadAndTheMethodRuns(RedisTarget target) throws IOException {
        Servers servers = servers(target);
        LineAppJvm a = start("A", config("redis", servers.yaml() + "  maxValueSize: 64kb\n", SECRET), db());
        awaitUp(a);
        try (TestRedis redis = servers.client()) {
            assertEquals(1, a.ok("product 8").calls());
            String key = onlyKey(redis, prefix + "products:");
            redis.setKeepTtl(key, new byte[8 * 1024 * 1024]);
            long errors = a.count("product(long)", "RemoteErrorCount");
            Reply r = a.ok("product 8");
            assertEquals(2, r.calls(), "the 8 MB value was not used: the method ran\n" + r.line());
            assertTrue(r.ok(), r.line());
            assertTrue(a.count("product(long)", "RemoteErrorCount") > errors, "counted as a remote error");
        }
        Result r = a.stop();
        assertFalse(r.stderrMatching("over redis.maxValueSize").isEmpty(), "said once\n" + r);
    }

    // ---- d. a value naming a class outside the allowlist ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(RedisTarget.class)
    void aValueNamingAClassOutsideTheAllowlistIsNeverLoaded(RedisTarget target) throws IOException {
        Servers servers = servers(target);
        Path classLog = dir.resolve("classes.log");
        LineAppJvm a = start("A", config("redis", servers.yaml(), SECRET), db(),
                "-Xlog:class+load=info:file=" + classLog);
        awaitUp(a);
        try (TestRedis redis = servers.client()) {
            assertEquals(1, a.ok("product 5").calls());
            String key = onlyKey(redis, prefix + "products:");
            byte[] genuine = redis.get(key);
            byte[] keyBytes = key.getBytes(StandardCharsets.ISO_8859_1);

            // The test encrypts exactly as the agent does: its own HKDF and AES-GCM open the genuine value (the tag
            // checks out under the key name), so the values it seals below are what an agent with the secret writes.
            Seal seal = Seal.open(SECRET, key, genuine);
            assertTrue(new String(seal.payload, StandardCharsets.ISO_8859_1).contains("product-5"),
                    "the test's reading of the envelope (EntrySeal) matches the agent's");
            assertFalse(new String(genuine, StandardCharsets.ISO_8859_1).contains("product-5"), "encrypted in Redis");

            // Positive control: a value signed with the secret is trusted (whoever has it can write values).
            byte[] forged = replaceOnce(seal.payload, "product-5", "PRODUCT-5");
            redis.setKeepTtl(key, seal.resealed(SECRET, keyBytes, forged));
            Reply trusted = a.ok("product 5");
            assertEquals("PRODUCT-5", trusted.name(), "a correctly signed value is read: " + trusted.line());
            assertEquals(1, trusted.calls());
            long rejected = a.count("product(long)", "RejectedEntries");
            assertEquals(0, rejected);

            int calls = 1;
            List<byte[]> hostile = List.of(
                    // not encrypted at all
                    seal.unsigned(gadgetPayload("dev.recall.gadget.Gadget")),
                    // encrypted, but under another secret
                    seal.resealed("not-the-secret-of-this-app", keyBytes, gadgetPayload("dev.recall.gadget.Gadget")),
                    // correctly signed, naming an application class outside allowClasses
                    seal.resealed(SECRET, keyBytes, gadgetPayload("dev.recall.gadget.Gadget")),
                    // correctly signed, naming a JDK class that is not a value type
                    seal.resealed(SECRET, keyBytes, gadgetPayload("java.util.concurrent.ThreadPoolExecutor")));
            for (byte[] value : hostile) {
                redis.setKeepTtl(key, value);
                Reply r = a.ok("product 5");
                calls++;
                assertEquals(calls, r.calls(), "the method ran instead\n" + r.line());
                assertTrue(r.ok() && r.name().equals("product-5"), r.line());
                long now = a.count("product(long)", "RejectedEntries");
                assertTrue(now > rejected, "RejectedEntries went up: " + now);
                rejected = now;
            }
        }
        Result r = a.stop();
        assertTrue(r.stdout().stream().noneMatch(l -> l.contains("GADGET")), "never initialized or instantiated\n" + r);
        String loaded = Files.readString(classLog);
        assertTrue(loaded.contains("dev.recall.it.app.redis.Product "), "the class-load log works: " + classLog);
        assertFalse(loaded.contains("dev.recall.gadget.Gadget"), "the gadget class was never even loaded");
        List<String> refusals = r.stderrMatching("refused and not deserialized");
        assertFalse(refusals.isEmpty(), "the refusal is reported\n" + r);
        assertTrue(r.stderrText().contains("dev.recall.gadget.Gadget"), "the report names the refused class\n" + r);
    }

    // ---- e. what Redis holds: prefixed keys, no argument in plain text ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(RedisTarget.class)
    void keysCarryThePrefixAndNoArgument(RedisTarget target) throws IOException {
        Servers servers = servers(target);
        try (TestRedis redis = servers.client()) {
            Set<String> before = new HashSet<>(redis.keys("*"));
            LineAppJvm a = start("A", config("two-level", servers.yaml(), SECRET), db());
            awaitUp(a);
            a.ok("basket alice@example.com");
            a.ok("card 4111111111111111");
            a.ok("product 4111111111111111");
            a.ok("save 4111111111111111 renamed 1.00");
            a.ok("evict 77");
            a.ok("product 7");
            a.stop();

            List<String> all = redis.keys("*");
            List<String> added = all.stream().filter(k -> !before.contains(k)).sorted().collect(Collectors.toList());
            assertTrue(added.size() >= 4, "entries for baskets, cards, products: " + added);
            for (String key : added) {
                assertTrue(key.startsWith(prefix), "every key written starts with the keyPrefix " + prefix + ": " + key);
            }
            for (String secret : List.of("alice", "example.com", "4111111111111111", "4111")) {
                List<String> leaking = all.stream().filter(k -> k.contains(secret)).collect(Collectors.toList());
                assertTrue(leaking.isEmpty(), "no key holds the argument '" + secret + "': " + leaking);
            }
            for (String region : List.of("baskets", "cards", "products")) {
                assertTrue(added.stream().anyMatch(k -> k.startsWith(prefix + region + ":")),
                        "keys are keyPrefix + region + ':' + hash: " + added);
            }
            System.out.println(testName + ": keys written: " + added);
        }
    }

    // ---- f. Redis goes away under load: fail open, then back to UP ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TcpProxy.Mode.class, names = {"CUT", "STALL"})
    void whenRedisGoesAwayCallsRunTheMethodWithoutErrorsAndTheStoreComesBack(TcpProxy.Mode outage) throws IOException {
        Servers servers = servers(RedisTarget.SINGLE);
        TcpProxy proxy = proxy(servers);
        LineAppJvm a = start("A", config("two-level", servers.yamlThrough(proxy), SECRET), db());
        awaitUp(a);
        for (int id = 1; id <= 5; id++) {
            a.ok("product " + id);
        }
        a.ok("stream start 1,2,3,4,5");
        LineAppJvm.sleep(300);
        Reply before = a.ok("stream status");
        // Warm: the calls of the stream were hits (a slack of two for a command that timed out on a busy machine).
        assertTrue(before.number("bodyRuns") <= 7 && before.number("calls") > 20, "warm\n" + before.line());

        if (outage == TcpProxy.Mode.CUT) {
            proxy.cut();
        } else {
            proxy.stall();
        }
        // A stall is noticed by timeouts, and while every call is a near hit only by the subscription's
        // silence (3 s in the agent): allow for both.
        Duration detected = a.awaitRedisState(Duration.ofSeconds(8), "DOWN", "PROBING");
        LineAppJvm.sleep(1000);
        Reply during = a.ok("stream status");
        assertEquals(0, during.number("errors"), "no caller saw an error\n" + during.line());
        assertEquals(0, during.number("wrong"), during.line());
        assertTrue(during.number("bodyRuns") > before.number("bodyRuns") + 10, "the method ran for the calls\n" + during.line());
        String stateDuring = a.redisState();
        assertTrue(stateDuring.equals("DOWN") || stateDuring.equals("PROBING"), stateDuring);

        proxy.restore();
        Duration back = a.awaitRedisState(Duration.ofSeconds(10), "UP");
        long bodyRunsUp = a.ok("stream status").number("bodyRuns");
        LineAppJvm.sleep(300);
        Reply after = a.ok("stream stop");
        assertEquals(0, after.number("errors"), after.line());
        assertEquals(0, after.number("wrong"), after.line());
        assertTrue(after.number("calls") > during.number("calls"), after.line());
        // Back to hits: the five keys are at most loaded once more after the outage emptied the near cache.
        assertTrue(after.number("bodyRuns") - bodyRunsUp <= 7, "served from the cache again once UP\n" + after.line());
        assertTrue(after.number("maxMillis") < 1000, "no call waited long on a Redis that is gone: " + after.line());
        assertTrue(a.count("product(long)", "RemoteErrorCount") > 0, "the failed commands were counted");
        System.out.printf("%s: %s outage detected in %d ms; UP %d ms after restore; %s calls, slowest %s ms, %s over 250 ms%n",
                testName, outage, detected.toMillis(), back.toMillis(), after.field("calls"), after.field("maxMillis"),
                after.field("slow"));
        Result r = a.stop();
        assertTrue(r.stderrText().contains("Redis is not answering"), "the outage is logged\n" + r);
        assertTrue(r.stderrText().contains("Redis is back"), "and the recovery\n" + r);
    }

    // ---- g. a write during the outage is not undone by the entries from before it ----

    @Test
    void aWriteDuringAnOutageIsAppliedBeforeOldEntriesAreServedAgain() throws IOException {
        Servers servers = servers(RedisTarget.SINGLE);
        TcpProxy proxy = proxy(servers);
        Path db = db();
        LineAppJvm a = start("A (through the proxy)", config("two-level", servers.yamlThrough(proxy), SECRET), db);
        LineAppJvm b = start("B (direct)", config("two-level", servers.yaml(), SECRET), db);
        awaitUp(a, b);

        a.ok("product 9");
        a.ok("product 10");
        awaitNearHit(b, "product 9");
        awaitNearHit(b, "product 10");
        assertEquals("product-9", a.ok("product 9").name());

        proxy.cut();
        a.ok("save 9 written-during-outage 99.00");
        a.ok("dbset 10 changed-during-outage");
        a.ok("evict 10");
        a.awaitRedisState(Duration.ofSeconds(5), "DOWN", "PROBING");
        assertEquals("written-during-outage", a.ok("product 9").name(), "A runs the method while Redis is away");
        assertEquals("changed-during-outage", a.ok("product 10").name());

        proxy.restore();
        a.awaitRedisState(Duration.ofSeconds(10), "UP");
        for (int i = 0; i < 10; i++) {
            assertEquals("written-during-outage", a.ok("product 9").name(), "A never serves the entry from before its write");
            assertEquals("changed-during-outage", a.ok("product 10").name(), "nor the one from before its eviction");
            assertEquals("written-during-outage", b.ok("product 9").name(), "B neither, from Redis or its near cache");
            assertEquals("changed-during-outage", b.ok("product 10").name());
        }
        Result r = a.stop();
        assertTrue(r.stderrText().contains("invalidation(s) made during the outage were applied first"), r::toString);
    }

    /**
     * A partition, not a crash: the commands one JVM sent while Redis could not answer are delivered late,
     * when the network heals (TCP delivers what was sent, even on a socket the client gave up on). A cache
     * fill held up that way must not overwrite a newer write another JVM made meanwhile.
     */
    @Test
    void aFillDelayedByAPartitionDoesNotOverwriteANewerWrite() throws IOException {
        Servers servers = servers(RedisTarget.SINGLE);
        TcpProxy proxy = proxy(servers);
        Path db = db();
        LineAppJvm a = start("A (through the proxy)", config("redis", servers.yamlThrough(proxy), SECRET), db);
        LineAppJvm b = start("B (direct)", config("redis", servers.yaml(), SECRET), db);
        awaitUp(a, b);
        // A busy service: several idle connections in A's pool, so the commands below go out on open
        // connections rather than on new ones (whose handshake would never complete during the stall).
        a.ok("parallel 6");
        a.ok("product 13"); // A knows the region (its generation), so a fill needs nothing but its SET

        proxy.stall();
        Reply loaded = a.ok("product 12"); // its GET, then its SET of the loaded row, wait out their timeouts
        assertEquals("product-12", loaded.name());
        b.ok("save 12 newer-by-B 12.00");
        assertEquals("newer-by-B", b.ok("product 12").name());
        proxy.restore();
        a.awaitRedisState(Duration.ofSeconds(10), "UP");
        LineAppJvm.sleep(200);
        for (int i = 0; i < 5; i++) {
            Reply r = b.ok("product 12");
            assertEquals("newer-by-B", r.name(), "A's fill of the older row, delivered after the partition healed, "
                    + "replaced B's newer write in Redis: " + r.line());
            assertEquals("newer-by-B", a.ok("product 12").name());
        }
    }

    /**
     * Two JVMs write one key at once: A's write reaches the database first, B's second, but A sets its entry
     * last. Redis must not keep A's older value (the contract: after a write returns, no later read sees an
     * older value, however many writers race): A's end finds that another write changed the key while it
     * ran, and invalidates it instead of setting its value.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(RedisTarget.class)
    void twoJvmsWritingOneKeyAtOnceLeaveTheNewerValue(RedisTarget target) throws IOException {
        Servers servers = servers(target);
        Path db = db();
        for (String store : List.of("redis", "two-level")) {
            Path config = config(store, servers.yaml(), SECRET);
            LineAppJvm a = start("A " + store, config, db);
            LineAppJvm b = start("B " + store, config, db);
            awaitUp(a, b);
            long id = store.equals("redis") ? 31 : 32;
            a.ok("product " + id);
            b.ok("product " + id); // B holds it near, on two-level
            a.ok("savehold " + id + " older-by-A 1.00"); // A's row is written; A has not returned
            b.ok("save " + id + " newer-by-B 2.00"); // B's row replaces it, and B's entry is set
            assertEquals("returned", a.ok("release").value()); // A returns last, with the older value
            LineAppJvm.sleep(100); // two-level: A's message reaches B's near cache
            for (LineAppJvm app : List.of(a, b)) {
                Reply r = app.ok("product " + id);
                assertEquals("newer-by-B", r.name(), store + ": A's write, which reached the database before B's, set its "
                        + "entry after B's and left the older value in the cache: " + r.line());
                assertTrue(r.ok(), r.line());
            }
            a.close();
            b.close();
        }
    }

    /**
     * Issue 25: a load slower than a newer write's TTL. A's load reads the row, then pauses; B writes the key
     * through with a 3 s TTL; B's entry expires; only then does A's load end and store what it read before
     * B's write. Redis must not take it (the key being empty again, as A's miss saw it, is no proof that
     * nothing happened in between): no JVM may read the older row afterwards.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "two-level"})
    void aLoadPausedPastANewerWritesTtlDoesNotStoreItsOlderValue(String store) throws IOException {
        LineAppJvm[] ab = pausedLoadAndChanger(store);
        LineAppJvm a = ab[0];
        LineAppJvm b = ab[1];
        long id = store.equals("redis") ? 41 : 42;
        a.ok("loadhold " + id); // A missed, took the load, and read "product-N"; it pauses there
        b.ok("saveshort " + id + " newer-by-B 2.00");
        assertEquals("newer-by-B", b.ok("product " + id).name());
        LineAppJvm.sleep(3_600); // B's entry (3 s, less with jitter) is gone by its TTL
        Reply late = a.ok("loadrelease");
        assertEquals("product-" + id, late.name(), "the paused load returns what it read, to its own caller");
        LineAppJvm.sleep(100); // two-level: any message about A's fill reaches B
        onlyReads("newer-by-B", id, store + ": the load that read the row before B's write stored it after B's entry "
                + "expired", a, b);
    }

    /**
     * The same race across a whole-region invalidation: B changes the row behind the cache and evicts all the
     * products, which renames the region's keys in Redis (a new generation) rather than changing each. A's
     * paused load, which read the row before, must not store it under the new, empty name.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "two-level"})
    void aLoadPausedAcrossAnotherJvmsEvictAllDoesNotStoreItsOlderValue(String store) throws IOException {
        LineAppJvm[] ab = pausedLoadAndChanger(store);
        LineAppJvm a = ab[0];
        LineAppJvm b = ab[1];
        long id = store.equals("redis") ? 45 : 46;
        a.ok("loadhold " + id);
        b.ok("dbset " + id + " changed-by-B");
        b.ok("evictall");
        assertEquals("changed-by-B", b.ok("product " + id).name());
        b.ok("evictall"); // and the key is empty again under the newest name, as A's miss saw it
        LineAppJvm.sleep(200); // A hears of the new generation
        assertEquals("product-" + id, a.ok("loadrelease").name());
        LineAppJvm.sleep(100);
        onlyReads("changed-by-B", id, store + ": the load that read the row before B's evict-all stored it under the "
                + "region's new key names", a, b);
    }

    /** Two JVMs on {@code store} over one Redis and database: A, whose load the test pauses, and B, which changes the key. */
    private LineAppJvm[] pausedLoadAndChanger(String store) throws IOException {
        Servers servers = servers(RedisTarget.SINGLE);
        Path db = db();
        Path config = config(store, servers.yaml(), SECRET);
        LineAppJvm a = start("A (the paused load)", config, db);
        LineAppJvm b = start("B (the change)", config, db);
        awaitUp(a, b);
        return new LineAppJvm[] {a, b};
    }

    /** Ten reads of product {@code id} on each of {@code apps}, every one {@code expected} and equal to the database's row. */
    private static void onlyReads(String expected, long id, String failure, LineAppJvm... apps) {
        for (int i = 0; i < 10; i++) {
            for (LineAppJvm app : apps) {
                Reply r = app.ok("product " + id);
                assertEquals(expected, r.name(), failure + ", and " + app.name() + " read the older row: " + r.line());
                assertTrue(r.ok(), r.line());
            }
        }
    }

    /**
     * Issue 26: a JVM started after another filled Redis reads the entry on its very first call, rather than
     * loading it while its connection is still being made in the background.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "two-level"})
    void aJvmStartedLaterReadsTheSharedEntryOnItsFirstCall(String store) throws IOException {
        Servers servers = servers(RedisTarget.SINGLE);
        Path db = db();
        Path config = config(store, servers.yaml(), SECRET);
        LineAppJvm a = start("A (fills Redis)", config, db);
        awaitUp(a);
        long id = store.equals("redis") ? 43 : 44;
        assertEquals(1, a.ok("product " + id).calls());
        LineAppJvm b = start("B (started afterwards)", config, db);
        Reply first = b.ok("product " + id); // no wait for Redis before it: the very first call
        assertEquals(0, first.calls(), "B's first call ran the method instead of reading Redis: " + first.line());
        assertTrue(first.ok(), first.line());
        assertEquals(1, b.count("product(long)", "RemoteHitCount"));
        assertEquals(0, b.count("product(long)", "LoadCount"));
    }

    // ---- h. store: redis without a secret ----

    @Test
    void withoutASecretTheRedisStoreIsRefusedAndTheApplicationStillRuns() throws IOException {
        Servers servers = servers(RedisTarget.SINGLE);
        LineAppJvm a = start("A", config("redis", servers.yaml(), null), db());
        assertEquals(1, a.ok("product 1").calls());
        assertEquals(2, a.ok("product 1").calls(), "the whole file is refused: nothing is cached, not even locally");
        Reply basket = a.ok("basket alice@example.com");
        assertTrue(basket.ok(), basket.line());
        Result r = a.stop();
        List<String> lines = r.stderrMatching("secret");
        assertFalse(lines.isEmpty(), "stderr says a secret is missing\n" + r);
        assertTrue(lines.get(0).contains("[recall]") && lines.get(0).contains("ERROR"), lines.get(0));
        assertTrue(lines.get(0).contains("insecure: true"), "and names the way out: " + lines.get(0));
        assertTrue(lines.get(0).contains("redis.yml:"), "with file and line: " + lines.get(0));
        assertTrue(r.stderrText().contains("nothing is cached until they are fixed"), r::toString);
        try (TestRedis redis = servers.client()) {
            assertEquals(List.of(), redis.keysWithPrefix(prefix), "nothing was written to Redis");
        }
    }

    // ---- i. READ_THROUGH coalesces concurrent misses across JVMs ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(RedisTarget.class)
    void concurrentMissesOfOneKeyOnTwoJvmsLoadOnce(RedisTarget target) throws IOException {
        Servers servers = servers(target);
        Path config = config("redis", servers.yaml(), SECRET);
        Path db = db();
        LineAppJvm a = start("A", config, db);
        LineAppJvm b = start("B", config, db);
        awaitUp(a, b);
        a.send("report q3");
        b.send("report q3");
        Reply ra = a.await("report q3").noError();
        Reply rb = b.await("report q3").noError();
        assertEquals("report q3", ra.value());
        assertEquals("report q3", rb.value());
        assertEquals(1, ra.calls() + rb.calls(), "the contract: READ_THROUGH on a Redis store coalesces concurrent misses "
                + "across JVMs (one load per key); A ran the 600 ms method " + ra.calls() + " time(s), B " + rb.calls());
    }

    /** The lock is an optimisation, never a reason to wait long: past lockTimeout the waiting JVM loads itself. */
    @Test
    void pastTheLockTimeoutAWaitingJvmLoadsForItself() throws IOException {
        Servers servers = servers(RedisTarget.SINGLE);
        // Long enough that B surely asks while A's lock lives (B must meet it to be told), short of A's 600 ms
        // load: with 150 ms a loaded machine once let A's lock expire before B asked, and B then took the free
        // lock without a word, as it should.
        Path config = config("redis", servers.yaml() + "  lockTimeout: 350ms\n", SECRET);
        Path db = db();
        LineAppJvm a = start("A", config, db);
        LineAppJvm b = start("B", config, db);
        awaitUp(a, b);
        a.send("report q4");
        // B asks once A holds the lock of its 600 ms load (a fixed pause was not enough under CI load).
        try (TestRedis redis = servers.client()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (redis.keys(TestRedis.globEscape(prefix) + "*#load").isEmpty() && System.nanoTime() < deadline) {
                LineAppJvm.sleep(5);
            }
            assertFalse(redis.keys(TestRedis.globEscape(prefix) + "*#load").isEmpty(), "A took the load lock");
        }
        b.send("report q4");
        Reply ra = a.await("report q4").noError();
        Reply rb = b.await("report q4").noError();
        assertEquals("report q4", ra.value());
        assertEquals("report q4", rb.value());
        assertEquals(1, ra.calls(), ra.line());
        assertEquals(1, rb.calls(), "B waited 350 ms for A's 600 ms load, then ran the method itself: " + rb.line());
        Result r = b.stop();
        assertTrue(r.stderrText().contains("raise redis.lockTimeout"), "the wait that ran out is reported once\n" + r);
    }

    /** An operator's invalidate(key) over JMX reaches Redis and every near cache, with only the rendered key to go on. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(RedisTarget.class)
    void invalidatingAKeyOverJmxRemovesItFromRedisAndEveryNearCache(RedisTarget target) throws IOException {
        Servers servers = servers(target);
        Path config = config("two-level", servers.yaml(), SECRET);
        Path db = db();
        LineAppJvm a = start("A", config, db);
        LineAppJvm b = start("B", config, db);
        awaitUp(a, b);
        a.ok("product 14");
        awaitNearHit(b, "product 14");
        a.ok("dbset 14 changed-behind-the-cache");
        assertEquals("product-14", b.ok("product 14").name(), "cached: the change is not seen yet");
        try (TestRedis redis = servers.client()) {
            assertEquals(1, entryKeys(redis, prefix + "products:").size());
            assertEquals("true", a.ok("invalidate product(long) 14").value());
            assertEquals(List.of(), entryKeys(redis, prefix + "products:"), "the entry is gone from Redis");
        }
        awaitName(b, "product 14", "changed-behind-the-cache", Duration.ofSeconds(1));
        neverOld(b, "product 14", "changed-behind-the-cache");
    }

    /** An entry another JVM reads from Redis, and keeps near, expires when its writer's did: its TTL is not restarted. */
    @Test
    void anEntryReadFromRedisLivesNoLongerThanItsTtl() throws IOException {
        Servers servers = servers(RedisTarget.SINGLE);
        Path config = config("two-level", servers.yaml(), SECRET);
        Path db = db();
        LineAppJvm a = start("A", config, db);
        LineAppJvm b = start("B", config, db);
        awaitUp(a, b);
        b.awaitAttr("agent", "RedisState", "UP"::equals, Duration.ofSeconds(5));
        LineAppJvm.sleep(500); // B's subscription is live: it keeps what it reads near
        assertEquals(1, a.ok("quote ACME").calls(), "A loads; the entry lives 1 s");
        // Taken once A answered, so at or after the entry was born: on a loaded machine A's first call can take
        // several hundred ms, and counting from before it checked an entry that had not lived 1 s yet.
        long loaded = System.nanoTime();
        LineAppJvm.sleep(600);
        assertEquals(0, b.ok("quote ACME").calls(), "B reads A's entry from Redis");
        assertEquals(0, b.ok("quote ACME").calls());
        assertTrue(b.count("quote(java.lang.String)", "NearHitCount") >= 1, "and keeps it near");
        LineAppJvm.sleep(Math.max(0, 1_300 - (System.nanoTime() - loaded) / 1_000_000));
        assertEquals(1, b.ok("quote ACME").calls(), "1.3 s after A loaded it, the entry is gone for B too: "
                + "neither Redis's copy nor B's near copy outlived the method's 1 s TTL");
    }

    // ---- the remote counters count calls ----

    @Test
    void eachCallCountsOnceInTheRemoteCounters() throws IOException {
        Servers servers = servers(RedisTarget.SINGLE);
        LineAppJvm a = start("A", config("redis", servers.yaml(), SECRET), db());
        awaitUp(a);
        try (TestRedis redis = servers.client()) {
            assertEquals(1, a.ok("product 1").calls());
            assertEquals(1, a.count("product(long)", "MissCount"));
            assertEquals(1, a.count("product(long)", "RemoteMissCount"), "one call that Redis could not answer is one remote miss");
            assertEquals(1, a.ok("product 1").calls());
            assertEquals(1, a.count("product(long)", "RemoteHitCount"));

            String key = onlyKey(redis, prefix + "products:");
            byte[] tampered = redis.get(key);
            tampered[tampered.length - 1] ^= 0x01;
            redis.setKeepTtl(key, tampered);
            assertEquals(2, a.ok("product 1").calls());
            assertEquals(1, a.count("product(long)", "RejectedEntries"), "one value refused once is one rejected entry");
        }
    }

    // ---- helpers ----

    private Servers servers(RedisTarget target) {
        Servers s = target.servers(testName);
        cleanups.add(() -> {
            try (TestRedis redis = s.client()) {
                redis.deletePrefix(prefix);
            } catch (RuntimeException e) {
                System.out.println(testName + ": could not delete keys " + prefix + "*: " + e);
            }
        });
        return s;
    }

    private TcpProxy proxy(Servers servers) {
        TcpProxy proxy = new TcpProxy(servers.first().getHost(), servers.first().getPort());
        cleanups.add(0, proxy::close);
        return proxy;
    }

    private LineAppJvm start(String name, Path config, Path db, String... jvmArgs) {
        LineAppJvm app = LineAppJvm.start(name, RedisApp.class, config, db, jvmArgs);
        apps.add(app);
        return app;
    }

    private Path db() throws IOException {
        return Files.createDirectories(dir.resolve("db"));
    }

    /** The configuration file of this test: its own key prefix; {@code secret == null} writes none. */
    private Path config(String store, String connection, String secret) throws IOException {
        String yaml = "store: " + store + "\n"
                + "redis:\n"
                + connection
                + "  timeout: " + TIMEOUT + "\n"
                + "  keyPrefix: \"" + prefix + "\"\n"
                + (secret == null ? "" : "  secret: " + secret + "\n")
                + "  allowClasses: [dev.recall.it.**]\n"
                + "near:\n"
                + "  ttl: 10s\n"
                + "  maxSize: 1000\n";
        Path file = dir.resolve(store + "-" + Integer.toHexString(yaml.hashCode()) + "-redis.yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static void awaitUp(LineAppJvm... apps) {
        for (LineAppJvm a : apps) {
            a.awaitRedisState(Duration.ofSeconds(15), "UP");
        }
    }

    /** Reads until the near cache answers (it keeps entries once the JVM's subscription is live). */
    private static void awaitNearHit(LineAppJvm app, String command) {
        long before = app.countOrZero("product(long)", "NearHitCount"); // no MBean before the method's first call
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            app.ok(command);
            if (app.countOrZero("product(long)", "NearHitCount") > before) {
                return;
            }
            LineAppJvm.sleep(50);
        }
        throw new AssertionError(app.name() + ": no near hit for '" + command + "' within 10 s");
    }

    /** Reads until the product's name is {@code expected}; returns how long that took. */
    private static Duration awaitName(LineAppJvm app, String command, String expected, Duration within) {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        Reply r;
        do {
            r = app.ok(command);
            if (r.name().equals(expected)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            LineAppJvm.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(app.name() + " still reads '" + r.name() + "' " + within.toMillis() + " ms after the change: "
                + r.line());
    }

    private static void neverOld(LineAppJvm app, String command, String expected) {
        for (int i = 0; i < 20; i++) {
            Reply r = app.ok(command);
            assertEquals(expected, r.name(), "once the new value was seen, never the old one again: " + r.line());
        }
    }

    /**
     * The entries' keys under {@code keyPrefix}, without the store's bookkeeping keys ({@code #generation})
     * and without tombstones (what an invalidated key holds for a while: {@code RX} and an id, no value).
     */
    private static List<String> entryKeys(TestRedis redis, String keyPrefix) {
        return redis.keysWithPrefix(keyPrefix).stream().filter(k -> !k.contains("#")).filter(k -> {
            byte[] v = redis.get(k);
            return v != null && !(v.length >= 2 && v[0] == 'R' && v[1] == 'X');
        }).collect(Collectors.toList());
    }

    private static String onlyKey(TestRedis redis, String keyPrefix) {
        List<String> keys = entryKeys(redis, keyPrefix);
        assertEquals(1, keys.size(), "one entry expected under " + keyPrefix + ": " + keys);
        return keys.get(0);
    }

    private static byte[] replaceOnce(byte[] bytes, String from, String to) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(from);
        assertTrue(at >= 0 && text.indexOf(from, at + 1) < 0, "'" + from + "' once in the payload");
        assertEquals(from.length(), to.length());
        return (text.substring(0, at) + to + text.substring(at + from.length())).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A value of the agent's codec format (its {@code Tag}) that names {@code className} as an ordinary
     * object with one string field: magic, version, OBJECT, a new class (0, name, fingerprint), the field.
     */
    static byte[] gadgetPayload(String className) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xCA);
        out.write(1);
        out.write(53); // OBJECT
        out.write(0); // a class not seen before in this value
        byte[] name = className.getBytes(StandardCharsets.UTF_8);
        out.write(name.length);
        out.writeBytes(name);
        out.writeBytes(new byte[] {0x12, 0x34, 0x56, 0x78}); // fingerprint of the fields
        byte[] field = "rm -rf /".getBytes(StandardCharsets.UTF_8);
        out.write(10); // STRING
        out.write(field.length);
        out.writeBytes(field);
        return out.toByteArray();
    }

    /**
     * The agent's envelope of a value in Redis, as its {@code EntrySeal} writes it (format 5): {@code 'R' 5 2
     * nonce(12) AES-256-GCM(loadNanos(8) expiresAtMillis(8) writtenAtMillis(8) freshUntilMillis(8) payload) tag(16)},
     * with the key name and the three head bytes as associated data, under the key HKDF-SHA256(salt "recall/v1",
     * the secret, info "recall value encryption"). Written here from the documentation, not from the agent's code.
     */
    record Seal(long loadNanos, long expiresAtMillis, long writtenAtMillis, long freshUntilMillis, byte[] payload) {

        static Seal open(String secret, String key, byte[] bytes) {
            assertEquals('R', bytes[0], "magic");
            assertEquals(5, bytes[1], "version");
            assertEquals(2, bytes[2], "encrypted");
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(valueKey(secret), "AES"), new GCMParameterSpec(128, bytes, 3, 12));
                c.updateAAD(key.getBytes(StandardCharsets.UTF_8));
                c.updateAAD(bytes, 0, 3);
                ByteBuffer in = ByteBuffer.wrap(c.doFinal(bytes, 15, bytes.length - 15));
                long loadNanos = in.getLong();
                long expiresAtMillis = in.getLong();
                long writtenAtMillis = in.getLong();
                long freshUntilMillis = in.getLong();
                byte[] payload = new byte[in.remaining()];
                in.get(payload);
                return new Seal(loadNanos, expiresAtMillis, writtenAtMillis, freshUntilMillis, payload);
            } catch (GeneralSecurityException e) {
                throw new AssertionError("the value does not open with the documented key and format", e);
            }
        }

        private byte[] times() {
            return ByteBuffer.allocate(32).putLong(loadNanos).putLong(expiresAtMillis).putLong(writtenAtMillis)
                    .putLong(freshUntilMillis).array();
        }

        /** This envelope's times around another payload, encrypted under {@code secret} for {@code key}. */
        byte[] resealed(String secret, byte[] key, byte[] newPayload) {
            try {
                byte[] head = {'R', 5, 2};
                byte[] nonce = new byte[12];
                new SecureRandom().nextBytes(nonce);
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(valueKey(secret), "AES"), new GCMParameterSpec(128, nonce));
                c.updateAAD(key);
                c.updateAAD(head);
                byte[] sealed = c.doFinal(ByteBuffer.allocate(32 + newPayload.length).put(times()).put(newPayload).array());
                return ByteBuffer.allocate(3 + 12 + sealed.length).put(head).put(nonce).put(sealed).array();
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }

        /** The plain form an agent without a secret ({@code insecure: true}) writes. */
        byte[] unsigned(byte[] newPayload) {
            return ByteBuffer.allocate(3 + 32 + newPayload.length).put((byte) 'R').put((byte) 5).put((byte) 0)
                    .put(times()).put(newPayload).array();
        }

        /** HKDF (RFC 5869) with HMAC-SHA256: extract with the salt, expand one block with the label. */
        static byte[] valueKey(String secret) throws GeneralSecurityException {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec("recall/v1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] prk = extract.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update("recall value encryption".getBytes(StandardCharsets.UTF_8));
            expand.update((byte) 1);
            return expand.doFinal();
        }
    }
}
