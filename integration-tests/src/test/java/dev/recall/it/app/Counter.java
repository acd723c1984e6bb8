package dev.recall.it.app;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts how often each method body really ran, and prints the counts as {@code name=value} lines. */
public final class Counter {

    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    private Counter() {
    }

    public static void ran(String method) {
        CALLS.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
    }

    public static int count(String method) {
        AtomicInteger c = CALLS.get(method);
        return c == null ? 0 : c.get();
    }

    public static void print(String name, Object value) {
        System.out.println(name + "=" + value);
    }

    public static void printCounts() {
        new TreeMap<>(CALLS).forEach((k, v) -> print(k + ".calls", v.get()));
    }
}
