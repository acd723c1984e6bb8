package dev.recall.agent.key;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.function.Function;

/**
 * Reads {@code customer.id} from an argument: each step a getter ({@code getId}, {@code isId}), an
 * accessor ({@code id()}, as records have), or a field, looked up once per runtime class.
 *
 * <p>Shared by every thread: the per-class accessor lives in a {@link ClassValue}, which the JDK makes
 * safe to publish and lets go when the application's class is unloaded.
 */
final class PropertyPath {

    private final String text;
    private final Step[] steps;

    PropertyPath(String text, List<String> names) {
        this.text = text;
        this.steps = names.stream().map(Step::new).toArray(Step[]::new);
    }

    boolean isEmpty() {
        return steps.length == 0;
    }

    /**
     * @throws NullOnPath if the root or a step before the last is {@code null}: such a call has no key of its
     *     own, and giving it one (null) would serve every such call the same entry
     */
    Object read(Object root) {
        Object current = root;
        for (Step step : steps) {
            if (current == null) {
                throw NullOnPath.INSTANCE;
            }
            current = step.read(current);
        }
        return current;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Thrown when a runtime class lacks a step that the declared type had: the call runs uncached. */
    static final class MissingProperty extends RuntimeException {
        MissingProperty(String message) {
            super(message);
        }
    }

    /**
     * A resolved step for one runtime class. A getter or accessor becomes a small generated class
     * ({@link LambdaMetafactory}), which the JIT inlines like a direct call; a field, or a method the
     * factory cannot reach, goes through a method handle, which it cannot inline from here (the handle is
     * not a constant) and which costs some 20 ns more per key.
     */
    private static final class Accessor {
        final Class<?> type;
        private final Function<Object, Object> getter;
        private final MethodHandle handle;
        private final String missing;

        Accessor(Class<?> type, Function<Object, Object> getter) {
            this.type = type;
            this.getter = getter;
            this.handle = null;
            this.missing = null;
        }

        Accessor(Class<?> type, MethodHandle handle) {
            this.type = type;
            this.getter = null;
            this.handle = handle.asType(MethodType.methodType(Object.class, Object.class));
            this.missing = null;
        }

        Accessor(Class<?> type, String missing) {
            this.type = type;
            this.getter = null;
            this.handle = null;
            this.missing = missing;
        }

        Object read(Object target) throws Throwable {
            if (getter != null) {
                return getter.apply(target);
            }
            if (handle == null) {
                throw new MissingProperty(missing);
            }
            return (Object) handle.invokeExact(target);
        }
    }

    private static final class Step {
        private final String name;
        private final ClassValue<Accessor> accessors = new ClassValue<>() {
            @Override
            protected Accessor computeValue(Class<?> type) {
                return find(type);
            }
        };
        /**
         * The accessor of the class seen last: a key's argument is almost always of one class, and this
         * check is cheaper than the {@link ClassValue} look-up. Racy by design: any accessor found here is
         * correct for its class, so a thread that reads an older one only takes the slower way.
         */
        private volatile Accessor last;

        Step(String name) {
            this.name = name;
        }

        Object read(Object target) {
            Class<?> type = target.getClass();
            Accessor a = last;
            if (a == null || a.type != type) {
                a = accessors.get(type);
                last = a;
            }
            try {
                return a.read(target);
            } catch (MissingProperty e) {
                throw e;
            } catch (Throwable e) {
                // The getter itself threw: report its failure.
                throw new MissingProperty("reading '" + name + "' of " + type.getName() + " threw " + e);
            }
        }

        private Accessor find(Class<?> type) {
            String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            for (String candidate : new String[] {"get" + cap, "is" + cap, name}) {
                Method m = publicMethod(type, candidate);
                if (m != null) {
                    try {
                        MethodHandle handle = MethodHandles.lookup().unreflect(m);
                        Function<Object, Object> getter = generated(m);
                        return getter != null ? new Accessor(type, getter) : new Accessor(type, handle);
                    } catch (IllegalAccessException e) {
                        // not readable after all: try the next way
                    }
                }
            }
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    Field f = c.getDeclaredField(name);
                    if (!Modifier.isStatic(f.getModifiers())) {
                        f.setAccessible(true);
                        return new Accessor(type, MethodHandles.lookup().unreflectGetter(f));
                    }
                } catch (NoSuchFieldException ignored) {
                    // try the superclass
                } catch (IllegalAccessException | RuntimeException e) {
                    // InaccessibleObjectException: a field in a module that is not opened to us
                    break;
                }
            }
            return new Accessor(type, type.getName() + " has no getter, accessor or readable field '" + name + "'");
        }

        /**
         * The getter as a generated {@link Function}, defined with the declaring class's own lookup (so in its
         * class loader, where it can see the class); {@code null} where that lookup is not granted (a class
         * in a named module that does not open its package to the agent) or the factory fails.
         */
        @SuppressWarnings("unchecked")
        private static Function<Object, Object> generated(Method m) {
            try {
                Class<?> owner = m.getDeclaringClass();
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
                MethodHandle direct = lookup.unreflect(m);
                CallSite site = LambdaMetafactory.metafactory(lookup, "apply", MethodType.methodType(Function.class),
                        MethodType.methodType(Object.class, Object.class), direct,
                        MethodType.methodType(MethodType.methodType(m.getReturnType()).wrap().returnType(), owner));
                return (Function<Object, Object>) site.getTarget().invoke();
            } catch (Throwable e) {
                return null;
            }
        }

        private static Method publicMethod(Class<?> type, String name) {
            try {
                Method m = type.getMethod(name);
                if (m.getReturnType() == void.class || Modifier.isStatic(m.getModifiers())) {
                    return null;
                }
                if (!Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                    // A public method of a package-private class (records nested in a class, say).
                    m.setAccessible(true);
                }
                return m;
            } catch (NoSuchMethodException e) {
                return null;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
