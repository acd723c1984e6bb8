package dev.recall.it.app;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.recall.Cached;

/** An application that uses its own, older Caffeine next to the agent's relocated copy. */
public class OwnCaffeineApp {

    @Cached
    public String cached(String key) {
        Counter.ran("cached");
        return key + key;
    }

    public static void main(String[] args) {
        Cache<String, String> own = Caffeine.newBuilder().maximumSize(10).build();
        own.put("x", "from the application's cache");
        Counter.print("own.value", own.getIfPresent("x").replace(' ', '_'));
        String jar = Caffeine.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        Counter.print("own.jar", jar.substring(jar.lastIndexOf('/') + 1));
        OwnCaffeineApp app = new OwnCaffeineApp();
        app.cached("a");
        app.cached("a");
        Counter.printCounts();
    }
}
