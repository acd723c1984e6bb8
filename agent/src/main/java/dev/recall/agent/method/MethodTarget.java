package dev.recall.agent.method;

import dev.recall.agent.config.MethodSignature;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Method} a cached method's woven code sits in, for the agent's own calls of it: the
 * write-back writer replaying a write, a reload refreshing an entry. Found once, by the name and
 * parameter types of the signature.
 */
final class MethodTarget {

    private MethodTarget() {
    }

    /**
     * @param type the class that declares the method (for an interface rule on JDK proxies, the interface:
     *     a call through it reaches the proxy's woven method)
     * @throws NoSuchMethodException if it has no such method
     * @throws RuntimeException if it cannot be made accessible (a class of a module closed to the agent)
     */
    static Method resolve(Class<?> type, MethodSignature signature) throws NoSuchMethodException {
        for (Method m : type.getDeclaredMethods()) {
            if (m.getName().equals(signature.methodName()) && !m.isBridge() && parameters(m).equals(signature.parameterTypes())) {
                m.setAccessible(true);
                return m;
            }
        }
        throw new NoSuchMethodException(signature.display());
    }

    /** All arguments of a call, from the woven code's three forms of them. */
    static Object[] arguments(int arity, Object a0, Object a1, Object[] args) {
        return switch (arity) {
            case 0 -> new Object[0];
            case 1 -> new Object[] {a0};
            case 2 -> new Object[] {a0, a1};
            default -> args;
        };
    }

    private static List<String> parameters(Method m) {
        List<String> names = new ArrayList<>();
        for (Class<?> p : m.getParameterTypes()) {
            names.add(p.getTypeName());
        }
        return names;
    }
}
