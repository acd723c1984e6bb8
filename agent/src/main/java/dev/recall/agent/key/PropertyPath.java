package dev.recall.agent.key;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

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

    Object read(Object root) {
        Object current = root;
        for (Step step : steps) {
            if (current == null) {
                return null;
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

    /** A resolved step for one runtime class: a getter, accessor or field as a method handle. */
    private static final class Accessor {
        private final MethodHandle handle;
        private final String missing;

        Accessor(MethodHandle handle) {
            this.handle = handle.asType(MethodType.methodType(Object.class, Object.class));
            this.missing = null;
        }

        Accessor(String missing) {
            this.handle = null;
            this.missing = missing;
        }

        Object read(Object target) throws Throwable {
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

        Step(String name) {
            this.name = name;
        }

        Object read(Object target) {
            try {
                return accessors.get(target.getClass()).read(target);
            } catch (MissingProperty e) {
                throw e;
            } catch (Throwable e) {
                // The getter itself threw: report its failure.
                throw new MissingProperty("reading '" + name + "' of " + target.getClass().getName() + " threw " + e);
            }
        }

        private Accessor find(Class<?> type) {
            String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            for (String candidate : new String[] {"get" + cap, "is" + cap, name}) {
                Method m = publicMethod(type, candidate);
                if (m != null) {
                    try {
                        return new Accessor(MethodHandles.lookup().unreflect(m));
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
                        return new Accessor(MethodHandles.lookup().unreflectGetter(f));
                    }
                } catch (NoSuchFieldException ignored) {
                    // try the superclass
                } catch (IllegalAccessException | RuntimeException e) {
                    // InaccessibleObjectException: a field in a module that is not opened to us
                    break;
                }
            }
            return new Accessor(type.getName() + " has no getter, accessor or readable field '" + name + "'");
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
