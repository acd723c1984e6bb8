package dev.recall.agent.config;

/**
 * One setting of a cached method, described once: its name (the YAML key, and the {@code @Cached} element where the
 * annotation has it), its type, how the file's text becomes its value, and the value it has when nothing sets it.
 * Where it may be written is said by the lists of {@link Settings}. Immutable; compared by identity (each setting is
 * one constant), so that a lookup while classes load runs no record method.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {

    /** Reads a setting's value from the file; {@code null}, with the problem reported, when the text is not one. */
    @FunctionalInterface
    interface Parser<T> {
        T read(Scalars in, YamlNode node, String name);
    }

    private final String name;
    private final Class<T> type;
    private final Parser<T> parser;
    private final T builtIn;

    Setting(String name, Class<T> type, Parser<T> parser, T builtIn) {
        this.name = name;
        this.type = type;
        this.parser = parser;
        this.builtIn = builtIn;
    }

    /** The YAML key, and the annotation element where there is one. */
    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** The value when neither the file nor an annotation sets it; {@code null}: none (the consumer decides). */
    public T builtIn() {
        return builtIn;
    }

    T read(Scalars in, YamlNode node) {
        return parser.read(in, node, name);
    }

    @Override
    public String toString() {
        return name;
    }
}
