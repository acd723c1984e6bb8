package dev.recall.agent.instrumentation;

import dev.recall.agent.method.ReturnType;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * What settling a method's spec needs of it, read from its class file: the class loader its types are
 * resolved in, its parameter types and names, its return type. Immutable; made per method analysed.
 */
final class MethodShape {

    final ClassLoader loader;
    final MethodNode node;
    final Type[] parameters;
    /** Named as {@link Class#getName()} spells it, for {@code Class.forName}. */
    final ReturnType returnType;
    /** Per parameter, its name, or {@code null} where the class file has none. */
    final List<String> names;

    /** @param parameters the method's argument types, as its descriptor gives them */
    MethodShape(ClassLoader loader, MethodNode node, Type[] parameters) {
        this.loader = loader;
        this.node = node;
        this.parameters = parameters;
        this.returnType = returnType(Type.getReturnType(node.desc));
        this.names = parameterNames(node, parameters);
    }

    private static ReturnType returnType(Type returned) {
        String name = returned.getSort() == Type.ARRAY ? returned.getDescriptor().replace('/', '.') : returned.getClassName();
        return new ReturnType(name, returned.getSort() == Type.VOID ? ReturnType.Kind.VOID
                : OneShotResults.isFuture(name) ? ReturnType.Kind.FUTURE : ReturnType.Kind.VALUE);
    }

    /**
     * Names from {@code -parameters} if compiled in, else from the debug information (javac's default
     * with Maven and Gradle).
     */
    private static List<String> parameterNames(MethodNode m, Type[] parameters) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            names.add(null);
        }
        if (m.parameters != null && m.parameters.size() == parameters.length) {
            for (int i = 0; i < parameters.length; i++) {
                names.set(i, m.parameters.get(i).name);
            }
            return names;
        }
        if (m.localVariables != null) {
            int slot = (m.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
            for (int i = 0; i < parameters.length; i++) {
                for (LocalVariableNode v : m.localVariables) {
                    if (v.index == slot) {
                        names.set(i, v.name);
                        break;
                    }
                }
                slot += parameters[i].getSize();
            }
        }
        return names;
    }
}
