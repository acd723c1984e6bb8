package dev.recall.it.app.child;

import dev.recall.Cached;

/** Loaded by an isolated class loader that cannot see the application class path. */
public class ChildLoaded {

    public static int calls;

    @Cached
    public String greet(String name) {
        calls++;
        return "hello " + name;
    }
}
