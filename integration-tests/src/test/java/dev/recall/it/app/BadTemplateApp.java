package dev.recall.it.app;

import dev.recall.Cached;

/** A key template naming a parameter that does not exist: a configuration error found at class load. */
public class BadTemplateApp {

    @Cached(key = "{customerId}")
    public String broken(long id) {
        Counter.ran("broken");
        return "x";
    }

    @Cached
    public String fine(long id) {
        Counter.ran("fine");
        return "y";
    }

    public static void main(String[] args) {
        BadTemplateApp app = new BadTemplateApp();
        app.broken(1);
        app.broken(1);
        app.fine(1);
        app.fine(1);
        Counter.printCounts();
    }
}
