package dev.recall.agent.metrics;

import jdk.jfr.FlightRecorder;

/**
 * The agent's JFR events ({@link LoadEvent}, {@link RefreshEvent}, {@link StaleServedEvent}), reached only
 * through here, so that a runtime without the {@code jdk.jfr} module (a trimmed jlink image) never loads an
 * event class: every call is then a no-op. Events are disabled until a recording enables them; none is made
 * on the hit path. Stateless apart from the one flag, shared by all threads.
 *
 * <p>Nor is an event class touched before something has started the flight recorder (a recording at start-up,
 * {@code jcmd JFR.start}, the JMX bean or the API): the first use of an event class registers it, and that
 * brings up JFR's metadata, some 80 classes and about 130 ms of CPU in the first cached call of a JVM that
 * records nothing (issue 28). Events need a recording to be seen, and a recording starts the recorder, so
 * nothing a recording could hold is lost.
 */
public final class Jfr {

    private static final boolean AVAILABLE = available();

    private Jfr() {
    }

    private static boolean available() {
        try {
            Class.forName("jdk.jfr.Event", false, Jfr.class.getClassLoader());
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Whether the flight recorder has been started in this JVM: one static read once it has. */
    private static boolean recording() {
        return AVAILABLE && Events.recorderStarted();
    }

    /** Starts timing a load; the token goes to {@link #loadEnded}, {@code null} without JFR. */
    public static Object loadBegins() {
        return recording() ? Events.loadBegins() : null;
    }

    public static void loadEnded(Object token, String method, Object key, boolean succeeded) {
        if (token != null) {
            Events.loadEnded(token, method, key, succeeded);
        }
    }

    /** Starts timing a background reload; the token goes to {@link #reloadEnded}. */
    public static Object reloadBegins() {
        return recording() ? Events.reloadBegins() : null;
    }

    public static void reloadEnded(Object token, String method, Object key, boolean ahead, boolean succeeded) {
        if (token != null) {
            Events.reloadEnded(token, method, key, ahead, succeeded);
        }
    }

    public static void staleServed(String method, Object key, long pastTtlNanos) {
        if (recording()) {
            Events.staleServed(method, key, pastTtlNanos);
        }
    }

    /**
     * What {@link Jfr} does where the {@code jdk.jfr} module exists: the only code that names {@code jdk.jfr} types, in a
     * class of its own (nested: one job with {@link Jfr}'s), which the JVM loads only at its first use, so only then.
     */
    private static final class Events {

        private Events() {
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
}
