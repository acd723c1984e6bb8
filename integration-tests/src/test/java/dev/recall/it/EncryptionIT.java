package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.LineAppJvm.Reply;
import dev.recall.it.RedisTarget.Servers;
import dev.recall.it.app.secrets.CustomerApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Issue 29 against real Redis servers and application JVMs with the real agent jar: a cached record with a
 * name, an e-mail address and a card number is unreadable in Redis (keys, values, and the RDB file after SAVE);
 * a value moved to another key is rejected; a value under an old secret is read during a rotation, one under an
 * unknown secret is a counted miss; and neither the agent's log nor any MBean string shows the personal data.
 *
 * <p>The RDB test starts a redis-server of its own (a free port, a temporary --dir, no RDB compression, which
 * would otherwise hide plain text from the scan); the others use {@code REDIS_URL} under a key prefix of their
 * own, deleted afterwards.
 */
class EncryptionIT {

    static final String SECRET = "encryption-it-secret-" + "2f8c41d09b7e";
    static final String OLD_SECRET = "encryption-it-old-secret-" + "7d31a0c5e2b9";
    static final String UNKNOWN_SECRET = "encryption-it-unknown-secret-" + "99e0f1c2d3b4";
    /** The people whose data must never be readable; the last of {@link CustomerApp#PEOPLE} is the plain-text control. */
    static final int PEOPLE = 3;

    private final List<LineAppJvm> apps = new ArrayList<>();
    private final List<Result> results = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    private String prefix;
    private String testName;

    @TempDir
    Path dir;

    @BeforeEach
    void name(TestInfo info) {
        testName = "EncryptionIT." + info.getTestMethod().map(m -> m.getName()).orElse("?");
        prefix = "recall-enc-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    @AfterEach
    void stop() {
        for (LineAppJvm a : apps) {
            a.stop();
        }
        for (Runnable r : cleanups) {
            r.run();
        }
    }

    /** Everything of {@link CustomerApp#PEOPLE}'s first {@link #PEOPLE} that must not be found: each as UTF-8, UTF-16 and base64. */
    static List<Needle> personalData() {
        List<Needle> needles = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            String[] p = CustomerApp.PEOPLE[i];
            for (String s : List.of(p[0], p[0].substring(p[0].indexOf(' ') + 1), p[1], p[1].substring(0, p[1].indexOf('@')), p[2],
                    p[2].substring(p[2].length() - 8))) {
                needles.addAll(Needle.encodings(s));
            }
        }
        return needles;
    }

    /** A byte pattern and what it stands for. */
    record Needle(String what, byte[] bytes) {

        static List<Needle> encodings(String s) {
            List<Needle> n = new ArrayList<>();
            n.add(new Needle("'" + s + "' (UTF-8)", s.getBytes(StandardCharsets.UTF_8)));
            n.add(new Needle("'" + s + "' (UTF-16LE)", s.getBytes(StandardCharsets.UTF_16LE)));
            n.add(new Needle("'" + s + "' (UTF-16BE)", s.getBytes(StandardCharsets.UTF_16BE)));
            // Base64 at each of the three alignments the text may have in a longer encoded value: the stable middle.
            for (int shift = 0; shift < 3; shift++) {
                String encoded = Base64.getEncoder().encodeToString(("xx".substring(0, shift) + s).getBytes(StandardCharsets.UTF_8));
                int from = shift == 0 ? 0 : 4;
                int to = encoded.length() - 4;
                if (to - from >= 8) {
                    n.add(new Needle("'" + s + "' (base64, shift " + shift + ")", encoded.substring(from, to).getBytes(StandardCharsets.US_ASCII)));
                }
            }
            return n;
        }

        boolean in(byte[] haystack) {
            outer:
            for (int i = 0; i + bytes.length <= haystack.length; i++) {
                for (int j = 0; j < bytes.length; j++) {
                    if (haystack[i + j] != bytes[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }

    static void assertNoPersonalData(String where, byte[] haystack) {
        for (Needle n : personalData()) {
            assertFalse(n.in(haystack), n.what() + " found in " + where);
        }
    }

    // ---- what Redis holds, and its RDB file ----

    @Test
    void noByteOfTheRecordIsInRedisKeysValuesOrTheRdbFile() throws Exception {
        Path data = Files.createDirectories(dir.resolve("redis-data"));
        int port = freePort();
        Process server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", data.toString(), "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no",
                "--rdbcompression", "no", "--protected-mode", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis-server.log").toFile()).start();
        cleanups.add(() -> {
            server.destroy();
            try {
                server.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String uri = "redis://127.0.0.1:" + port;
        awaitPing(port);

        LineAppJvm a = start("A", config(uri, "  secret: " + SECRET + "\n"));
        LineAppJvm b = start("B", config(uri, "  secret: " + SECRET + "\n"));
        awaitUp(a, b);
        for (int id = 1; id <= PEOPLE; id++) {
            assertEquals(id, a.ok("customer " + id).calls());
        }
        for (int id = 1; id <= PEOPLE; id++) {
            Reply hit = b.ok("customer " + id);
            assertEquals(0, hit.calls(), "B reads A's encrypted records as hits: " + hit.line());
            assertTrue(Boolean.parseBoolean(hit.field("ok")), "decrypted to the very record: " + hit.line());
        }
        assertEquals(PEOPLE, b.count("customer(long)", "RemoteHitCount"));
        // The sensitive method: refused on a Redis store at load, runs uncached, says how to fix it.
        assertEquals(1, a.ok("cardOnFile 1").calls());
        assertEquals(2, a.ok("cardOnFile 1").calls(), "not cached: its store would be Redis");
        String errors = a.attr("agent", "ConfigErrors");
        assertTrue(errors.contains("CustomerApp.cardOnFile(long)") && errors.contains("sensitive: true") && errors.contains("store: local"),
                "ConfigErrors names the method and the fix: " + errors);

        // The positive control: an agent without a secret (insecure: true, as before issue 29) stores plain text,
        // which the scan below finds; so finding none of the others' data means something.
        String controlPrefix = prefix + "control:";
        LineAppJvm plain = start("plain", dir.resolve(writeConfig("plain", uri, "  insecure: true\n", controlPrefix)));
        awaitUp(plain);
        plain.ok("customer 4");

        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port))) {
            List<String> keys = new ArrayList<>(jedis.keys("*"));
            assertTrue(keys.stream().filter(k -> k.startsWith(prefix + "customers:")).count() >= PEOPLE, keys.toString());
            for (String key : keys) {
                assertNoPersonalData("key " + key, key.getBytes(StandardCharsets.UTF_8));
                if ("string".equals(jedis.type(key))) {
                    byte[] value = jedis.get(key.getBytes(StandardCharsets.UTF_8));
                    assertNoPersonalData("the value of " + key, value);
                }
            }
            assertEquals("OK", jedis.save());
        }
        byte[] rdb = Files.readAllBytes(data.resolve("dump.rdb"));
        assertTrue(rdb.length > 100, "an RDB file was written: " + rdb.length + " bytes");
        for (Needle control : Needle.encodings(CustomerApp.PEOPLE[3][1]).subList(0, 1)) {
            assertTrue(control.in(rdb), "control: the insecure agent's plain value is in the RDB file, so the scan sees plain text");
        }
        assertNoPersonalData("the RDB file after SAVE", rdb);
        assertNoPersonalDataInLogsAndMBeans(a, b, plain);
        System.out.println(testName + ": RDB file of " + rdb.length + " bytes, " + personalData().size()
                + " patterns of personal data: none found; the insecure control's plain text found");
    }

    // ---- a value moved to another key ----

    @Test
    void aValueCopiedToAnotherKeyIsRejectedAndTheMethodRuns() throws Exception {
        Servers servers = RedisTarget.SINGLE.servers(testName);
        cleanUp(servers);
        LineAppJvm a = start("A", config(servers.uri(), "  secret: " + SECRET + "\n"));
        awaitUp(a);
        try (TestRedis redis = servers.client()) {
            assertEquals(1, a.ok("customer 1").calls());
            String key1 = onlyKey(redis, Set.of());
            assertEquals(2, a.ok("customer 2").calls());
            String key2 = onlyKey(redis, Set.of(key1));
            assertTrue(redis.copy(key1, key2), "COPY " + key1 + " " + key2 + " REPLACE");

            Reply moved = a.ok("customer 2");
            assertEquals(3, moved.calls(), "customer 1's value under customer 2's key was refused: the method ran\n" + moved.line());
            assertTrue(Boolean.parseBoolean(moved.field("ok")), "the caller got customer 2: " + moved.line());
            assertEquals(1, a.count("customer(long)", "RejectedEntries"));
            assertEquals(0, a.count("customer(long)", "RemoteErrorCount"));
            assertEquals(3, a.ok("customer 2").calls(), "the reload replaced it: a hit again");
            assertEquals(3, a.ok("customer 1").calls(), "the original stays where it was written");
        }
        Result r = assertNoPersonalDataInLogsAndMBeans(a);
        assertFalse(r.stderrMatching("does not authenticate").isEmpty(), "the refusal says why, once\n" + r);
        assertTrue(r.stderr().stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace\n" + r);
    }

    // ---- rotation ----

    @Test
    void aValueUnderTheOldSecretIsReadDuringARotationAndOneUnderAnUnknownSecretIsACountedMiss() throws Exception {
        Servers servers = RedisTarget.SINGLE.servers(testName);
        cleanUp(servers);
        try (TestRedis redis = servers.client()) {
            // Before the rotation: the fleet has one secret.
            LineAppJvm before = start("before (old)", config(servers.uri(), "  secret: " + OLD_SECRET + "\n"));
            awaitUp(before);
            assertEquals(1, before.ok("customer 1").calls());
            String oldName1 = onlyKey(redis, Set.of());
            assertEquals(2, before.ok("customer 2").calls());
            String oldName2 = onlyKey(redis, Set.of(oldName1));
            results.add(before.stop());

            // During it: the new secret first, the old one still read.
            LineAppJvm during = start("during (new, old)", config(servers.uri(), "  secrets: [" + SECRET + ", " + OLD_SECRET + "]\n"));
            awaitUp(during);
            Reply read = during.ok("customer 1");
            assertEquals(0, read.calls(), "the old secret's value was read as a hit: " + read.line());
            assertTrue(Boolean.parseBoolean(read.field("ok")), read.line());
            assertEquals(1, during.count("customer(long)", "RemoteHitCount"));
            assertEquals(0, during.count("customer(long)", "RejectedEntries"));
            // An eviction during the rotation removes the entry under the old secret's name too: no JVM reads it there.
            during.ok("forget 1");
            byte[] tomb = redis.get(oldName1);
            assertTrue(tomb == null || tomb.length >= 2 && tomb[0] == 'R' && tomb[1] == 'X', "the old name holds no value any more");
            assertEquals(1, during.ok("customer 1").calls(), "evicted: reloaded, under the new secret");
            String newName1 = onlyKey(redis, Set.of(oldName2));
            assertNotEquals(oldName1, newName1);

            // After it: the old secret is dropped; a value under it is never found (its name is unknown).
            LineAppJvm after = start("after (new)", config(servers.uri(), "  secret: " + SECRET + "\n"));
            awaitUp(after);
            assertEquals(0, after.ok("customer 1").calls(), "the new secret's value is a hit");
            assertEquals(1, after.ok("customer 2").calls(), "the old secret's value is a clean miss: reloaded");
            assertEquals(0, after.count("customer(long)", "RejectedEntries"));

            // A value under a secret this fleet never had, at a name it reads: a counted miss, never an error.
            LineAppJvm stranger = start("stranger", config(servers.uri(), "  secret: " + UNKNOWN_SECRET + "\n"));
            awaitUp(stranger);
            Set<String> known = new HashSet<>(entryKeys(redis));
            assertEquals(1, stranger.ok("customer 3").calls());
            String strangerName = onlyKey(redis, known);
            known.add(strangerName);
            assertEquals(2, after.ok("customer 3").calls());
            String afterName = onlyKey(redis, known);
            assertTrue(redis.copy(strangerName, afterName));
            Reply foreign = after.ok("customer 3");
            assertEquals(3, foreign.calls(), "the unknown secret's value was refused, the method ran: " + foreign.line());
            assertTrue(Boolean.parseBoolean(foreign.field("ok")), foreign.line());
            assertEquals(1, after.count("customer(long)", "RejectedEntries"));
            assertEquals(0, after.count("customer(long)", "RemoteErrorCount"));
            assertEquals(0, after.count("customer(long)", "ErrorCount"));
            // The same at the rotating JVM: its second name is tried only where the first holds nothing.
            assertEquals(0, during.count("customer(long)", "RemoteErrorCount"));
            assertNoPersonalDataInLogsAndMBeans(during, after, stranger);
        }
    }

    // ---- helpers ----

    /** Stops the JVMs and checks their stderr (the agent's log) and every MBean attribute they had for the data. */
    private Result assertNoPersonalDataInLogsAndMBeans(LineAppJvm... jvms) {
        Result last = null;
        for (LineAppJvm j : jvms) {
            String mbeans = new String(Base64.getDecoder().decode(j.ok("mbeans").value()), StandardCharsets.UTF_8);
            assertTrue(mbeans.contains("RejectedEntries=") && mbeans.contains("dev.recall:type=Agent"), "the MBeans were read: " + mbeans);
            assertNoPersonalData(j.name() + "'s MBean attributes", mbeans.getBytes(StandardCharsets.UTF_8));
            last = j.stop();
            results.add(last);
        }
        for (Result r : results) {
            assertNoPersonalData(r.command() + "'s stderr (the agent's log)", String.join("\n", r.stderr()).getBytes(StandardCharsets.UTF_8));
        }
        return last;
    }

    private void cleanUp(Servers servers) {
        cleanups.add(() -> {
            try (TestRedis redis = servers.client()) {
                redis.deletePrefix(prefix);
            }
        });
    }

    private List<String> entryKeys(TestRedis redis) {
        return redis.keysWithPrefix(prefix + "customers:").stream().filter(k -> !k.contains("#")).filter(k -> {
            byte[] v = redis.get(k);
            return v != null && !(v.length >= 2 && v[0] == 'R' && v[1] == 'X');
        }).toList();
    }

    /** The one entry key not in {@code known}. */
    private String onlyKey(TestRedis redis, Set<String> known) {
        List<String> fresh = entryKeys(redis).stream().filter(k -> !known.contains(k)).toList();
        assertEquals(1, fresh.size(), "one new entry expected: " + fresh);
        return fresh.get(0);
    }

    private LineAppJvm start(String name, Path config) {
        LineAppJvm app = LineAppJvm.start(name, CustomerApp.class, config, dir);
        apps.add(app);
        return app;
    }

    private Path config(String uri, String secretLines) throws IOException {
        return dir.resolve(writeConfig("recall", uri, secretLines, prefix));
    }

    private String writeConfig(String name, String uri, String secretLines, String keyPrefix) throws IOException {
        String yaml = "store: redis\n"
                + "redis:\n"
                + "  uri: " + uri + "\n"
                + "  timeout: 250ms\n"
                + "  keyPrefix: \"" + keyPrefix + "\"\n"
                + secretLines
                + "  allowClasses: [dev.recall.it.**]\n";
        String file = name + "-" + Integer.toHexString(yaml.hashCode()) + ".yml";
        Files.writeString(dir.resolve(file), yaml);
        return file;
    }

    private static void awaitUp(LineAppJvm... jvms) {
        for (LineAppJvm a : jvms) {
            a.awaitRedisState(Duration.ofSeconds(15), "UP");
        }
    }

    private static void awaitPing(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("redis-server on port " + port + " did not answer", e);
                }
            }
            LineAppJvm.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
