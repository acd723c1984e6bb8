package dev.recall.it.app;

import dev.recall.Cached;

/** Entries live as long as their method's TTL, and no longer. */
public class TtlApp {

    @Cached(ttl = "400ms")
    public String shortLived(String key) {
        Counter.ran("shortLived");
        return key;
    }

    @Cached(ttl = "PT1H")
    public String longLived(String key) {
        Counter.ran("longLived");
        return key;
    }

    /** No ttl: the configured default applies (the test sets defaults.ttl: 400ms in a file). */
    @Cached
    public String defaultTtl(String key) {
        Counter.ran("defaultTtl");
        return key;
    }

    public static void main(String[] args) throws InterruptedException {
        TtlApp app = new TtlApp();
        app.shortLived("k");
        app.shortLived("k");
        app.longLived("k");
        app.defaultTtl("k");
        Counter.print("beforeExpiry.shortLived", Counter.count("shortLived"));
        Thread.sleep(1000);
        app.shortLived("k");
        app.longLived("k");
        app.defaultTtl("k");
        Counter.printCounts();
    }
}
