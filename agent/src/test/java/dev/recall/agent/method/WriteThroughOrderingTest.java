package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.store.Region;
import dev.recall.bridge.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A version oracle over write-through and read-through of one key, as the advice drives them. The
 * "database" hands out versions in commit order, so it always holds the newest committed write; a read is
 * stale when it returns a version older than a write whose call had returned before the read began.
 * Writers race on purpose, with pauses between their commit and their return, where the agent stores.
 */
class WriteThroughOrderingTest {

    private static final long KEY = 7L;
    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int WRITES_EACH = 20_000;

    private final Region region = TestMethods.region("orders");
    private final ReadThroughMethod reader = TestMethods.readThrough("com.acme.Repo.find(long)", region);
    private final WriteThroughMethod writer = new WriteThroughMethod(TestMethods.writeSpec("com.acme.Repo.save(long)", "orders",
            TestMethods.key("{0}", List.of("id")), 1, true, -1, true), region);
    private final AtomicLong database = new AtomicLong();
    /** The highest version whose write-through call has returned. */
    private final AtomicLong completed = new AtomicLong();
    private final LongAdder reads = new LongAdder();
    private final LongAdder stale = new LongAdder();
    private volatile boolean writing = true;

    private static void pause() {
        int n = ThreadLocalRandom.current().nextInt(4);
        for (int i = 0; i < n; i++) {
            Thread.yield();
        }
    }

    private void write() {
        Object call = writer.enter(null, KEY, null, null);
        long version = database.incrementAndGet();
        pause();
        writer.exit((Call) call, version, null);
        completed.accumulateAndGet(version, Math::max);
    }

    private void read() {
        long before = completed.get();
        Object r = reader.enter(null, KEY, null, null);
        long got;
        if (r instanceof Call call) {
            got = database.get();
            pause();
            reader.exit(call, got, null);
        } else {
            got = (Long) r;
        }
        reads.increment();
        if (got < before) {
            stale.increment();
        }
    }

    @Test
    @Timeout(120)
    void noReadReturnsAVersionOlderThanACompletedWrite() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            threads.add(new Thread(() -> {
                for (int n = 0; n < WRITES_EACH; n++) {
                    write();
                }
            }));
        }
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            readers.add(new Thread(() -> {
                while (writing) {
                    read();
                }
            }));
        }
        readers.forEach(Thread::start);
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        writing = false;
        for (Thread t : readers) {
            t.join();
        }
        read();
        assertTrue(reads.sum() > 10_000, "too few reads to mean anything: " + reads.sum());
        assertEquals(0, stale.sum(), stale.sum() + " stale reads in " + reads.sum());
        assertEquals(database.get(), (Long) reader.enter(null, KEY, null, null), "after the last write, the cache holds the database's value");
    }
}
