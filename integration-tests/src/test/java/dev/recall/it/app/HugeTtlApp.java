package dev.recall.it.app;

import dev.recall.Cached;

/** A TTL whose nanoseconds do not fit in a long, beside a method that is fine, in one class. */
public class HugeTtlApp {

    @Cached(ttl = "1000000d")
    public String forever(long id) {
        Counter.ran("forever");
        return "x";
    }

    @Cached(ttl = "1m")
    public String fine(long id) {
        Counter.ran("fine");
        return "y";
    }

    public static void main(String[] args) {
        HugeTtlApp app = new HugeTtlApp();
        app.forever(1);
        app.forever(1);
        app.fine(1);
        app.fine(1);
        Counter.printCounts();
    }
}
