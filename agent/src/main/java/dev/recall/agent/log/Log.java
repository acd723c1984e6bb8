package dev.recall.agent.log;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's voice: one line per event on stderr, prefixed {@code [recall]}.
 *
 * <p>Deliberately not java.util.logging or any logging library: touching JUL during premain changes the
 * application's own logging setup, and the application's logging library may be the thing we instrument.
 * Shared by all threads; {@link #once} remembers what it said in a concurrent set.
 */
public final class Log {

    private static final String PREFIX = "[recall] ";
    private static volatile boolean debug = "debug".equalsIgnoreCase(System.getProperty("recall.log"));
    private static final Set<String> said = ConcurrentHashMap.newKeySet();

    private Log() {
    }

    public static boolean debugEnabled() {
        return debug;
    }

    public static void debug(String message) {
        if (debug) {
            System.err.println(PREFIX + "debug: " + message);
        }
    }

    public static void info(String message) {
        System.err.println(PREFIX + message);
    }

    public static void warn(String message) {
        System.err.println(PREFIX + "WARNING: " + message);
    }

    public static void error(String message) {
        System.err.println(PREFIX + "ERROR: " + message);
    }

    /** A note said the first time its {@code topic} is seen, and only then. */
    public static void infoOnce(String topic, String message) {
        if (said.add(topic)) {
            info(message);
        }
    }

    /** A warning said the first time its {@code topic} is seen, and only then. */
    public static void warnOnce(String topic, String message) {
        if (said.add(topic)) {
            warn(message);
        }
    }

    /**
     * Logs a failure the first time its {@code topic} is seen, and only then; with debug logging on, the
     * stack trace follows. Repeats are counted by the caller, not printed.
     */
    public static void once(String topic, String message, Throwable cause) {
        if (!said.add(topic)) {
            return;
        }
        String why = cause == null ? "" : ": " + cause;
        System.err.println(PREFIX + "ERROR: " + message + why
                + (debug || cause == null ? "" : " (further occurrences are counted, not logged; -Drecall.log=debug shows the stack trace)"));
        if (debug && cause != null) {
            cause.printStackTrace(System.err);
        }
    }
}
