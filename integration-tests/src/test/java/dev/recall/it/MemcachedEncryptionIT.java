package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.LineAppJvm.Reply;
import dev.recall.it.app.secrets.CustomerApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 29 for {@code store: memcached} (issue 27), against the real Memcached of {@code MEMCACHED_SERVERS}
 * (default 127.0.0.1:11211) and application JVMs with the real agent jar: every key and value the agent stored
 * (listed with {@code lru_crawler metadump}, read with {@code get}) holds no byte of the personal data, while an
 * insecure control's plain value is found by the same scan; a value copied to another key is rejected; a value
 * under an old secret is read during a rotation and one under an unknown secret is a counted miss. Each test
 * uses a key prefix of its own; Memcached is never flushed (it is shared).
 */
class MemcachedEncryptionIT {

    static final String SERVER = System.getenv().getOrDefault("MEMCACHED_SERVERS", "127.0.0.1:11211").split(",")[0].trim();

    private final List<LineAppJvm> apps = new ArrayList<>();
    private final List<Result> results = new ArrayList<>();
    private String prefix;

    @TempDir
    Path dir;

    @BeforeEach
    void prefix() {
        prefix = "recall-mc-enc-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    @AfterEach
    void stop() {
        for (LineAppJvm a : apps) {
            a.stop();
        }
    }

    @Test
    void nothingReadableInMemcachedAndAValueMovedToAnotherKeyIsRejected() throws Exception {
        LineAppJvm a = start("A", config("  secret: " + EncryptionIT.SECRET + "\n", prefix));
        LineAppJvm b = start("B", config("  secret: " + EncryptionIT.SECRET + "\n", prefix));
        awaitUp(a, b);
        for (int id = 1; id <= EncryptionIT.PEOPLE; id++) {
            assertEquals(id, a.ok("customer " + id).calls());
        }
        for (int id = 1; id <= EncryptionIT.PEOPLE; id++) {
            Reply hit = b.ok("customer " + id);
            assertEquals(0, hit.calls(), "B reads A's encrypted records from Memcached as hits: " + hit.line());
            assertTrue(Boolean.parseBoolean(hit.field("ok")), "decrypted to the very record: " + hit.line());
        }
        assertEquals(EncryptionIT.PEOPLE, b.count("customer(long)", "RemoteHitCount"));
        assertEquals("UP", a.attr("agent", "MemcachedState"));
        assertEquals("NOT_CONFIGURED", a.attr("agent", "RedisState"));

        // The positive control: no secret (insecure: true) stores plain text, which the same scan finds.
        String controlPrefix = prefix + "control:";
        LineAppJvm plain = start("plain", config("  insecure: true\n", controlPrefix));
        awaitUp(plain);
        plain.ok("customer 4");

        try (Memcached mc = new Memcached(SERVER)) {
            List<String> keys = mc.keysWithPrefix(prefix, EncryptionIT.PEOPLE + 1);
            assertTrue(keys.stream().filter(k -> k.startsWith(prefix + "customers:")).count() >= EncryptionIT.PEOPLE, keys.toString());
            boolean controlSeen = false;
            for (String key : keys) {
                byte[] value = mc.get(key);
                if (key.startsWith(controlPrefix)) {
                    controlSeen |= value != null && new EncryptionIT.Needle("control", CustomerApp.PEOPLE[3][1]
                            .getBytes(StandardCharsets.UTF_8)).in(value);
                    continue;
                }
                EncryptionIT.assertNoPersonalData("key " + key, key.getBytes(StandardCharsets.UTF_8));
                if (value != null) {
                    EncryptionIT.assertNoPersonalData("the value of " + key, value);
                }
            }
            assertTrue(controlSeen, "control: the insecure agent's plain value is found by the scan: " + keys);

            // A value moved to another key: refused (its key name is bound into the cipher), the method runs.
            List<String> entries = entryKeys(mc, prefix, EncryptionIT.PEOPLE);
            assertEquals(EncryptionIT.PEOPLE, entries.size(), entries.toString());
            String key1 = entries.get(0);
            String key2 = entries.get(1);
            mc.set(key2, mc.get(key1));
            long calls = 0;
            for (int id = 1; id <= EncryptionIT.PEOPLE; id++) {
                Reply r = a.ok("customer " + id);
                assertTrue(Boolean.parseBoolean(r.field("ok")), "the caller got the right record: " + r.line());
                calls = r.calls();
            }
            assertEquals(EncryptionIT.PEOPLE + 1, calls, "exactly the moved value was refused, and its method ran");
            assertEquals(1, a.count("customer(long)", "RejectedEntries"));
            assertEquals(0, a.count("customer(long)", "RemoteErrorCount"));
        }
        assertNoPersonalDataInLogsAndMBeans(a, b, plain);
        assertTrue(results.stream().anyMatch(x -> !x.stderrMatching("does not authenticate").isEmpty()), "the refusal says why");
    }

    @Test
    void aValueUnderTheOldSecretIsReadDuringARotationAndOneUnderAnUnknownSecretIsACountedMiss() throws Exception {
        try (Memcached mc = new Memcached(SERVER)) {
            LineAppJvm before = start("before (old)", config("  secret: " + EncryptionIT.OLD_SECRET + "\n", prefix));
            awaitUp(before);
            assertEquals(1, before.ok("customer 1").calls());
            assertEquals(2, before.ok("customer 2").calls());
            results.add(before.stop());

            LineAppJvm during = start("during (new, old)", config("  secrets: [" + EncryptionIT.SECRET + ", "
                    + EncryptionIT.OLD_SECRET + "]\n", prefix));
            awaitUp(during);
            Reply read = during.ok("customer 1");
            assertEquals(0, read.calls(), "the old secret's value was read as a hit: " + read.line());
            assertTrue(Boolean.parseBoolean(read.field("ok")), read.line());
            assertEquals(0, during.count("customer(long)", "RejectedEntries"));

            LineAppJvm after = start("after (new)", config("  secret: " + EncryptionIT.SECRET + "\n", prefix));
            awaitUp(after);
            assertEquals(1, after.ok("customer 2").calls(), "the old secret's value is a clean miss after the rotation: reloaded");
            assertEquals(0, after.count("customer(long)", "RejectedEntries"));

            // A value under a secret this fleet never had, at a name it reads: a counted miss, never an error.
            LineAppJvm stranger = start("stranger", config("  secret: " + EncryptionIT.UNKNOWN_SECRET + "\n", prefix));
            awaitUp(stranger);
            // Three entries by now: customers 1 and 2 under the old secret's names, 2 under the new one's.
            Set<String> known = new HashSet<>(entryKeys(mc, prefix, 3));
            assertEquals(1, stranger.ok("customer 3").calls());
            String strangerName = only(entryKeys(mc, prefix, known.size() + 1), known);
            known.add(strangerName);
            assertEquals(2, after.ok("customer 3").calls());
            String afterName = only(entryKeys(mc, prefix, known.size() + 1), known);
            mc.set(afterName, mc.get(strangerName));
            Reply foreign = after.ok("customer 3");
            assertEquals(3, foreign.calls(), "the unknown secret's value was refused, the method ran: " + foreign.line());
            assertTrue(Boolean.parseBoolean(foreign.field("ok")), foreign.line());
            assertEquals(1, after.count("customer(long)", "RejectedEntries"));
            assertEquals(0, after.count("customer(long)", "RemoteErrorCount"));
            assertEquals(0, after.count("customer(long)", "ErrorCount"));
            assertNoPersonalDataInLogsAndMBeans(during, after, stranger);
        }
    }

    // ---- helpers ----

    private Result assertNoPersonalDataInLogsAndMBeans(LineAppJvm... jvms) {
        Result last = null;
        for (LineAppJvm j : jvms) {
            String mbeans = new String(java.util.Base64.getDecoder().decode(j.ok("mbeans").value()), StandardCharsets.UTF_8);
            assertTrue(mbeans.contains("MemcachedState="), "the MBeans were read: " + mbeans);
            EncryptionIT.assertNoPersonalData(j.name() + "'s MBean attributes", mbeans.getBytes(StandardCharsets.UTF_8));
            last = j.stop();
            results.add(last);
        }
        for (Result r : results) {
            EncryptionIT.assertNoPersonalData(r.command() + "'s stderr", String.join("\n", r.stderr()).getBytes(StandardCharsets.UTF_8));
        }
        return last;
    }

    /** The entries of the customers cache (not locks, not tombstones, not the control's), in key order. */
    private static List<String> entryKeys(Memcached mc, String prefix, int atLeast) throws IOException {
        List<String> keys = new ArrayList<>();
        for (String k : mc.keysWithPrefix(prefix + "customers:", atLeast)) {
            byte[] v = mc.get(k);
            if (!k.contains("#") && v != null && !(v.length >= 2 && v[0] == 'R' && v[1] == 'X')) {
                keys.add(k);
            }
        }
        keys.sort(null);
        return keys;
    }

    private static String only(List<String> keys, Set<String> known) {
        List<String> fresh = keys.stream().filter(k -> !known.contains(k)).toList();
        assertEquals(1, fresh.size(), "one new entry expected: " + fresh);
        return fresh.get(0);
    }

    private LineAppJvm start(String name, Path config) {
        LineAppJvm app = LineAppJvm.start(name, CustomerApp.class, config, dir);
        apps.add(app);
        return app;
    }

    private Path config(String secretLines, String keyPrefix) throws IOException {
        String yaml = "store: memcached\n"
                + "memcached:\n"
                + "  servers: [" + SERVER + "]\n"
                + "  timeout: 250ms\n"
                + "  keyPrefix: \"" + keyPrefix + "\"\n"
                + secretLines
                + "  allowClasses: [dev.recall.it.**]\n";
        Path file = dir.resolve("recall-" + Integer.toHexString(yaml.hashCode()) + ".yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static void awaitUp(LineAppJvm... jvms) {
        for (LineAppJvm a : jvms) {
            a.awaitAttr("agent", "MemcachedState", "UP"::equals, Duration.ofSeconds(15));
        }
    }

    /** The test's own look at Memcached: the text protocol, byte for byte, no client library in between. */
    static final class Memcached implements AutoCloseable {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;

        Memcached(String hostPort) throws IOException {
            int colon = hostPort.lastIndexOf(':');
            socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), 2000);
            socket.setSoTimeout(5000);
            in = new java.io.BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        /**
         * The keys that start with {@code prefix}, from {@code lru_crawler metadump all}: the union of dumps taken until
         * it holds {@code atLeast} (for up to 5 s), since one dump may miss an item that Memcached's LRU maintainer
         * is moving between its segments meanwhile.
         */
        List<String> keysWithPrefix(String prefix, int atLeast) throws IOException {
            java.util.Set<String> keys = new java.util.LinkedHashSet<>();
            for (int attempt = 0; attempt < 50 && keys.size() < atLeast; attempt++) {
                if (attempt > 0) {
                    LineAppJvm.sleep(100);
                }
                send("lru_crawler metadump all\r\n");
                String line;
                while (!(line = line()).equals("END")) {
                    if (line.startsWith("BUSY") || line.contains("ERROR")) {
                        break;
                    }
                    if (line.startsWith("key=")) {
                        String key = URLDecoder.decode(line.substring(4, line.indexOf(' ')), StandardCharsets.UTF_8);
                        if (key.startsWith(prefix)) {
                            keys.add(key);
                        }
                    }
                }
            }
            return new ArrayList<>(keys);
        }

        byte[] get(String key) throws IOException {
            send("get " + key + "\r\n");
            String head = line();
            if (head.equals("END")) {
                return null;
            }
            int length = Integer.parseInt(head.substring(head.lastIndexOf(' ') + 1));
            byte[] value = in.readNBytes(length);
            line(); // the value's CRLF
            line(); // END
            return value;
        }

        /** The server's {@code stats}: {@code get_hits}, {@code cmd_get}, ... by name. */
        java.util.Map<String, String> stats() throws IOException {
            send("stats\r\n");
            java.util.Map<String, String> stats = new java.util.HashMap<>();
            for (String line; !(line = line()).equals("END"); ) {
                String[] f = line.split(" ");
                if (f.length != 3 || !f[0].equals("STAT")) {
                    throw new IOException("memcached answered " + line + " to stats");
                }
                stats.put(f[1], f[2]);
            }
            return stats;
        }

        void set(String key, byte[] value) throws IOException {
            out.write(("set " + key + " 0 300 " + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(value);
            send("\r\n");
            assertEquals("STORED", line());
        }

        private void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    break;
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
