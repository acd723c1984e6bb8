package dev.recall.agent.metrics;

/**
 * The agent's JFR events ({@link LoadEvent}, {@link RefreshEvent}, {@link StaleServedEvent}), reached only
 * through here, so that a runtime without the {@code jdk.jfr} module (a trimmed jlink image) never loads an
 * event class: every call is then a no-op. Events are disabled until a recording enables them; none is made
 * on the hit path. Stateless apart from the one flag, shared by all threads.
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

    /** Starts timing a load; the token goes to {@link #loadEnded}, {@code null} without JFR. */
    public static Object loadBegins() {
        return AVAILABLE ? JfrEvents.loadBegins() : null;
    }

    public static void loadEnded(Object token, String method, Object key, boolean succeeded) {
        if (token != null) {
            JfrEvents.loadEnded(token, method, key, succeeded);
        }
    }

    /** Starts timing a background reload; the token goes to {@link #reloadEnded}. */
    public static Object reloadBegins() {
        return AVAILABLE ? JfrEvents.reloadBegins() : null;
    }

    public static void reloadEnded(Object token, String method, Object key, boolean ahead, boolean succeeded) {
        if (token != null) {
            JfrEvents.reloadEnded(token, method, key, ahead, succeeded);
        }
    }

    public static void staleServed(String method, Object key, long pastTtlNanos) {
        if (AVAILABLE) {
            JfrEvents.staleServed(method, key, pastTtlNanos);
        }
    }
}
