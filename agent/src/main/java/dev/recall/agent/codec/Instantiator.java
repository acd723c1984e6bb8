package dev.recall.agent.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Creates instances of ordinary classes without running any of their constructors, as Java
 * serialization does, so that a decoded object is exactly its cached fields and decoding runs no
 * application code (constructors may log, count, validate or open things).
 *
 * <p>The means is {@code sun.reflect.ReflectionFactory.newConstructorForSerialization}, with
 * {@code Object()} as the constructor to run. It is the API the JDK keeps exported from
 * {@code jdk.unsupported} precisely for serialization libraries (JEP 260), returns an ordinary
 * {@link Constructor} that is cached per class, and needs no {@code --add-opens}. The alternative,
 * {@code sun.misc.Unsafe.allocateInstance}, lives in a class the JDK is removing piece by piece
 * (JEP 471). It is reached reflectively so the agent still loads on a runtime image without
 * {@code jdk.unsupported}; there, ordinary classes are refused with a message saying why. Stateless.
 */
final class Instantiator {

    private static final Object FACTORY;
    private static final Method NEW_CONSTRUCTOR;
    private static final Constructor<Object> OBJECT_CONSTRUCTOR;
    private static final String UNAVAILABLE;

    static {
        Object factory = null;
        Method newConstructor = null;
        Constructor<Object> objectConstructor = null;
        String unavailable = null;
        try {
            Class<?> type = Class.forName("sun.reflect.ReflectionFactory");
            factory = type.getMethod("getReflectionFactory").invoke(null);
            newConstructor = type.getMethod("newConstructorForSerialization", Class.class, Constructor.class);
            objectConstructor = Object.class.getConstructor();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            unavailable = "instances of ordinary classes cannot be created without running a constructor on this JVM"
                    + " (module jdk.unsupported is missing: " + e + "); only records, enums and JDK types are cached";
        }
        FACTORY = factory;
        NEW_CONSTRUCTOR = newConstructor;
        OBJECT_CONSTRUCTOR = objectConstructor;
        UNAVAILABLE = unavailable;
    }

    private Instantiator() {
    }

    /** A constructor that allocates {@code type} and runs only {@code Object()}. */
    static Constructor<?> constructorFor(Class<?> type) throws CodecException {
        if (UNAVAILABLE != null) {
            throw new CodecException(UNAVAILABLE);
        }
        try {
            Constructor<?> c = (Constructor<?>) NEW_CONSTRUCTOR.invoke(FACTORY, type, OBJECT_CONSTRUCTOR);
            if (c == null) {
                throw new CodecException("the JDK offers no way to create " + type.getName() + " without a constructor");
            }
            return c;
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            throw new CodecException("cannot create instances of " + type.getName() + " without a constructor: " + e, e);
        }
    }

    /**
     * A constructor that allocates {@code type} and runs only {@code superConstructor}, a public constructor of one of
     * its JDK superclasses, with the arguments it is given.
     */
    static Constructor<?> constructorFor(Class<?> type, Constructor<?> superConstructor) throws CodecException {
        if (UNAVAILABLE != null) {
            throw new CodecException(UNAVAILABLE);
        }
        try {
            Constructor<?> c = (Constructor<?>) NEW_CONSTRUCTOR.invoke(FACTORY, type, superConstructor);
            if (c == null) {
                throw new CodecException("the JDK offers no way to create " + type.getName() + " without its constructor");
            }
            c.setAccessible(true);
            return c;
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            throw new CodecException("cannot create instances of " + type.getName() + " without its constructor: " + e, e);
        }
    }
}
