package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.StrategyKind;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LocalStore;
import dev.recall.agent.store.Region;
import dev.recall.agent.store.Store;
import dev.recall.bridge.Call;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * How far a read reaches: the agent's source files whose code one call runs, for a READ_THROUGH miss and hit on
 * the local store and a hit on Redis ({@link ReadPathTrace}, the first such call in a JVM of its own, so with the
 * method's one-off work; {@link ReadPathMethodTraceTest} counts the calls after it, woven code and bridge
 * included), and the store accesses and key computations of a miss, driven as the woven code drives a method
 * (lookup, enter, the body, exit). Issue 23 asked for a narrow read path; these bounds keep it narrow. The files
 * are bounded where the read path is, in the method and store packages (not the remote stores' internals); the
 * other packages' files are printed with them.
 */
class ReadPathTraceTest {

    /**
     * Files of the method and store packages (less the remote stores'): 18, 7 and 7 before issue 23's read path; the
     * miss 16 before {@code Looked} was folded into {@code ReadMethod}.
     */
    private static final int MISS_FILES = 15;
    private static final int HIT_FILES = 6;
    private static final int REDIS_HIT_FILES = 6;

    /** The local store, with every access recorded. */
    static final class TracedStore implements Store {
        final Store local = new LocalStore(1000, TestMethods.TTL, Runnable::run);
        final List<String> accesses = new ArrayList<>();

        private void trace(String operation) {
            accesses.add(operation);
        }

        @Override
        public Entry get(Object key, Accessor accessor) {
            trace("get");
            return local.get(key, accessor);
        }

        @Override
        public void put(Object key, Entry entry, Accessor accessor) {
            trace("put");
            local.put(key, entry, accessor);
        }

        @Override
        public void remove(Object key, Entry expected) {
            trace("remove");
            local.remove(key, expected);
        }

        @Override
        public void invalidate(Object key) {
            trace("invalidate");
            local.invalidate(key);
        }

        @Override
        public void invalidateAll() {
            local.invalidateAll();
        }

        @Override
        public long size() {
            return local.size();
        }

        @Override
        public long removals() {
            return local.removals();
        }

        @Override
        public Iterable<Object> keys() {
            return local.keys();
        }
    }

    private static ReadThroughMethod method(TracedStore store) {
        return new ReadThroughMethod(TestMethods.readSpec("com.acme.Repo.find(long)", "traced", StrategyKind.READ_THROUGH,
                true), new Region("traced", store));
    }

    /** One call as the woven code makes it: the quick look-up, then enter, and on a miss the body and exit. */
    private static Object call(ReadThroughMethod m, long id) {
        Object r = m.lookup(null, id, null, null);
        if (r == null) {
            r = m.enter(null, id, null, null);
        }
        if (r instanceof Call call) {
            m.exit(call, "thing " + id, null);
            return "thing " + id;
        }
        return r;
    }

    /**
     * The files of the method and store packages (less {@code store/remote}) one call runs code of, from
     * {@link ReadPathTrace} in a JVM of its own; all the agent's files it runs code of are printed.
     */
    private static List<String> filesOf(String... call) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+LogTouchedMethods", "-cp", System.getProperty("java.class.path"),
                ReadPathTrace.class.getName()));
        command.addAll(List.of(call));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        String last = out.substring(out.lastIndexOf('\n') + 1);
        List<String> files = List.of(last.split(" "));
        List<String> readPath = files.stream().filter(f -> (f.startsWith("agent/method/") || f.startsWith("agent/store/"))
                && !f.startsWith("agent/store/remote/")).toList();
        System.out.println("READ_THROUGH " + call[0] + ": " + files.size() + " files, " + readPath.size()
                + " of them in method and store: " + files);
        return readPath;
    }

    @Test
    void aLocalReadThroughMissRunsCodeOfFewFiles() throws Exception {
        assertTrue(filesOf("miss").size() <= MISS_FILES);
    }

    @Test
    void aLocalHitRunsCodeOfFewFiles() throws Exception {
        assertTrue(filesOf("hit").size() <= HIT_FILES);
    }

    /** A hit on Redis alone (no near cache): the key is loaded into Redis by one JVM, and hit by the next. */
    @Test
    void aRedisHitRunsCodeOfFewFiles() throws Exception {
        URI uri = URI.create(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 1000);
        } catch (IOException e) {
            Assumptions.abort("no Redis at " + uri + ": " + e);
        }
        String prefix = "recall-unit-trace-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        filesOf("redis-fill", uri.toString(), prefix);
        assertTrue(filesOf("redis-hit", uri.toString(), prefix).size() <= REDIS_HIT_FILES);
    }

    /** An argument whose key property counts its reads. */
    record Counted(long id, AtomicInteger reads) {
        @Override
        public long id() {
            reads.incrementAndGet();
            return id;
        }
    }

    @Test
    void aMissComputesItsKeyOnce() {
        TracedStore store = new TracedStore();
        ReadThroughMethod m = new ReadThroughMethod(TestMethods.readSpec("com.acme.Repo.find(com.acme.Thing)", "traced",
                TestMethods.key("{0.id}", List.of("t")), StrategyKind.READ_THROUGH, true), new Region("traced", store));
        Counted arg = new Counted(4, new AtomicInteger());
        Object r = m.lookup(null, arg, null, null);
        if (r == null) {
            r = m.enter(null, arg, null, null);
        }
        m.exit(assertInstanceOf(Call.class, r), "four", null);

        assertEquals(1, arg.reads().get(), "the key was computed once");
        assertEquals("four", store.get(4L, null).value());
    }

    @Test
    void aLocalReadThroughMissReadsTheStoreAtMostTwice() {
        TracedStore store = new TracedStore();
        ReadThroughMethod m = method(store);

        assertEquals("thing 1", call(m, 1L));

        System.out.println("local READ_THROUGH miss: " + store.accesses);
        assertEquals(1, m.stats().loads());
        long reads = store.accesses.stream().filter("get"::equals).count();
        assertTrue(reads <= 2, "reads of the store on a miss: " + store.accesses);
    }

    @Test
    void aLocalHitReadsTheStoreOnce() {
        TracedStore store = new TracedStore();
        ReadThroughMethod m = method(store);
        call(m, 1L);
        store.accesses.clear();

        assertInstanceOf(String.class, call(m, 1L));

        System.out.println("local hit: " + store.accesses);
        assertEquals(List.of("get"), store.accesses);
        assertEquals(1, m.stats().hits());
    }
}
