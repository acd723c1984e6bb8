package dev.recall.it.app;

import dev.recall.CacheEvict;
import dev.recall.Cached;

/** Evictions by key and of all entries, before or after the call, and what a failing call evicts. */
public class EvictApp {

    @Cached(cache = "items", key = "{0}")
    public String item(String id) {
        Counter.ran("item:" + id);
        return "item-" + id;
    }

    @CacheEvict(cache = "items", key = "{0}")
    public void remove(String id) {
    }

    @CacheEvict(cache = "items", key = "{id}")
    public void removeButFail(String id) {
        throw new IllegalStateException("the delete did not happen");
    }

    @CacheEvict(cache = "items", key = "{0}", beforeInvocation = true)
    public void removeFirstThenFail(String id) {
        throw new IllegalStateException("fails after the eviction");
    }

    @CacheEvict(cache = "items", allEntries = true)
    public void clear() {
    }

    public static void main(String[] args) {
        EvictApp app = new EvictApp();
        app.item("a");
        app.item("b");
        app.item("a");
        app.remove("a");
        app.item("a");
        app.item("b");
        Counter.print("afterRemove.a", Counter.count("item:a"));
        Counter.print("afterRemove.b", Counter.count("item:b"));

        try {
            app.removeButFail("a");
        } catch (IllegalStateException expected) {
            // the application's own failure, passed through untouched
        }
        app.item("a");
        Counter.print("afterFailedRemove.a", Counter.count("item:a"));

        try {
            app.removeFirstThenFail("a");
        } catch (IllegalStateException expected) {
            // evicted before the body ran
        }
        app.item("a");
        Counter.print("afterBeforeInvocation.a", Counter.count("item:a"));

        app.clear();
        app.item("a");
        app.item("b");
        Counter.print("afterClear.a", Counter.count("item:a"));
        Counter.print("afterClear.b", Counter.count("item:b"));
    }
}
