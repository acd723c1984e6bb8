package dev.recall.agent.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * {@code stats PID}: attaches to a running JVM, starts its local JMX connector (the same one JConsole
 * uses), reads the agent's MBeans and prints one table, the methods that saved the most time first.
 */
final class Stats {

    private static final String[] COLUMNS = {"ShortName", "Strategy", "HitRatio", "HitCount", "MissCount",
        "SavedLatencyMillis", "P50LoadMillis", "P90LoadMillis", "P99LoadMillis", "RefreshCount", "RefreshFailureCount",
        "StaleServedCount", "VerifiedHits", "StaleHits", "UncacheableResults"};

    private Stats() {
    }

    static int run(String pid) {
        try {
            ObjectName agent = new ObjectName("dev.recall:type=Agent");
            return TargetJvm.read(pid, agent, "shows no Recall MBeans: either the agent is not attached "
                    + "(java -jar recall-agent.jar attach " + pid + "), or the JVM started less than 5 seconds ago "
                    + "(the MBeans appear then)", mbs -> {
                        List<Row> rows = new ArrayList<>();
                        for (ObjectName name : mbs.queryNames(new ObjectName("dev.recall:type=CachedMethod,*"), null)) {
                            AttributeList values = mbs.getAttributes(name, COLUMNS);
                            rows.add(Row.of(values));
                        }
                        rows.sort(Comparator.comparingDouble((Row r) -> r.saved).reversed().thenComparing(r -> r.method));
                        print(rows, mbs.getAttributes(agent, new String[] {"HitRatio", "HitCount", "MissCount",
                            "SavedLatencyMillis", "Version", "ErrorCount", "ConfigErrors", "RedisState", "MemcachedState",
                            "InstrumentedMethods"}), pid);
                        return 0;
                    });
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void print(List<Row> rows, AttributeList agent, String pid) {
        int width = "method".length();
        for (Row r : rows) {
            width = Math.max(width, r.method.length());
        }
        String format = "%-" + width + "s  %-13s %9s %10s %10s %10s %9s %9s %9s %9s %11s %9s %9s %10s%n";
        System.out.printf(Locale.ROOT, format, "method", "strategy", "hit ratio", "hits", "misses", "saved",
                "p50 ms", "p90 ms", "p99 ms", "refreshed", "refresh err", "stale", "verified", "stale hits");
        long uncacheable = 0;
        StringBuilder uncacheableByMethod = new StringBuilder();
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, format, r.method, r.strategy, percent(r.hitRatio), r.hits, r.misses,
                    duration(r.saved), ms(r.p50), ms(r.p90), ms(r.p99), r.refreshes, r.refreshFailures, r.staleServed,
                    r.verified, r.staleHits);
            if (r.uncacheable > 0) {
                uncacheable += r.uncacheable;
                uncacheableByMethod.append(String.format(Locale.ROOT, "  %-" + width + "s  %d%n", r.method, r.uncacheable));
            }
        }
        double ratio = (Double) value(agent, "HitRatio");
        System.out.printf(Locale.ROOT, "%ntotal: %d methods, hit ratio %s, %d hits, %d misses, %s saved; agent %s, %d errors%n",
                rows.size(), percent(ratio), (Long) value(agent, "HitCount"), (Long) value(agent, "MissCount"),
                duration((Double) value(agent, "SavedLatencyMillis")), value(agent, "Version"), (Long) value(agent, "ErrorCount"));
        String shared = shared("Redis", value(agent, "RedisState")) + shared("Memcached", value(agent, "MemcachedState"));
        if (!shared.isEmpty()) {
            System.out.println("shared stores:" + shared);
        }
        String[] matched = (String[]) value(agent, "InstrumentedMethods");
        if (matched != null && matched.length > rows.size()) {
            // A matched method gets its figures and MBean at its first call; until then it is only listed as matched.
            System.out.printf(Locale.ROOT, "%d more matched method(s) not called yet (%d matched in all)%n",
                    matched.length - rows.size(), matched.length);
        }
        if (uncacheable > 0) {
            // After the table, so scripts reading its columns read the same columns.
            System.out.print(uncacheable + " result(s) returned but not cached, that call only: they could not be copied "
                    + "faithfully (an uninitialized lazy association; UncacheableReasons on the method's MBean says which)\n"
                    + uncacheableByMethod);
        }
        String[] configErrors = (String[]) value(agent, "ConfigErrors");
        if (configErrors.length > 0) {
            System.out.println(configErrors.length + " configuration error(s):");
            for (String e : configErrors) {
                System.out.println("  " + e);
            }
        }
        System.out.println("(load percentiles over the last 2 minutes; JVM " + pid + ")");
    }

    /** " Redis UP" for a store the file configures; empty for one it does not (or an agent too old to say). */
    private static String shared(String store, Object state) {
        return state == null || "NOT_CONFIGURED".equals(state) ? "" : " " + store + " " + state;
    }

    static Object value(AttributeList list, String name) {
        for (Attribute a : list.asList()) {
            if (a.getName().equals(name)) {
                return a.getValue();
            }
        }
        return null;
    }

    static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.1f", millis);
    }

    /** A human duration: {@code 850 ms}, {@code 12.4 s}, {@code 3.2 min}, {@code 1.5 h}. */
    static String duration(double millis) {
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", millis);
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000);
        }
        if (millis < 3_600_000) {
            return String.format(Locale.ROOT, "%.1f min", millis / 60_000);
        }
        return String.format(Locale.ROOT, "%.1f h", millis / 3_600_000);
    }

    /** One method's figures, with its signature shortened to simple class and parameter names. */
    private static final class Row {
        String method;
        String strategy;
        double hitRatio;
        long hits;
        long misses;
        double saved;
        double p50;
        double p90;
        double p99;
        long refreshes;
        long refreshFailures;
        long staleServed;
        long verified;
        long staleHits;
        long uncacheable;

        static Row of(AttributeList values) {
            Row r = new Row();
            r.method = (String) value(values, "ShortName");
            r.strategy = (String) value(values, "Strategy");
            r.hitRatio = (Double) value(values, "HitRatio");
            r.hits = (Long) value(values, "HitCount");
            r.misses = (Long) value(values, "MissCount");
            r.saved = (Double) value(values, "SavedLatencyMillis");
            r.p50 = (Double) value(values, "P50LoadMillis");
            r.p90 = (Double) value(values, "P90LoadMillis");
            r.p99 = (Double) value(values, "P99LoadMillis");
            r.refreshes = (Long) value(values, "RefreshCount");
            r.refreshFailures = (Long) value(values, "RefreshFailureCount");
            r.staleServed = (Long) value(values, "StaleServedCount");
            r.verified = (Long) value(values, "VerifiedHits");
            r.staleHits = (Long) value(values, "StaleHits");
            Object uncacheable = value(values, "UncacheableResults"); // absent from an older agent's MBean
            r.uncacheable = uncacheable == null ? 0 : (Long) uncacheable;
            return r;
        }
    }

}
