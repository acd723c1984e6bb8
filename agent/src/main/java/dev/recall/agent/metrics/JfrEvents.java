package dev.recall.agent.metrics;

import jdk.jfr.FlightRecorder;

/** What {@link Jfr} does where the {@code jdk.jfr} module exists; loaded only then. */
final class JfrEvents {

    private JfrEvents() {
    }

    /** A static volatile read in the JDK; loads no event class. */
    static boolean recorderStarted() {
        return FlightRecorder.isInitialized();
    }

    static Object loadBegins() {
        LoadEvent e = new LoadEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    static void loadEnded(Object token, String method, Object key, boolean succeeded) {
        LoadEvent e = (LoadEvent) token;
        e.end();
        if (e.shouldCommit()) {
            e.method = method;
            e.keyHash = key == null ? 0 : key.hashCode();
            e.succeeded = succeeded;
            e.commit();
        }
    }

    static Object reloadBegins() {
        RefreshEvent e = new RefreshEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    static void reloadEnded(Object token, String method, Object key, boolean ahead, boolean succeeded) {
        RefreshEvent e = (RefreshEvent) token;
        e.end();
        if (e.shouldCommit()) {
            e.method = method;
            e.keyHash = key == null ? 0 : key.hashCode();
            e.ahead = ahead;
            e.succeeded = succeeded;
            e.commit();
        }
    }

    static void staleServed(String method, Object key, long pastTtlNanos) {
        StaleServedEvent e = new StaleServedEvent();
        if (e.shouldCommit()) {
            e.method = method;
            e.keyHash = key == null ? 0 : key.hashCode();
            e.pastTtl = pastTtlNanos;
            e.commit();
        }
    }
}
