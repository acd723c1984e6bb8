package dev.recall.bridge;

/**
 * One cached method as the woven advice sees it. Implemented by the agent.
 *
 * <p>Implementations are shared by every thread that calls the method and must be thread-safe; none of
 * these methods may throw (the advice suppresses throwables anyway, as a last line of defence).
 */
public abstract class Site {

    /**
     * The hit path, and nothing else, so that it stays small enough to be inlined into the caller:
     * returns the cached result ({@link Bridge#NULL} for {@code null}), or {@code null} for anything
     * else (a miss, caching switched off, a failure), after which the advice calls {@link #enter}, which
     * decides properly. Arguments as for {@link #enter}.
     */
    public Object lookup(Object self, Object a0, Object a1, Object[] args) {
        return null;
    }

    /**
     * Called before the method body.
     *
     * @param self the instance the method was called on, or {@code null} for a static method
     * @param a0 the first argument of a method with one or two parameters, else {@code null}
     * @param a1 the second argument of a method with two parameters, else {@code null}
     * @param args all arguments of a method with none or more than two parameters, else {@code null}: the
     *     common arities need no argument array
     * @return {@code null} to run the body with no cache involvement; a {@link Call} to run the body and
     *     then report its outcome to {@link #exit}; a {@link Thrown}, for a method woven to rethrow cached
     *     exceptions, is thrown and the body skipped; anything else is the cached result (with
     *     {@link Bridge#NULL} for {@code null}) and the body is skipped
     */
    public abstract Object enter(Object self, Object a0, Object a1, Object[] args);

    /**
     * Called before the body of a {@code WRITE_BACK} method, instead of {@link #enter}: the write may be
     * accepted now and run later, by the agent's writer, through an ordinary call of the method.
     *
     * @param type the class that declares the method
     * @param self the instance, or {@code null} for a static method
     * @param args all arguments (a fresh array)
     * @return {@code null} to run the body now with no cache involvement; a {@link Call} to run the body now
     *     and report its outcome to {@link #exit}; anything else: the write was accepted, skip the body
     */
    public Object defer(Class<?> type, Object self, Object[] args) {
        return null;
    }

    /** Called after the body ran for a {@link Call} that {@link #enter} or {@link #defer} returned. */
    public abstract void exit(Call call, Object returned, Throwable thrown);
}
