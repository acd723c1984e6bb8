package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.LineAppJvm.Reply;
import dev.recall.it.app.writeback.WriteBackApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code WRITE_BACK} (the contract's strategies) in an application JVM started with the real agent jar:
 * the caller returns at once and reads see the write; the method runs later on the agent's writer, which
 * coalesces writes per key, retries failures, is bounded (the caller writes through when it is full) and
 * drains at JVM shutdown. The "database" is a file that outlives the JVM ({@link WriteBackApp}).
 */
class WriteBackIT {

    @TempDir
    Path dir;

    private final List<LineAppJvm> apps = new ArrayList<>();

    @AfterEach
    void stop() {
        apps.forEach(LineAppJvm::stop);
    }

    @Test
    void theCallerReturnsAtOnceReadsSeeTheWriteAndTheMethodRunsLater() throws IOException {
        LineAppJvm app = start("writeBack:\n  delay: 300ms\n");
        Reply saved = app.ok("save 1 alice");
        assertEquals(0, saved.number("saves"), "the body did not run in the caller: " + saved.line());
        assertEquals("null", app.ok("db 1").value(), "not in the database yet");
        Reply read = app.ok("load 1");
        assertEquals("alice", read.value(), "a read sees the write at once");
        assertEquals(0, read.number("loads"), "from the cache: " + read.line());
        assertEquals(1, app.count("save(long,java.lang.String)", "PendingWrites"));

        awaitDb(app, 1, "alice");
        assertEquals(1, app.count("save(long,java.lang.String)", "FlushedWrites"));
        assertEquals(0, app.count("save(long,java.lang.String)", "PendingWrites"));
        assertEquals("alice", app.ok("load 1").value());
    }

    @Test
    void writesOfOneKeyAreCoalescedLastWins() throws IOException {
        LineAppJvm app = start("writeBack:\n  delay: 500ms\n");
        Reply burst = app.ok("burst 7 50");
        assertEquals(0, burst.number("saves"), burst.line());
        assertEquals("v50", app.ok("load 7").value());
        awaitDb(app, 7, "v50");
        LineAppJvm.sleep(300);
        Reply after = app.ok("save 8 other");
        assertTrue(after.number("saves") <= 2, "50 writes of one key within the delay ran as one (or two): " + after.line());
        assertTrue(app.count("save(long,java.lang.String)", "CoalescedWrites") >= 48);
        assertEquals("v50", app.ok("db 7").value(), "the last write won");
    }

    @Test
    void aFailingWriteIsRetriedUntilItSucceedsAndReadersSeeItMeanwhile() throws IOException {
        LineAppJvm app = start("writeBack:\n  delay: 50ms\n");
        app.ok("failing on");
        app.ok("save 3 bob");
        app.awaitAttr("save(long,java.lang.String)", "FailedWrites", v -> v.matches("[2-9]|\\d\\d+"), Duration.ofSeconds(10));
        assertEquals(1, app.count("save(long,java.lang.String)", "PendingWrites"), "a failed write is kept, not dropped");
        assertTrue(Double.parseDouble(app.attr("save(long,java.lang.String)", "OldestPendingWriteMillis")) >= 100);
        assertEquals("bob", app.ok("load 3").value(), "readers see the accepted write while it is retried");
        assertEquals("null", app.ok("db 3").value());

        app.ok("failing off");
        awaitDb(app, 3, "bob");
        assertEquals(0, app.count("save(long,java.lang.String)", "PendingWrites"));
        Result r = app.stop();
        assertEquals(1, r.stderrMatching("write-back: a write of").size(), "the failure is reported once\n" + r);
    }

    @Test
    void whenTheQueueIsFullCallersWriteThrough() throws IOException {
        LineAppJvm app = start("writeBack:\n  delay: 5s\n  maxPending: 5\n");
        Reply fill = app.ok("fill 100 20");
        assertEquals(15, fill.number("saves"), "5 accepted, 15 written by their callers: " + fill.line());
        assertEquals("n-119", app.ok("db 119").value(), "written through");
        assertEquals("null", app.ok("db 100").value(), "accepted, not yet written");
        for (int id = 100; id < 120; id++) {
            assertEquals("n-" + id, app.ok("load " + id).value());
        }
        assertEquals(0, app.ok("load 100").number("loads"), "every read was a hit");
        assertEquals(5, app.count("save(long,java.lang.String)", "PendingWrites"));
    }

    /**
     * Four threads, each the only writer of its ids, keep a queue of 3 places full, so callers write
     * through while the writer runs older writes of the same ids; writes throw for the first 600 ms.
     * Key by key, the database ends with the last write each caller was not told failed.
     */
    @Test
    void underAFullQueueAndAStoreFailureEachKeyEndsWithItsLastAcceptedWrite() throws IOException {
        LineAppJvm app = start("writeBack:\n  delay: 10ms\n  maxPending: 3\n");
        Reply race = app.ok("race 4 40 3 600");
        assertTrue(race.number("errors") > 0, "some callers wrote through while the store failed: " + race.line());
        java.util.Map<Long, String> expected = new java.util.TreeMap<>();
        for (long id = 1000; id < 1012; id++) {
            expected.put(id, "null"); // every save of it threw to its caller: nothing was accepted
        }
        expected.putAll(lastAccepted(race));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (app.count("save(long,java.lang.String)", "PendingWrites") > 0 && System.nanoTime() < deadline) {
            LineAppJvm.sleep(50);
        }
        java.util.Map<Long, String> actual = new java.util.TreeMap<>();
        for (long id : expected.keySet()) {
            actual.put(id, app.ok("db " + id).value());
        }
        assertEquals(expected, actual, "the database, key by key, against each key's last accepted write");
    }

    /**
     * The three faults at once: under load with a full queue, the store fails for 5 s, and the JVM is
     * stopped with SIGTERM while accepted writes still wait. Key by key, what reached the database after the
     * JVM exited is each key's last save that returned normally to its caller: last write wins, nothing lost.
     */
    @Test
    void aFiveSecondStoreFailureAFullQueueAndASigtermLoseNothingAccepted() throws IOException {
        LineAppJvm app = start("writeBack:\n  delay: 300ms\n  maxPending: 3\n  drainTimeout: 20s\n");
        Reply race = app.ok("race 4 60 3 5000");
        assertTrue(race.number("errors") > 0, "some callers wrote through while the store failed: " + race.line());
        java.util.Map<Long, String> expected = lastAccepted(race);
        assertTrue(app.count("save(long,java.lang.String)", "PendingWrites") > 0, "writes still wait when the JVM is stopped");
        Result r = app.terminate();
        java.util.Map<Long, String> actual = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("db/accounts.txt"))) {
            long id = Long.parseLong(line.substring(0, line.indexOf('=')));
            if (expected.containsKey(id)) {
                actual.put(id, line.substring(line.indexOf('=') + 1)); // the file's last line for the id wins
            }
        }
        assertEquals(expected, actual, "the database after SIGTERM, key by key, against each key's last accepted write\n" + r);
    }

    @Test
    void anEntryEvictedBeforeItsWriteRanIsNotReadBackFromTheOldDatabase() throws IOException {
        LineAppJvm app = start("defaults:\n  maxSize: 1\nwriteBack:\n  delay: 3s\n");
        app.ok("fill 1 1");
        for (int id = 2; id <= 50; id++) {
            app.ok("save " + id + " x"); // the region holds one entry: entry 1 is long gone
        }
        Reply read = app.ok("load 1");
        assertEquals("n-1", read.value(), "the pending write, not the database's nothing: " + read.line());
        assertEquals(0, read.number("loads"), read.line());
    }

    @Test
    void atShutdownEveryAcceptedWriteIsMade() throws IOException {
        LineAppJvm app = start("writeBack:\n  delay: 1m\n");
        app.ok("fill 200 10");
        assertEquals("null", app.ok("db 200").value());
        Result r = app.stop();
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = Files.readAllLines(dir.resolve("db/accounts.txt"));
        for (int id = 200; id < 210; id++) {
            assertTrue(lines.contains(id + "=n-" + id), "write " + id + " reached the database at shutdown: " + lines);
        }
    }

    @Test
    void writesThatCannotBeMadeBeforeExitAreReportedNotDropped() throws IOException {
        LineAppJvm app = start("writeBack:\n  delay: 1m\n  drainTimeout: 500ms\n");
        app.ok("failing on");
        app.ok("save 300 lost-one");
        Result r = app.stop();
        List<String> lines = r.stderrMatching("did not reach the method before the JVM exited");
        assertEquals(1, lines.size(), r.toString());
        assertTrue(lines.get(0).contains("WriteBackApp.save(long,java.lang.String)") && lines.get(0).contains("1 accepted write(s)")
                && lines.get(0).contains("their keys: Long"), lines.get(0));
        assertFalse(lines.get(0).contains("300"), "a key's type, never its value: " + lines.get(0));
        assertFalse(Files.exists(dir.resolve("db/accounts.txt")), "nothing was written");
    }

    private LineAppJvm start(String yaml) throws IOException {
        Path config = dir.resolve("recall.yml");
        Files.writeString(config, yaml);
        LineAppJvm app = LineAppJvm.start("app", WriteBackApp.class, config, dir.resolve("db"));
        apps.add(app);
        return app;
    }

    /** The race's {@code last=ID:NAME,...}: each id's last save that returned normally to its caller. */
    private static java.util.Map<Long, String> lastAccepted(Reply race) {
        java.util.Map<Long, String> last = new java.util.TreeMap<>();
        for (String pair : race.field("last").split(",")) {
            last.put(Long.parseLong(pair.substring(0, pair.indexOf(':'))), pair.substring(pair.indexOf(':') + 1));
        }
        return last;
    }

    private static void awaitDb(LineAppJvm app, long id, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String v;
        do {
            v = app.ok("db " + id).value();
            if (expected.equals(v)) {
                return;
            }
            LineAppJvm.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the database holds '" + v + "' for " + id + ", not '" + expected + "', 10 s later");
    }
}
