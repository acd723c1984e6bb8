package dev.recall.agent.method;

import dev.recall.agent.config.ConfigLoader;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.config.RedisSettings;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.StrategyKind;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LocalStore;
import dev.recall.agent.store.Region;
import dev.recall.agent.store.remote.RedisState;
import dev.recall.agent.store.remote.RedisStores;
import dev.recall.bridge.Call;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.TreeSet;
import javax.management.ObjectName;

/**
 * Run in a JVM of its own with {@code -XX:+LogTouchedMethods} by {@link ReadPathTraceTest}: prints the agent's
 * source files whose code one call runs for the first time in that JVM, after the method was built, by their path
 * below {@code dev/recall/} ({@code agent/store/Region.java}). The call is
 * made as the woven code makes it: the quick look-up, then enter, and on a miss the body and exit.
 */
final class ReadPathTrace {

    private ReadPathTrace() {
    }

    /**
     * @param args {@code miss} or {@code hit} (the local store), or {@code redis-fill} then {@code redis-hit} with the
     *     Redis URI and a key prefix (a Redis store: one JVM loads the key into Redis, the next one's call hits it);
     *     a further argument prints the methods too
     */
    public static void main(String[] args) throws Exception {
        boolean redis = args[0].startsWith("redis-");
        boolean hit = args[0].equals("hit");
        LocalStore store = new LocalStore(1000, TestMethods.TTL, Runnable::run);
        RedisStores stores = redis ? new RedisStores(redisSettings(args[1], args[2]), null) : null;
        ReadThroughMethod m = new ReadThroughMethod(TestMethods.readSpec("com.acme.Repo.find(long)", "traced",
                StrategyKind.READ_THROUGH, true), new Region("traced", redis ? stores.create("traced", StoreKind.REDIS) : store));
        // The connector connects in the background: wait for it rather than trace a call that runs uncached.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (redis && stores.state() != RedisState.UP && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (redis && stores.state() != RedisState.UP) {
            throw new AssertionError("Redis at " + args[1] + " is not readable");
        }
        if (hit) {
            long now = System.nanoTime();
            store.put(1L, new Entry("thing 1", 1000, now, now + TestMethods.TTL.toNanos(), now + TestMethods.TTL.toNanos(),
                    false), Accessor.NONE);
        }
        Set<String> before = touchedMethods();
        Object r = m.lookup(null, 1L, null, null);
        if (r == null) {
            r = m.enter(null, 1L, null, null);
        }
        if (r instanceof Call call) {
            m.exit(call, "thing 1", null);
        }
        Set<String> during = touchedMethods();
        during.removeAll(before);
        Set<String> files = new TreeSet<>();
        for (String method : during) {
            String type = method.substring(0, method.indexOf('.'));
            int nested = type.indexOf('$');
            files.add((nested < 0 ? type : type.substring(0, nested)).substring("dev/recall/".length()) + ".java");
        }
        if (m.stats().loads() + m.stats().hits() != 1) {
            throw new AssertionError("not one call: " + m.stats().loads() + " loads, " + m.stats().hits() + " hits");
        }
        if (args[0].equals("redis-hit")) {
            m.region().invalidate(1L);
        }
        if (args.length > (redis ? 3 : 1)) {
            during.forEach(System.out::println); // by hand: which methods of those files
        }
        System.out.println(String.join(" ", files));
    }

    /** The {@code redis:} section of a configuration file for Redis at {@code uri}, its keys under {@code prefix}. */
    private static RedisSettings redisSettings(String uri, String prefix) {
        RecallConfig config = ConfigLoader.parse("trace.yml", "redis:\n  uri: " + uri + "\n  timeout: 1s\n  keyPrefix: \""
                + prefix + "\"\n  secret: 0123456789abcdef0123456789abcdef\n");
        if (config.redis() == null) {
            throw new AssertionError("no redis section: " + config.errors());
        }
        return config.redis();
    }

    /** The agent's methods run so far in this JVM. */
    private static Set<String> touchedMethods() throws Exception {
        String touched = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmPrintTouchedMethods",
                new Object[] {null}, new String[] {String[].class.getName()});
        Set<String> methods = new TreeSet<>();
        for (String line : touched.split("\n")) {
            if (line.startsWith("dev/recall/") && !line.startsWith("dev/recall/agent/method/ReadPathTrace")) {
                methods.add(line);
            }
        }
        return methods;
    }
}
