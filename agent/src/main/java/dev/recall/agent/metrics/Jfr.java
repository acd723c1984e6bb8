package dev.recall.agent.metrics;

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
        return AVAILABLE && JfrEvents.recorderStarted();
    }

    /** Starts timing a load; the token goes to {@link #loadEnded}, {@code null} without JFR. */
    public static Object loadBegins() {
        return recording() ? JfrEvents.loadBegins() : null;
    }

    public static void loadEnded(Object token, String method, Object key, boolean succeeded) {
        if (token != null) {
            JfrEvents.loadEnded(token, method, key, succeeded);
        }
    }

    /** Starts timing a background reload; the token goes to {@link #reloadEnded}. */
    public static Object reloadBegins() {
        return recording() ? JfrEvents.reloadBegins() : null;
    }

    public static void reloadEnded(Object token, String method, Object key, boolean ahead, boolean succeeded) {
        if (token != null) {
            JfrEvents.reloadEnded(token, method, key, ahead, succeeded);
        }
    }

    public static void staleServed(String method, Object key, long pastTtlNanos) {
        if (recording()) {
            JfrEvents.staleServed(method, key, pastTtlNanos);
        }
    }
}
