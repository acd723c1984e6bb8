package dev.recall.sample.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * What the agent in a service says about itself, read over JMX: the {@code stats} table, and how the
 * service used the shared cache. MBean and attribute names are the agent's public contract.
 */
final class AgentFigures {

    private static final ObjectName AGENT = name("dev.recall:type=Agent");
    private static final ObjectName ALL_METHODS = name("dev.recall:type=CachedMethod,*");

    private AgentFigures() {
    }

    /** The agent's own report: its {@code stats} command, which reads the MBeans over JMX. */
    static String statsTable(Path agentJar, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", agentJar.toString(),
                "stats", Long.toString(pid)).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text.strip();
    }

    /** Sets every method's counters back to zero, so that the figures read later cover only what followed. */
    static void reset(MBeanServerConnection mbs) throws JMException, IOException {
        mbs.invoke(AGENT, "resetStatistics", null, null);
    }

    /**
     * A service's use of the shared cache, summed over its cached methods.
     *
     * @param redisState   the agent's view of the shared store, "Redis UP" or "Memcached UP" (DOWN, PROBING)
     * @param remoteHits   reads its near cache did not have and Redis did
     * @param nearHits     reads answered by its near cache
     * @param remoteMisses reads neither had, so the method ran
     * @param remoteErrors calls that could not use Redis (each ran the method)
     * @param rejected     values in Redis refused unread (bad signature, or a class not allowed)
     */
    record Sharing(String redisState, long remoteHits, long nearHits, long remoteMisses, long remoteErrors, long rejected) {
        String describe() {
            return String.format(Locale.ROOT, "%s; %d remote hits, %d near hits, %d remote misses, %d remote errors, "
                    + "%d rejected entries", redisState, remoteHits, nearHits, remoteMisses, remoteErrors, rejected);
        }
    }

    static Sharing sharing(MBeanServerConnection mbs) throws JMException, IOException {
        long remoteHits = 0;
        long nearHits = 0;
        long remoteMisses = 0;
        long remoteErrors = 0;
        long rejected = 0;
        for (ObjectName method : mbs.queryNames(ALL_METHODS, null)) {
            remoteHits += count(mbs, method, "RemoteHitCount");
            nearHits += count(mbs, method, "NearHitCount");
            remoteMisses += count(mbs, method, "RemoteMissCount");
            remoteErrors += count(mbs, method, "RemoteErrorCount");
            rejected += count(mbs, method, "RejectedEntries");
        }
        String memcached = "NOT_CONFIGURED";
        try {
            memcached = (String) mbs.getAttribute(AGENT, "MemcachedState");
        } catch (javax.management.AttributeNotFoundException olderAgent) {
            // an agent from before store: memcached
        }
        String state = "NOT_CONFIGURED".equals(memcached) ? "Redis " + mbs.getAttribute(AGENT, "RedisState") : "Memcached " + memcached;
        return new Sharing(state, remoteHits, nearHits, remoteMisses, remoteErrors, rejected);
    }

    /**
     * How a method fared through an outage of what it calls, summed over the instances: the stale values it
     * served ({@code staleIfError}), the longest past its TTL of any of them, and its refreshes.
     */
    record Freshness(long staleServed, double maxStaleMillis, long refreshes, long refreshFailures, long loadFailures) {

        Freshness plus(Freshness o) {
            return new Freshness(staleServed + o.staleServed, Math.max(maxStaleMillis, o.maxStaleMillis), refreshes + o.refreshes,
                    refreshFailures + o.refreshFailures, loadFailures + o.loadFailures);
        }

        String describe() {
            return String.format(Locale.ROOT, "%d stale rates served (the oldest %.1f s past its ttl), %d refreshes, "
                    + "%d failed refreshes, %d failed loads", staleServed, maxStaleMillis / 1000, refreshes, refreshFailures,
                    loadFailures);
        }
    }

    /** @param signature as the agent names the method */
    static Freshness freshness(MBeanServerConnection mbs, String signature) throws JMException, IOException {
        ObjectName method = name("dev.recall:type=CachedMethod,name=" + ObjectName.quote(signature));
        return new Freshness(count(mbs, method, "StaleServedCount"), (Double) mbs.getAttribute(method, "MaxStaleMillis"),
                count(mbs, method, "RefreshCount"), count(mbs, method, "RefreshFailureCount"),
                count(mbs, method, "LoadFailureCount"));
    }

    /** One method's counters that show where its answers came from. */
    record MethodCounts(long remoteHits, long loads) {
    }

    /** @param signature as the agent names the method, e.g. {@code com.acme.Repo.find(long)} */
    static MethodCounts method(MBeanServerConnection mbs, String signature) throws JMException, IOException {
        ObjectName method = name("dev.recall:type=CachedMethod,name=" + ObjectName.quote(signature));
        return new MethodCounts(count(mbs, method, "RemoteHitCount"), count(mbs, method, "LoadCount"));
    }

    private static long count(MBeanServerConnection mbs, ObjectName bean, String attribute) throws JMException, IOException {
        return (Long) mbs.getAttribute(bean, attribute);
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
