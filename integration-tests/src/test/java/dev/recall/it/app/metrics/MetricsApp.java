package dev.recall.it.app.metrics;

import dev.recall.Cached;
import dev.recall.Strategy;
import dev.recall.it.app.Jmx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A steady load on two cached methods for the metrics exporters: {@code SECONDS} of calls (misses, then mostly
 * hits), then {@code idle} and the MBeans' figures, then nothing until {@code exit} on stdin, so that whatever
 * scrapes or receives the meters sees counters that no longer move.
 */
public class MetricsApp {

    @Cached(cache = "prices", ttl = "1h")
    public String price(int id) throws InterruptedException {
        Thread.sleep(5);
        return "price-" + id;
    }

    @Cached(ttl = "1h")
    public String stock(int id) throws InterruptedException {
        Thread.sleep(2);
        if (id % 7 == 0) {
            throw new IllegalStateException("no stock figure for " + id);
        }
        return "stock-" + id;
    }

    /** A write-back of the prices: recall_writeback_pending. */
    @Cached(cache = "prices", key = "{0}", strategy = Strategy.WRITE_BACK)
    public void savePrice(int id, String value) {
        // the system of record would be written here
    }

    public static void main(String[] args) throws Exception {
        MetricsApp app = new MetricsApp();
        long seconds = Long.parseLong(args[0]);
        System.out.println("ready");
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int i = 0;
        while (System.nanoTime() < end) {
            app.price(i % 40);
            try {
                app.stock(i % 30);
            } catch (IllegalStateException expected) {
                // a load that throws: cache_loads{result=failure}
            }
            if (i % 50 == 0) {
                app.savePrice(i % 40, "price-" + (i % 40));
            }
            i++;
            Thread.sleep(5);
        }
        System.out.println("idle");
        for (String bean : new String[] {"price(int)", "stock(int)"}) {
            for (String attribute : new String[] {"HitCount", "MissCount", "SavedLatencyMillis", "LoadCount", "LoadFailureCount"}) {
                System.out.println("mbean." + bean.substring(0, bean.indexOf('(')) + "." + attribute + "="
                        + Jmx.attribute(MetricsApp.class, bean, attribute));
            }
        }
        System.out.println("figures printed");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
}
