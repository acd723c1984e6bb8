package dev.recall.agent.instrumentation;

import dev.recall.agent.config.MethodPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Which methods of the advised classes the advisor observes: those that could be cached at all (they return
 * a value that a second caller can be given) and that do some work. Skipped, from the class file alone:
 * constructors and initializers, abstract, native, synthetic and bridge methods (as for caching), methods
 * returning nothing or a one-shot or asynchronous object, {@code toString}/{@code hashCode}/{@code equals}/
 * {@code compareTo}, an enum's {@code values}/{@code valueOf}, and straight-line code that calls nothing
 * (getters, setters, arithmetic on fields: nanoseconds, never worth a cache). Whether the rest costs enough
 * is measured while they run ({@link dev.recall.agent.advise.Advisor}). Interfaces are left alone: their
 * implementations are observed where they are advised. Immutable.
 */
final class AdviseCandidates {

    private static final Set<String> OBJECT_METHODS = Set.of("toString", "hashCode", "equals", "compareTo", "clone", "finalize");

    private final List<MethodPattern> patterns;

    AdviseCandidates(List<MethodPattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** Whether the class of this binary name is advised: its methods are observed, and none is cached. */
    boolean advises(String binaryName) {
        for (MethodPattern p : patterns) {
            if (p.matchesType(binaryName)) {
                return true;
            }
        }
        return false;
    }

    List<MethodNode> candidates(ClassNode type) {
        List<MethodNode> out = new ArrayList<>();
        if ((type.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION)) != 0) {
            return out;
        }
        String name = type.name.replace('/', '.');
        boolean isEnum = (type.access & Opcodes.ACC_ENUM) != 0;
        for (MethodNode m : type.methods) {
            if (m.name.startsWith("<") || (m.access & MethodAnalyzer.SKIPPED) != 0 || OBJECT_METHODS.contains(m.name)
                    || isEnum && (m.name.equals("values") || m.name.equals("valueOf"))) {
                continue;
            }
            Type returned = Type.getReturnType(m.desc);
            if (returned.getSort() == Type.VOID || OneShotResults.why(returned.getClassName()) != null
                    || OneShotResults.isFuture(returned.getClassName())) {
                continue;
            }
            List<String> parameters = MethodAnalyzer.parameterTypeNames(Type.getArgumentTypes(m.desc));
            if (matches(name, m.name, parameters) && !trivial(m)) {
                out.add(m);
            }
        }
        return out;
    }

    private boolean matches(String type, String method, List<String> parameters) {
        for (MethodPattern p : patterns) {
            if (p.matchesType(type) && p.matchesMethod(method, parameters)) {
                return true;
            }
        }
        return false;
    }

    /** Straight-line code that calls nothing: a getter, a setter, arithmetic on fields. */
    static boolean trivial(MethodNode m) {
        AbstractInsnNode[] code = m.instructions.toArray();
        for (int i = 0; i < code.length; i++) {
            AbstractInsnNode insn = code[i];
            int type = insn.getType();
            if (type == AbstractInsnNode.METHOD_INSN || type == AbstractInsnNode.INVOKE_DYNAMIC_INSN
                    || type == AbstractInsnNode.TABLESWITCH_INSN || type == AbstractInsnNode.LOOKUPSWITCH_INSN
                    || insn.getOpcode() == Opcodes.NEW || insn.getOpcode() == Opcodes.ANEWARRAY
                    || insn.getOpcode() == Opcodes.NEWARRAY || insn.getOpcode() == Opcodes.MULTIANEWARRAY) {
                return false;
            }
            if (insn instanceof JumpInsnNode jump && m.instructions.indexOf(jump.label) < i) {
                return false; // a loop
            }
        }
        return true;
    }
}
