package dev.recall.agent.method;

import java.util.List;

/**
 * Which exceptions a call may end with and still write or evict: JSR-107's {@code cacheFor}/{@code noCacheFor} and
 * {@code evictFor}/{@code noEvictFor}, by class name (the agent never loads the application's exception classes to
 * compare; it walks the thrown object's superclasses). With both lists, the closer of the two matches decides, as
 * in the reference implementation. Immutable.
 *
 * @param included binary names of exceptions (and their subclasses) that count
 * @param excluded binary names of exceptions (and their subclasses) that do not
 * @param whenBothEmpty whether any exception counts when both lists are empty
 */
public record ExceptionClasses(List<String> included, List<String> excluded, boolean whenBothEmpty) {

    /** No exception counts: a method that throws neither writes nor evicts (Recall's own annotations). */
    public static final ExceptionClasses NONE = new ExceptionClasses(List.of(), List.of(), false);

    public ExceptionClasses {
        included = List.copyOf(included);
        excluded = List.copyOf(excluded);
    }

    /** Whether {@code thrown} (never {@code null}) counts. */
    public boolean includes(Throwable thrown) {
        if (included.isEmpty() && excluded.isEmpty()) {
            return whenBothEmpty;
        }
        int in = distance(thrown.getClass(), included);
        int out = distance(thrown.getClass(), excluded);
        if (included.isEmpty()) {
            return out < 0;
        }
        return in >= 0 && (out < 0 || in < out);
    }

    /** How many superclasses up from {@code c} one of {@code names} is; -1 if none is. */
    private static int distance(Class<?> c, List<String> names) {
        int d = 0;
        for (Class<?> k = c; k != null; k = k.getSuperclass(), d++) {
            if (names.contains(k.getName())) {
                return d;
            }
        }
        return -1;
    }
}
