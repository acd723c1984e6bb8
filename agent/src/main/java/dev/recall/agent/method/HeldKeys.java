package dev.recall.agent.method;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.ValueCopier;
import dev.recall.agent.key.Keys;

/**
 * The key a miss stores its result under, held by value. Most parts already are ({@link Keys#part}: a value
 * or the state of one at the call); a part kept as it is because its state could not be read (a cycle) is
 * copied if the caller may change it after the call, so that changing it later can neither move the entry
 * out of reach nor make it answer for another key. Immutable parts are kept as they are, and so are parts
 * whose class compares by identity (it does not override {@code equals}): a copy of those would never
 * equal the argument of a later call, and a change of their state does not change which entry they find.
 *
 * <p>Stateless; the per-class answer comes from a {@link ClassValue}. On the miss path only.
 */
final class HeldKeys {

    private static final ClassValue<Boolean> COMPARES_BY_VALUE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (type.isArray()) {
                return true; // keys compare arrays by content (Keys.Pair, Keys.ArgsKey)
            }
            try {
                return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    };

    /** Thrown through {@link Keys#mapParts}, which takes no checked exception. */
    private static final class NotCopyable extends RuntimeException {
        NotCopyable(CodecException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private HeldKeys() {
    }

    /**
     * @return the key to store under
     * @throws CodecException if a part can change and cannot be copied
     */
    static Object held(Object key) throws CodecException {
        try {
            return Keys.mapParts(key, HeldKeys::part);
        } catch (NotCopyable e) {
            throw (CodecException) e.getCause();
        }
    }

    private static Object part(Object p) {
        if (p == null || Keys.isState(p) || !COMPARES_BY_VALUE.get(p.getClass()) || ValueCopier.isImmutable(p)) {
            return p;
        }
        try {
            return ValueCopier.copy(p);
        } catch (CodecException e) {
            throw new NotCopyable(e);
        }
    }
}
