package dev.recall.it.app.footprint.loop;

import dev.recall.Cached;

/**
 * What {@link dev.recall.it.app.footprint.LoaderLoopApp} defines afresh in each of its class loaders, as a
 * redeployed application would; never loaded by the application class loader.
 */
public final class Redeployed {

    public static int calls;

    @Cached(ttl = "10m")
    public static String name(int id) {
        calls++;
        return "name-" + id;
    }

    @Cached(ttl = "10m")
    public static long square(long x) {
        calls++;
        return x * x;
    }
}
