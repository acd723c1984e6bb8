package dev.recall.agent.codec;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.util.IdentityHashMap;

/**
 * Copies of exceptions, for JSR-107's exception cache held by value: each caller that gets a cached exception gets
 * one of its own, as a store-by-value JCache (the specification's default) gives back a deserialized one, so a caller
 * that adds a suppressed exception, sets a stack trace or chains a cause changes no other caller's.
 *
 * <p>A copy is of the same class, with the same message, stack trace, cause chain and suppressed exceptions (copied
 * in turn, shared ones and cycles kept), and the fields the application's classes declare, copied as
 * {@link ValueCopier} copies results. {@code Throwable}'s own state is private to {@code java.base}, which the agent
 * does not open: it is read through {@code Throwable}'s public methods and given to the copy through them, on an
 * instance made by {@code Throwable(String)} alone (no constructor of the exception's own classes runs, as for any
 * copied value). What cannot be copied faithfully is refused with a {@link CodecException} saying why
 * ({@link Layout#ofThrowable}). The copy's construction runs {@code fillInStackTrace()}, the exception's own override
 * if it has one, before its stack trace is replaced by the original's. Stateless; the per-class facts are
 * {@link TypeInfo}'s.
 */
public final class ThrowableCopier {

    private ThrowableCopier() {
    }

    /**
     * A copy of {@code thrown} that the caller may change without changing the original.
     *
     * @throws CodecException if some part of it cannot be copied, saying which and why
     */
    public static Throwable copy(Throwable thrown) throws CodecException {
        return new Copies().copy(thrown);
    }

    /** One copy's originals and their copies: a cause or suppressed exception met twice is copied once. */
    private static final class Copies {
        private final IdentityHashMap<Throwable, Throwable> done = new IdentityHashMap<>();

        Throwable copy(Throwable t) throws CodecException {
            Throwable known = done.get(t);
            if (known != null) {
                return known;
            }
            TypeInfo info = TypeInfo.of(t.getClass());
            Layout layout = info.layout(); // throws why, if the class cannot be copied
            if (info.tag != Tag.THROWABLE) {
                throw new CodecException(t.getClass().getName() + " is not copied as an exception");
            }
            Throwable c;
            try {
                c = (Throwable) layout.constructor.newInstance(t.getMessage());
            } catch (InvocationTargetException e) {
                throw new CodecException("cannot copy a " + t.getClass().getName() + ": its fillInStackTrace() threw "
                        + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new CodecException("cannot copy a " + t.getClass().getName() + ": " + e, e);
            }
            done.put(t, c); // before the cause and fields: they may lead back here
            c.setStackTrace(t.getStackTrace());
            for (Field f : layout.fields) {
                try {
                    f.set(c, field(f.get(t)));
                } catch (IllegalAccessException | IllegalArgumentException e) {
                    throw new CodecException("cannot copy " + f.getDeclaringClass().getName() + "." + f.getName() + ": " + e, e);
                }
            }
            Throwable cause = t.getCause();
            if (cause != null) {
                c.initCause(copy(cause)); // never the exception itself: getCause() says null then
            }
            for (Throwable s : t.getSuppressed()) {
                c.addSuppressed(copy(s));
            }
            return c;
        }

        private Object field(Object v) throws CodecException {
            if (v instanceof Throwable t) {
                return copy(t);
            }
            return v == null || ValueCopier.isImmutable(v) ? v : ValueCopier.copy(v);
        }
    }
}
