package dev.recall.agent.key;

/**
 * Computes a cache key from one invocation's arguments. Compiled once per method; stateless apart from
 * immutable compiled data and thread-safe caches, so one instance serves every thread.
 */
public interface KeyFunction {

    /**
     * The arguments arrive as the advice passes them: the receiver ({@code null} for a static method), then
     * {@code a0} (and {@code a1}) for methods with one (or two) parameters, {@code args} for any other
     * arity; see {@code dev.recall.bridge.Site#enter}.
     */
    Object key(Object self, Object a0, Object a1, Object[] args);

    /** The argument at {@code index} of a method with {@code arity} parameters. */
    static Object argument(int arity, int index, Object a0, Object a1, Object[] args) {
        if (arity <= 2) {
            return index == 0 ? a0 : a1;
        }
        return args[index];
    }
}
