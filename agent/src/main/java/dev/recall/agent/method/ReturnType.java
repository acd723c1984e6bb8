package dev.recall.agent.method;

/**
 * A cached method's declared return type: its name, and what its calls give back to cache, decided once when the
 * method's spec is settled. Immutable.
 *
 * @param name as {@link Class#getName()} spells it ({@code void} for none), to resolve the class a value read back
 *     from a shared store must fit
 * @param kind what a call returns
 */
public record ReturnType(String name, Kind kind) {

    public enum Kind {
        /** Nothing: the method is called for what it does. */
        VOID,
        /** A {@code CompletableFuture} or {@code CompletionStage}: its value is cached, not the future. */
        FUTURE,
        /** Any other value, cached as it is. */
        VALUE
    }

    /** Whether the declared type is {@code type} itself; by name, as the class may not be loadable yet. */
    public boolean is(Class<?> type) {
        return type.getName().equals(name);
    }
}
