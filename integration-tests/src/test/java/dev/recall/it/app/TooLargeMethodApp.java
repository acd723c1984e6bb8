package dev.recall.it.app;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Calls {@code com.acme.Big}'s {@code small} and {@code big} three times each; the class is compiled by
 * the test into the directory given as the first argument, and loaded from it by a loader of its own.
 */
public class TooLargeMethodApp {

    public static void main(String[] args) throws Exception {
        URL[] dir = {Path.of(args[0]).toUri().toURL()};
        try (URLClassLoader loader = new URLClassLoader(dir, TooLargeMethodApp.class.getClassLoader())) {
            Class<?> big = loader.loadClass("com.acme.Big");
            Method smallMethod = big.getMethod("small", long.class);
            Method bigMethod = big.getMethod("big", long.class);
            for (int i = 0; i < 3; i++) {
                Counter.print("small.result", smallMethod.invoke(null, 7L));
                Counter.print("big.result", bigMethod.invoke(null, 7L));
            }
            Counter.print("small.calls", big.getField("smallCalls").get(null));
            Counter.print("big.calls", big.getField("bigCalls").get(null));
        }
    }
}
