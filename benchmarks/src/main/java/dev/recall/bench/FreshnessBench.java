package dev.recall.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Hits with each freshness setting, against a hit with none; runs only in a JVM with the agent attached. */
@State(Scope.Benchmark)
public class FreshnessBench {

    private final FreshnessTargets targets = new FreshnessTargets();

    @Setup
    public void fill() {
        if (System.getProperty("dev.recall.agent.installed") == null) {
            throw new IllegalStateException("FreshnessBench needs -javaagent:agent/target/recall-agent.jar; run benchmarks/freshness.sh");
        }
        String scrape = System.getProperty("recall.bench.scrape");
        if (scrape != null) {
            scrapeEvery100ms(java.net.URI.create(scrape));
        }
        Keys k = new Keys();
        for (int i = 0; i < Work.KEYS; i++) {
            fixed(k);
            jittered(k);
            refreshAhead(k);
            staleIfError(k);
        }
    }

    /** A Prometheus server's part, ten times as often as one usually scrapes: the endpoint at work during the hits. */
    private static void scrapeEvery100ms(java.net.URI uri) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (java.io.IOException e) {
                    // not listening yet
                }
            }
        }, "bench-scraper");
        t.setDaemon(true);
        t.start();
    }

    @Benchmark
    public String fixed(Keys k) {
        return targets.fixed(k.ids[k.next()]);
    }

    @Benchmark
    public String jittered(Keys k) {
        return targets.jittered(k.ids[k.next()]);
    }

    @Benchmark
    public String refreshAhead(Keys k) {
        return targets.refreshAhead(k.ids[k.next()]);
    }

    @Benchmark
    public String staleIfError(Keys k) {
        return targets.staleIfError(k.ids[k.next()]);
    }
}
