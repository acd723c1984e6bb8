package dev.recall.it.app;

import dev.recall.Cached;

/** The agent fails while computing a key: the method must run as if there were no agent. */
public class FailureApp {

    public static class Explosive {
        public String getId() {
            throw new IllegalStateException("getter blows up");
        }
    }

    @Cached(key = "{0.id}")
    public String lookup(Explosive e) {
        Counter.ran("lookup");
        return "ran";
    }

    public static void main(String[] args) {
        FailureApp app = new FailureApp();
        Explosive e = new Explosive();
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            results.append(app.lookup(e)).append(i < 4 ? "," : "");
        }
        Counter.print("lookup.results", results);
        Counter.printCounts();
    }
}
