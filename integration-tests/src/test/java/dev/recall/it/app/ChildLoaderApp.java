package dev.recall.it.app;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a class with {@code @Cached} methods through a class loader whose parent is the platform loader:
 * it sees neither the application class path nor the agent, only the bootstrap bridge.
 */
public class ChildLoaderApp {

    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("test-classes") || entry.contains("recall-annotations")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            Class<?> type = isolated.loadClass("dev.recall.it.app.child.ChildLoaded");
            Counter.print("loader.isolated", type.getClassLoader() == isolated
                    && type != dev.recall.it.app.child.ChildLoaded.class);
            Object instance = type.getConstructor().newInstance();
            var greet = type.getMethod("greet", String.class);
            List<Object> results = List.of(greet.invoke(instance, "a"), greet.invoke(instance, "a"), greet.invoke(instance, "b"));
            Counter.print("child.results", results);
            Counter.print("child.calls", type.getField("calls").get(null));
        }
    }
}
