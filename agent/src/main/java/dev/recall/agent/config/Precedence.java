package dev.recall.agent.config;

/**
 * A method's value of each setting: its rule's, else its annotation's, else the default. The one place that order is
 * written. Used by one analysis, on one thread.
 *
 * @param <X> what reading the annotation may throw (a value it cannot parse)
 */
public final class Precedence<X extends Exception> {

    /** The annotation's value of a setting of {@link Settings#ANNOTATION}; {@code null} or empty: not written. */
    @FunctionalInterface
    public interface Annotation<X extends Exception> {
        Object value(Setting<?> setting) throws X;
    }

    private final MethodRule rule;
    private final Annotation<X> annotation;
    private final Defaults defaults;

    /**
     * @param rule the method's rule, or {@code null}
     * @param annotation the method's annotation, or {@code null} when it has none
     */
    public Precedence(MethodRule rule, Annotation<X> annotation, Defaults defaults) {
        this.rule = rule;
        this.annotation = annotation;
        this.defaults = defaults;
    }

    /** The method's value of {@code setting}; the default when neither the rule nor the annotation sets it. */
    public <T> T get(Setting<T> setting) throws X {
        return get(setting, defaults.get(setting));
    }

    /** As {@link #get(Setting)}, with {@code fallback} in the place of the default. */
    public <T> T get(Setting<T> setting, T fallback) throws X {
        T ruled = ruled(setting);
        if (ruled != null) {
            return ruled;
        }
        if (annotation != null && Settings.ANNOTATION.contains(setting)) {
            Object annotated = annotation.value(setting);
            if (given(annotated)) {
                return setting.type().cast(annotated);
            }
        }
        return fallback;
    }

    /** What the rule sets {@code setting} to, or {@code null} when there is no rule or it leaves the setting out. */
    public <T> T ruled(Setting<T> setting) {
        T value = rule == null ? null : rule.get(setting);
        return given(value) ? value : null;
    }

    /** An empty text is no value: {@code cache: ""} names no region, as {@code cache = ""} in an annotation. */
    private static boolean given(Object value) {
        return value != null && !(value instanceof String s && s.isEmpty());
    }
}
